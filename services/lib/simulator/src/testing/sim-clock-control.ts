/**
 * Moves a running simulator's market clock by `ticks` (`POST /_sim/clock`), for tests that start the
 * simulator themselves rather than through `startHarness`.
 * @module
 */
export async function advanceSimulatorClock(simulatorUrl: string, ticks: number): Promise<void> {
  const res = await fetch(`${simulatorUrl}/_sim/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ticks }),
  });
  if (!res.ok) throw new Error(`advancing the simulator answered ${res.status}`);
}
