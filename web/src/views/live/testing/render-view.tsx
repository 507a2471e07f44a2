/**
 * W1's {@link renderApp} at one view's path, signed in with a role, with the API's answers given by
 * `METHOD /path`; the stream ticket is answered here so the live stream connects.
 * @module
 */
import type { ApiRole } from '@atc/contracts';
import { type FakeReply, fakeFetch } from '../../../testing/fake-fetch';
import { renderApp } from '../../../testing/render-app';

type Routes = Parameters<typeof fakeFetch>[0];

function renderView(path: string, role: ApiRole, routes: Routes) {
  const api = fakeFetch({
    'POST /api/stream-tickets': {
      status: 201,
      body: { ticket: 'ticket-1', expiresAt: '2026-12-07T12:01:00.000Z', role },
    },
    ...routes,
  });
  const view = renderApp({ fetch: api.fetch, route: path, signedInAs: role });
  return { ...view, calls: api.calls };
}

/** Answers each call with the next reply of `replies`, repeating the last one. */
function inTurn(...replies: FakeReply[]) {
  let next = 0;
  return () => replies[Math.min(next++, replies.length - 1)] as FakeReply;
}

/** The calls made to `METHOD /path` (query string ignored). */
function callsTo(calls: ReturnType<typeof renderView>['calls'], route: string) {
  return calls.filter((call) => `${call.method} ${call.url.split('?')[0]}` === route);
}

export { callsTo, inTurn, renderView };
