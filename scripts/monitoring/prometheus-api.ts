/**
 * What the e2e reads from Prometheus's HTTP API (`/api/v1/alerts`, `/api/v1/targets`,
 * `/api/v1/query`), each answer parsed with a schema so a surprise is an error naming it.
 * @module
 */
import { z } from 'zod';

const alertSchema = z.object({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  state: z.enum(['inactive', 'pending', 'firing']),
  activeAt: z.string().optional(),
  value: z.string().optional(),
});
export type PrometheusAlert = z.infer<typeof alertSchema>;

const alertsAnswer = z.object({
  status: z.literal('success'),
  data: z.object({ alerts: z.array(alertSchema) }),
});

const targetSchema = z.object({
  labels: z.record(z.string(), z.string()),
  health: z.enum(['up', 'down', 'unknown']),
  lastError: z.string().default(''),
  scrapeUrl: z.string(),
});
export type PrometheusTarget = z.infer<typeof targetSchema>;

const targetsAnswer = z.object({
  status: z.literal('success'),
  data: z.object({ activeTargets: z.array(targetSchema) }),
});

const sampleSchema = z.object({
  metric: z.record(z.string(), z.string()),
  value: z.tuple([z.number(), z.string()]),
});
export type VectorSample = z.infer<typeof sampleSchema>;

const queryAnswer = z.object({
  status: z.literal('success'),
  data: z.object({ resultType: z.literal('vector'), result: z.array(sampleSchema) }),
});

/** An alert's state as `/api/v1/alerts` reports it: an alert not listed is inactive. */
export type AlertState = PrometheusAlert['state'];

/**
 * The state of alert `name` among `alerts`, for the instance whose labels include `labels`: the most
 * advanced one when several match (firing over pending over inactive).
 */
export function alertState(
  alerts: readonly PrometheusAlert[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): AlertState {
  const matching = alerts.filter(
    (alert) =>
      alert.labels.alertname === name &&
      Object.entries(labels).every(([key, value]) => alert.labels[key] === value),
  );
  if (matching.some((alert) => alert.state === 'firing')) return 'firing';
  if (matching.some((alert) => alert.state === 'pending')) return 'pending';
  return 'inactive';
}

/** A short, readable rendering of an answer for a failure report. */
export function describeAlerts(alerts: readonly PrometheusAlert[]): string {
  if (alerts.length === 0) return 'no active alerts';
  return alerts
    .map((alert) => {
      const { alertname, ...rest } = alert.labels;
      const labels = Object.entries(rest)
        .map(([key, value]) => `${key}="${value}"`)
        .join(',');
      return `${alertname}{${labels}} ${alert.state}`;
    })
    .join('; ');
}

export class PrometheusApi {
  constructor(readonly url: string) {}

  private async get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    if (!response.ok) throw new Error(`Prometheus answered ${response.status} to ${path}: ${text}`);
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`unexpected answer from Prometheus to ${path}: ${text}`);
    return parsed.data;
  }

  async ready(): Promise<boolean> {
    const response = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  }

  async alerts(): Promise<PrometheusAlert[]> {
    return (await this.get('/api/v1/alerts', alertsAnswer)).data.alerts;
  }

  async targets(): Promise<PrometheusTarget[]> {
    return (await this.get('/api/v1/targets?state=active', targetsAnswer)).data.activeTargets;
  }

  async query(expression: string): Promise<VectorSample[]> {
    const path = `/api/v1/query?query=${encodeURIComponent(expression)}`;
    return (await this.get(path, queryAnswer)).data.result;
  }
}
