/**
 * Renders the whole app, signed in with a role, at one view's path: the real route table, error
 * boundary and stream provider, on fakes of fetch and EventSource. A test gives the API's answers by
 * `METHOD /path`; the stream ticket is answered here.
 * @module
 */
import type { ApiRole } from '@atc/contracts';
import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { App } from '../../../app/app';
import { saveSession } from '../../../session/session.storage';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { type FakeReply, fakeFetch } from '../../../testing/fake-fetch';

type Routes = Parameters<typeof fakeFetch>[0];

function renderView(path: string, role: ApiRole, routes: Routes) {
  saveSession({ key: 'atc_test_key', role });
  const api = fakeFetch({
    'POST /api/stream-tickets': {
      status: 201,
      body: { ticket: 'ticket-1', expiresAt: '2026-12-07T12:01:00.000Z', role },
    },
    ...routes,
  });
  // No retries: a failed read shows its error state at once.
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(
    <MemoryRouter initialEntries={[path]}>
      <App fetch={api.fetch} createEventSource={FakeEventSource.create} queryClient={queryClient} />
    </MemoryRouter>,
  );
  return { ...view, calls: api.calls, queryClient };
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
