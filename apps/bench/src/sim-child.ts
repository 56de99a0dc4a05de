// The simulated Flinks in its own process, so the engine's process is measured alone and the
// upstream's CPU share can be read. It counts the TCP connections it accepts and reports the
// poll schedule it saw.
import { subscribe } from 'node:diagnostics_channel';
import { type FaultRule, startSimulator } from '@flinkit/simulator';
import { fromParent, tellParent } from './child';
import { analyzePolls, type PollRegularity } from './poll-analysis';
import { type FlinksTarget, flinksTargetOf } from './proxy-fixture';
import { epochNow } from './stats';

/** What the parent sends to start it. */
export interface SimChildInput {
  processingMs: number;
  /** Where and how the simulator sends GetAccountsDetail webhooks (`{ type: 'webhook' }`). */
  webhook?: { url: string; secret: string };
  faults?: FaultRule[];
  /** Toolbox usernames to link (loginIds come back in the same order). */
  logins: string[];
  /** Also links one login whose GetAccountsDetail POSTs are held this long (its loginId last). */
  heldLoginMs?: number;
}

/** Sent once it listens. */
export interface SimChildReady {
  type: 'ready';
  target: FlinksTarget;
  loginIds: string[];
}

/** Asks for a report of the calls that arrived in [`since`, `until`) (epoch ms). */
export interface SimChildReportRequest {
  type: 'report';
  intervalMs: number;
  since?: number;
  until?: number;
}

/** Sends the webhook of `requestId`; answered with when its POST started (epoch ms). */
export interface SimChildWebhookRequest {
  type: 'webhook';
  requestId: string;
}

/** Asks for the RequestIds of the successful Authorize calls so far. */
export interface SimChildRequestIdsRequest {
  type: 'requestIds';
}

/** Asks when each call to `endpoint` arrived (epoch ms, oldest first). */
export interface SimChildArrivalsRequest {
  type: 'arrivals';
  endpoint: string;
}

/** The upstream's view of a run. */
export interface SimChildReport extends PollRegularity {
  type: 'report';
  /** API calls answered, and TCP connections accepted, since start. */
  calls: number;
  connections: number;
  /** GetAccountsDetailAsync calls since `since`, and the span from the first to the last. */
  polls: number;
  pollSpanMs: number;
  /** When the last first GetAccountsDetail arrived, and the first 200 of an Async poll. */
  lastStartAt: number | null;
  firstReadyAt: number | null;
  /** This process's CPU time and wall time since start (its share: cpu ÷ wall). */
  cpuMs: number;
  wallMs: number;
}

const input = await fromParent<SimChildInput>();
let connections = 0;
subscribe('net.server.socket', () => connections++);
const sim = await startSimulator({
  processingMs: input.processingMs,
  ...(input.faults ? { faults: input.faults } : {}),
  ...(input.webhook ? { webhook: { ...input.webhook, attempts: 1 } } : {}),
});
// The moment a webhook's POST starts, as a browser-side clock would compare it.
let webhookStartedAt = 0;
const originalFetch = globalThis.fetch;
globalThis.fetch = (resource, init) => {
  if (String(resource) === input.webhook?.url) webhookStartedAt = epochNow();
  return originalFetch(resource, init);
};
const startedCpu = process.cpuUsage();
const startedAt = Date.now();
const ready: SimChildReady = {
  type: 'ready',
  target: flinksTargetOf(sim),
  loginIds: [
    ...input.logins.map((username) => sim.createLogin(username)),
    ...(input.heldLoginMs
      ? // Another institution: a login is one per (username, institution), and the hold is its own.
        [sim.createLogin('greatday_nomfa', { holdDetailMs: input.heldLoginMs, institution: 'RBC' })]
      : []),
  ],
};
tellParent(ready);

process.on('message', (message: SimChildMessage) => {
  if (message.type === 'webhook') {
    void sim
      .sendWebhook(message.requestId)
      .then(() => tellParent({ type: 'webhook-sent', at: webhookStartedAt }));
    return;
  }
  const log = sim.requests();
  if (message.type === 'requestIds') {
    const requestIds = log
      .filter((entry) => entry.endpoint === 'Authorize' && entry.status === 200)
      .map((entry) => entry.requestId as string);
    tellParent({ type: 'requestIds', requestIds });
    return;
  }
  if (message.type === 'arrivals') {
    const at = log.filter((entry) => entry.endpoint === message.endpoint).map((entry) => entry.at);
    tellParent({ type: 'arrivals', at });
    return;
  }
  const since = message.since ?? 0;
  const until = message.until ?? Number.POSITIVE_INFINITY;
  const data = log.filter(
    (entry) =>
      (entry.endpoint === 'GetAccountsDetail' || entry.endpoint === 'GetAccountsDetailAsync') &&
      entry.requestId !== null &&
      entry.fault === undefined &&
      entry.at >= since &&
      entry.at < until,
  );
  const polls = data.filter((entry) => entry.endpoint === 'GetAccountsDetailAsync');
  const starts = log.filter((entry) => entry.endpoint === 'GetAccountsDetail');
  const firstReady = log.find(
    (entry) => entry.endpoint === 'GetAccountsDetailAsync' && entry.status === 200,
  );
  const cpu = process.cpuUsage(startedCpu);
  const report: SimChildReport = {
    type: 'report',
    ...analyzePolls(
      data.map((entry) => ({ requestId: entry.requestId as string, at: entry.at })),
      message.intervalMs,
    ),
    calls: log.length,
    connections,
    polls: polls.length,
    pollSpanMs: polls.length < 2 ? 0 : (polls.at(-1)?.at ?? 0) - (polls[0]?.at ?? 0),
    lastStartAt: starts.at(-1)?.at ?? null,
    firstReadyAt: firstReady?.at ?? null,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: Date.now() - startedAt,
  };
  tellParent(report);
});
type SimChildMessage =
  | SimChildReportRequest
  | SimChildArrivalsRequest
  | SimChildWebhookRequest
  | SimChildRequestIdsRequest;

process.once('SIGTERM', () => void sim.close().then(() => process.exit(0)));
