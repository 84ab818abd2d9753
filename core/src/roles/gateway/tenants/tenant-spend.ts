/**
 * What each tenant of a config file has spent in the current period, read
 * from the Redis the gateway counts in (`lpx tenants list --redis <url>`).
 */
import { loadConfig } from '../../../config/load-config.js';
import { connectRedis } from '../../../redis/connect.js';
import { TenantBudgets, type SpendReport } from './tenant-budgets.js';
import { TenantDirectory } from './tenant-directory.js';

export async function tenantSpend(file: string, redisUrl: string): Promise<Map<string, SpendReport>> {
  const { config } = loadConfig({ file });
  const directory = new TenantDirectory(config.gateway.tenants);
  const redis = await connectRedis(redisUrl, { connectionName: 'lpx-tenants-cli', connectTimeoutMs: config.redis.connectTimeoutMs });
  try {
    const budgets = new TenantBudgets(redis, config.redis.prefix);
    const reports = new Map<string, SpendReport>();
    for (const name of directory.names) reports.set(name, await budgets.report(directory.get(name)!));
    return reports;
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
