import { systemClock } from '@atc/contracts';
import { processEnvironment, type Logger } from '@atc/platform';
import { reconcile } from '@atc/trading';
import {
  createMarketVenues,
  createVenueClients,
  loadVenuesConfig,
  PostgresSignatureStore,
} from '@atc/venues';
import type { CliConfig } from '../cli.config';
import { openCommandPool } from '../command-pool';
import { localCompanyEnvironment } from '../local-state';
import { formatTable, writeJson, writeLine } from '../output';

/**
 * `atc reconcile`: brings every step waiting in `needs_reconciliation`, and every order still working,
 * to the venues' truth, and reports position drift. The heartbeat runs the same function every run;
 * this is the operator's way to run it now. Exit 0 when nothing is left unknown, 3 otherwise.
 */
export async function runReconcile(
  options: { json: boolean },
  config: CliConfig,
  logger: Logger,
): Promise<number> {
  const pool = await openCommandPool(config, logger, 'atc-reconcile');
  // The venues of the running local company when this command works on it (see localCompanyEnvironment).
  const venuesConfig = loadVenuesConfig(localCompanyEnvironment(config.home, processEnvironment()));
  const clients = createVenueClients({ config: venuesConfig, logger });
  try {
    const venues = createMarketVenues(clients, { signatureStore: new PostgresSignatureStore(pool), logger });
    const report = await reconcile({
      clock: systemClock,
      pool,
      venues,
      actor: 'operator:atc-reconcile',
      logger,
    });
    if (options.json) writeJson(report);
    else {
      writeLine(
        formatTable([
          {
            examined: report.examined,
            succeeded: report.succeeded,
            failed: report.failed,
            stillUnknown: report.stillUnknown,
            oldestUnknownSeconds: Math.round(report.oldestUnknownSeconds),
            workingOrdersUpdated: report.workingOrdersUpdated,
          },
        ]),
      );
      writeLine(
        report.drift.length
          ? `\nposition drift:\n${formatTable(report.drift.map((d) => ({ ...d })))}`
          : '\nno position drift',
      );
    }
    return report.stillUnknown > 0 ? 3 : 0;
  } finally {
    clients.shutdown();
    await pool.end();
  }
}
