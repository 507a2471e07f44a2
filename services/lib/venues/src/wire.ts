import { HttpStatusError } from '@atc/platform';
import { VenueRejectedError } from './venue';

/** Small helpers for the wire quirks several clients share. */

/** Tradier's XML-born collections: an array, a single object, or the string "null" when empty. */
export function asArray<T>(value: T | T[] | 'null' | null | undefined): T[] {
  if (value === undefined || value === null || value === 'null') return [];
  return Array.isArray(value) ? value : [value];
}

/** Maps a business 4xx from the resilient HTTP layer to a rejection; anything else passes through. */
export async function rejectOn4xx<T>(
  venue: string,
  call: () => Promise<T>,
  reason: (body: string) => string,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HttpStatusError && error.isBusinessRejection) {
      throw new VenueRejectedError(venue, reason(error.body), { cause: error });
    }
    throw error;
  }
}

export function parseJsonOr<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
