export type { Clock, ManualClock } from './clock.js';
export { createManualClock, DEFAULT_MANUAL_CLOCK_START } from './clock.js';
export type { Account, GenerateAccountsOptions, Holder, Transaction } from './data.js';
export { generateAccountsDetail } from './data.js';
export { SimulatorError } from './errors.js';
export type { Simulator } from './simulator.js';
export { startSimulator } from './simulator.js';
export type { InstitutionInfo, SecurityQuestion, UserBehaviour } from './toolbox.js';
export { INSTITUTIONS, SECURITY_QUESTIONS, TOOLBOX, TOOLBOX_USERS } from './toolbox.js';
export type {
  EndpointName,
  FaultRule,
  HeldRequest,
  LoginOptions,
  RequestLogEntry,
  SimulatorOptions,
  WebhookOptions,
} from './types.js';
export { signWebhookBody } from './webhooks.js';
