import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEventSource, streamEvent } from '../../testing/fake-event-source';
import { problem } from '../../testing/fake-fetch';
import { callsTo, inTurn, renderView } from '../live/testing/render-view';

function agent(name: string, role: string, voice: string) {
  return {
    agent: name,
    role,
    directive: `${name}'s directive`,
    voice,
    color: '#4A90E2',
    preferredPartners: [],
    figures: {
      memories: 2,
      promotedMemories: 1,
      proposals: 3,
      approvedProposals: 1,
      conversations: 4,
      averageAffinity: '0.58',
      lastProposalAt: null,
    },
  };
}

const AGENTS = {
  items: [
    agent('atlas', 'Strategy / coordinator', 'direct, data-driven'),
    agent('sage', 'Risk manager', 'cautious, skeptical'),
  ],
};
const RELATIONSHIPS = {
  items: [
    {
      agentA: 'atlas',
      agentB: 'sage',
      affinity: '0.80',
      totalInteractions: 5,
      drift: [],
      lastInteractionAt: null,
    },
    {
      agentA: 'intel',
      agentB: 'scout',
      affinity: '0.35',
      totalInteractions: 0,
      drift: [],
      lastInteractionAt: null,
    },
  ],
};
const CONVERSATION_ID = '3c1d0e55-0000-4000-8000-000000000001';
const SUMMARY = {
  id: CONVERSATION_ID,
  format: 'morning_standup',
  topic: 'Morning standup',
  participants: ['atlas', 'sage'],
  status: 'succeeded',
  proposalId: null,
  scheduledFor: '2026-12-07T09:00:00.000Z',
  finishedAt: '2026-12-07T09:05:00.000Z',
  createdAt: '2026-12-07T09:00:00.000Z',
};
const CONVERSATIONS = { items: [SUMMARY], nextCursor: null };
const EMPTY = { items: [], nextCursor: null };
const MEMORY = {
  id: '9d9d9d9d-0000-4000-8000-000000000001',
  agent: 'atlas',
  type: 'lesson',
  content: 'Momentum fades after the open',
  confidence: '0.70',
  tags: [],
  promoted: true,
  upvotes: 1,
  downvotes: 0,
  createdAt: '2026-12-07T10:00:00.000Z',
};

function routes(overrides: Record<string, unknown> = {}) {
  return {
    'GET /api/agents': { body: AGENTS },
    'GET /api/relationships': { body: RELATIONSHIPS },
    'GET /api/conversations': { body: CONVERSATIONS },
    'GET /api/agents/atlas/memories': { body: { items: [MEMORY], nextCursor: null } },
    'GET /api/agents/sage/memories': { body: EMPTY },
    ...overrides,
  } as Parameters<typeof renderView>[2];
}

beforeEach(() => {
  sessionStorage.clear();
  FakeEventSource.reset();
});

