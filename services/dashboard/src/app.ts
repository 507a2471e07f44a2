import type { Express } from 'express';
import { handleHealthRequest, type HealthRoutesOptions } from '@atc/platform';

/** Health on the public port too, so a load balancer can probe it. */
export function mountHealthRoutes(app: Express, health: HealthRoutesOptions): void {
  // Every method reaches the shared handler, which answers 405 with `Allow` to anything but GET/HEAD.
  app.all(['/health', '/health/ready'], (req, res, next) => {
    handleHealthRequest(req, res, health).then(
      (handled) => (handled ? undefined : next()),
      (error: unknown) => next(error),
    );
  });
}
