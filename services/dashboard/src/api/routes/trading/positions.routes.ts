/**
 * Positions (open or closed), the daily realised P&L series and the equity curve.
 * @module
 */
import {
  DailyPnlQuery,
  DailyPnlResponse,
  EquityCurveQuery,
  EquityCurveResponse,
  PositionListQuery,
  PositionPage,
} from '@atc/contracts';
import { pagePositions, readDailyPnl, readEquityCurve } from '@atc/trading';
import { defineRoute, ok } from '../../api-route';
import { pageRequestOf, toWire, wirePage } from './route-wire';

export const listPositionsRoute = defineRoute({
  method: 'GET',
  path: '/api/positions',
  access: 'read',
  summary: 'Open (default) or closed positions, most recently opened first',
  tag: 'positions',
  query: PositionListQuery,
  response: PositionPage,
  async handle({ query }, context) {
    const page = await pagePositions(
      context.pool,
      { state: query.state, market: query.market },
      pageRequestOf(query),
    );
    return ok(toWire(PositionPage, wirePage(page)));
  },
});

export const dailyPnlRoute = defineRoute({
  method: 'GET',
  path: '/api/pnl/daily',
  access: 'read',
  summary:
    "Realised P&L a day, by market and in total, in the calendar policy's time zone (last 30 days by default)",
  tag: 'positions',
  query: DailyPnlQuery,
  response: DailyPnlResponse,
  async handle({ query }, context) {
    const series = await readDailyPnl(context.pool, query, context.clock.now());
    return ok(toWire(DailyPnlResponse, series));
  },
});

export const equityCurveRoute = defineRoute({
  method: 'GET',
  path: '/api/pnl/equity',
  access: 'read',
  summary:
    "The equity curve: cumulative P&L at each day's end over the last N days (realised, plus today's unrealised at the marks)",
  tag: 'positions',
  query: EquityCurveQuery,
  response: EquityCurveResponse,
  async handle({ query }, context) {
    const curve = await readEquityCurve(context.pool, query, context.clock.now());
    return ok(toWire(EquityCurveResponse, curve));
  },
});

export const positionRoutes = [listPositionsRoute, dailyPnlRoute, equityCurveRoute] as const;
