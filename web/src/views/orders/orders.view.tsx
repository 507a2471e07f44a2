import { useState } from 'react';
import { dateTime } from '../format';
import { ExplainTimeline } from './explain-timeline';
import { useOrders } from './orders.queries';

/** Orders, newest first, and for the one selected the explain-every-order chain as a timeline. */
function OrdersView() {
  const { data } = useOrders();
  const [selected, setSelected] = useState<string | null>(null);
  const orders = data.items;
  return (
    <>
      <h1>Orders and fills</h1>
      {orders.length === 0 ? (
        <p className="muted">No order yet.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Latest orders</caption>
          <thead>
            <tr>
              <th scope="col">Client order id</th>
              <th scope="col">Market</th>
              <th scope="col">Order</th>
              <th scope="col">Status</th>
              <th scope="col">Filled</th>
              <th scope="col">Created</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr
                key={order.id}
                data-testid="order"
                className={order.clientOrderId === selected ? 'selected' : undefined}
              >
                <td>
                  <code>{order.clientOrderId}</code>
                </td>
                <td>{order.market}</td>
                <td>
                  {order.side} {order.quantity} {order.symbol} · {order.orderType}
                  {order.limitPrice && ` @ ${order.limitPrice}`}
                </td>
                <td className={order.lastError ? 'bad' : ''}>
                  {order.status}
                  {order.lastError && ` — ${order.lastError}`}
                </td>
                <td>
                  {order.filledQuantity}
                  {order.averageFillPrice && ` at ${order.averageFillPrice}`}
                </td>
                <td>{dateTime(order.createdAt)}</td>
                <td>
                  <button
                    type="button"
                    aria-pressed={order.clientOrderId === selected}
                    onClick={() => setSelected(order.clientOrderId)}
                  >
                    Explain<span className="visually-hidden"> {order.clientOrderId}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && (
        <section aria-labelledby="explain-title">
          <h2 id="explain-title">
            Order <code>{selected}</code>: signal to outcome
          </h2>
          <ExplainTimeline clientOrderId={selected} />
        </section>
      )}
    </>
  );
}

export { OrdersView };
