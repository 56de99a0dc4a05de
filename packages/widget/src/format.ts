import type { WidgetLanguage } from './types.js';

/** A balance in the account's currency, e.g. `$5,105.50` or `5 105,50 $`. */
export function formatMoney(amount: number, currency: string, language: WidgetLanguage): string {
  try {
    return new Intl.NumberFormat(`${language}-CA`, { style: 'currency', currency }).format(amount);
  } catch {
    // An unknown currency code throws a RangeError: show the number and the code instead.
    return `${amount} ${currency}`;
  }
}

/** Whole seconds from `now` until the ISO time `at`, never negative; null without a valid time. */
export function secondsUntil(at: string | null | undefined, now: number): number | null {
  const time = Date.parse(at ?? '');
  return time >= 0 ? Math.max(0, Math.ceil((time - now) / 1000)) : null;
}
