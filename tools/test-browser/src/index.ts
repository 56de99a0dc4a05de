export { browserAvailable, CHROMIUM_PATH, collectPageErrors, launchBrowser } from './chromium';
export {
  answerMfa,
  type KnownQuestion,
  linkInConnect,
  signInToConnect,
} from './connect-flow';
