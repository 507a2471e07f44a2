/**
 * The 15 agent pairs of GET /api/relationships as a symmetric 6 × 6 matrix, rows and columns in the
 * contracts' agent order; the diagonal and a pair the API did not return are null. Each value's step on
 * a diverging scale around 0.5 colours its cell (status-views.css); the legend lists the steps.
 * @module
 */
import { type Agent, agents } from '@atc/contracts';

interface Pair {
  readonly agentA: Agent;
  readonly agentB: Agent;
  readonly affinity: string;
  readonly totalInteractions: number;
}

type AffinityMatrix = ReadonlyMap<Agent, ReadonlyMap<Agent, Pair | null>>;

function affinityMatrix(pairs: readonly Pair[]): AffinityMatrix {
  const byPair = new Map<string, Pair>();
  for (const pair of pairs) {
    byPair.set(`${pair.agentA}/${pair.agentB}`, pair);
    byPair.set(`${pair.agentB}/${pair.agentA}`, pair);
  }
  return new Map(
    agents.map((row) => [
      row,
      new Map(
        agents.map((column) => [column, row === column ? null : (byPair.get(`${row}/${column}`) ?? null)]),
      ),
    ]),
  );
}

/** Steps of the diverging scale on each side of neutral (0.5). */
const AFFINITY_STEPS = 3;
/** The width of one step of affinity. */
const STEP = 0.1;

/**
 * A cell's step on the diverging scale centred on 0.5 (neither drawn nor averse): −3 … 3, each step
 * 0.1 wide, 0 within 0.1 of the centre. On the wire affinities run 0.10–0.95.
 */
function affinityLevel(affinity: string): number {
  const distance = Number(affinity) - 0.5;
  if (!Number.isFinite(distance)) return 0;
  const steps = Math.min(AFFINITY_STEPS, Math.floor(Math.abs(distance) / STEP + 1e-9));
  return steps === 0 ? 0 : Math.sign(distance) * steps;
}

/** The legend: each level, lowest first, and the affinities (two decimals, as on the wire) it covers. */
const AFFINITY_SCALE: readonly {
  readonly level: number;
  readonly range: string;
  readonly meaning: string;
}[] = [
  { level: -3, range: '≤ 0.20', meaning: 'averse' },
  { level: -2, range: '0.21–0.30', meaning: '' },
  { level: -1, range: '0.31–0.40', meaning: '' },
  { level: 0, range: '0.41–0.59', meaning: 'neutral' },
  { level: 1, range: '0.60–0.69', meaning: '' },
  { level: 2, range: '0.70–0.79', meaning: '' },
  { level: 3, range: '≥ 0.80', meaning: 'drawn' },
];

/** The CSS class of a level: `affinity-low-2`, `affinity-neutral`, `affinity-high-3`. */
function affinityClass(level: number): string {
  if (level === 0) return 'affinity-neutral';
  return `affinity-${level < 0 ? 'low' : 'high'}-${Math.abs(level)}`;
}

export { AFFINITY_SCALE, affinityClass, affinityLevel, affinityMatrix, type AffinityMatrix };
