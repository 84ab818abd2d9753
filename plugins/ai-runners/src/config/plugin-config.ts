import { join, resolve } from 'node:path';
import { errors, isAIPipelineName, type AIPipelineName } from '@lpx/sdk';
import { parseAIModelEntry } from './ai-model-entry.js';
import { readAIModelsSource } from './ai-models-source.js';
import { planModels, type ModelPlan } from './model-plan.js';

/** go-livepeer's aiRunnerImageOverrides (`live` is accepted and unused: lpx runs batch pipelines). */
export interface ImageOverrides {
  readonly default?: string;
  readonly batch?: Readonly<Record<string, string>>;
  readonly live?: Readonly<Record<string, string>>;
}

/** go-livepeer's timings (ai/worker/docker.go), overridable for slow disks and for tests. */
export interface RunnerTimeouts {
  /** Created → running, and running → /health answering (go-livepeer containerTimeout, 3 min). */
  readonly startMs: number;
  /** The same with optimization flags (5 min). */
  readonly optimizedStartMs: number;
  /** An external runner's first /health (2 min). */
  readonly externalStartMs: number;
  /** Between /health polls while starting (500 ms). */
  readonly pollMs: number;
  /** One /health call (5 s). */
  readonly healthMs: number;
  /** Watchdog period (5 s). */
  readonly watchIntervalMs: number;
  /** LOADING longer than this counts as a failure (3 min). */
  readonly loadingMaxMs: number;
  /** SIGTERM → SIGKILL when stopping a container (8 s). */
  readonly stopMs: number;
  /** One request on a runner; past it the runner is restarted (go-livepeer's AI worker request timeout, 15 min). */
  readonly requestMs: number;
  /** lpx's own: wait before trying a failed warm start again (2 s), doubling at each failure... */
  readonly warmRetryMs: number;
  /** ...up to this (60 s); retries go on while the node runs. */
  readonly warmRetryMaxMs: number;
}

export const DEFAULT_TIMEOUTS: RunnerTimeouts = Object.freeze({
  startMs: 180_000,
  optimizedStartMs: 300_000,
  externalStartMs: 120_000,
  pollMs: 500,
  healthMs: 5_000,
  watchIntervalMs: 5_000,
  loadingMaxMs: 180_000,
  stopMs: 8_000,
  requestMs: 900_000,
  warmRetryMs: 2_000,
  warmRetryMaxMs: 60_000,
});

/** Warm starts in flight at once (lpx's own): six container starts and model loads at once starve a small machine. */
export const DEFAULT_WARM_CONCURRENCY = 2;

/** `plugins.ai-runners.config` as written (after the manifest schema). */
export interface RawRunnersConfig {
  aiModels?: unknown;
  gpus?: string | readonly string[];
  containersPerGpu?: number;
  warmConcurrency?: number;
  aiRunnerImageOverrides?: ImageOverrides | string;
  modelsDir?: string;
  verboseLogs?: boolean;
  timeouts?: Partial<RunnerTimeouts>;
}

export interface RunnersConfig {
  readonly models: readonly ModelPlan[];
  /** Configured GPU ids; `all` asks the probe to list them; empty = one emulated slot. */
  readonly gpus: readonly string[] | 'all';
  readonly containersPerGpu: number;
  /** Warm runner starts in flight at once (boot, re-warms and retries alike). */
  readonly warmConcurrency: number;
  readonly images: ImageOverrides;
  readonly modelsDir: string;
  readonly verboseLogs: boolean;
  readonly timeouts: RunnerTimeouts;
}

export function resolveRunnersConfig(raw: RawRunnersConfig, dataDir: string, cwd = process.cwd()): RunnersConfig {
  const entries = readAIModelsSource(raw.aiModels, cwd).map(parseAIModelEntry);
  return {
    models: planModels(entries),
    gpus: parseGpus(raw.gpus),
    containersPerGpu: raw.containersPerGpu ?? 1,
    warmConcurrency: parseWarmConcurrency(raw.warmConcurrency),
    images: parseOverrides(raw.aiRunnerImageOverrides),
    modelsDir: raw.modelsDir ? resolve(cwd, raw.modelsDir) : join(dataDir, 'models'),
    verboseLogs: raw.verboseLogs ?? false,
    timeouts: { ...DEFAULT_TIMEOUTS, ...raw.timeouts },
  };
}

function parseWarmConcurrency(value: number | undefined): number {
  if (value === undefined) return DEFAULT_WARM_CONCURRENCY;
  if (!Number.isInteger(value) || value < 1) throw errors.config.INVALID.create(`plugins.ai-runners.config.warmConcurrency: a whole number of at least 1, not ${value}`);
  return value;
}

/** `-nvidia` style: `all`, `0,1`, or a list. */
export function parseGpus(value: RawRunnersConfig['gpus']): readonly string[] | 'all' {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? value.split(',') : [...value];
  const ids = list.map((id) => id.trim()).filter((id) => id !== '');
  if (ids.length === 1 && ids[0] === 'all') return 'all';
  if (ids.includes('all')) throw errors.config.INVALID.create('plugins.ai-runners.config.gpus: "all" cannot be mixed with ids');
  if (new Set(ids).size !== ids.length) throw errors.config.INVALID.create(`plugins.ai-runners.config.gpus: an id is listed twice (${ids.join(',')})`);
  return ids;
}

function parseOverrides(value: RawRunnersConfig['aiRunnerImageOverrides']): ImageOverrides {
  if (value === undefined || value === '') return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (cause) {
      throw errors.config.INVALID.create(`plugins.ai-runners.config.aiRunnerImageOverrides: not valid JSON: ${(cause as Error).message}`, { cause });
    }
  }
  const overrides = parsed as ImageOverrides;
  for (const pipeline of Object.keys(overrides.batch ?? {})) {
    if (!isAIPipelineName(pipeline)) throw errors.config.INVALID.create(`plugins.ai-runners.config.aiRunnerImageOverrides.batch: unknown pipeline "${pipeline}"`);
  }
  return overrides;
}

/**
 * go-livepeer's order: the pipeline's override, else the default override,
 * else the built-in image. Its per-pipeline `livepeer/ai-runner:<pipeline>`
 * images come from a registry lpx cannot reach, so the built-in image here is
 * the reference runner the node builds itself.
 */
export function imageFor(images: ImageOverrides, pipeline: AIPipelineName, builtIn: string): string {
  return images.batch?.[pipeline] ?? images.default ?? builtIn;
}
