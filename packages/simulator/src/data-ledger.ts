import type { Transaction } from './data.js';
import { CARD_DEBITS, CHEQUING_DEBITS } from './data-names.js';
import { pick, type Random, randomGuid, randomInt } from './random.js';

const DAY_MS = 86_400_000;
/** Days generated per account; the requested window is cut from these. */
export const MAX_DAYS = 365;

type Movement = [description: string, cents: number];

/** Walks from the oldest day to today, then returns the list newest first. */
function ledger(
  random: Random,
  today: number,
  openingCents: number,
  day: (dayIndex: number, date: Date) => Movement[],
): Transaction[] {
  const out: Transaction[] = [];
  let balance = openingCents;
  for (let back = MAX_DAYS - 1; back >= 0; back--) {
    const date = new Date(today - back * DAY_MS);
    for (const [description, cents] of day(back, date)) {
      balance += cents;
      out.push({
        Id: randomGuid(random),
        Date: formatDate(date.getTime()),
        Code: null,
        Description: description,
        Debit: cents < 0 ? -cents / 100 : null,
        Credit: cents > 0 ? cents / 100 : null,
        Balance: balance / 100,
      });
    }
  }
  return out.reverse();
}

function amount(random: Random, min: number, max: number): number {
  return randomInt(random, min * 100, max * 100);
}

/** A year of a chequing account: pay every 2 weeks, rent, a transfer to savings, daily spending. */
export function chequing(random: Random, today: number): Transaction[] {
  const pay = amount(random, 1300, 2200);
  const rent = amount(random, 900, 1700);
  return ledger(random, today, amount(random, 1500, 5000), (back, date) => {
    const moves: Movement[] = [];
    if (back % 14 === 3) moves.push(['PAYROLL DEPOSIT ACME INC', pay]);
    if (date.getUTCDate() === 1) moves.push(['RENT PAYMENT', -rent]);
    if (date.getUTCDate() === 15) moves.push(['TRANSFER TO SAVINGS', -20_000]);
    if (random() < 0.9) {
      const [description, min, max] = pick(random, CHEQUING_DEBITS);
      moves.push([description, -amount(random, min, max)]);
    }
    if (random() < 0.03) moves.push(['INTERAC E-TRANSFER RECEIVED', amount(random, 20, 400)]);
    return moves;
  });
}

/** A year of a savings account: monthly transfer in, interest, rare withdrawals. */
export function savings(random: Random, today: number): Transaction[] {
  return ledger(random, today, amount(random, 3000, 20_000), (_back, date) => {
    const moves: Movement[] = [];
    if (date.getUTCDate() === 15) moves.push(['TRANSFER FROM CHEQUING', 20_000]);
    if (date.getUTCDate() === 28) moves.push(['INTEREST', amount(random, 2, 40)]);
    if (random() < 0.01) moves.push(['WITHDRAWAL', -amount(random, 100, 1000)]);
    return moves;
  });
}

/** Credit-card balances are negative while money is owed; purchases are debits. */
export function creditCard(random: Random, today: number): Transaction[] {
  let owed = 0;
  return ledger(random, today, 0, (_back, date) => {
    const moves: Movement[] = [];
    if (date.getUTCDate() === 20 && owed > 0) {
      moves.push(['PAYMENT - THANK YOU', owed]);
      owed = 0;
    }
    if (random() < 0.45) {
      const [description, min, max] = pick(random, CARD_DEBITS);
      const cents = amount(random, min, max);
      owed += cents;
      moves.push([description, -cents]);
    }
    return moves;
  });
}

/** `YYYY-MM-DD` of an epoch-ms instant (UTC). */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
