import type { ApiRole } from '@atc/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  CONTENT_HASH,
  PROPOSAL_ID,
  proposalDetailFixture,
  proposalFixture,
  ticketFixture,
} from '../../testing/api-fixtures';
import { FakeEventSource } from '../../testing/fake-event-source';
import { fakeFetch } from '../../testing/fake-fetch';
import { renderApp } from '../../testing/render-app';

function api(role: ApiRole) {
  return fakeFetch({
    'POST /api/stream-tickets': ticketFixture(role),
    'GET /api/proposals?status=awaiting_approval&limit=200': {
      body: { items: [proposalFixture()], nextCursor: null },
    },
    'GET /api/proposals?limit=50': {
      body: { items: [proposalFixture(), proposalFixture('rejected')].slice(0, 1), nextCursor: null },
    },
    [`GET /api/proposals/${PROPOSAL_ID}`]: { body: proposalDetailFixture() },
    [`POST /api/proposals/${PROPOSAL_ID}/approve`]: {
      body: {
        proposalId: PROPOSAL_ID,
        status: 'approved',
        reasonCode: null,
        reasonMessage: null,
        policyVersion: 3,
        missionId: null,
        replayed: false,
      },
    },
  });
}

beforeEach(() => {
  sessionStorage.clear();
  FakeEventSource.reset();
});

describe('Proposals view', () => {
  it('shows the awaiting proposal with its failing gate (limit and value) and its votes', async () => {
    const { fetch } = api('viewer');
    renderApp({ fetch, route: '/proposals', signedInAs: 'viewer' });
    const awaiting = await screen.findByRole('region', { name: /Awaiting approval/ });
    const card = within(awaiting).getByRole('article', { name: 'Buy SOL with 20 USDC' });
    expect((await within(card).findByText(/exceeds the crypto limit of 1000 USD/)).textContent).toContain(
      'position_size: notional 2500 USD exceeds the crypto limit of 1000 USD',
    );
    expect(within(card).getByText(/the trend holds/).textContent).toBe('sage: approve — the trend holds');
  });

  it('has no approve or reject button for a viewer', async () => {
    const { fetch } = api('viewer');
    renderApp({ fetch, route: '/proposals', signedInAs: 'viewer' });
    await screen.findByRole('article', { name: 'Buy SOL with 20 USDC' });
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
  });

  it('lets an operator approve, posting the content hash shown', async () => {
    const { fetch, calls } = api('operator');
    renderApp({ fetch, route: '/proposals', signedInAs: 'operator' });
    const approve = await screen.findByRole('button', { name: 'Approve' });
    expect(screen.getByTestId('content-hash').textContent).toBe(`${CONTENT_HASH.slice(0, 16)}…`);
    await userEvent.click(approve);

    expect((await screen.findByText(/Decided:/)).textContent).toBe('Decided: approved');
    const post = calls.find((call) => call.method === 'POST' && call.url.endsWith('/approve'));
    expect(post?.body).toEqual({ contentHash: CONTENT_HASH });
  });
});
