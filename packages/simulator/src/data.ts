import { chequing, creditCard, formatDate, savings } from './data-ledger.js';
import { CITIES, FIRST_NAMES, LAST_NAMES, STREETS } from './data-names.js';
import {
  digits,
  hashSeed,
  mulberry32,
  pick,
  type Random,
  randomGuid,
  randomInt,
} from './random.js';
import { findInstitution } from './toolbox.js';

/** A posted transaction, newest first in its account. Amounts are dollars with cents. */
export interface Transaction {
  Id: string;
  /** `YYYY-MM-DD`. */
  Date: string;
  Code: null;
  Description: string;
  Debit: number | null;
  Credit: number | null;
  /** Balance after this transaction: the previous (older) one's + Credit − Debit. */
  Balance: number;
}

/** The account holder (KYC), as in GetAccountsDetail. */
export interface Holder {
  Name: string;
  Address: {
    CivicAddress: string;
    City: string;
    Province: string;
    PostalCode: string;
    POBox: null;
    Country: 'CA';
  };
  Email: string;
  PhoneNumber: string;
}

/** One account with every optional part present. */
export interface Account {
  Id: string;
  Title: string;
  AccountNumber: string;
  TransitNumber: string;
  InstitutionNumber: string;
  LastFourDigits: string | null;
  OverdraftLimit: number;
  Balance: { Available: number; Current: number; Limit: number | null };
  Category: 'Operations' | 'Credits' | 'Products' | 'Other';
  Type: 'Chequing' | 'Savings' | 'CreditCard';
  /** `Personal` or `Business` since October 2024 (docs.flinks.com /changelog/2024-10). */
  AccountType: 'Personal' | 'Business';
  Currency: 'CAD';
  Holder: Holder;
  Transactions: Transaction[];
}

/** Input of {@link generateAccountsDetail}. */
export interface GenerateAccountsOptions {
  loginId: string;
  /** Default 1. The same seed and loginId give the same accounts. */
  seed?: number;
  /** Default `FlinksCapital`; decides `InstitutionNumber`. */
  institution?: string;
  /** Epoch ms of the newest possible transaction date; default 2025-01-31. */
  now?: number;
  /** 90 (default) or 365 days of transactions. */
  days?: 90 | 365;
}

const DAY_MS = 86_400_000;

/**
 * Seeded, plausible Canadian accounts for one login: a chequing, a savings and a credit-card
 * account, one holder, and posted transactions whose running `Balance` ends at
 * `Balance.Current`. Always builds 365 days so the 90-day list is a prefix of the 365-day one.
 *
 * @example
 * const accounts = generateAccountsDetail({ loginId, seed: 1, days: 365 });
 */
export function generateAccountsDetail(options: GenerateAccountsOptions): Account[] {
  const random = mulberry32(hashSeed(options.seed ?? 1, options.loginId));
  const institutionNumber =
    findInstitution(options.institution ?? 'FlinksCapital')?.number ?? '777';
  const holder = generateHolder(random);
  const today = Math.floor((options.now ?? Date.UTC(2025, 0, 31)) / DAY_MS) * DAY_MS;
  const days = options.days ?? 90;
  const identity = () => ({
    AccountNumber: digits(random, 7),
    TransitNumber: digits(random, 5),
    InstitutionNumber: institutionNumber,
  });
  const accounts: Account[] = [
    {
      Id: randomGuid(random),
      Title: 'Chequing Account',
      ...identity(),
      LastFourDigits: null,
      OverdraftLimit: 500,
      Balance: { Available: 0, Current: 0, Limit: null },
      Category: 'Operations',
      Type: 'Chequing',
      AccountType: 'Personal',
      Currency: 'CAD',
      Holder: holder,
      Transactions: chequing(random, today),
    },
    {
      Id: randomGuid(random),
      Title: 'High Interest Savings',
      ...identity(),
      LastFourDigits: null,
      OverdraftLimit: 0,
      Balance: { Available: 0, Current: 0, Limit: null },
      Category: 'Operations',
      Type: 'Savings',
      AccountType: 'Personal',
      Currency: 'CAD',
      Holder: holder,
      Transactions: savings(random, today),
    },
  ];
  const card = identity();
  accounts.push({
    Id: randomGuid(random),
    Title: 'Visa Infinite',
    ...card,
    LastFourDigits: digits(random, 4),
    OverdraftLimit: 0,
    Balance: { Available: 0, Current: 0, Limit: 10_000 },
    Category: 'Credits',
    Type: 'CreditCard',
    AccountType: 'Personal',
    Currency: 'CAD',
    Holder: holder,
    Transactions: creditCard(random, today),
  });
  for (const account of accounts) {
    const current = account.Transactions[0]?.Balance ?? 0;
    const headroom =
      account.Type === 'CreditCard' ? (account.Balance.Limit ?? 0) : account.OverdraftLimit;
    account.Balance = {
      ...account.Balance,
      Current: current,
      Available: round(current + headroom),
    };
    const cutoff = formatDate(today - (days - 1) * DAY_MS);
    account.Transactions = account.Transactions.filter((transaction) => transaction.Date >= cutoff);
  }
  return accounts;
}

function generateHolder(random: Random): Holder {
  const first = pick(random, FIRST_NAMES);
  const last = pick(random, LAST_NAMES);
  const [city, province, letter] = pick(random, CITIES);
  const letters = 'ABCEGHJKLMNPRSTVWXYZ';
  const postal = `${letter}${randomInt(random, 1, 9)}${pick(random, [...letters])} ${randomInt(random, 1, 9)}${pick(random, [...letters])}${randomInt(random, 0, 9)}`;
  const ascii = (text: string) =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  return {
    Name: `${first} ${last}`,
    Address: {
      CivicAddress: `${randomInt(random, 10, 9999)} ${pick(random, STREETS)}`,
      City: city,
      Province: province,
      PostalCode: postal,
      POBox: null,
      Country: 'CA',
    },
    Email: `${ascii(first)}.${ascii(last)}${randomInt(random, 1, 99)}@example.com`,
    PhoneNumber: `+1 ${pick(random, ['514', '416', '604', '403', '902'])}-555-${digits(random, 4)}`,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
