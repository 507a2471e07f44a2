import { z } from 'zod';
import { ConflictError, InputError, UnavailableError } from '@atc/platform';
import { defineRoute, ok } from '../api-route';
import { GENERIC_SERVER_DETAIL, problemFrom } from './problem';
import { assertStrictSchemas } from './route-input';

const route = (body: z.ZodType) =>
  defineRoute({
    method: 'POST',
    path: '/api/x',
    access: 'read',
    summary: 'x',
    tag: 'x',
    body,
    response: z.strictObject({}),
    handle: () => Promise.resolve(ok({})),
  });

describe('route declarations', () => {
  it('refuses at start-up a schema that lets unknown keys through', () => {
    expect(() => assertStrictSchemas(route(z.object({ a: z.string() })))).toThrow(
      /body schema must be a strict object/,
    );
    expect(() => assertStrictSchemas(route(z.object({ a: z.string() }).passthrough()))).toThrow(/strict/);
    expect(() => assertStrictSchemas(route(z.strictObject({ a: z.string() })))).not.toThrow();
  });
});

describe('problemFrom', () => {
  it('maps the platform classes through httpStatusFor, with InputError issues as fields', () => {
    const input = problemFrom(
      new InputError('bad', { details: { issues: ['steps.0.amount: must be positive'] } }),
      1,
    );
    expect([input.status, input.errors]).toEqual([
      400,
      [{ path: 'steps.0.amount', message: 'must be positive' }],
    ]);
    expect(problemFrom(new ConflictError('stale'), 1).status).toBe(409);
  });

  it('never lets a 5xx carry its message', () => {
    expect(problemFrom(new UnavailableError('db at 10.0.0.5 down'), 1)).toMatchObject({
      status: 503,
      detail: GENERIC_SERVER_DETAIL,
    });
    expect(problemFrom(new Error('boom'), 1)).toMatchObject({ status: 500, detail: GENERIC_SERVER_DETAIL });
  });
});
