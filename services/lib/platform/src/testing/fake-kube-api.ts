/**
 * A fake kube-apiserver for tests: a real local HTTP server that implements exactly the endpoints
 * the kill switch calls (list Deployments and CronJobs by label selector, merge-patch a Deployment,
 * its `scale` subresource and a CronJob), keeps the objects in memory, and records every request
 * with its RBAC verb, resource and subresource, so a test can compare them with a Role's rules.
 * Anything else answers 404 (and is recorded), so a new call the fake does not know cannot pass
 * unnoticed. Faults: a status (403, 500, …) or `hang` (never answers) for matching requests.
 * @module
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FakeDeployment {
  readonly name: string;
  replicas: number;
  readonly labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface FakeCronJob {
  readonly name: string;
  suspend: boolean;
  readonly labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** One request as RBAC sees it: `list`/`get`/`patch`/`update`, the API group, resource, subresource and name. */
export interface RecordedKubeRequest {
  readonly method: string;
  readonly path: string;
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource: string | undefined;
  readonly name: string | undefined;
  readonly namespace: string;
  readonly labelSelector: string | undefined;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export interface KubeFault {
  readonly verb?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly name?: string;
  /** The HTTP status to answer with (a Kubernetes `Status` body), or `hang` to never answer. */
  readonly reply: number | 'hang';
}

export interface FakeKubeApi {
  readonly url: string;
  readonly namespace: string;
  readonly token: string;
  readonly deployments: Map<string, FakeDeployment>;
  readonly cronJobs: Map<string, FakeCronJob>;
  readonly requests: RecordedKubeRequest[];
  /** Faults apply to every matching request until cleared. */
  readonly faults: KubeFault[];
  /** Writes a kubeconfig that points at this server (token auth, `namespace` as the context's). */
  writeKubeconfig(): string;
  close(): Promise<void>;
}

const STATUS_REASONS: Record<number, string> = {
  403: 'Forbidden',
  404: 'NotFound',
  415: 'UnsupportedMediaType',
  500: 'InternalError',
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendStatus(response: ServerResponse, code: number, message: string): void {
  const reason = STATUS_REASONS[code] ?? 'Unknown';
  sendJson(response, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code });
}

/** Equality (`k=v`, `k==v`) and existence (`k`) requirements, comma-separated: what the kill switch sends. */
function matchesSelector(labels: Record<string, string>, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((requirement) => {
    const [key = '', value] = requirement.split(/==?/);
    return value === undefined ? key.trim() in labels : labels[key.trim()] === value.trim();
  });
}

/** RFC 7386 for the annotations map: null removes a key. */
function mergeAnnotations(current: Record<string, string>, patch: unknown): Record<string, string> {
  if (typeof patch !== 'object' || patch === null) return current;
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = String(value);
  }
  return next;
}

interface Route {
  readonly apiGroup: string;
  readonly namespace: string;
  readonly resource: string;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

const PATH = /^\/apis\/(apps|batch)\/v1\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;

function routeOf(pathname: string): Route | undefined {
  const match = PATH.exec(pathname);
  if (!match) return undefined;
  const [, apiGroup = '', namespace = '', resource = '', name, subresource] = match;
  return { apiGroup, namespace, resource, name, subresource };
}

function verbOf(method: string, route: Route | undefined): string {
  if (method === 'GET') return route?.name === undefined ? 'list' : 'get';
  return { PATCH: 'patch', PUT: 'update', POST: 'create', DELETE: 'delete' }[method] ?? method.toLowerCase();
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function deploymentJson(namespace: string, deployment: FakeDeployment) {
  const { name, labels, annotations, replicas } = deployment;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels, annotations },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels } } },
  };
}

function cronJobJson(namespace: string, cronJob: FakeCronJob) {
  const { name, labels, annotations, suspend } = cronJob;
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace, labels, annotations },
    spec: {
      schedule: '*/5 * * * *',
      suspend,
      jobTemplate: { spec: { template: { spec: { containers: [] } } } },
    },
  };
}

function faultFor(faults: readonly KubeFault[], recorded: RecordedKubeRequest): KubeFault | undefined {
  return faults.find(
    (fault) =>
      (fault.verb === undefined || fault.verb === recorded.verb) &&
      (fault.resource === undefined || fault.resource === recorded.resource) &&
      (fault.subresource === undefined || fault.subresource === recorded.subresource) &&
      (fault.name === undefined || fault.name === recorded.name),
  );
}

type Store = Pick<FakeKubeApi, 'deployments' | 'cronJobs' | 'namespace'>;

