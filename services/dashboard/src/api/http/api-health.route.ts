import { z } from 'zod';
import { defineRoute, ok } from '../api-route';

/** `GET /api/health`: public liveness of the API itself (readiness stays at /health/ready). */
export const apiHealthRoute = defineRoute({
  method: 'GET',
  path: '/api/health',
  access: 'public',
  summary: 'Whether the API answers (no credentials needed).',
  tag: 'health',
  response: z.strictObject({ status: z.literal('ok') }),
  handle: () => Promise.resolve(ok({ status: 'ok' as const })),
});
