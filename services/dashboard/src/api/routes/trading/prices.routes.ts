/**
 * One instrument's price history with the fills on it, for the positions view's charts.
 * @module
 */
import { PriceHistoryParams, PriceHistoryQuery, PriceHistoryResponse } from '@atc/contracts';
import { readPriceHistory } from '@atc/trading';
import { defineRoute, ok } from '../../api-route';
import { toWire } from './route-wire';

export const priceHistoryRoute = defineRoute({
  method: 'GET',
  path: '/api/prices/:market/:instrument',
  access: 'read',
  summary:
    "An instrument's price samples (oldest first; the last 24 hours by default, at most 31 days) and the fills on it in the window",
  tag: 'positions',
  params: PriceHistoryParams,
  query: PriceHistoryQuery,
  response: PriceHistoryResponse,
  async handle({ params, query }, context) {
    const history = await readPriceHistory(context.pool, { ...params, ...query }, context.clock.now());
    return ok(toWire(PriceHistoryResponse, history));
  },
});

export const priceRoutes = [priceHistoryRoute] as const;
