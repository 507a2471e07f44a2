/**
 * The reconciliation queue: trade steps waiting in needs_reconciliation, longest waiting first, and
 * for operators and admins a hand resolution with the evidence the API asks for
 * (ReconciliationResolveBody: outcome, evidence, and for a fill what the operator saw at the venue).
 * @module
 */
import type { ReconciliationItem, ReconciliationResolveBody } from '@atc/contracts';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/api.client';
import { canAct, useSession } from '../../session/session.context';
import { dateTime } from '../format';
import { useReconciliation, useResolve } from './system.queries';

type Outcome = 'filled' | 'not_filled';

function Field(props: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly multiline?: boolean;
}) {
  const id = useId();
  const onChange = (event: { target: { value: string } }) => props.onChange(event.target.value);
  return (
    <p className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea id={id} value={props.value} onChange={onChange} />
      ) : (
        <input id={id} value={props.value} onChange={onChange} />
      )}
    </p>
  );
}

/** The request body from the form: fill figures only for a fill, and only those given. */
function resolveBody(form: {
  outcome: Outcome;
  evidence: string;
  venueOrderId: string;
  filledQuantity: string;
  averagePrice: string;
}): ReconciliationResolveBody {
  const given = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const venueOrderId = given(form.venueOrderId);
  const body: ReconciliationResolveBody = {
    outcome: form.outcome,
    evidence: form.evidence.trim(),
    ...(venueOrderId ? { venueOrderId } : {}),
  };
  if (form.outcome !== 'filled') return body;
  const filledQuantity = given(form.filledQuantity);
  const averagePrice = given(form.averagePrice);
  return {
    ...body,
    ...(filledQuantity ? { filledQuantity } : {}),
    ...(averagePrice ? { averagePrice } : {}),
  };
}

function ResolveForm({ item }: { readonly item: ReconciliationItem }) {
  const resolve = useResolve(item.stepId);
  const outcomeId = useId();
  const [outcome, setOutcome] = useState<Outcome>('not_filled');
  const [evidence, setEvidence] = useState('');
  const [venueOrderId, setVenueOrderId] = useState(item.order?.venueOrderId ?? '');
  const [filledQuantity, setFilledQuantity] = useState('');
  const [averagePrice, setAveragePrice] = useState('');
  const ready = evidence.trim() !== '' && !resolve.isPending;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    resolve.mutate(resolveBody({ outcome, evidence, venueOrderId, filledQuantity, averagePrice }));
  };
  const error = resolve.error;
  return (
    <form aria-label={`Resolve step ${item.stepId}`} onSubmit={submit}>
      <p className="field">
        <label htmlFor={outcomeId}>Outcome at the venue</label>
        <select
          id={outcomeId}
          value={outcome}
          onChange={(event) => setOutcome(event.target.value as Outcome)}
        >
          <option value="not_filled">not filled</option>
          <option value="filled">filled</option>
        </select>
      </p>
      <Field label="Evidence" value={evidence} onChange={setEvidence} multiline />
      <Field label="Venue order id" value={venueOrderId} onChange={setVenueOrderId} />
      {outcome === 'filled' && (
        <>
          <Field label="Filled quantity" value={filledQuantity} onChange={setFilledQuantity} />
          <Field label="Average price" value={averagePrice} onChange={setAveragePrice} />
        </>
      )}
      <button type="submit" disabled={!ready}>
        Resolve
      </button>
      {resolve.isSuccess && <p role="status">Resolved: {resolve.data.to}.</p>}
      {error && (
        <p role="alert" className="error">
          {error instanceof ApiError ? (error.detail ?? error.title) : String(error)}
        </p>
      )}
    </form>
  );
}

function ReconciliationRow({
  item,
  canResolve,
}: {
  readonly item: ReconciliationItem;
  readonly canResolve: boolean;
}) {
  const order = item.order;
  return (
    <article className="card" aria-label={`Step ${item.stepId}`}>
      <header>
        <strong>{item.market}</strong> step <code>{item.stepId}</code>{' '}
        <span className="muted">
          waiting since {dateTime(item.waitingSince)} ({item.ageSeconds} s), attempt {item.attempt} of{' '}
          {item.maxAttempts}
        </span>
      </header>
      {item.lastError && <p className="bad">{item.lastError}</p>}
      {order ? (
        <p>
          Order <code>{order.clientOrderId}</code>: {order.side} {order.quantity} {order.symbol},{' '}
          {order.status}, filled {order.filledQuantity}
          {order.venueOrderId && ` (venue ${order.venueOrderId})`}
        </p>
      ) : (
        <p className="muted">No order was recorded for this step.</p>
      )}
      {canResolve && <ResolveForm item={item} />}
    </article>
  );
}

function ReconciliationQueue() {
  const { data } = useReconciliation();
  const { session } = useSession();
  const canResolve = canAct(session?.role);
  return (
    <section aria-labelledby="reconciliation-queue-title">
      <h2 id="reconciliation-queue-title">Reconciliation queue ({data.items.length})</h2>
      {data.items.length === 0 ? (
        <p className="muted">Nothing waits for reconciliation.</p>
      ) : (
        data.items.map((item) => <ReconciliationRow key={item.stepId} item={item} canResolve={canResolve} />)
      )}
    </section>
  );
}

export { ReconciliationQueue, resolveBody };
