/** Money and figures as the views print them; the API's decimals are strings. */
function usd(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const number = Number(value);
  if (!Number.isFinite(number)) return value;
  return number.toLocaleString('en-US', { style: 'currency', currency: 'USD' });
}

/** A sign class for P&L: good when positive, bad when negative. */
function signClass(value: string | null | undefined): string {
  const number = Number(value ?? 0);
  return number > 0 ? 'good' : number < 0 ? 'bad' : '';
}

function time(value: string | null | undefined): string {
  if (!value) return '—';
  return new Date(value).toLocaleTimeString('en-GB', { hour12: false });
}

function dateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return new Date(value).toLocaleString('en-GB', { hour12: false });
}

export { dateTime, signClass, time, usd };
