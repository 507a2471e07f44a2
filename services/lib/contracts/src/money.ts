/**
 * Money and quantities travel as decimal strings ("60", "0.015", "-12.5"): JSON numbers are binary
 * floats, and a price that went through one is no longer exact. At most 18 fractional digits, no
 * exponent, so PostgreSQL `numeric` and decimal.js read the same value.
 * @module
 */
import { z } from 'zod';

const DECIMAL_PATTERN = /^-?(0|[1-9]\d{0,17})(\.\d{1,18})?$/;

export const DecimalString = z
  .string()
  .regex(DECIMAL_PATTERN, 'must be a decimal string such as "12.50" (no exponent, no float)');

/** Strictly positive: prices, quantities, notionals. */
export const PositiveDecimal = DecimalString.refine(
  (value) => !value.startsWith('-') && /[1-9]/.test(value),
  'must be greater than zero',
);

export const NonNegativeDecimal = DecimalString.refine(
  (value) => !value.startsWith('-'),
  'must not be negative',
);

/** A percentage as a fraction: 0.05 is 5 %. Confidence, risk shares, drift. */
export const Fraction = z.number().min(0, 'must be at least 0').max(1, 'must be at most 1');
