/**
 * GET /api/proposals's pages, shared by the requests of a window and dropped at every proposal event
 * the live stream's hub reads (any process's decision: a worker's, the heartbeat's, another replica's)
 * and at every proposal write of this process (read-your-writes without waiting for the stream).
 * Every change a page shows (status, reason, mission, expiry) is written in the transaction that
 * appends its `proposal_decided` event, so the event is a complete signal; PROPOSAL_LIST_CACHE_MS
 * bounds the staleness only when the stream's connection is down.
 * @module
 */
import type { Clock, ProposalPage } from '@atc/contracts';
import { createInvalidatedReads, type InvalidatedReads } from './invalidated-reads';

/** Distinct queries kept at once (dashboards ask a handful: by status, by market, the next page). */
const MAX_QUERIES = 256;

export interface ProposalPagesOptions {
  /** The live stream's hub: emits `batch` with the frames (each with its event `type`) it read. */
  readonly hub: {
    on(event: 'batch', listener: (frames: readonly { readonly type: string }[]) => void): unknown;
  };
  readonly maxAgeMs: number;
  readonly clock: Clock;
}

export function isProposalEvent(frame: { readonly type: string }): boolean {
  return frame.type.startsWith('proposal_');
}

export function createProposalPages(options: ProposalPagesOptions): InvalidatedReads<ProposalPage> {
  const pages = createInvalidatedReads<ProposalPage>({
    maxAgeMs: options.maxAgeMs,
    maxKeys: MAX_QUERIES,
    clock: options.clock,
  });
  options.hub.on('batch', (frames: readonly { readonly type: string }[]) => {
    if (frames.some(isProposalEvent)) pages.invalidate();
  });
  return pages;
}

/** One key per query, whatever order its fields came in; absent and undefined fields are the same. */
export function queryKey(query: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(
    Object.entries(query)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
