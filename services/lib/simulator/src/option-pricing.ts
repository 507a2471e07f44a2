/**
 * Black–Scholes with a volatility smile, OCC symbols and an expiration calendar that has a 0DTE
 * expiry on every NYSE trading day (none on holidays), like SPY and QQQ.
 * @module
 */
import { isNyseTradingDay, newYorkTime } from '@atc/contracts';
import { roundTo } from './market-model';

const RISK_FREE_RATE = 0.04;
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Abramowitz–Stegun 7.1.26: accurate to about 1e-7, enough for a simulator. */
function normCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function normPdf(x: number): number {
  return Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);
}

/** Skew (puts richer) plus curvature (wings richer), floored. */
export function smileVolatility(spot: number, strike: number, atmVol: number): number {
  const moneyness = Math.log(strike / spot);
  return Math.max(0.05, atmVol - 0.6 * moneyness + 2.5 * moneyness * moneyness);
}

export interface OptionValue {
  readonly price: number;
  readonly delta: number;
  readonly gamma: number;
  readonly theta: number;
  readonly vega: number;
  readonly rho: number;
  readonly iv: number;
}

export function blackScholes(
  kind: 'call' | 'put',
  spot: number,
  strike: number,
  yearsToExpiry: number,
  volatility: number,
): OptionValue {
  const t = Math.max(yearsToExpiry, 1 / (365 * 24 * 60));
  const sqrtT = Math.sqrt(t);
  const d1 =
    (Math.log(spot / strike) + (RISK_FREE_RATE + (volatility * volatility) / 2) * t) / (volatility * sqrtT);
  const d2 = d1 - volatility * sqrtT;
  const discount = Math.exp(-RISK_FREE_RATE * t);
  const call = kind === 'call';
  const price = call
    ? spot * normCdf(d1) - strike * discount * normCdf(d2)
    : strike * discount * normCdf(-d2) - spot * normCdf(-d1);
  const gamma = normPdf(d1) / (spot * volatility * sqrtT);
  const vega = (spot * normPdf(d1) * sqrtT) / 100;
  const thetaYear =
    -(spot * normPdf(d1) * volatility) / (2 * sqrtT) -
    (call ? 1 : -1) * RISK_FREE_RATE * strike * discount * normCdf(call ? d2 : -d2);
  return {
    price: Math.max(price, 0),
    delta: call ? normCdf(d1) : normCdf(d1) - 1,
    gamma,
    theta: thetaYear / 365,
    vega,
    rho: ((call ? 1 : -1) * strike * t * discount * normCdf(call ? d2 : -d2)) / 100,
    iv: volatility,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function isoDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** `SPY` + `261218` + `C` + strike×1000 in 8 digits (Tradier's unpadded root). */
export function occSymbol(root: string, expiration: string, kind: 'call' | 'put', strike: number): string {
  const yymmdd = expiration.slice(2).replaceAll('-', '');
  return `${root}${yymmdd}${kind === 'call' ? 'C' : 'P'}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
}

const OCC = /^([A-Z0-9]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

export interface ParsedOcc {
  readonly root: string;
  readonly expiration: string;
  readonly kind: 'call' | 'put';
  readonly strike: number;
}

export function parseOccSymbol(symbol: string): ParsedOcc | undefined {
  const m = OCC.exec(symbol);
  if (!m) return undefined;
  return {
    root: m[1]!,
    expiration: `20${m[2]}-${m[3]}-${m[4]}`,
    kind: m[5] === 'C' ? 'call' : 'put',
    strike: Number(m[6]) / 1000,
  };
}

/** Expiry is 16:00 New York, taken as 21:00 UTC (close enough for a simulator). */
export function yearsUntil(expiration: string, nowMs: number): number {
  return (Date.parse(`${expiration}T21:00:00Z`) - nowMs) / YEAR_MS;
}

/**
 * Every trading day of the coming week (today included: 0DTE), then the next Fridays up to 8 weeks
 * (a Friday holiday has no expiry). Days are New York dates.
 */
export function expirations(nowMs: number): string[] {
  const out = new Set<string>();
  const day = new Date(`${newYorkTime(new Date(nowMs)).date}T00:00:00Z`);
  for (let i = 0; i < 56; i += 1) {
    const d = new Date(day.getTime() + i * 86_400_000);
    if (!isNyseTradingDay(isoDate(d))) continue;
    if (i < 7 || d.getUTCDay() === 5) out.add(isoDate(d));
  }
  // Today's expiry is gone after the close.
  return [...out].filter((date) => yearsUntil(date, nowMs) > 0).sort();
}

export function strikes(spot: number): number[] {
  const step = 5;
  const center = Math.round(spot / step) * step;
  return Array.from({ length: 21 }, (_, i) => center + (i - 10) * step);
}

export const ATM_VOLATILITY: Readonly<Record<string, number>> = { SPY: 0.16, QQQ: 0.21 };

export interface OptionQuote extends OptionValue {
  readonly symbol: string;
  readonly root: string;
  readonly expiration: string;
  readonly kind: 'call' | 'put';
  readonly strike: number;
  readonly bid: number;
  readonly ask: number;
  readonly last: number;
}

export function quoteOption(parsed: ParsedOcc, spot: number, nowMs: number): OptionQuote {
  const atm = ATM_VOLATILITY[parsed.root] ?? 0.2;
  const vol = smileVolatility(spot, parsed.strike, atm);
  const value = blackScholes(parsed.kind, spot, parsed.strike, yearsUntil(parsed.expiration, nowMs), vol);
  const mid = Math.max(value.price, 0.01);
  const half = Math.max(0.01, roundTo(mid * 0.01, 0.01));
  return {
    ...value,
    symbol: occSymbol(parsed.root, parsed.expiration, parsed.kind, parsed.strike),
    ...parsed,
    last: roundTo(mid, 0.01),
    bid: roundTo(Math.max(mid - half, 0), 0.01),
    ask: roundTo(mid + half, 0.01),
  };
}
