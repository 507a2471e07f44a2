/** A request field as a string: strings pass, numbers are printed, anything else (arrays, objects) is the fallback. */
export function str(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return fallback;
}
