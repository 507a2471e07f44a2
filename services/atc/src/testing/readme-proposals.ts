import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT } from '@atc/platform/testing';

export const README_PROPOSALS_HEADING = '## Proposals: units, pricing, one example per market';

/** The JSON examples of the README's proposals section, in order (one per market), or [] without it. */
export function readmeProposalExamples(): unknown[] {
  const readme = readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(README_PROPOSALS_HEADING);
  if (start < 0) return [];
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
}
