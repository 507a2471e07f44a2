/**
 * The Kubernetes API, narrowed to what the kill switch does with it: list the labelled Deployments
 * and CronJobs of one namespace, annotate a Deployment, scale it through its `scale` subresource,
 * and patch a CronJob. Nothing else is called — the chart's Role (kill-switch-rbac.yaml) grants
 * exactly these requests, and a test checks the two against each other.
 *
 * `@kubernetes/client-node` is loaded on first use: it is large (close to a second at start), and
 * only a scale-down needs it. Every request carries a timeout and a JSON merge patch body.
 * @module
 */
import type * as KubeClientNode from '@kubernetes/client-node';
import { AtcError } from '../errors';
import { kubeConnectionOf, type KubeConnection, type KubernetesConfig } from './kube.config';

export interface DeploymentState {
  readonly name: string;
  readonly replicas: number;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface CronJobState {
  readonly name: string;
  readonly suspend: boolean;
  readonly annotations: Readonly<Record<string, string>>;
}

/** An annotation to set, or `null` to remove it (JSON merge patch semantics). */
export type AnnotationPatch = Readonly<Record<string, string | null>>;

/** The requests the kill switch makes, bound to one namespace. */
export interface KubeWorkloadsClient {
  readonly namespace: string;
  listDeployments(labelSelector: string): Promise<readonly DeploymentState[]>;
  listCronJobs(labelSelector: string): Promise<readonly CronJobState[]>;
  annotateDeployment(name: string, annotations: AnnotationPatch): Promise<void>;
  /** Through the `deployments/scale` subresource, as `kubectl scale` does. */
  scaleDeployment(name: string, replicas: number): Promise<void>;
  patchCronJob(
    name: string,
    patch: { readonly annotations: AnnotationPatch; readonly suspend: boolean },
  ): Promise<void>;
}

/** A request the API refused or that did not complete; `status` is the HTTP status when there was one. */
export class KubeApiError extends AtcError {
  readonly code = 'kubernetes_api_error';
  constructor(
    message: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, { ...options, details: { status: status ?? null } });
  }
}

/** The API's own explanation (a `Status` object's message) when the body carries one. */
function statusMessage(body: unknown): string | undefined {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : undefined;
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) {
      return typeof parsed.message === 'string' ? parsed.message : undefined;
    }
  } catch {
    // Not JSON (a proxy's HTML page): the first line says enough.
  }
  return text.split('\n')[0]?.slice(0, 200) || undefined;
}

