import { boardColumns, type Mission } from './mission-board';

const mission = (id: string, status: Mission['status']): Mission => ({
  id,
  proposalId: '00000000-0000-4000-8000-000000000000',
  title: `mission ${id}`,
  status,
  markets: ['crypto'],
  createdAt: '2031-01-01T00:00:00.000Z',
  updatedAt: '2031-01-01T00:00:00.000Z',
  finishedAt: null,
});

describe('boardColumns', () => {
  it('has a column per status in the order work moves, each keeping the API order', () => {
    const columns = boardColumns([
      mission('a', 'running'),
      mission('b', 'queued'),
      mission('c', 'running'),
      mission('d', 'failed'),
    ]);
    expect(columns.map((column) => column.status)).toEqual([
      'queued',
      'running',
      'succeeded',
      'failed',
      'cancelled',
    ]);
    expect(columns.map((column) => column.missions.map((m) => m.id))).toEqual([
      ['b'],
      ['a', 'c'],
      [],
      ['d'],
      [],
    ]);
  });
});
