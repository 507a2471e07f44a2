/**
 * Where the Kubernetes API is and which namespace to work in: the environment keys of every process
 * that may call the API (the `atc` CLI, the dashboard) and the rules that turn them into a
 * connection. In a pod (KUBERNETES_SERVICE_HOST set by the kubelet) the ServiceAccount's token and CA;
 * elsewhere the kubeconfig (KUBECONFIG, else ~/.kube/config).
 * @module
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { integer } from '../config';

/** The label selector of what the kill switch scales down when none is configured. */
export const DEFAULT_KILL_SWITCH_SELECTOR = 'atc.trading/kill-switch=scale-down';

/** Mounted into a pod when its ServiceAccount token is automounted (the chart does it only for the kill switch). */
export const SERVICE_ACCOUNT_DIRECTORY = '/var/run/secrets/kubernetes.io/serviceaccount';

export const kubernetesEnvironment = {
  /** The namespace of the workloads; the chart sets it from the pod's own (fieldRef metadata.namespace). */
  K8S_NAMESPACE: z.string().min(1).optional(),
  /** Which Deployments and CronJobs `--scale-down` touches; the chart adds its release's instance label. */
  K8S_KILL_SWITCH_SELECTOR: z.string().min(1).default(DEFAULT_KILL_SWITCH_SELECTOR),
  /** Each Kubernetes API request is aborted after this long. */
  K8S_REQUEST_TIMEOUT_MS: integer(100, 300_000).default(10_000),
  /** Colon-separated kubeconfig files, as for kubectl; ignored inside a pod. */
  KUBECONFIG: z.string().min(1).optional(),
  /** Set by the kubelet in every pod: use the in-cluster ServiceAccount. */
  KUBERNETES_SERVICE_HOST: z.string().min(1).optional(),
} as const;

export type KubernetesConfig = z.infer<z.ZodObject<typeof kubernetesEnvironment>>;

/** How to reach the API: a pod's ServiceAccount or kubeconfig files, and the namespace asked for. */
export type KubeConnection =
  | { readonly kind: 'in-cluster'; readonly namespace: string | undefined }
  | {
      readonly kind: 'kubeconfig';
      readonly files: readonly string[];
      readonly namespace: string | undefined;
    };

/**
 * Chooses the connection from the parsed keys. Throws a ConfigError that says what is missing: a pod
 * without a mounted token (the chart's `killSwitch.scaleDown.enabled=false`), or no kubeconfig.
 */
export function kubeConnectionOf(
  config: KubernetesConfig,
  options: { readonly serviceAccountDirectory?: string; readonly home?: string } = {},
): KubeConnection {
  const namespace = config.K8S_NAMESPACE;
  if (config.KUBERNETES_SERVICE_HOST) {
    const directory = options.serviceAccountDirectory ?? SERVICE_ACCOUNT_DIRECTORY;
    if (!existsSync(path.join(directory, 'token'))) {
      throw new ConfigError([
        `Kubernetes: no ServiceAccount token in ${directory} (the chart mounts one only when killSwitch.scaleDown.enabled=true)`,
      ]);
    }
    return { kind: 'in-cluster', namespace };
  }
  const files = (config.KUBECONFIG ?? '').split(path.delimiter).filter((file) => file !== '');
  if (files.length > 0) return { kind: 'kubeconfig', files, namespace };
  const fallback = path.join(options.home ?? homedir(), '.kube', 'config');
  if (existsSync(fallback)) return { kind: 'kubeconfig', files: [fallback], namespace };
  throw new ConfigError([
    'KUBECONFIG: is required outside a pod (no KUBERNETES_SERVICE_HOST and no ~/.kube/config)',
  ]);
}
