/**
 * What the missions, orders and positions views' tests share: the app at one route, signed in, on a
 * fake fetch (with its recorded calls) and a fake EventSource; an event delivered on the stream.
 * @module
 */
import type { ApiRole } from '@atc/contracts';
import { act, waitFor } from '@testing-library/react';
import { ticketFixture } from './api-fixtures';
import { FakeEventSource, streamEvent } from './fake-event-source';
import { type FakeCall, type FakeReply, fakeFetch } from './fake-fetch';
import { renderApp } from './render-app';

type Routes = Record<string, FakeReply | ((call: FakeCall) => FakeReply)>;

function renderTradingView(path: string, routes: Routes, role: ApiRole = 'viewer') {
  sessionStorage.clear();
  FakeEventSource.reset();
  const fake = fakeFetch({ 'POST /api/stream-tickets': ticketFixture(role), ...routes });
  const view = renderApp({ fetch: fake.fetch, route: path, signedInAs: role });
  return { ...view, calls: fake.calls };
}

let nextEventId = 1000;

/** Delivers one event of `type` on the stream (once the app has opened it), as the server frames it. */
async function emitEvent(type: string): Promise<void> {
  const source = await waitFor(() => FakeEventSource.latest());
  const id = String(nextEventId++);
  act(() => {
    source.open();
    source.emit(type, id, streamEvent(id, type, { market: 'crypto' }));
  });
}

/** The fetches made of `path` (query string ignored). */
function callsOf(calls: readonly FakeCall[], path: string): FakeCall[] {
  return calls.filter((call) => call.url.split('?')[0] === path);
}

export { callsOf, emitEvent, renderTradingView };
