/**
 * The one source of "now" for every time-dependent path (heartbeat runs, market sessions, expiries,
 * approval and halt stamps, the simulator's start). Production passes `systemClock`; tests pass a
 * fixed or simulated instant, so no test depends on today's date.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at one instant (tests, and one heartbeat run's single instant). */
export function fixedClock(instant: Date | string | number): Clock {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) throw new TypeError(`fixedClock: not an instant: ${String(instant)}`);
  return { now: () => new Date(at.getTime()) };
}
