export type { AutoMountDefaults } from './auto-mount.js';
export { autoMount, whenParsed } from './auto-mount.js';
export type { FlinkitGlobalConfig } from './config.js';
export { getWidget } from './create-widget.js';
export type { WidgetErrorCode } from './errors.js';
export { WidgetError } from './errors.js';
export { mount } from './mount.js';
export type { WidgetStrings } from './strings.js';
export type {
  CompleteDetail,
  ExitDetail,
  WidgetEventMap,
  WidgetEventType,
  WidgetHandle,
  WidgetLanguage,
  WidgetMode,
  WidgetOptions,
  WidgetTheme,
} from './types.js';

/** The package version. */
export const version = '0.0.0';
