/**
 * The trading day: the calendar date of an instant in the policy's time zone (America/New_York by
 * default), so the daily counters and the daily loss reset at local midnight, not at UTC's or the
 * database server's.
 * @module
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function tradingDayOf(timeZone: string, instant: Date): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
