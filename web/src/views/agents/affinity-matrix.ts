/**
 * The 15 agent pairs of GET /api/relationships as a symmetric 6 × 6 matrix, rows and columns in the
 * contracts' agent order; the diagonal and a pair the API did not return are null.
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

/** A tone for a cell: low, middling or high affinity (0.10–0.95 on the wire). */
function affinityTone(affinity: string): 'low' | 'mid' | 'high' {
  const value = Number(affinity);
  if (value < 0.4) return 'low';
  if (value < 0.7) return 'mid';
  return 'high';
}

export { affinityMatrix, type AffinityMatrix, affinityTone };