describe('Agents view', () => {
  it('shows a loading state, then each agent with role and voice', async () => {
    renderView('/agents', 'viewer', routes());
    expect(screen.getByText(/Loading/)).not.toBeNull();
    const atlas = await screen.findByRole('article', { name: 'atlas' });
    expect(atlas.textContent).toContain('Strategy / coordinator');
    expect(atlas.textContent).toContain('Voice: direct, data-driven');
    expect(screen.getByRole('article', { name: 'sage' }).textContent).toContain('Risk manager');
  });

  it('draws the affinities as a symmetric matrix', async () => {
    renderView('/agents', 'viewer', routes());
    const matrix = await screen.findByRole('table', { name: 'Affinity between agents' });
    const cell = (row: string, column: string) => {
      const tr = within(matrix).getByRole('rowheader', { name: row }).closest('tr');
      if (!tr) throw new Error(`no row for ${row}`);
      const cells = within(tr).getAllByRole('cell');
      const columns = ['atlas', 'sage', 'scout', 'growth', 'intel', 'observer'];
      return cells[columns.indexOf(column)]!;
    };
    // The value is the cell's text; where it sits on the scale is said to screen readers too.
    expect(cell('atlas', 'sage').textContent).toBe('0.80 drawn, 3 of 3');
    expect(cell('sage', 'atlas').textContent).toBe('0.80 drawn, 3 of 3');
    expect(cell('scout', 'intel').textContent).toBe('0.35 averse, 1 of 3');
    expect(cell('atlas', 'atlas').textContent).toBe('—');
    expect(cell('atlas', 'growth').textContent).toBe('—');
  });

  it('colours each affinity on a diverging scale around 0.5, with a legend of the scale', async () => {
    renderView('/agents', 'viewer', routes());
    const matrix = await screen.findByRole('table', { name: 'Affinity between agents' });
    const classOf = (value: string) => within(matrix).getAllByText(value)[0]!.closest('td')!.className;
    expect(classOf('0.80')).toBe('affinity-high-3');
    expect(classOf('0.35')).toBe('affinity-low-1');
    const legend = screen.getByRole('list', { name: 'Affinity scale' });
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map((item) => [item.textContent, item.querySelector('.affinity-swatch')?.className]),
    ).toEqual([
      ['≤ 0.20 averse', 'affinity-swatch affinity-low-3'],
      ['0.21–0.30', 'affinity-swatch affinity-low-2'],
      ['0.31–0.40', 'affinity-swatch affinity-low-1'],
      ['0.41–0.59 neutral', 'affinity-swatch affinity-neutral'],
      ['0.60–0.69', 'affinity-swatch affinity-high-1'],
      ['0.70–0.79', 'affinity-swatch affinity-high-2'],
      ['≥ 0.80 drawn', 'affinity-swatch affinity-high-3'],
    ]);
  });

  it('lists the chosen agent’s memories, and says when there are none', async () => {
    const user = userEvent.setup();
    renderView('/agents', 'viewer', routes());
    const memories = await screen.findByRole('list', { name: 'Memories of atlas' });
    expect(memories.textContent).toContain('Momentum fades after the open');
    await user.selectOptions(screen.getByLabelText('Agent'), 'sage');
    expect(await screen.findByText('sage remembers nothing yet.')).not.toBeNull();
  });

  it('opens a conversation’s transcript', async () => {
    const user = userEvent.setup();
    renderView(
      '/agents',
      'viewer',
      routes({
        [`GET /api/conversations/${CONVERSATION_ID}`]: {
          body: {
            ...SUMMARY,
            stepId: null,
            transcript: [
              { turn: 1, agent: 'atlas', stance: 'bullish', line: 'SOL holds its breakout.' },
              { turn: 2, agent: 'sage', stance: 'cautious', line: 'Size it small, stop at 180.' },
            ],
            outcome: { consensus: 'proceed', summary: 'Proceed with a small size.' },
            lastError: null,
            startedAt: '2026-12-07T09:00:00.000Z',
          },
        },
      }),
    );
    await user.click(await screen.findByRole('button', { name: 'Morning standup' }));
    const transcript = await screen.findByRole('list', { name: 'Transcript' });
    expect(
      within(transcript)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['atlas (bullish): SOL holds its breakout.', 'sage (cautious): Size it small, stop at 180.']);
    expect(screen.getByText('Outcome: Proceed with a small size.')).not.toBeNull();
  });

  it('says so when no conversation and no relationship exist yet', async () => {
    renderView(
      '/agents',
      'viewer',
      routes({
        'GET /api/conversations': { body: EMPTY },
        'GET /api/relationships': { body: { items: [] } },
      }),
    );
    expect(await screen.findByText('No roundtable conversation yet.')).not.toBeNull();
    expect(screen.getByText('No relationship is recorded yet.')).not.toBeNull();
  });

  it('shows the API problem with a Retry that reads again', async () => {
    const { calls } = renderView(
      '/agents',
      'viewer',
      routes({
        'GET /api/relationships': inTurn(problem(503, 'Service Unavailable', 'the server is draining'), {
          body: RELATIONSHIPS,
        }),
      }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('the server is draining');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('table', { name: 'Affinity between agents' })).not.toBeNull();
    expect(callsTo(calls, 'GET /api/relationships')).toHaveLength(2);
  });

  it('reads the conversations again when the stream says one finished', async () => {
    renderView(
      '/agents',
      'viewer',
      routes({ 'GET /api/conversations': inTurn({ body: EMPTY }, { body: CONVERSATIONS }) }),
    );
    expect(await screen.findByText('No roundtable conversation yet.')).not.toBeNull();
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    act(() => {
      FakeEventSource.latest().open();
      FakeEventSource.latest().emit(
        'conversation_finished',
        '12',
        streamEvent('12', 'conversation_finished', {
          payload: {
            conversationId: CONVERSATION_ID,
            stepId: null,
            format: 'morning_standup',
            participants: ['atlas', 'sage'],
            consensus: 'proceed',
            summary: 'ok',
          },
        }),
      );
    });
    expect(await screen.findByRole('button', { name: 'Morning standup' })).not.toBeNull();
  });
});
