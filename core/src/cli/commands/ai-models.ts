/**
 * `lpx ai models`: the AI pipelines, models, capacity, prices and executors.
 * With `--url` it asks a running node (`GET /v1/ai/models`): an orchestrator
 * answers with what its live workers offer together, a worker with its own
 * executors. With `--config` it loads the config's plugins the way `lpx start`
 * does (no role, no HTTP edge) and lists their pipelines and executors' offers.
 */
import type { Command } from 'commander';
import { request } from 'undici';
import type { AIModelOffer } from '@lpx/sdk';
import { Host } from '../../boot/host.js';
import { loadConfig } from '../../config/load-config.js';
import type { ModelSummary } from '../../ai/model-offers.js';
import { reportError, table, type Io } from '../output.js';

interface AIStatus {
  readonly pipelines: readonly { name: string; unit: string; defaultModel: string }[];
  readonly executors: readonly { name: string; offers: readonly AIModelOffer[] }[];
  readonly models?: readonly ModelSummary[];
}

function price(p: { pricePerUnit: string; pixelsPerUnit: string } | undefined, unit: string): string {
  if (p === undefined) return '-';
  return p.pixelsPerUnit === '1' ? `${p.pricePerUnit} wei/${unit}` : `${p.pricePerUnit}/${p.pixelsPerUnit} wei/${unit}`;
}

export function renderAIStatus(status: AIStatus): string {
  const units = new Map(status.pipelines.map((p) => [p.name, p.unit]));
  const parts = [table([['PIPELINE', 'UNIT', 'DEFAULT MODEL'], ...status.pipelines.map((p) => [p.name, p.unit, p.defaultModel])])];
  if (status.models !== undefined) {
    parts.push(
      status.models.length === 0
        ? 'no models: no live worker offers any'
        : table([
            ['PIPELINE', 'MODEL', 'CAPACITY', 'WARM', 'PRICE', 'EXECUTORS', 'WORKERS'],
            ...status.models.map((m) => [m.pipeline, m.modelId, String(m.capacity), m.warm ? 'yes' : 'no', price(m.price, units.get(m.pipeline) ?? 'unit'), m.executors.join(','), String(m.workers)]),
          ]),
    );
  }
  const offers = status.executors.flatMap((e) => e.offers.map((o) => [e.name, o.pipeline, o.modelId, String(o.capacity), o.warm ? 'yes' : 'no', price(o.price, units.get(o.pipeline) ?? 'unit')]));
  if (status.executors.length > 0) parts.push(offers.length === 0 ? 'executors offer no models' : table([['EXECUTOR', 'PIPELINE', 'MODEL', 'CAPACITY', 'WARM', 'PRICE'], ...offers]));
  return parts.join('\n\n');
}

export function addAICommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const ai = program.command('ai').description('AI pipelines on this node');
  ai.command('models')
    .description('pipelines, models, capacity, price and executors (of a running node with --url, or of the config\'s plugins)')
    .option('--url <url>', "a running node's HTTP edge (GET /v1/ai/models)")
    .option('--config <file>', 'node config file (loads its plugins, serves nothing)')
    .option('--set <path=value...>', 'override a setting (repeatable)', [])
    .option('--json', 'print JSON')
    .action(async (options: { url?: string; config?: string; set: string[]; json?: boolean }) => {
      let host: Host | undefined;
      try {
        let status: AIStatus;
        if (options.url !== undefined) {
          const res = await request(`${options.url.replace(/\/+$/, '')}/v1/ai/models`);
          if (res.statusCode !== 200) throw new Error(`GET /v1/ai/models answered ${res.statusCode}: ${await res.body.text()}`);
          status = (await res.body.json()) as AIStatus;
        } else if (options.config !== undefined) {
          const loaded = loadConfig({ file: options.config, sets: options.set });
          const config = { ...loaded.config, node: { ...loaded.config.node, roles: [] }, http: { ...loaded.config.http, enabled: false }, log: { ...loaded.config.log, level: 'error' } };
          host = new Host({ config: { ...loaded, config } });
          await host.start();
          const base = host.ai.status();
          status = { ...base, executors: Object.entries(host.ai.localOffers()).map(([name, offers]) => ({ name, offers })) };
        } else {
          throw new Error('give --url of a running node or --config');
        }
        io.out(options.json ? JSON.stringify({ ok: true, ...status }) : renderAIStatus(status));
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      } finally {
        await host?.stop();
      }
    });
}
