export { browserAvailable, CHROMIUM_PATH, collectPageErrors, launchBrowser } from './chromium';
export {
  answerMfa,
  type KnownQuestion,
  linkInConnect,
  signInToConnect,
} from './connect-flow';
export {
  FORGED_LOGIN,
  type ForgeryOptions,
  pageHarm,
  sendForgedMessages,
} from './forged-messages';