/** One line for the operator and the audit log: what was asked, the status, the API's reason. */
function toKubeApiError(what: string, error: unknown, timeoutMs: number): KubeApiError {
  if (typeof error === 'object' && error !== null) {
    const code = 'code' in error && typeof error.code === 'number' ? error.code : undefined;
    if (code !== undefined) {
      const reason = 'body' in error ? statusMessage(error.body) : undefined;
      return new KubeApiError(`${what}: HTTP ${code}${reason ? ` ${reason}` : ''}`, code, { cause: error });
    }
    if ('name' in error && error.name === 'AbortError') {
      return new KubeApiError(`${what}: no answer within ${timeoutMs} ms`, undefined, { cause: error });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new KubeApiError(`${what}: ${message}`, undefined, { cause: error });
}

type ClientModule = typeof KubeClientNode;

function loadKubeConfig(k8s: ClientModule, connection: KubeConnection): KubeClientNode.KubeConfig {
  const config = new k8s.KubeConfig();
  if (connection.kind === 'in-cluster') {
    config.loadFromCluster();
    return config;
  }
  const [first, ...others] = connection.files;
  config.loadFromFile(first!);
  for (const file of others) {
    const more = new k8s.KubeConfig();
    more.loadFromFile(file);
    config.mergeConfig(more);
  }
  return config;
}

/** The namespace asked for, else the context's (in a pod: the ServiceAccount's), else `default` as kubectl. */
function namespaceOf(config: KubeClientNode.KubeConfig, connection: KubeConnection): string {
  if (connection.namespace) return connection.namespace;
  const context = config.getContextObject(config.getCurrentContext());
  return context?.namespace?.trim() || 'default';
}

/** Adds the request timeout and, on a PATCH, the merge-patch media type the calls below write. */
function requestOptions(k8s: ClientModule, timeoutMs: number): KubeClientNode.ConfigurationOptions {
  const middleware: KubeClientNode.ObservableMiddleware = {
    pre(context) {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      if (context.getHttpMethod() === k8s.HttpMethod.PATCH) {
        context.setHeaderParam('Content-Type', k8s.PatchStrategy.MergePatch);
      }
      return new k8s.Observable(Promise.resolve(context));
    },
    post: (context) => new k8s.Observable(Promise.resolve(context)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

export interface KubeClientOptions {
  readonly connection: KubeConnection;
  readonly requestTimeoutMs: number;
}

/**
 * Builds the client. Throws a KubeApiError when the configuration cannot be loaded (an unreadable
 * kubeconfig, a context without a cluster), so a caller reports it like any API failure.
 */
export async function createKubeWorkloadsClient(options: KubeClientOptions): Promise<KubeWorkloadsClient> {
  try {
    const k8s = await import('@kubernetes/client-node');
    const config = loadKubeConfig(k8s, options.connection);
    return workloadsClient({
      k8s,
      apps: config.makeApiClient(k8s.AppsV1Api),
      batch: config.makeApiClient(k8s.BatchV1Api),
      namespace: namespaceOf(config, options.connection),
      timeoutMs: options.requestTimeoutMs,
    });
  } catch (error) {
    throw toKubeApiError('loading the Kubernetes configuration', error, options.requestTimeoutMs);
  }
}

/** The five requests over the generated API clients, each with its timeout and a one-line error. */
function workloadsClient(parts: {
  readonly k8s: ClientModule;
  readonly apps: KubeClientNode.AppsV1Api;
  readonly batch: KubeClientNode.BatchV1Api;
  readonly namespace: string;
  readonly timeoutMs: number;
}): KubeWorkloadsClient {
  const { k8s, apps, batch, namespace, timeoutMs } = parts;
  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw toKubeApiError(what, error, timeoutMs);
    }
  };
  const perRequest = () => requestOptions(k8s, timeoutMs);
  return {
    namespace,
    async listDeployments(labelSelector) {
      const list = await call(`list deployments in ${namespace}`, () =>
        apps.listNamespacedDeployment({ namespace, labelSelector }, perRequest()),
      );
      return list.items.map((item) => ({
        name: item.metadata?.name ?? '',
        // An unset spec.replicas means 1 (the API's default).
        replicas: item.spec?.replicas ?? 1,
        annotations: item.metadata?.annotations ?? {},
      }));
    },
    async listCronJobs(labelSelector) {
      const list = await call(`list cronjobs in ${namespace}`, () =>
        batch.listNamespacedCronJob({ namespace, labelSelector }, perRequest()),
      );
      return list.items.map((item) => ({
        name: item.metadata?.name ?? '',
        suspend: item.spec?.suspend ?? false,
        annotations: item.metadata?.annotations ?? {},
      }));
    },
    async annotateDeployment(name, annotations) {
      const body = { metadata: { annotations } };
      await call(`patch deployment ${name}`, () =>
        apps.patchNamespacedDeployment({ name, namespace, body }, perRequest()),
      );
    },
    async scaleDeployment(name, replicas) {
      const body = { spec: { replicas } };
      await call(`scale deployment ${name} to ${replicas}`, () =>
        apps.patchNamespacedDeploymentScale({ name, namespace, body }, perRequest()),
      );
    },
    async patchCronJob(name, patch) {
      const body = { metadata: { annotations: patch.annotations }, spec: { suspend: patch.suspend } };
      await call(`patch cronjob ${name}`, () =>
        batch.patchNamespacedCronJob({ name, namespace, body }, perRequest()),
      );
    },
  };
}

/**
 * The kill switch's way into the cluster from the parsed environment: the selector, and a connector
 * that picks in-cluster or kubeconfig when called (so a missing configuration is a reported failure
 * after the halt, not a refusal before it).
 */
export function kubeWorkloadsAccess(config: KubernetesConfig): {
  readonly selector: string;
  connect(): Promise<KubeWorkloadsClient>;
} {
  return {
    selector: config.K8S_KILL_SWITCH_SELECTOR,
    connect: async () =>
      createKubeWorkloadsClient({
        connection: kubeConnectionOf(config),
        requestTimeoutMs: config.K8S_REQUEST_TIMEOUT_MS,
      }),
  };
}
