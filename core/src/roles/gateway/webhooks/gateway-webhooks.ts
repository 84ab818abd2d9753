/**
 * The gateway role's webhook parts from config (gateway.webhooks): the egress
 * policy the API checks submissions with, and the delivery queue + worker the
 * routing worker hands outcomes to (ADR 0019).
 */
import type { Registry } from 'prom-client';
import type { LoggerService } from '@lpx/sdk';
import type { KernelConfig } from '../../../config/kernel-schema.js';
import type { PayloadOptions } from '../../../jobs/job-payloads.js';
import { connectRedis } from '../../../redis/connect.js';
import { WebhookEgressPolicy, type HostResolver } from './egress-policy.js';
import { WebhookDeliveries } from './webhook-deliveries.js';
import { loadWebhookSecret } from './webhook-secret.js';

export interface GatewayWebhooks {
  readonly policy: WebhookEgressPolicy;
  readonly deliveries: WebhookDeliveries;
}

export interface GatewayWebhooksOptions {
  readonly config: KernelConfig;
  readonly redisUrl: string;
  /** The node's data dir, resolved (the default signing key lives there). */
  readonly dataDir: string;
  readonly logger: LoggerService;
  readonly metrics?: Registry;
  /** The node's blob store: large results are delivered from it instead of sitting in Redis. */
  readonly payloads?: PayloadOptions;
  /** A tenant's own signing key, when it has one; otherwise the gateway's key signs (default: gateway.tenants.<name>.webhookSecret). */
  readonly tenantSecret?: (tenant: string) => string | undefined;
  readonly resolve?: HostResolver;
}

/** The egress policy gateway.webhooks describes (defaults: public unicast only). */
export function egressPolicyOf(config: KernelConfig, resolve?: HostResolver): WebhookEgressPolicy {
  const settings = config.gateway.webhooks;
  return new WebhookEgressPolicy({ allowPrivate: settings.allowPrivate, allowHosts: settings.allowHosts, allowCidrs: settings.allowCidrs, ...(resolve ? { resolve } : {}) });
}

export async function createGatewayWebhooks(options: GatewayWebhooksOptions): Promise<GatewayWebhooks> {
  const { config, logger } = options;
  const settings = config.gateway.webhooks;
  const policy = egressPolicyOf(config, options.resolve);
  const { secret, source } = await loadWebhookSecret(settings.secret, options.dataDir);
  // Looked up per delivery by the tenant name the route job carries: keys never go to Redis.
  const tenantSecret = options.tenantSecret ?? ((tenant: string) => config.gateway.tenants[tenant]?.webhookSecret);
  const connection = await connectRedis(options.redisUrl, { connectionName: 'lpx-gateway-webhooks', connectTimeoutMs: config.redis.connectTimeoutMs });
  let deliveries: WebhookDeliveries;
  try {
    deliveries = new WebhookDeliveries({
      connection,
      ownsConnection: true,
      prefix: `${config.redis.prefix}:webhooks`,
      policy,
      secretFor: (tenant) => (tenant !== undefined ? tenantSecret(tenant) : undefined) ?? secret,
      timeoutMs: settings.timeoutMs,
      attempts: settings.attempts,
      backoffMs: settings.backoffMs,
      concurrency: settings.concurrency,
      worker: config.jobs,
      logger,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.payloads ? { payloads: options.payloads } : {}),
    });
  } catch (error) {
    connection.disconnect();
    throw error;
  }
  logger.info(
    { signingKey: source, allowPrivate: settings.allowPrivate, allowHosts: settings.allowHosts, allowCidrs: settings.allowCidrs, attempts: settings.attempts, timeoutMs: settings.timeoutMs },
    'gateway webhooks: signed deliveries from their own queue',
  );
  return { policy, deliveries };
}
