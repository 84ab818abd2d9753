import type { Command } from 'commander';
import { errors } from '@lpx/sdk';
import { tenantSpend } from '../../roles/gateway/tenants/tenant-spend.js';
import { addTenant, addTenantKey, listTenants, removeTenant, type TenantSettings } from '../../roles/gateway/tenants/tenants-file.js';
import { reportError, table, type Io } from '../output.js';

const PERIODS: Record<string, number> = { hour: 3_600, day: 86_400, week: 604_800 };

function periodSeconds(raw: string): number {
  const named = PERIODS[raw];
  if (named !== undefined) return named;
  if (/^[1-9][0-9]*$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  throw errors.gateway.TENANT_CONFIG.create(`--period ${raw}: expected seconds or one of ${Object.keys(PERIODS).join(', ')}`);
}

function wei(flag: string, raw: string): string {
  if (!/^[0-9]+$/.test(raw)) throw errors.gateway.TENANT_CONFIG.create(`${flag} ${raw}: expected an integer amount of wei`);
  return BigInt(raw).toString();
}

/** `<wei per unit>[/<pixels per unit>]`, as gateway.maxPrice. */
function maxPrice(raw: string): NonNullable<TenantSettings['maxPrice']> {
  const match = /^([0-9]+)(?:\/([1-9][0-9]*))?$/.exec(raw);
  if (match === null) throw errors.gateway.TENANT_CONFIG.create(`--max-price ${raw}: expected <wei per unit>[/<pixels per unit>]`);
  return { pricePerUnit: BigInt(match[1]!).toString(), pixelsPerUnit: BigInt(match[2] ?? '1').toString() };
}

interface AddOptions {
  config: string;
  budget?: string;
  period: string;
  maxPrice?: string;
  capability?: string[];
  json?: boolean;
}

function settingsOf(options: AddOptions): TenantSettings {
  if (options.budget === undefined && options.period !== 'day') throw errors.gateway.TENANT_CONFIG.create('--period needs --budget');
  return {
    ...(options.budget !== undefined ? { budget: { spendPerPeriod: wei('--budget', options.budget), periodSeconds: periodSeconds(options.period) } } : {}),
    ...(options.maxPrice !== undefined ? { maxPrice: maxPrice(options.maxPrice) } : {}),
    ...(options.capability !== undefined && options.capability.length > 0 ? { capabilities: options.capability } : {}),
  };
}

function showKey(io: Io, json: boolean | undefined, tenant: string, result: { apiKey: string; file: string }, what: string): void {
  if (json) {
    io.out(JSON.stringify({ ok: true, tenant, apiKey: result.apiKey, file: result.file }));
    return;
  }
  io.out(`${what} in ${result.file}; restart the gateway to apply.`);
  io.out(`API key for ${tenant} (shown once; only its SHA-256 is stored):`);
  io.out(result.apiKey);
}

export function addTenantsCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const tenants = program
    .command('tenants')
    .description("manage the gateway's clients (gateway.tenants in the node's config file): API keys, budgets, max prices, allowed capabilities");

  const run = async (json: boolean | undefined, action: () => void | Promise<void>) => {
    try {
      await action();
      setExit(0);
    } catch (error) {
      setExit(reportError(io, error, json === true));
    }
  };

  tenants
    .command('add')
    .description('add a tenant with a new API key (printed once)')
    .argument('<name>', 'tenant name: lowercase letters, digits, - and _')
    .requiredOption('-c, --config <file>', "the gateway node's config file (YAML or JSON), edited in place")
    .option('--budget <wei>', 'wei the gateway may pay for this tenant per period (default: no limit)')
    .option('--period <seconds|hour|day|week>', 'budget period, aligned to the Unix epoch', 'day')
    .option('--max-price <wei[/pixels]>', 'orchestrators asking more per unit are not used for this tenant')
    .option('--capability <id...>', 'allowed capability ids or patterns such as byoc/* (default: *)')
    .option('--json', 'print {"ok":true,"tenant":…,"apiKey":…} instead of text')
    .action((name: string, options: AddOptions) => run(options.json, () => showKey(io, options.json, name, addTenant(options.config, name, settingsOf(options)), `tenant ${name} added`)));

  tenants
    .command('key')
    .description('give a tenant a new API key (printed once); --replace revokes its other keys')
    .argument('<name>')
    .requiredOption('-c, --config <file>', "the gateway node's config file")
    .option('--replace', 'revoke every key the tenant had (rotation)')
    .option('--json', 'print JSON')
    .action((name: string, options: { config: string; replace?: boolean; json?: boolean }) =>
      run(options.json, () => showKey(io, options.json, name, addTenantKey(options.config, name, { replace: options.replace === true }), options.replace ? `keys of ${name} replaced` : `key added to ${name}`)),
    );

  tenants
    .command('remove')
    .description('remove a tenant and all its keys')
    .argument('<name>')
    .requiredOption('-c, --config <file>', "the gateway node's config file")
    .option('--json', 'print JSON')
    .action((name: string, options: { config: string; json?: boolean }) =>
      run(options.json, () => {
        const { file } = removeTenant(options.config, name);
        io.out(options.json ? JSON.stringify({ ok: true, tenant: name, removed: true, file }) : `tenant ${name} removed from ${file}; restart the gateway to apply.`);
      }),
    );

  tenants
    .command('list')
    .description('list tenants (never their keys); with --redis, what each spent this period')
    .requiredOption('-c, --config <file>', "the gateway node's config file")
    .option('--redis <url>', "the gateway's Redis, to show this period's spend")
    .option('--json', 'print JSON')
    .action((options: { config: string; redis?: string; json?: boolean }) =>
      run(options.json, async () => {
        const spend = options.redis === undefined ? undefined : await tenantSpend(options.config, options.redis);
        const list = listTenants(options.config).map((t) => {
          const report = spend?.get(t.name);
          return report === undefined ? t : { ...t, spentWei: String(report.spentWei), periodEndsInSeconds: report.resetsInSeconds };
        });
        if (options.json) {
          io.out(JSON.stringify({ ok: true, tenants: list }));
          return;
        }
        if (list.length === 0) {
          io.out('no tenants: the gateway API is open (allowed only on a loopback http.host)');
          return;
        }
        const rows = list.map((t) => [
          t.name,
          String(t.keys),
          t.budget === undefined ? '-' : `${t.budget.spendPerPeriod} wei / ${t.budget.periodSeconds ?? 86_400} s`,
          t.maxPrice === undefined ? '-' : `${t.maxPrice.pricePerUnit}/${t.maxPrice.pixelsPerUnit}`,
          t.capabilities.join(','),
          ...(spend !== undefined ? [('spentWei' in t ? t.spentWei : '0') + ' wei'] : []),
        ]);
        io.out(table([['NAME', 'KEYS', 'BUDGET', 'MAX PRICE', 'CAPABILITIES', ...(spend !== undefined ? ['SPENT (this period)'] : [])], ...rows]));
      }),
    );
}
