/**
 * Orders with their fills, and the explain-every-order chain.
 * @module
 */
import {
  ClientOrderIdParams,
  OrderDetail,
  OrderExplanation,
  OrderListQuery,
  OrderPage,
} from '@atc/contracts';
import { NotFoundError } from '@atc/platform';
import { explainOrder, pageOrders, selectOrderFills, selectOrderView } from '@atc/trading';
import { defineRoute, ok } from '../../api-route';
import { pageRequestOf, toWire, wirePage } from './route-wire';

export const listOrdersRoute = defineRoute({
  method: 'GET',
  path: '/api/orders',
  access: 'read',
  summary: 'Orders, newest first, filtered by market and status',
  tag: 'orders',
  query: OrderListQuery,
  response: OrderPage,
  async handle({ query }, context) {
    const page = await pageOrders(
      context.pool,
      { market: query.market, status: query.status },
      pageRequestOf(query),
    );
    return ok(toWire(OrderPage, wirePage(page)));
  },
});

export const getOrderRoute = defineRoute({
  method: 'GET',
  path: '/api/orders/:clientOrderId',
  access: 'read',
  summary: 'One order by its client order id, with its fills',
  tag: 'orders',
  params: ClientOrderIdParams,
  response: OrderDetail,
  async handle({ params }, context) {
    const order = await selectOrderView(context.pool, params.clientOrderId);
    if (!order) throw new NotFoundError(`order ${params.clientOrderId} does not exist`);
    const fills = await selectOrderFills(context.pool, order.id);
    return ok(toWire(OrderDetail, { ...order, fills }));
  },
});

export const explainOrderRoute = defineRoute({
  method: 'GET',
  path: '/api/orders/:clientOrderId/explain',
  access: 'read',
  summary:
    'Why the order exists and what became of it: signal, proposal, gates, approval, mission, step, intent, venue order, fills, position, outcome',
  tag: 'orders',
  params: ClientOrderIdParams,
  response: OrderExplanation,
  async handle({ params }, context) {
    const explanation = await explainOrder(context.pool, params.clientOrderId);
    if (!explanation) throw new NotFoundError(`order ${params.clientOrderId} does not exist`);
    return ok(toWire(OrderExplanation, explanation));
  },
});

export const orderRoutes = [listOrdersRoute, getOrderRoute, explainOrderRoute] as const;
