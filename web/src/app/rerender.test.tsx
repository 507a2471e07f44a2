import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { Profiler, type ReactNode, Suspense } from 'react';
import { SessionProvider } from '../session/session.context';
import { saveSession } from '../session/session.storage';
import { StreamProvider } from '../stream/stream.context';
import { emptyPage, statusFixture, ticketFixture } from '../testing/api-fixtures';
import { FakeEventSource, streamEvent } from '../testing/fake-event-source';
import { fakeFetch } from '../testing/fake-fetch';
import { FeedView } from '../views/feed/feed.view';
import { OverviewView } from '../views/overview/overview.view';
import { StreamBanner } from './shell';

beforeEach(() => {
  sessionStorage.clear();
  FakeEventSource.reset();
  jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(560);
});
afterEach(() => jest.restoreAllMocks());

it('an incoming feed event re-renders the feed, not the overview or the stream banner', async () => {
  saveSession({ key: 'atc_test_viewer', role: 'viewer' });
  const { fetch } = fakeFetch({
    'POST /api/stream-tickets': ticketFixture('viewer'),
    'GET /api/status': { body: statusFixture() },
    'GET /api/positions': { body: emptyPage },
    'GET /api/events': { body: emptyPage },
  });
  const renders: Record<string, number> = { feed: 0, overview: 0, banner: 0 };
  const counted = (id: string, children: ReactNode) => (
    <Profiler id={id} onRender={() => (renders[id] = (renders[id] ?? 0) + 1)}>
      {children}
    </Profiler>
  );
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <SessionProvider fetch={fetch}>
        <StreamProvider createEventSource={FakeEventSource.create}>
          {counted('banner', <StreamBanner />)}
          <Suspense fallback="loading">
            {counted('overview', <OverviewView />)}
            {counted('feed', <FeedView />)}
          </Suspense>
        </StreamProvider>
      </SessionProvider>
    </QueryClientProvider>,
  );
  await screen.findByTestId('pnl-today');
  const source = FakeEventSource.latest();
  act(() => source.open());
  await screen.findByText(/0 events/);
  const before = { ...renders };

  act(() =>
    source.emit('memory_created', '7', streamEvent('7', 'memory_created', { payload: { agent: 'sage' } })),
  );
  await screen.findByText('#7');

  expect(renders.feed).toBeGreaterThan(before.feed!);
  expect(renders.overview).toBe(before.overview);
  expect(renders.banner).toBe(before.banner);
});
