/**
 * Trade execution: what the workers executed by market and result, how the venues answer (rate,
 * latency, errors, breakers), and what the desk holds (open positions, exposure, today's P&L).
 * @module
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  atcDashboard,
  BREAKER,
  fromDatabase,
  IN_SERVICE,
  row,
  statPanel,
  timeSeriesPanel,
  UNIT,
} from './panels';

export const TRADE_EXECUTION_UID = 'atc-trade-execution';

const RATE = '$__rate_interval';

function venueLatency(quantile: number): { expr: string; legend: string } {
  return {
    expr: `histogram_quantile(${quantile}, sum by (venue, le) (rate(atc_venue_request_duration_seconds_bucket{${IN_SERVICE}}[${RATE}])))`,
    legend: `{{venue}} p${quantile * 100}`,
  };
}

export function tradeExecutionDashboard(): Dashboard {
  return atcDashboard({
    uid: TRADE_EXECUTION_UID,
    title: 'atc / Trade execution',
    description:
      'Executions by market and result, venue traffic, latency and breakers, positions, exposure and P&L.',
    tags: ['trading'],
    byService: true,
  })
    .withRow(row('Executions'))
    .withPanel(
      timeSeriesPanel({
        title: 'Trade executions by market and result',
        description:
          'Executions the workers finished per second (atc_trade_executions_total): filled, rejected, failed, needs_reconciliation.',
        unit: UNIT.opsPerSecond,
        stack: true,
        queries: [
          {
            expr: `sum by (market, result) (rate(atc_trade_executions_total{${IN_SERVICE}}[${RATE}]))`,
            legend: '{{market}} {{result}}',
          },
        ],
      }),
    )
    .withPanel(
      statPanel({
        title: 'Executions in the last hour',
        description: 'From the database (atc_trade_executions_last_hour), by market and result.',
        unit: UNIT.count,
        width: 12,
        height: 8,
        queries: [{ expr: fromDatabase('atc_trade_executions_last_hour'), legend: '{{market}} {{result}}' }],
      }),
    )
    .withRow(row('Venues'))
    .withPanel(
      statPanel({
        title: 'Breaker state by venue',
        description:
          'Circuit breaker per venue: closed, half-open (probing), open. AtcVenueBreakerOpen fires on open.',
        unit: UNIT.none,
        width: 24,
        queries: [{ expr: `max by (venue) (atc_venue_breaker_state{${IN_SERVICE}})`, legend: '{{venue}}' }],
        mappings: BREAKER,
        thresholds: [
          ['green', null],
          ['orange', 1],
          ['red', 2],
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Venue requests by outcome',
        description:
          'Outbound venue HTTP attempts per second (atc_venue_requests_total) by venue and outcome.',
        unit: UNIT.perSecond,
        queries: [
          {
            expr: `sum by (venue, outcome) (rate(atc_venue_requests_total{${IN_SERVICE}}[${RATE}]))`,
            legend: '{{venue}} {{outcome}}',
          },
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Venue latency p50 / p99',
        description: 'Latency of outbound venue attempts (atc_venue_request_duration_seconds), per venue.',
        unit: UNIT.seconds,
        queries: [venueLatency(0.5), venueLatency(0.99)],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Venue errors',
        description:
          'Venue attempts that did not answer ok, per second, by venue and outcome (rejected, rate_limited, server_error, network_error, timeout, breaker_open).',
        unit: UNIT.perSecond,
        width: 24,
        queries: [
          {
            expr: `sum by (venue, outcome) (rate(atc_venue_requests_total{${IN_SERVICE}, outcome!="ok"}[${RATE}]))`,
            legend: '{{venue}} {{outcome}}',
          },
        ],
      }),
    )
    .withRow(row('Book'))
    .withPanel(
      timeSeriesPanel({
        title: 'Open positions by market',
        description: 'Open positions from the database (atc_positions_open).',
        unit: UNIT.count,
        width: 8,
        queries: [{ expr: fromDatabase('atc_positions_open'), legend: '{{market}}' }],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Exposure by market',
        description: 'Open exposure in USD from the database (atc_exposure_usd).',
        unit: UNIT.usd,
        width: 8,
        stack: true,
        queries: [{ expr: fromDatabase('atc_exposure_usd'), legend: '{{market}}' }],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: "Today's P&L by market",
        description:
          "Today's realised and marked P&L in USD from the database (atc_pnl_today_usd); red below zero.",
        unit: UNIT.usd,
        width: 8,
        min: 'auto',
        queries: [{ expr: fromDatabase('atc_pnl_today_usd'), legend: '{{market}}' }],
        thresholds: [
          ['red', null],
          ['green', 0],
        ],
      }),
    )
    .build();
}
