import { act, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ticketFixture } from '../../testing/api-fixtures';
import { FakeEventSource, streamEvent } from '../../testing/fake-event-source';
import { type FakeCall, fakeFetch } from '../../testing/fake-fetch';
import { renderApp } from '../../testing/render-app';

const ROW_HEIGHT = 28;
const VIEWPORT = 20 * ROW_HEIGHT;

/** GET /api/events as the API pages it: newest first, ids below `from`, 100 a page, two pages. */
function olderEvent(id: number) {
  return {
    id: String(id),
    type: id % 2 === 0 ? 'order_created' : 'memory_created',
    aggregateType: null,
    aggregateId: null,
    market: 'crypto',
    agent: 'atlas',
    tags: [],
    payload: {},
    createdAt: '2026-12-07T11:00:00.000Z',
  };
}
function eventsPage(call: FakeCall) {
  const cursor = new URL(call.url, 'http://x').searchParams.get('cursor');
  const top = cursor === null ? 1000 : 900;
  const items = Array.from({ length: 100 }, (_, i) => olderEvent(top - i));
  return { body: { items, nextCursor: cursor === null ? 'page-2' : null } };
}

beforeEach(() => {
  sessionStorage.clear();
  FakeEventSource.reset();
  // jsdom lays nothing out: give the feed's scroll box a height of 20 rows.
  jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(VIEWPORT);
});
afterEach(() => jest.restoreAllMocks());

function rowIds(): string[] {
  return screen.queryAllByRole('listitem').map((row) => row.querySelector('span')?.textContent ?? '');
}

describe('Live feed view', () => {
  it('shows live events newest first above the older pages, with only the visible rows in the DOM', async () => {
    const { fetch } = fakeFetch({
      'POST /api/stream-tickets': ticketFixture('viewer'),
      'GET /api/events': eventsPage,
    });
    renderApp({ fetch, route: '/feed', signedInAs: 'viewer' });
    await screen.findByText('#1000');
    const source = FakeEventSource.latest();
    act(() => {
      source.open();
      for (let id = 1001; id <= 1500; id += 1)
        source.emit('fill_recorded', String(id), streamEvent(String(id), 'fill_recorded'));
    });
    expect(await screen.findByText('#1500')).toBeTruthy();
    expect(rowIds().slice(0, 3)).toEqual(['#1500', '#1499', '#1498']);
    expect(screen.getByText(/600 events/)).toBeTruthy();
    expect(screen.getByTestId('feed-received').textContent).toBe('500 received live');
    // Virtualized: 600 events, a viewport of 20 rows plus the overscan in the DOM.
    expect(rowIds().length).toBeLessThanOrEqual(40);
  });

  it('filters by type, the live rows here and the older pages at the API', async () => {
    const { fetch, calls } = fakeFetch({
      'POST /api/stream-tickets': ticketFixture('viewer'),
      'GET /api/events': eventsPage,
    });
    renderApp({ fetch, route: '/feed', signedInAs: 'viewer' });
    await screen.findByText('#1000');
    const source = FakeEventSource.latest();
    act(() => {
      source.emit('fill_recorded', '1001', streamEvent('1001', 'fill_recorded'));
      source.emit('order_created', '1002', streamEvent('1002', 'order_created'));
    });
    await screen.findByText('#1002');
    await userEvent.selectOptions(screen.getByLabelText('Type'), 'order_created');

    expect(calls.some((call) => call.url.includes('type=order_created'))).toBe(true);
    expect(await screen.findByText('#1002')).toBeTruthy();
    expect(screen.queryByText('#1001')).toBeNull();
  });

  it('pages older events in when scrolled to the end', async () => {
    const { fetch, calls } = fakeFetch({
      'POST /api/stream-tickets': ticketFixture('viewer'),
      'GET /api/events': eventsPage,
    });
    renderApp({ fetch, route: '/feed', signedInAs: 'viewer' });
    await screen.findByText('#1000');
    // The feed's pages (the stream store also reads the newest id once, with limit=1).
    const pages = () => calls.filter((call) => call.url.startsWith('/api/events?limit=100'));
    expect(pages()).toHaveLength(1);

    const list = screen.getByRole('list', { name: 'Events, newest first' });
    list.scrollTop = 100 * ROW_HEIGHT - VIEWPORT;
    fireEvent.scroll(list);
    expect(await screen.findByText(/200 events/)).toBeTruthy();
    expect(pages()[1]?.url).toContain('cursor=page-2');
  });
});
