/**
 * Tracing in the real bundle: the CLI entry starts the SDK before anything requires http, express or
 * pg, so their instrumentations patch them (spans arrive at an OTLP/HTTP receiver in this test, JSON
 * as the exporter sends it); without an endpoint no OpenTelemetry package but the API is ever loaded.
 * @module
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { systemClock } from '@atc/contracts';
import { findFreePort } from '@atc/platform';
import {
  bundleForTest,
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runNode,
  type TestDatabase,
} from '@atc/platform/testing';
import { applySeeds, createApiKey } from '@atc/trading';
import { insertTestMarks, tradeProposal } from '@atc/trading/testing';
import { simulatorBaseUrls } from '@atc/venues';

interface OtlpValue {
  readonly stringValue?: string;
  readonly intValue?: string | number;
}
interface OtlpAttribute {
  readonly key: string;
  readonly value: OtlpValue;
}
interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: readonly OtlpAttribute[];
}
interface OtlpExport {
  readonly resourceSpans: readonly {
    readonly resource: { readonly attributes: readonly OtlpAttribute[] };
    readonly scopeSpans: readonly {
      readonly scope: { readonly name: string };
      readonly spans: readonly OtlpSpan[];
    }[];
  }[];
}
/** A received span with its process's service.name and its instrumentation scope. */
interface ReceivedSpan extends OtlpSpan {
  readonly service: string | undefined;
  readonly scope: string;
}

const SERVER_KIND = 2;
const SDK_PACKAGES = /@opentelemetry\/(sdk-|exporter-|instrumentation)/;

