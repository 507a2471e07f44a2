import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { mountHealthRoutes } from './app';

describe('dashboard app health routes', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    mountHealthRoutes(app, {
      service: 'dashboard',
      checks: { database: () => Promise.resolve({ ok: true }) },
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers GET on the public port', async () => {
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });

  it.each(['/health', '/health/ready'])('answers 405 with Allow to POST %s', async (route) => {
    const res = await fetch(`${base}${route}`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