/** The endpoints themselves; `undefined` when the request is none of them (answered 404). */
function handle(store: Store, recorded: RecordedKubeRequest, response: ServerResponse): boolean {
  const { verb, resource, subresource, name, apiGroup, namespace } = recorded;
  const deployment = name === undefined ? undefined : store.deployments.get(name);
  const cronJob = name === undefined ? undefined : store.cronJobs.get(name);
  const body = recorded.body as { metadata?: { annotations?: unknown }; spec?: Record<string, unknown> };
  if (namespace !== store.namespace) return false;
  if (apiGroup === 'apps' && resource === 'deployments' && verb === 'list') {
    const items = [...store.deployments.values()]
      .filter((item) => matchesSelector(item.labels, recorded.labelSelector))
      .map((item) => deploymentJson(namespace, item));
    sendJson(response, 200, { apiVersion: 'apps/v1', kind: 'DeploymentList', metadata: {}, items });
    return true;
  }
  if (apiGroup === 'batch' && resource === 'cronjobs' && verb === 'list') {
    const items = [...store.cronJobs.values()]
      .filter((item) => matchesSelector(item.labels, recorded.labelSelector))
      .map((item) => cronJobJson(namespace, item));
    sendJson(response, 200, { apiVersion: 'batch/v1', kind: 'CronJobList', metadata: {}, items });
    return true;
  }
  if (verb !== 'patch' || (deployment === undefined && cronJob === undefined)) return false;
  if (apiGroup === 'apps' && resource === 'deployments' && deployment && subresource === undefined) {
    deployment.annotations = mergeAnnotations(deployment.annotations, body?.metadata?.annotations);
    if (typeof body?.spec?.replicas === 'number') deployment.replicas = body.spec.replicas;
    sendJson(response, 200, deploymentJson(namespace, deployment));
    return true;
  }
  if (apiGroup === 'apps' && resource === 'deployments' && deployment && subresource === 'scale') {
    if (typeof body?.spec?.replicas === 'number') deployment.replicas = body.spec.replicas;
    const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace } };
    sendJson(response, 200, { ...scale, spec: { replicas: deployment.replicas }, status: { replicas: 0 } });
    return true;
  }
  if (apiGroup === 'batch' && resource === 'cronjobs' && cronJob && subresource === undefined) {
    cronJob.annotations = mergeAnnotations(cronJob.annotations, body?.metadata?.annotations);
    if (typeof body?.spec?.suspend === 'boolean') cronJob.suspend = body.spec.suspend;
    sendJson(response, 200, cronJobJson(namespace, cronJob));
    return true;
  }
  return false;
}

async function serve(api: FakeKubeApi, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const route = routeOf(url.pathname);
  const method = request.method ?? 'GET';
  const recorded: RecordedKubeRequest = {
    method,
    path: url.pathname,
    verb: verbOf(method, route),
    apiGroup: route?.apiGroup ?? '',
    resource: route?.resource ?? '',
    subresource: route?.subresource,
    name: route?.name,
    namespace: route?.namespace ?? '',
    labelSelector: url.searchParams.get('labelSelector') ?? undefined,
    contentType: request.headers['content-type'],
    authorization: request.headers.authorization,
    body: await readBody(request),
  };
  api.requests.push(recorded);
  if (recorded.authorization !== `Bearer ${api.token}`) return sendStatus(response, 401, 'Unauthorized');
  const fault = faultFor(api.faults, recorded);
  if (fault?.reply === 'hang') return; // The socket stays open until the client gives up or close().
  if (fault)
    return sendStatus(response, fault.reply, `injected ${fault.reply} for ${recorded.verb} ${recorded.path}`);
  if (method === 'PATCH' && recorded.contentType !== 'application/merge-patch+json') {
    return sendStatus(response, 415, `the fake accepts merge patches only, got ${recorded.contentType}`);
  }
  if (!handle(api, recorded, response)) sendStatus(response, 404, `${method} ${url.pathname} is not served`);
}

/** Starts the fake on a free loopback port. */
export async function startFakeKubeApi(options: { namespace?: string } = {}): Promise<FakeKubeApi> {
  const server: Server = createServer((request, response) => {
    serve(api, request, response).catch((error: unknown) => sendStatus(response, 500, String(error)));
  });
  const api: FakeKubeApi = {
    url: '',
    namespace: options.namespace ?? 'trading',
    token: 'fake-service-account-token',
    deployments: new Map(),
    cronJobs: new Map(),
    requests: [],
    faults: [],
    writeKubeconfig() {
      const directory = mkdtempSync(path.join(tmpdir(), 'atc-kubeconfig-'));
      const file = path.join(directory, 'config');
      // JSON is YAML: a kubeconfig needs no YAML library.
      const kubeconfig = {
        apiVersion: 'v1',
        kind: 'Config',
        // client-node refuses plain http unless told TLS is not verified (there is no TLS here).
        clusters: [{ name: 'fake', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'fake', user: { token: this.token } }],
        contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: this.namespace } }],
        'current-context': 'fake',
      };
      writeFileSync(file, JSON.stringify(kubeconfig));
      return file;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, { url: `http://127.0.0.1:${port}` });
}
