import { z } from 'zod';
import { port } from '@atc/platform';

/** The dashboard's own environment keys; the shared role keys (database, logging, admin) are added by bootRole. */
export const dashboardEnvironment = {
  DASHBOARD_PORT: port().default(8080),
  DASHBOARD_HOST: z.string().min(1).default('0.0.0.0'),
} as const;
