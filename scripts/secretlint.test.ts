import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The repository's secret scan (`npm run secrets:check`): secretlint with the recommended preset and
// the repository's own configuration, run here on scratch directories with planted fake secrets.
// Every planted value is built at run time, so this file itself holds nothing the scan would flag.
const ROOT = path.join(__dirname, '..');
const SECRETLINT = path.join(ROOT, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
const CONFIG = path.join(ROOT, '.secretlintrc.json');

interface Finding {
  readonly file: string;
  readonly messageId: string;
}

function scan(directory: string): { status: number; findings: Finding[] } {
  const args = [SECRETLINT, '--secretlintrc', CONFIG, '--format', 'json', '**/*'];
  let status = 0;
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, args, { cwd: directory, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    status = failed.status;
    stdout = failed.stdout;
  }
  const results = JSON.parse(stdout) as { filePath: string; messages: { messageId: string }[] }[];
  const findings = results.flatMap((result) =>
    result.messages.map((message) => ({
      file: path.basename(result.filePath),
      messageId: message.messageId,
    })),
  );
  return { status, findings };
}

describe('secret scan (secretlint, recommended preset)', () => {
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'atc-secretlint-test-'));
  });

  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('passes a directory without secrets', () => {
    writeFileSync(path.join(scratch, 'notes.md'), '# Nothing to see\n\nDATABASE_URL comes from a Secret.\n');
    expect(scan(scratch)).toEqual({ status: 0, findings: [] });
  });

  it('catches a planted private key block, AWS secret key and database password', () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    writeFileSync(path.join(scratch, 'deploy.pem'), privateKey);
    const awsSecret = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYzQ8h3k2LmN'].join('/');
    writeFileSync(path.join(scratch, 'aws.env'), `AWS_SECRET_ACCESS_KEY=${awsSecret}\n`);
    const url = ['postgres://atc', 'Zq8vT3kPr2@db.prod.internal:5432/atc'].join(':');
    writeFileSync(path.join(scratch, 'values.yaml'), `database:\n  url: ${url}\n`);
    const { status, findings } = scan(scratch);
    expect(status).toBe(1);
    expect(findings.sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      { file: 'aws.env', messageId: 'AWSSecretAccessKey' },
      { file: 'deploy.pem', messageId: 'PrivateKey' },
      { file: 'values.yaml', messageId: 'PostgreSQLConnection' },
    ]);
  });

  it('allows only the named fake database passwords of the repository, not a real-looking one', () => {
    const fake = ['postgres://atc', 'atc-dev-only-not-a-secret@atc-dev-postgres:5432/atc'].join(':');
    writeFileSync(path.join(scratch, 'dev.yaml'), `url: ${fake}\n`);
    expect(scan(scratch)).toEqual({ status: 0, findings: [] });
    const real = ['postgres://atc', 'atc-prod-2026@db:5432/atc'].join(':');
    writeFileSync(path.join(scratch, 'prod.yaml'), `url: ${real}\n`);
    expect(scan(scratch).findings).toEqual([{ file: 'prod.yaml', messageId: 'PostgreSQLConnection' }]);
  });

  it('ignores only generated or uncommitted paths, never source', () => {
    const ignored = readFileSync(path.join(ROOT, '.secretlintignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const source of ['services/', 'scripts/', 'charts/', 'k8s/', 'docs/', 'migrations/', 'web/src/']) {
      expect(ignored.filter((entry) => source.startsWith(entry) || entry.startsWith(source))).toEqual(
        source === 'docs/' ? ['docs/screenshots/'] : [],
      );
    }
  });
});
