/**
 * The Toolbox instance's published credentials (apps/docs/flinks.md#toolbox-sandbox), the
 * simulator's defaults.
 */
export const TOOLBOX = {
  customerId: '43387ca6-0391-4c82-857d-70d95f087ecb',
  secretKey: 'c4569c54-e167-4d34-8de6-f4113bc82414',
  apiKey: '3d5266a8-b697-48d4-8de6-52e2e2662acc',
  password: 'Everyday',
} as const;

/** What a Toolbox user does when linked and retrieved. */
export type UserBehaviour =
  | 'mfa'
  | 'no-mfa'
  | 'disabled-login'
  | 'retry-later'
  | 'dispatched'
  | 'pending';

/** The Toolbox test users (password `Everyday` for all), by username. */
export const TOOLBOX_USERS: Readonly<Record<string, UserBehaviour>> = {
  Greatday: 'mfa',
  greatday_nomfa: 'no-mfa',
  test_disabled_account: 'disabled-login',
  test_service_unavailable: 'retry-later',
  test_dispatched: 'dispatched',
  test_pending: 'pending',
};

/** The behaviour of `username` (exact match, as Flinks usernames are), or undefined. */
export function userBehaviour(username: string): UserBehaviour | undefined {
  return Object.hasOwn(TOOLBOX_USERS, username) ? TOOLBOX_USERS[username] : undefined;
}

/** A bank the iframe lists. Every Toolbox user can log in at every one of them. */
export interface InstitutionInfo {
  name: string;
  id: number;
  /** 3-digit Canadian institution number. */
  number: string;
  /** Listed only with `demo=true`. */
  demoOnly: boolean;
  /**
   * Signs in on the bank's own page (OAuth): in a popup, or with `oauthWindowRedirect=true` in
   * the window hosting Connect (docs.flinks.com /guides/connect/oauth-integration).
   */
  oauth: boolean;
}

/** The institutions of the simulated instance; FlinksCapital is the Toolbox test bank. */
export const INSTITUTIONS: readonly InstitutionInfo[] = [
  { name: 'FlinksCapital', id: 14, number: '777', demoOnly: true, oauth: false },
  // Simulator only: FlinksCapital behind an OAuth sign-in, to exercise the popup flow.
  { name: 'FlinksCapitalOAuth', id: 1014, number: '777', demoOnly: true, oauth: true },
  { name: 'RBC', id: 1, number: '003', demoOnly: false, oauth: false },
  { name: 'TD', id: 2, number: '004', demoOnly: false, oauth: false },
  { name: 'BMO', id: 3, number: '001', demoOnly: false, oauth: false },
  { name: 'Desjardins', id: 4, number: '815', demoOnly: false, oauth: false },
];

/** The institution called `name`, or undefined. */
export function findInstitution(name: string): InstitutionInfo | undefined {
  return INSTITUTIONS.find((institution) => institution.name === name);
}

/** A security question of `Greatday`, with its prompt in both languages. */
export interface SecurityQuestion {
  key: 'city' | 'country' | 'shape';
  en: string;
  fr: string;
  answer: string;
}

/** Greatday's Canadian questions and answers (apps/docs/flinks.md#toolbox-sandbox). */
export const SECURITY_QUESTIONS: readonly SecurityQuestion[] = [
  {
    key: 'city',
    en: 'What city were you born in?',
    fr: 'Dans quelle ville êtes-vous né?',
    answer: 'Montreal',
  },
  {
    key: 'country',
    en: 'What is the best country on earth?',
    fr: 'Quel est le meilleur pays du monde?',
    answer: 'Canada',
  },
  {
    key: 'shape',
    en: 'What shape do people like most?',
    fr: 'Quelle forme les gens préfèrent-ils?',
    answer: 'Triangle',
  },
];

/** The question whose prompt (in either language) is `prompt`. */
export function findQuestion(prompt: string): SecurityQuestion | undefined {
  return SECURITY_QUESTIONS.find((question) => question.en === prompt || question.fr === prompt);
}

/** True when `answer` matches, ignoring case, accents of the input and surrounding spaces. */
export function isCorrectAnswer(question: SecurityQuestion, answer: string): boolean {
  const normalise = (text: string) =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .trim()
      .toLowerCase();
  return normalise(answer) === normalise(question.answer);
}
