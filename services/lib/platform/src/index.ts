/**
 * @atc/platform's public surface: what other packages use, by name. The rest is private to the library.
 * @module
 */
export {
  AtcError,
  AuthenticationError,
  ConfigError,
  ConflictError,
  errorMessage,
  httpStatusFor,
  InputError,
  NotAllowedError,
  NotFoundError,
  PermanentError,
  sqlState,
  UnavailableError,
} from './errors';
export {
  baseEnvironment,
  booleanFlag,
  databaseEnvironment,
  type Environment,
  httpUrl,
  integer,
  loadConfig,
  port,
  postgresUrl,
  processEnvironment,
  readEnv,
  sessionDatabaseUrl,
} from './config';
export { createLogger, type Logger, redactUrlCredentials, silentLogger } from './logger';
export { Counter, createMetricsRegistry, Gauge, Histogram, METRIC_PREFIX, Registry } from './metrics';
export {
  databaseCheck,
  handleHealthRequest,
  type HealthRoutesOptions,
  migrationsCheck,
  type ReadinessCheck,
  registerRoleReadyMetric,
  runReadinessChecks,
  startAdminServer,
} from './admin-server';
export { installShutdown } from './shutdown';
export { bootRole, roleEnvironment } from './role-runtime';
export { ATC_VERSION } from './version';
export {
  activeTraceparent,
  contextOfTraceparent,
  type SpanOptions,
  tracingActive,
  withSpan,
} from './tracing/trace-context';
export { shutdownTracing } from './tracing/start-tracing';
export { tracingEnvironment } from './tracing/tracing.config';
export {
  checkDatabaseConnection,
  closePool,
  createPool,
  handlePoolErrors,
  type Pool,
  type PoolClient,
  type Queryable,
  queryOne,
  queryRows,
  withDatabaseRetry,
  withTransaction,
} from './db/pool';
export { findMigrationsDirectory, Migrator } from './db/migrations';
export { type ScratchDatabase, startScratchDatabase } from './db/scratch-database';
export { waitForSchema } from './db/wait-for-schema';
export {
  checkRoleNames,
  databaseRolesSql,
  databaseRolesStatements,
  DEFAULT_DATABASE_ROLES,
  passwordStatements,
  scramVerifier,
  type DatabaseRoleNames,
} from './db/database-roles';
export { loadFunctionFiles, type FunctionFile, type FunctionStatus } from './db/repeatable-functions';
export { describeSchemaDifference, dumpSchema } from './db/schema-dump';
export {
  findFreePort,
  findFreePortRange,
  handToServerUser,
  type LocalPostgres,
  makeScratchDirectory,
  startLocalPostgres,
  withDatabase,
} from './db/local-postgres';
export {
  BreakerOpenError,
  createResilientHttp,
  createVenueBreaker,
  DEFAULT_RETRY_POLICY,
  HttpStatusError,
  OutcomeUnknownError,
  realSleep,
  type ResilientHttp,
  type Sleep,
  VenueBreaker,
  venueMetrics,
  VenueResponseError,
} from './resilience';
export {
  type AnnotationPatch,
  type CronJobState,
  createKubeWorkloadsClient,
  type DeploymentState,
  KubeApiError,
  type KubeClientOptions,
  type KubeWorkloadsClient,
  kubeWorkloadsAccess,
} from './kubernetes/kube.client';
export {
  DEFAULT_KILL_SWITCH_SELECTOR,
  type KubeConnection,
  kubeConnectionOf,
  type KubernetesConfig,
  kubernetesEnvironment,
  SERVICE_ACCOUNT_DIRECTORY,
} from './kubernetes/kube.config';
