import { type KillSwitchStatus, type Market, markets } from '@atc/contracts';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/api.client';
import { canAct, useSession } from '../../session/session.context';
import { dateTime, usd } from '../format';
import { useEngage, useKillSwitch, useRelease, useResetLossLatch } from './kill-switch.queries';
import { isConfirmed, TypedConfirmation } from './typed-confirmation';

type Scope = 'all' | Market;

/** A refused action: the API problem's detail (or title), as the server wrote it. */
function Refusal({ error }: { readonly error: unknown }) {
  if (!error) return null;
  const text =
    error instanceof ApiError
      ? (error.detail ?? error.title)
      : error instanceof Error
        ? error.message
        : 'failed';
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}

function HaltsState({ state }: { readonly state: KillSwitchStatus }) {
  const { global, lossLatch } = state.halts;
  return (
    <section className="card" aria-labelledby="ks-state-title">
      <h2 id="ks-state-title">Now</h2>
      <p data-testid="kill-switch-state" className={global ? 'bad' : 'good'}>
        {global
          ? `Engaged by ${global.by} since ${dateTime(global.since)}: ${global.reason}`
          : 'Released: trading allowed'}
      </p>
      <ul aria-label="Market halts">
        {markets.map((market) => {
          const halt = state.halts.markets[market];
          return (
            <li key={market} className={halt ? 'bad' : ''}>
              {market}:{' '}
              {halt ? `halted by ${halt.by} since ${dateTime(halt.since)}: ${halt.reason}` : 'trading'}
            </li>
          );
        })}
      </ul>
      <p data-testid="loss-latch-state" className={lossLatch ? 'bad' : 'good'}>
        {lossLatch
          ? `Loss latch tripped ${dateTime(lossLatch.trippedAt)} at ${usd(lossLatch.realisedPnlUsd)}: reduce-only`
          : 'Loss latch clear'}
      </p>
    </section>
  );
}

function ScopeSelect(props: {
  readonly value: Scope;
  readonly options: readonly Scope[];
  readonly onChange: (scope: Scope) => void;
}) {
  const id = useId();
  return (
    <p className="field">
      <label htmlFor={id}>Scope</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value as Scope)}>
        {props.options.map((scope) => (
          <option key={scope} value={scope}>
            {scope === 'all' ? 'Everything (kill switch)' : `Only ${scope}`}
          </option>
        ))}
      </select>
    </p>
  );
}

function ReasonField({
  value,
  onChange,
}: {
  readonly value: string;
  readonly onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <p className="field">
      <label htmlFor={id}>Reason</label>
      <input id={id} value={value} maxLength={500} onChange={(event) => onChange(event.target.value)} />
    </p>
  );
}

interface HaltFormProps {
  readonly action: 'engage' | 'release';
  readonly scopes: readonly Scope[];
}

/** Engage or release, for everything or one market: a reason, then the typed word, then the button. */
function HaltForm({ action, scopes }: HaltFormProps) {
  const engage = useEngage();
  const release = useRelease();
  const mutation = action === 'engage' ? engage : release;
  const [scope, setScope] = useState<Scope>(scopes[0] ?? 'all');
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const word = scope === 'all' ? action.toUpperCase() : scope;
  const ready = reason.trim() !== '' && isConfirmed(typed, word) && !mutation.isPending;
  const label = action === 'engage' ? 'Engage' : 'Release';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    const body = { reason: reason.trim(), ...(scope === 'all' ? {} : { market: scope }) };
    mutation.mutate(body, { onSuccess: () => setTyped('') });
  };
  return (
    <form className="card" aria-label={`${label} the kill switch`} onSubmit={submit}>
      <h2>{action === 'engage' ? 'Engage: stop new orders' : 'Release: resume trading'}</h2>
      <ScopeSelect value={scope} options={scopes} onChange={setScope} />
      <ReasonField value={reason} onChange={setReason} />
      <TypedConfirmation word={word} value={typed} onChange={setTyped} />
      <button type="submit" disabled={!ready}>
        {label}
      </button>
      {mutation.isSuccess && <p role="status">{label}d.</p>}
      <Refusal error={mutation.error} />
    </form>
  );
}

/** The loss latch's reset (admin): a reason and the typed word RESET. */
function LossLatchForm() {
  const reset = useResetLossLatch();
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const ready = reason.trim() !== '' && isConfirmed(typed, 'RESET') && !reset.isPending;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) reset.mutate({ reason: reason.trim() }, { onSuccess: () => setTyped('') });
  };
  return (
    <form className="card" aria-label="Reset the loss latch" onSubmit={submit}>
      <h2>Loss latch: allow new entries again</h2>
      <ReasonField value={reason} onChange={setReason} />
      <TypedConfirmation word="RESET" value={typed} onChange={setTyped} />
      <button type="submit" disabled={!ready}>
        Reset loss latch
      </button>
      {reset.isSuccess && (
        <p role="status">{reset.data.cleared ? 'Loss latch reset.' : 'The loss latch was not tripped.'}</p>
      )}
      <Refusal error={reset.error} />
    </form>
  );
}

/** What can be released now: the kill switch and the halted markets. */
function releasableScopes(state: KillSwitchStatus): Scope[] {
  const halted = markets.filter((market) => state.halts.markets[market] !== null);
  return [...(state.halts.global ? (['all'] as const) : []), ...halted];
}

/**
 * The kill switch: its state, engage (operator and admin), release and the loss latch's reset
 * (admin); each behind a typed confirmation. Viewers see the state only.
 */
function KillSwitchView() {
  const { data: state } = useKillSwitch();
  const { session } = useSession();
  const role = session?.role;
  const releasable = releasableScopes(state);
  return (
    <>
      <h1>Kill switch</h1>
      <HaltsState state={state} />
      {canAct(role) && <HaltForm action="engage" scopes={['all', ...markets]} />}
      {role === 'admin' &&
        (releasable.length > 0 ? (
          <HaltForm key={releasable.join()} action="release" scopes={releasable} />
        ) : (
          <p className="muted">Nothing to release: no halt is in force.</p>
        ))}
      {role === 'admin' && <LossLatchForm />}
      {!canAct(role) && <p className="muted">Your role ({role}) can read the kill switch, not change it.</p>}
    </>
  );
}

export { KillSwitchView };
