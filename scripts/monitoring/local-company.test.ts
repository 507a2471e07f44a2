import { chooseCompanyPorts, parseAdminUrls } from './local-company';

describe('parseAdminUrls', () => {
  it("reads each role's admin port from the table atc up prints", () => {
    // As `atc up` prints it (services/atc/src/commands/up.command.ts), roles and their admin URLs.
    const output = [
      'atc is up:',
      '  dashboard               http://localhost:45080',
      '  heartbeat               a run every HEARTBEAT_INTERVAL_SECONDS (default 30)',
      '  dashboard admin         http://localhost:45100/metrics',
      '  sim admin               http://localhost:45101/metrics',
      '  worker-crypto admin     http://localhost:45102/metrics',
      '  worker-roundtable admin http://localhost:45105/metrics',
      '  heartbeat admin         http://localhost:45106/metrics',
      '{"level":40,"msg":"dashboard admin http://localhost:1/metrics"}',
      '  postgresql              postgres://[redacted]@127.0.0.1:45329/atc (embedded, data in .atc/pg)',
    ];
    expect(parseAdminUrls(output)).toEqual([
      { role: 'dashboard', port: 45100 },
      { role: 'sim', port: 45101 },
      { role: 'worker-crypto', port: 45102 },
      { role: 'worker-roundtable', port: 45105 },
      { role: 'heartbeat', port: 45106 },
    ]);
  });
});

describe('chooseCompanyPorts', () => {
  it('picks distinct ports, none inside the admin range', async () => {
    const ports = await chooseCompanyPorts();
    const others = [ports.postgres, ports.dashboard, ports.simulator];
    expect(new Set(others).size).toBe(3);
    for (const port of others) expect(port < ports.adminBase || port >= ports.adminBase + 16).toBe(true);
  });
});
