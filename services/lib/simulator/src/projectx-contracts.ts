/**
 * ProjectX contract ids, `CON.F.US.<symbol>.<month><yy>`, for the front quarterly contract. NQ
 * trades as ENQ and ES as EP on the gateway (ES unverified); micros keep their roots.
 * @module
 */
import { FUTURES_ROOTS, instrument } from './instruments';

const GATEWAY_SYMBOL: Readonly<Record<string, string>> = { ES: 'EP', NQ: 'ENQ', MES: 'MES', MNQ: 'MNQ' };
const QUARTER_MONTHS = [
  [3, 'H'],
  [6, 'M'],
  [9, 'U'],
  [12, 'Z'],
] as const;

/** The front quarter: the next of Mar/Jun/Sep/Dec whose third Friday is still ahead. */
export function frontMonth(nowMs: number): { code: string; year: number; month: number } {
  const now = new Date(nowMs);
  for (let year = now.getUTCFullYear(); ; year += 1) {
    for (const [month, code] of QUARTER_MONTHS) {
      const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
      const thirdFriday = Date.UTC(year, month - 1, 1 + ((5 - first + 7) % 7) + 14, 13, 30);
      if (thirdFriday > nowMs) return { code, year, month };
    }
  }
}

export interface SimContract {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tickSize: number;
  readonly tickValue: number;
  readonly activeContract: boolean;
  readonly symbolId: string;
  readonly root: string;
}

export function contracts(nowMs: number): SimContract[] {
  const front = frontMonth(nowMs);
  const yy = String(front.year % 100).padStart(2, '0');
  return FUTURES_ROOTS.map((root) => {
    const spec = instrument(root)!;
    const gateway = GATEWAY_SYMBOL[root]!;
    return {
      id: `CON.F.US.${gateway}.${front.code}${yy}`,
      name: `${root}${front.code}${yy.slice(1)}`,
      description: `${spec.description}: ${front.code}${yy}`,
      tickSize: spec.tickSize,
      tickValue: spec.tickValue,
      activeContract: true,
      symbolId: `F.US.${gateway}`,
      root,
    };
  });
}

export function contractById(nowMs: number, id: string): SimContract | undefined {
  return contracts(nowMs).find((c) => c.id === id);
}

export function contractByRoot(nowMs: number, root: string): SimContract | undefined {
  return contracts(nowMs).find((c) => c.root === root.toUpperCase());
}
