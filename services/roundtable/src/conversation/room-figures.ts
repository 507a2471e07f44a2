/** The figures a roundtable's rule-based voices speak from, read once per attempt. */
import type { Queryable } from '@atc/platform';
import { marketFigures, operationsFigures, performanceFigures, riskFigures } from '../agent-figures';
import type { RoomFigures } from '../roundtable-voices';

export async function readRoom(db: Queryable, now: Date): Promise<RoomFigures> {
  return {
    risk: await riskFigures(db, now),
    performance: await performanceFigures(db, null, now),
    market: await marketFigures(db, null, now),
    operations: await operationsFigures(db, now),
  };
}
