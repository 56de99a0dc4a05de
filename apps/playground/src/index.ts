export {
  type BuildPagesOptions,
  buildPages,
  type WidgetSource,
  widgetScript,
} from './build-pages';
export { PlaygroundError, type PlaygroundErrorCode } from './errors';
export { describeFlinksTarget, type FlinksTarget, readFlinksTarget } from './flinks-target';
export { createForwardReceiver, type ForwardedDelivery } from './forward-receiver';
export { type PagesConfig, type PagesServer, startPagesServer } from './pages-server';
export {
  DEFAULT_DATA_DIR,
  DEFAULT_PORTS,
  DEMO_USER_ID,
  type Playground,
  type PlaygroundOptions,
  startPlayground,
} from './playground';
export { loadOrCreateSecrets, type PlaygroundSecrets } from './secrets';
