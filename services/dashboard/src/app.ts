import express, { type Express } from 'express';
import { handleHealthRequest, type HealthRoutesOptions, type Logger } from '@atc/platform';

export interface DashboardAppOptions {
  readonly health: HealthRoutesOptions;
  readonly logger: Logger;
}

/** The dashboard's HTTP application: health on the public port too, so a load balancer can probe it. */
export function createDashboardApp(options: DashboardAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Every method reaches the shared handler, which answers 405 with `Allow` to anything but GET/HEAD.
  app.all(['/health', '/health/ready'], (req, res, next) => {
    handleHealthRequest(req, res, options.health).then(
      (handled) => (handled ? undefined : next()),
      (error: unknown) => next(error),
    );
  });
  return app;
}