/** An OTLP/HTTP trace receiver: what a collector's `otlp` receiver accepts on :4318/v1/traces. */
function startReceiver(): Promise<{ server: Server; url: string; spans: ReceivedSpan[] }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const exported = JSON.parse(body.toString('utf8')) as OtlpExport;
      for (const resourceSpans of exported.resourceSpans) {
        const service = resourceSpans.resource.attributes.find((a) => a.key === 'service.name')?.value
          .stringValue;
        for (const scopeSpans of resourceSpans.scopeSpans) {
          for (const span of scopeSpans.spans) spans.push({ ...span, service, scope: scopeSpans.scope.name });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  return once(server, 'listening').then(() => ({
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
  }));
}

const attribute = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;

describe('tracing in the bundled atc (OTLP/HTTP to a receiver in this test)', () => {
  let db: TestDatabase;
  let bundle: string;
  let scratch: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let probe: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    bundle = await bundleForTest(path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts'), REPOSITORY_ROOT);
    receiver = await startReceiver();
    scratch = mkdtempSync(path.join(tmpdir(), 'atc-tracing-'));
    // Preloaded with -r: at exit, prints every OpenTelemetry package the process has loaded.
    probe = path.join(scratch, 'probe.cjs');
    writeFileSync(
      probe,
      `process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache)
         .filter((file) => file.includes('@opentelemetry')).map((file) => file.split('node_modules/').pop()
         .split('/').slice(0, 2).join('/')).filter((name, i, all) => all.indexOf(name) === i)) + '\\n'));`,
    );
  }, 120_000);
  afterAll(async () => {
    receiver.server.close();
    await db.drop();
    rmSync(scratch, { recursive: true, force: true });
  });
  beforeEach(() => {
    receiver.spans.length = 0;
  });

  function proposalFile(): { file: string; sourceTraceId: string } {
    const sourceTraceId = `tracing-${randomUUID()}`;
    const file = path.join(scratch, `${sourceTraceId}.json`);
    const steps = [{ kind: 'analyze', topic: 'SOL', details: { note: 'tracing test' } }];
    writeFileSync(
      file,
      JSON.stringify({
        source: 'agent',
        sourceTraceId,
        agent: 'atlas',
        title: 'Trace me',
        confidence: 0.5,
        steps,
      }),
    );
    return { file, sourceTraceId };
  }

  async function traceparentOf(
    sourceTraceId: string,
  ): Promise<{ proposal: string | null; steps: (string | null)[] }> {
    const { rows } = await db.pool.query<{ proposal: string | null; step: string | null }>(
      `select p.traceparent as proposal, s.traceparent as step from atc.proposals p
         join atc.missions m on m.proposal_id = p.id join atc.steps s on s.mission_id = m.id
        where p.source_trace_id = $1::text`,
      [sourceTraceId],
    );
    return { proposal: rows[0]!.proposal, steps: rows.map((row) => row.step) };
  }

  async function submitByCli(env: Record<string, string>) {
    const { file, sourceTraceId } = proposalFile();
    const run = runNode(
      ['-r', probe, bundle, 'proposal', 'submit', '-f', file],
      childEnvironment({ DATABASE_URL: db.url, LOG_LEVEL: 'warn', ...env }),
    );
    const { code } = await run.exited;
    expect({ code, stderr: run.stderr() }).toMatchObject({ code: 0 });
    const loaded = JSON.parse(/LOADED (.*)/.exec(run.stderr())![1]!) as string[];
    return { sourceTraceId, loaded };
  }

  it('off: without an endpoint no SDK, exporter or instrumentation is loaded, and the rows store null', async () => {
    const { sourceTraceId, loaded } = await submitByCli({ OTEL_EXPORTER_OTLP_ENDPOINT: '' });
    expect(loaded.filter((name) => SDK_PACKAGES.test(`${name}/`))).toEqual([]);
    expect(await traceparentOf(sourceTraceId)).toEqual({ proposal: null, steps: [null] });
    expect(receiver.spans).toEqual([]);
  });

  it('a collector that is down costs a command at most the flush bound, never its result', async () => {
    const { file, sourceTraceId } = proposalFile();
    const run = runNode(
      [bundle, 'proposal', 'submit', '-f', file],
      childEnvironment({
        DATABASE_URL: db.url,
        LOG_LEVEL: 'warn',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
      }),
    );
    expect((await run.exited).code).toBe(0);
    // The exporter alone would retry the refused connection for 10 s; the flush gives up at its bound.
    expect(run.stderr()).toContain(
      'atc: flushing trace spans failed: trace spans not flushed within 3000 ms',
    );
    expect((await traceparentOf(sourceTraceId)).proposal).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('a CLI command: the intake span with pg spans inside (pg patched in the bundle), flushed before exit', async () => {
    const { sourceTraceId, loaded } = await submitByCli({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    expect(loaded).toEqual(
      expect.arrayContaining(['@opentelemetry/sdk-node', '@opentelemetry/instrumentation-pg']),
    );
    const intake = receiver.spans.find((span) => span.name === 'proposal.intake');
    expect(intake).toMatchObject({ service: 'atc-cli' });
    const pgSpans = receiver.spans.filter((span) => span.scope === '@opentelemetry/instrumentation-pg');
    expect(pgSpans.some((span) => span.parentSpanId === intake!.spanId)).toBe(true);
    expect(pgSpans.every((span) => span.traceId === intake!.traceId)).toBe(true);
    // The pg spans name the database and server, never the connection's credentials.
    const { password } = new URL(db.url);
    expect(password).not.toBe('');
    expect(JSON.stringify(receiver.spans)).not.toContain(password);
    const stored = `00-${intake!.traceId}-${intake!.spanId}-01`;
    expect(await traceparentOf(sourceTraceId)).toEqual({ proposal: stored, steps: [stored] });
  });

  it('the dashboard: POST /api/proposals is an http server span with express spans, the intake and pg inside; probes are not traced', async () => {
    const { key } = await createApiKey(
      db.pool,
      { name: `tracing-${randomUUID()}`, role: 'operator', actor: 'test' },
      systemClock,
    );
    const [port, adminPort] = [await findFreePort(), await findFreePort()];
    const dashboard = runNode(
      [bundle, 'dashboard'],
      childEnvironment({
        DATABASE_URL: db.url,
        DASHBOARD_PORT: String(port),
        ADMIN_PORT: String(adminPort),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'atc-dashboard-canary',
      }),
    );
    try {
      await dashboard.waitFor(/dashboard listening/);
      expect((await fetch(`http://127.0.0.1:${adminPort}/health/ready`)).status).toBe(200);
      // A credential in a query string (the stream's ?ticket=) never reaches a span.
      await fetch(`http://127.0.0.1:${port}/api/status?ticket=tkt-secret-value`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const { sourceTraceId, file } = proposalFile();
      const response = await fetch(`http://127.0.0.1:${port}/api/proposals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: readFileSync(file, 'utf8'),
      });
      expect(response.status).toBeLessThan(300);
      dashboard.child.kill('SIGTERM');
      expect((await dashboard.exited).code).toBe(0);

      const byId = new Map(receiver.spans.map((span) => [span.spanId, span]));
      const intake = receiver.spans.find((span) => span.name === 'proposal.intake')!;
      const ancestors: ReceivedSpan[] = [];
      for (let at = byId.get(intake.parentSpanId ?? ''); at; at = byId.get(at.parentSpanId ?? ''))
        ancestors.push(at);
      const server = ancestors.find((span) => span.kind === SERVER_KIND);
      expect(server).toMatchObject({ service: 'atc-dashboard-canary', traceId: intake.traceId });
      expect(attribute(server!, 'http.route')?.stringValue ?? server!.name).toMatch(/\/api\/proposals/);
      expect(ancestors.some((span) => span.scope === '@opentelemetry/instrumentation-express')).toBe(true);
      const pgSpans = receiver.spans.filter((span) => span.scope === '@opentelemetry/instrumentation-pg');
      expect(pgSpans.some((span) => span.parentSpanId === intake.spanId)).toBe(true);
      expect(await traceparentOf(sourceTraceId)).toMatchObject({
        proposal: `00-${intake.traceId}-${intake.spanId}-01`,
      });
      const ticketed = receiver.spans.find((span) => attribute(span, 'url.query') !== undefined);
      expect(attribute(ticketed!, 'url.query')?.stringValue).toBe('ticket=REDACTED');
      expect(JSON.stringify(receiver.spans)).not.toContain('tkt-secret-value');
      // The readiness probe above made no span: probes and scrapes are not traces.
      const probeSpans = receiver.spans.filter((span) =>
        /health|metrics/.test(JSON.stringify(span.attributes)),
      );
      expect(probeSpans).toEqual([]);
    } finally {
      if (dashboard.child.exitCode === null) dashboard.child.kill('SIGKILL');
    }
  });

  it('one trade, one trace across processes: the dashboard takes the proposal in, the crypto worker executes it, the simulator answers its calls', async () => {
    await insertTestMarks(db.pool);
    const simPort = await findFreePort();
    const sim = runNode(
      [bundle, 'sim'],
      childEnvironment({
        SIM_PORT: String(simPort),
        SIM_SEED: '17',
        SIM_TICK_INTERVAL_MS: '50',
        ADMIN_PORT: String(await findFreePort()),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      }),
    );
    const simUrl = `http://127.0.0.1:${simPort}`;
    const { key } = await createApiKey(
      db.pool,
      { name: `tracing-${randomUUID()}`, role: 'operator', actor: 'test' },
      systemClock,
    );
    const common = {
      DATABASE_URL: db.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      ...simulatorBaseUrls(simUrl),
    };
    const port = await findFreePort();
    const dashboard = runNode(
      [bundle, 'dashboard'],
      childEnvironment({ ...common, DASHBOARD_PORT: String(port), ADMIN_PORT: String(await findFreePort()) }),
    );
    const worker = runNode(
      [bundle, 'worker', 'crypto'],
      childEnvironment({ ...common, ADMIN_PORT: String(await findFreePort()), WORKER_ID: 'tracing-worker' }),
    );
    try {
      await Promise.all([
        sim.waitFor(/venue simulator ready/),
        dashboard.waitFor(/dashboard listening/),
        worker.waitFor(/"msg":"worker started"/),
      ]);
      const response = await fetch(`http://127.0.0.1:${port}/api/proposals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(tradeProposal()),
      });
      expect(await response.json()).toMatchObject({ status: 'approved' });
      await worker.waitFor(/"msg":"step settled"/);
      for (const role of [dashboard, worker, sim]) role.child.kill('SIGTERM');
      const exits = await Promise.all([dashboard.exited, worker.exited, sim.exited]);
      expect(exits.map((exit) => exit.code)).toEqual([0, 0, 0]);
    } finally {
      for (const role of [dashboard, worker, sim])
        if (role.child.exitCode === null) role.child.kill('SIGKILL');
    }

    const intake = receiver.spans.find((span) => span.name === 'proposal.intake')!;
    const step = receiver.spans.find((span) => span.name === 'step.execute')!;
    const venueCalls = receiver.spans.filter((span) => span.name === 'venue.request');
    // The dashboard quotes the entry at the venue while it takes the proposal in: the same trace.
    const [quotes, orders] = [
      venueCalls.filter((c) => c.service === 'atc-dashboard'),
      venueCalls.filter((c) => c.service === 'atc-worker-crypto'),
    ];
    expect(quotes.length).toBeGreaterThan(0);
    expect(quotes.every((call) => call.traceId === intake.traceId)).toBe(true);
    expect(intake).toMatchObject({ service: 'atc-dashboard' });
    expect(step).toMatchObject({
      service: 'atc-worker-crypto',
      traceId: intake.traceId,
      parentSpanId: intake.spanId,
    });
    expect(orders.length).toBeGreaterThan(0);
    for (const call of orders) {
      expect(call).toMatchObject({
        service: 'atc-worker-crypto',
        traceId: intake.traceId,
        parentSpanId: step.spanId,
      });
    }
    const workerPg = receiver.spans.filter(
      (span) => span.service === 'atc-worker-crypto' && span.scope === '@opentelemetry/instrumentation-pg',
    );
    expect(workerPg.some((span) => span.parentSpanId === step.spanId)).toBe(true);
    // The simulator continued the traceparent each worker call sent: its server spans are their children.
    const orderIds = new Set(orders.map((call) => call.spanId));
    const simulated = receiver.spans.filter(
      (span) => span.service === 'atc-simulator' && span.kind === SERVER_KIND,
    );
    expect(simulated.filter((span) => orderIds.has(span.parentSpanId ?? '')).length).toBe(orders.length);
    // Every span of the trade, in all three processes, is in the one trace.
    const tradeSpans = receiver.spans.filter((span) => span.traceId === intake.traceId);
    expect(new Set(tradeSpans.map((span) => span.service))).toEqual(
      new Set(['atc-dashboard', 'atc-worker-crypto', 'atc-simulator']),
    );
  });
});
