/**
 * Error rates: the operator API's 5xx ratio by route, authentication failures and rate limiting, the
 * workers' failed and dead steps and failed executions, venue errors, retries and 429s, the
 * exporter's errors and the live stream's dropped slow clients.
 * @module
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  alertAt,
  atcDashboard,
  fromDatabase,
  IN_SERVICE,
  row,
  statPanel,
  timeSeriesPanel,
  UNIT,
} from './panels';

export const ERROR_RATES_UID = 'atc-error-rates';

const RATE = '$__rate_interval';

/** rate() of a counter over the chosen roles, summed by `by` (nothing: one series). */
function rateOf(counter: string, matchers = '', by = ''): string {
  const all = matchers ? `${IN_SERVICE}, ${matchers}` : IN_SERVICE;
  const grouping = by ? ` by (${by})` : '';
  return `sum${grouping} (rate(${counter}{${all}}[${RATE}]))`;
}

/** increase() of a counter per interval, summed by `by`. */
function increaseOf(counter: string, by: string): string {
  return `sum by (${by}) (increase(${counter}{${IN_SERVICE}}[${RATE}]))`;
}

const FAILED_STEPS = 'outcome=~"failed|dead"';
const SERVER_ERRORS = 'status=~"5.."';

export function errorRatesDashboard(): Dashboard {
  return atcDashboard({
    uid: ERROR_RATES_UID,
    title: 'atc / Error rates',
    description:
      'HTTP 5xx, authentication and rate limiting, failed steps and executions, venue errors, exporter and SSE.',
    tags: ['errors'],
    byService: true,
  })
    .withRow(row('Overall'))
    .withPanel(
      timeSeriesPanel({
        title: 'Error ratio (HTTP 5xx + failed steps)',
        description:
          'HTTP 5xx answers plus failed and dead steps over all requests and steps. AtcErrorRateHigh fires above 1 %.',
        unit: UNIT.ratio,
        width: 24,
        queries: [
          {
            expr:
              `((${rateOf('atc_http_requests_total', SERVER_ERRORS)} or vector(0)) + (${rateOf('atc_worker_steps_total', FAILED_STEPS)} or vector(0)))` +
              ` / ` +
              `((${rateOf('atc_http_requests_total')} or vector(0)) + (${rateOf('atc_worker_steps_total')} or vector(0)))`,
            legend: 'error ratio',
          },
        ],
        thresholds: alertAt(0.01),
      }),
    )
    .withRow(row('Operator API'))
    .withPanel(
      timeSeriesPanel({
        title: 'HTTP 5xx ratio by route',
        description: 'Share of answers with a 5xx status, per route template. AtcDashboard5xx fires on it.',
        unit: UNIT.ratio,
        queries: [
          {
            expr: `${rateOf('atc_http_requests_total', SERVER_ERRORS, 'route')} / ${rateOf('atc_http_requests_total', '', 'route')}`,
            legend: '{{route}}',
          },
        ],
        thresholds: alertAt(0.01),
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Authentication failures and rate limiting',
        description:
          'API requests refused with 401 by reason (atc_api_auth_failures_total) and with 429 (atc_http_rate_limited_total).',
        unit: UNIT.perSecond,
        queries: [
          { expr: rateOf('atc_api_auth_failures_total', '', 'reason'), legend: '401 {{reason}}' },
          { expr: rateOf('atc_http_rate_limited_total'), legend: '429 rate limited' },
        ],
      }),
    )
    .withRow(row('Workers'))
    .withPanel(
      timeSeriesPanel({
        title: 'Failed and dead steps',
        description: 'Steps that failed (retried) or died (gave up), per second, by market and outcome.',
        unit: UNIT.opsPerSecond,
        queries: [
          {
            expr: rateOf('atc_worker_steps_total', FAILED_STEPS, 'market, outcome'),
            legend: '{{market}} {{outcome}}',
          },
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Failed trade executions',
        description:
          'Executions that did not fill, per second (atc_trade_executions_total). AtcTradeExecutionFailures fires on failed ones.',
        unit: UNIT.opsPerSecond,
        queries: [
          {
            expr: rateOf('atc_trade_executions_total', 'result!="filled"', 'market, result'),
            legend: '{{market}} {{result}}',
          },
        ],
      }),
    )
    .withRow(row('Venues'))
    .withPanel(
      timeSeriesPanel({
        title: 'Venue errors, retries and 429s',
        description:
          'Venue attempts that did not answer ok (atc_venue_requests_total), retries (atc_venue_retries_total) and HTTP 429s (atc_venue_rate_limited_total).',
        unit: UNIT.perSecond,
        width: 24,
        queries: [
          {
            expr: rateOf('atc_venue_requests_total', 'outcome!="ok"', 'venue, outcome'),
            legend: '{{venue}} {{outcome}}',
          },
          { expr: rateOf('atc_venue_retries_total', '', 'venue'), legend: '{{venue}} retries' },
          { expr: rateOf('atc_venue_rate_limited_total', '', 'venue'), legend: '{{venue}} 429' },
        ],
      }),
    )
    .withRow(row('Exporter and live stream'))
    .withPanel(
      statPanel({
        title: 'Exporter: since last success',
        description:
          'Time since the business-metrics exporter last read the database (atc_exporter_last_success_timestamp_seconds).',
        unit: UNIT.seconds,
        queries: [
          {
            expr: `time() - ${fromDatabase('atc_exporter_last_success_timestamp_seconds')}`,
            legend: 'since last success',
          },
        ],
        thresholds: alertAt(60),
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Exporter errors',
        description: 'Exporter database reads that failed (atc_exporter_errors_total), per interval.',
        unit: UNIT.count,
        width: 6,
        bars: true,
        queries: [{ expr: increaseOf('atc_exporter_errors_total', 'service'), legend: '{{service}}' }],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'SSE slow clients dropped',
        description:
          'Live stream clients disconnected for falling behind (atc_sse_slow_clients_dropped_total), per interval. AtcSseClientsDropped fires on it.',
        unit: UNIT.count,
        bars: true,
        queries: [
          { expr: increaseOf('atc_sse_slow_clients_dropped_total', 'service'), legend: '{{service}}' },
        ],
      }),
    )
    .build();
}
