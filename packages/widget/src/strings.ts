import type { WidgetLanguage } from './types.js';

/** Every text the widget shows, per language (kept short: they ship in `flinkit.js`). */
export interface WidgetStrings {
  frameTitle: string;
  /** The modal's launch button and dialog title, unless `buttonLabel` says otherwise. */
  launch: string;
  close: string;
  loading: string;
  linked: string;
  retrieving: string;
  attempt: (attempt: number) => string;
  nextPoll: (seconds: number) => string;
  complete: string;
  /** Complete, but Flinks answered from its cache: only the customer can refresh the data. */
  reconnect: string;
  reconnectAction: string;
  /** Closes the modal once complete. */
  done: string;
  error: string;
  timedOut: string;
  closed: string;
  retry: string;
}

const en: WidgetStrings = {
  frameTitle: 'Connect your bank with Flinks',
  launch: 'Link your bank account',
  close: 'Close',
  loading: 'Connecting securely…',
  linked: 'Bank linked.',
  retrieving: 'Getting your accounts…',
  attempt: (n) => `Attempt ${n}`,
  nextPoll: (s) => `next check in ${s} s`,
  complete: 'Accounts linked',
  reconnect: 'Your bank needs you to sign in again. These balances may be out of date.',
  reconnectAction: 'Reconnect',
  done: 'Done',
  error: 'We could not link your bank.',
  timedOut: 'Your bank is taking too long to answer.',
  closed: 'Connect was closed.',
  retry: 'Try again',
};

const fr: WidgetStrings = {
  frameTitle: 'Connectez votre banque avec Flinks',
  launch: 'Lier votre compte bancaire',
  close: 'Fermer',
  loading: 'Connexion sécurisée…',
  linked: 'Banque liée.',
  retrieving: 'Récupération de vos comptes…',
  attempt: (n) => `Tentative ${n}`,
  nextPoll: (s) => `prochaine vérification dans ${s} s`,
  complete: 'Comptes liés',
  reconnect:
    'Votre banque vous demande de vous reconnecter. Ces soldes ne sont peut-être plus à jour.',
  reconnectAction: 'Se reconnecter',
  done: 'Terminé',
  error: 'Nous n’avons pas pu lier votre banque.',
  timedOut: 'Votre banque tarde à répondre.',
  closed: 'Connect a été fermé.',
  retry: 'Réessayer',
};

/** The strings of one language. */
export function getStrings(language: WidgetLanguage): WidgetStrings {
  return language === 'fr' ? fr : en;
}
