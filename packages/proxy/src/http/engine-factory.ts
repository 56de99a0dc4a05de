import { ConfigError } from '../base/errors';
import type { FlinkitLogger } from '../base/logger';
import { createForwardDeliverer } from '../engine/forward';
import type { Deliver, RetrievalEngine } from '../engine/types';
import type { UpstreamCallMetric } from '../flinks/client';
import type { FlinkitConfig } from './config';

/**
 * The `Deliver` of an app: `engineOptions.deliver` when given, else `onAccountsDetail`
 * and/or the signed forward webhook (both when both are set, hook first). Undefined when the
 * host wants the data stored only.
 */
export function createDeliver(config: FlinkitConfig): Deliver | undefined {
  if (config.engineOptions?.deliver) return config.engineOptions.deliver;
  const hook = config.onAccountsDetail;
  const forward = config.forward
    ? createForwardDeliverer({
        ...config.forward,
        ...(config.fetch ? { fetch: config.fetch } : {}),
      })
    : undefined;
  if (!hook && !forward) return undefined;
  return async (event, options) => {
    if (hook) await hook(event);
    if (forward) await forward(event, options);
  };
}

/**
 * Creates (with `createEngine` from `./engine`, loaded lazily so an injected engine never
 * opens a database) and starts the engine of an app configured with `engineOptions`.
 */
export async function createOwnedEngine(
  config: FlinkitConfig,
  logger: FlinkitLogger,
  onUpstreamCall: (metric: UpstreamCallMetric) => void,
): Promise<RetrievalEngine> {
  const options = config.engineOptions;
  const flinks = options?.flinks ?? config.flinks;
  if (!options || !flinks) {
    throw new ConfigError(
      'flinks',
      'createFlinkitApp: `engineOptions` needs Flinks credentials (`flinks`).',
    );
  }
  const { createEngine } = await import('../engine/engine');
  const deliver = createDeliver(config);
  const engine = await createEngine({
    ...options,
    flinks,
    logger: options.logger ?? logger.child({ component: 'engine' }),
    onUpstreamCall: (metric) => {
      onUpstreamCall(metric);
      options.onUpstreamCall?.(metric);
    },
    ...(deliver ? { deliver } : {}),
  });
  engine.start();
  return engine;
}
