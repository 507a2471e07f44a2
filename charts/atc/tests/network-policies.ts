/**
 * Evaluates rendered NetworkPolicies the way Kubernetes does, to ask whether one pod may open a
 * connection to another pod (or to an outside address) on a port: egress must be allowed by the
 * source's policies and ingress by the destination's (a pod no policy selects for a direction is
 * open in that direction; once selected, only what some rule allows passes). Selectors with
 * matchLabels and matchExpressions, namespace selectors on `kubernetes.io/metadata.name`, named
 * ports (resolved on the destination pod), endPort and IPv4 ipBlocks with `except`. Rendered policies
 * without a namespace are in the release's (NAMESPACE).
 *
 * @module
 */
import { NAMESPACE, type KubeObject } from './render';

export interface Pod {
  namespace: string;
  labels: Record<string, string>;
  /** The destination's named container ports (`admin` → 9090). */
  ports?: Record<string, number>;
}

/** A connection's far end: a pod, or an address outside the cluster. */
export type Peer = Pod | { ip: string };

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface PolicyPeer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}
interface PolicySpec {
  podSelector: Selector;
  policyTypes?: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

/** Whether a label selector matches labels ({} matches everything). */
export function matches(selector: Selector, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in labels && values.includes(labels[key]!);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]!);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabel && byExpression;
}

function ipv4(address: string): number {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    throw new Error(`not an IPv4 address: ${address}`);
  }
  return parts.reduce((value, part) => value * 256 + part, 0);
}

/** Whether an IPv4 address is inside a CIDR block. */
export function inCidr(address: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(address) / size) === Math.floor(ipv4(base) / size);
}

const isPod = (peer: Peer): peer is Pod => 'labels' in peer;
const namespaceLabels = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

/** Whether a rule's peer (in a policy of `policyNamespace`) is `peer`. */
function peerMatches(rulePeer: PolicyPeer, peer: Peer, policyNamespace: string): boolean {
  if (rulePeer.ipBlock) {
    if (isPod(peer)) return false;
    const { cidr, except = [] } = rulePeer.ipBlock;
    return inCidr(peer.ip, cidr) && !except.some((block) => inCidr(peer.ip, block));
  }
  if (!isPod(peer)) return false;
  const inNamespace = rulePeer.namespaceSelector
    ? matches(rulePeer.namespaceSelector, namespaceLabels(peer.namespace))
    : peer.namespace === policyNamespace;
  return inNamespace && matches(rulePeer.podSelector ?? {}, peer.labels);
}

function portMatches(rulePorts: PolicyPort[] | undefined, port: number, destination: Peer): boolean {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((rulePort) => {
    if ((rulePort.protocol ?? 'TCP') !== 'TCP') return false;
    if (rulePort.port === undefined) return true;
    const number =
      typeof rulePort.port === 'number'
        ? rulePort.port
        : isPod(destination)
          ? destination.ports?.[rulePort.port]
          : undefined;
    if (number === undefined) return false;
    return port >= number && port <= (rulePort.endPort ?? number);
  });
}

/** Whether `direction` traffic of `pod` with `other` on `port` passes the policies selecting `pod`. */
function passes(
  objects: KubeObject[],
  direction: 'Ingress' | 'Egress',
  pod: Pod,
  other: Peer,
  port: number,
  destination: Peer,
): boolean {
  const policies = objects.filter((object) => {
    if (object.kind !== 'NetworkPolicy') return false;
    const spec = object.spec as PolicySpec;
    // Without policyTypes a policy restricts ingress, and egress too when it has egress rules.
    const types = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    const namespace = object.metadata.namespace ?? NAMESPACE;
    return namespace === pod.namespace && types.includes(direction) && matches(spec.podSelector, pod.labels);
  });
  if (policies.length === 0) return true;
  return policies.some((policy) => {
    const spec = policy.spec as PolicySpec;
    const rules = (direction === 'Ingress' ? spec.ingress : spec.egress) ?? [];
    return rules.some((rule) => {
      const peers = direction === 'Ingress' ? rule.from : rule.to;
      const peerOk =
        !peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, other, pod.namespace));
      return peerOk && portMatches(rule.ports, port, destination);
    });
  });
}

/** Whether `source` may open a TCP connection to `destination` on `port` under the rendered policies. */
export function allowed(objects: KubeObject[], source: Pod, destination: Peer, port: number): boolean {
  const egress = passes(objects, 'Egress', source, destination, port, destination);
  const ingress = !isPod(destination) || passes(objects, 'Ingress', destination, source, port, destination);
  return egress && ingress;
}
