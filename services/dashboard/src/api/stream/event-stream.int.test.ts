import net from 'node:net';
import { once } from 'node:events';
import { ProblemDetails } from '@atc/contracts';
import { silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { appendEvent } from '@atc/trading';
import { realTimers, type StreamTimers } from './stream-timers';
import { SseReader } from './testing/sse-reader';
import { startStreamTestServer, type StreamTestServer } from './testing/stream-test-server';

/** Inserts `count` events of `type` in one statement (notifying), and returns their ids in order. */
async function insertEvents(db: TestDatabase, count: number, type = 'mission_created', padBytes = 0) {
  const { rows } = await db.pool.query<{ id: string }>(
    `with inserted as (
       insert into atc.events (type, payload)
       select $1::text, jsonb_build_object('n', g, 'pad', repeat('x', $3::int)) from generate_series(1, $2::int) as g
       returning id
     )
     select id::text as id, pg_notify('atc_events', id::text) from inserted order by inserted.id`,
    [type, count, padBytes],
  );
  return rows.map((row) => row.id);
}

const appendOne = (db: Parameters<typeof appendEvent>[0]) =>
  appendEvent(db, {
    type: 'mission_status_changed',
    payload: { missionId: '00000000-0000-4000-8000-000000000001', from: 'queued', to: 'running' },
  });

/** Timers whose intervals (the keep-alive) fire only when the test says; timeouts run for real. */
function manualIntervals(): StreamTimers & { fireIntervals(): void } {
  const intervals = new Set<() => void>();
  return {
    ...realTimers,
    setInterval: (fn) => {
      intervals.add(fn);
      return fn;
    },
    clearInterval: (handle) => intervals.delete(handle as () => void),
    fireIntervals: () => intervals.forEach((fn) => fn()),
  };
}

describe('GET /api/stream (live stream)', () => {
  let db: TestDatabase;
  const servers: StreamTestServer[] = [];
  const readers: SseReader[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterEach(async () => {
    readers.splice(0).forEach((reader) => reader.close());
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  afterAll(() => db.drop());

  const start = async (options: Partial<Parameters<typeof startStreamTestServer>[0]> = {}) => {
    const server = await startStreamTestServer({
      pool: db.pool,
      databaseUrl: db.url,
      logger: silentLogger(),
      ...options,
    });
    servers.push(server);
    return server;
  };
  const open = async (url: string, headers: Record<string, string> = {}) => {
    const reader = await SseReader.open(url, headers);
    readers.push(reader);
    return reader;
  };
  const metric = async (server: StreamTestServer, name: string) =>
    (await server.registry.getSingleMetric(name)!.get()).values[0]?.value ?? 0;

  it('delivers events appended by concurrent transactions once each, in id order, with SSE framing', async () => {
    const server = await start();
    const reader = await open(server.url);
    expect(reader.status).toBe(200);
    expect(reader.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const ids = await Promise.all(Array.from({ length: 40 }, () => appendOne(db.pool)));
    const expected = [...ids].sort((a, b) => Number(BigInt(a) - BigInt(b)));
    await reader.until('all 40 events arrived', (r) => r.ids().length >= 40);
    expect(reader.ids()).toEqual(expected);
    expect(reader.retry).toBe(1_000);
    const first = reader.messages[0]!;
    expect(first.event).toBe('mission_status_changed');
    expect(JSON.parse(first.data)).toMatchObject({
      id: first.id,
      type: 'mission_status_changed',
      payload: { to: 'running' },
    });
    expect(await metric(server, 'atc_sse_events_sent_total')).toBe(40);
    expect(await metric(server, 'atc_sse_clients_connected')).toBe(1);
  });

  it('resumes after a disconnect from Last-Event-ID (or ?since=), missing nothing and repeating nothing', async () => {
    const server = await start({ pageSize: 7 });
    const first = await open(server.url);
    const before = await insertEvents(db, 10);
    await first.until('10 events', (r) => r.ids().length === 10);
    first.close();
    const after = await insertEvents(db, 25);
    const resumed = await open(server.url, { 'last-event-id': before[9]! });
    const bySince = await open(`${server.url}?since=${before[4]}`);
    await resumed.until('the 25 missed events', (r) => r.ids().length === 25);
    await bySince.until('30 events', (r) => r.ids().length === 30);
    expect(first.ids()).toEqual(before);
    expect(resumed.ids()).toEqual(after);
    expect(bySince.ids()).toEqual([...before.slice(5), ...after]);
    // Live events follow the catch-up without a gap or a repeat.
    const live = await insertEvents(db, 3);
    await resumed.until('the live events', (r) => r.ids().length === 28);
    expect(resumed.ids()).toEqual([...after, ...live]);
  });

  it('filters by ?types= and refuses an unknown type or a bad Last-Event-ID with a problem naming the field', async () => {
    const server = await start();
    const reader = await open(`${server.url}?types=proposal_decided,mission_created`);
    const wanted = await insertEvents(db, 2, 'mission_created');
    await insertEvents(db, 3, 'step_transitioned');
    const more = await insertEvents(db, 1, 'proposal_decided');
    await reader.until('the wanted events', (r) => r.ids().length === 3);
    expect(reader.ids()).toEqual([...wanted, ...more]);

    const badType = await open(`${server.url}?types=mission_created,nope`);
    await badType.until('the body', (r) => r.ended);
    expect(badType.status).toBe(400);
    expect(badType.headers['content-type']).toBe('application/problem+json');
    expect(ProblemDetails.parse(JSON.parse(badType.text)).errors?.[0]?.path).toBe('query.types.1');
    const badId = await open(server.url, { 'last-event-id': 'abc' });
    await badId.until('the body', (r) => r.ended);
    expect(badId.status).toBe(400);
    expect(ProblemDetails.parse(JSON.parse(badId.text)).errors?.[0]?.path).toBe('headers.last-event-id');
  });

  it('never skips an id that commits after a larger one (the first to take an id commits last)', async () => {
    const server = await start();
    const reader = await open(server.url);
    const early = await db.pool.connect();
    const late = await db.pool.connect();
    try {
      await early.query('begin');
      const smaller = await appendOne(early);
      await late.query('begin');
      const larger = await appendOne(late);
      const held = new Promise<{ from: bigint }>((resolve) => server.service.hub.once('held', resolve));
      await late.query('commit');
      // The hub has read the larger id and holds delivery at the smaller, still in flight.
      expect((await held).from).toBe(BigInt(smaller));
      expect(reader.ids()).toEqual([]);
      await early.query('commit');
      await reader.until('both events', (r) => r.ids().length === 2);
      expect(reader.ids()).toEqual([smaller, larger]);
    } finally {
      early.release();
      late.release();
    }
  });

  it('passes an id rolled back for good once the transactions that could hold it have ended', async () => {
    const server = await start();
    const reader = await open(server.url);
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      const lost = await appendOne(client);
      await client.query('rollback');
      const [next] = await insertEvents(db, 1);
      await reader.until('the event after the rolled-back id', (r) => r.ids().length === 1);
      expect(reader.ids()).toEqual([next]);
      expect(BigInt(next!)).toBe(BigInt(lost) + 1n);
    } finally {
      client.release();
    }
  });

  it('answers 503 problem+json with Retry-After beyond SSE_MAX_CLIENTS, and frees the slot on disconnect', async () => {
    const server = await start({ config: { SSE_MAX_CLIENTS: 2, SSE_RETRY_MS: 4_500 } });
    const a = await open(server.url);
    await open(server.url);
    const refused = await open(server.url);
    await refused.until('the body', (r) => r.ended);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(refused.text)).toMatchObject({ status: 503, title: 'Service Unavailable' });
    a.close();
    await once(a.body, 'close');
    const hub = server.service.hub;
    // The server sees the disconnect on its own schedule: wait for the slot to come back.
    await new Promise<void>((resolve) => {
      const check = () => (hub.clientCount < 2 ? resolve() : setImmediate(check));
      check();
    });
    expect((await open(server.url)).status).toBe(200);
  });

  it('answers the notifications of a batch window with one read and one write per client (SSE_BATCH_WINDOW_MS)', async () => {
    const server = await start({ config: { SSE_BATCH_WINDOW_MS: 1_000 } });
    const reader = await open(server.url);
    const batches: bigint[][] = [];
    server.service.hub.on('batch', (frames: { id: bigint }[]) => batches.push(frames.map((f) => f.id)));
    const [first] = await insertEvents(db, 1);
    await reader.until('the first event', (r) => r.ids().includes(first!));
    // Three notifications, each its own statement, inside the window that the first read opened.
    const later = [
      ...(await insertEvents(db, 1)),
      ...(await insertEvents(db, 1)),
      ...(await insertEvents(db, 1)),
    ];
    await reader.until('the three later events', (r) => later.every((id) => r.ids().includes(id)));
    expect(batches.map((ids) => ids.map(String))).toEqual([[first], later]);
    expect(reader.ids()).toEqual([first, ...later]);
  });

  it('writes a keep-alive comment at each keep-alive interval', async () => {
    const timers = manualIntervals();
    const server = await start({ timers });
    const reader = await open(server.url);
    timers.fireIntervals();
    await reader.until('a keep-alive', (r) => r.comments.length === 1);
    timers.fireIntervals();
    await reader.until('a second keep-alive', (r) => r.comments.length === 2);
    expect(reader.comments).toEqual(['keep-alive', 'keep-alive']);
  });

  it('drops a client that reads nothing at SSE_MAX_BUFFERED_EVENTS with a final event: reset', async () => {
    const server = await start({ config: { SSE_MAX_BUFFERED_EVENTS: 20 }, pageSize: 50 });
    const hub = server.service.hub;
    const slow = net.connect(server.port, '127.0.0.1');
    slow.write(`GET /api/stream HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\n\r\n`);
    slow.pause(); // reads nothing: the kernel buffers fill, then the server's writes stop draining
    await new Promise<void>((resolve) => {
      const check = () => (hub.clientCount === 1 ? resolve() : setImmediate(check));
      check();
    });
    // ~24 MB: more than loopback's socket buffers hold.
    const ids = await insertEvents(db, 1_500, 'mission_created', 16_000);
    const last = BigInt(ids.at(-1)!);
    await new Promise<void>((resolve) => {
      const check = () => (hub.cursor >= last ? resolve() : hub.once('batch', check));
      check();
    });
    expect(await metric(server, 'atc_sse_slow_clients_dropped_total')).toBe(1);
    expect(await metric(server, 'atc_sse_clients_connected')).toBe(0);
    expect(hub.clientCount).toBe(0);
    let received = '';
    slow.setEncoding('utf8');
    slow.on('data', (chunk: string) => (received += chunk));
    slow.resume();
    await once(slow, 'end');
    // The last frame is the reset (then only the chunked encoding's terminator).
    const reset = received.lastIndexOf('event: reset\ndata: {"reason":"slow_client"}\n\n');
    expect(reset).toBeGreaterThan(received.lastIndexOf('\nid: '));
    expect((received.match(/^id: /gm) ?? []).length).toBeLessThan(ids.length);
  }, 90_000);

  it('keeps delivering after its LISTEN connection is killed (it reconnects and re-reads from its cursor)', async () => {
    const server = await start();
    const reader = await open(server.url);
    const before = await insertEvents(db, 2);
    await reader.until('the first events', (r) => r.ids().length === 2);
    await db.pool.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'atc-event-stream'`,
    );
    const after = await insertEvents(db, 3);
    await reader.until('the events after the reconnect', (r) => r.ids().length === 5);
    expect(reader.ids()).toEqual([...before, ...after]);
  });
});
