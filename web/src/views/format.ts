/** Money and figures as the views print them; the API's decimals are strings. */

// One formatter each, made once: `toLocaleString` with options builds a new Intl formatter at every
// call, which in the Live feed (a time on every row, every frame) was the page's costliest function.
// The options are what `toLocale*String` fills in when given none of the date or time fields.
const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const TIME = new Intl.DateTimeFormat('en-GB', {
  hour12: false,
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  hour12: false,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function usd(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const number = Number(value);
  if (!Number.isFinite(number)) return value;
  return USD.format(number);
}

/** A sign class for P&L: good when positive, bad when negative. */
function signClass(value: string | null | undefined): string {
  const number = Number(value ?? 0);
  return number > 0 ? 'good' : number < 0 ? 'bad' : '';
}

function time(value: string | null | undefined): string {
  if (!value) return '—';
  return TIME.format(new Date(value));
}

function dateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return DATE_TIME.format(new Date(value));
}

export { dateTime, signClass, time, usd };
