import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { GpuAvailability } from '../slots/slot-plan.js';

const run = promisify(execFile);

export interface GpuProbeOptions {
  /** Default `nvidia-smi` on PATH. */
  readonly nvidiaSmi?: string;
  /** Where device nodes live (`/dev`); tests point it elsewhere. */
  readonly devDir?: string;
  readonly timeoutMs?: number;
}

export interface GpuProbeResult {
  /** One per configured GPU (or per GPU found, for `all`). Empty: use one emulated slot. */
  readonly gpus: readonly GpuAvailability[];
  /** Why no GPU was usable at all, when that is the case. */
  readonly reason?: string;
}

interface ListedGpu {
  readonly index: string;
  readonly uuid: string;
}

async function listGpus(options: GpuProbeOptions): Promise<ListedGpu[] | { readonly error: string }> {
  const command = options.nvidiaSmi ?? 'nvidia-smi';
  try {
    const { stdout } = await run(command, ['--query-gpu=index,uuid', '--format=csv,noheader'], { timeout: options.timeoutMs ?? 5_000 });
    return stdout
      .split('\n')
      .map((line) => line.split(',').map((s) => s.trim()))
      .filter((parts) => parts[0] !== undefined && parts[0] !== '')
      .map(([index, uuid]) => ({ index: index!, uuid: uuid ?? '' }));
  } catch (cause) {
    const error = cause as NodeJS.ErrnoException & { stderr?: string };
    if (error.code === 'ENOENT') return { error: `${command} not found: no NVIDIA driver on this host` };
    return { error: `${command} failed: ${(error.stderr ?? '').trim() || error.message}` };
  }
}

/**
 * Checks the GPUs the config names before the runners ask Docker for them:
 * nvidia-smi must list each id (index or UUID) and its device node must
 * exist. An unusable GPU is reported with the reason; the caller keeps the
 * slot without a device so the node still serves (on the CPU) and says so.
 */
export async function probeGpus(configured: readonly string[] | 'all', options: GpuProbeOptions = {}): Promise<GpuProbeResult> {
  if (configured !== 'all' && configured.length === 0) return { gpus: [] };
  const listed = await listGpus(options);
  const devDir = options.devDir ?? '/dev';
  if ('error' in listed) {
    if (configured === 'all') return { gpus: [], reason: listed.error };
    return { gpus: configured.map((id) => ({ id, available: false, reason: listed.error })), reason: listed.error };
  }
  if (configured === 'all') {
    if (listed.length === 0) return { gpus: [], reason: 'nvidia-smi lists no GPU' };
    return { gpus: listed.map((g) => deviceCheck(g.index, g.index, devDir)) };
  }
  return {
    gpus: configured.map((id) => {
      const gpu = listed.find((g) => g.index === id || g.uuid === id);
      if (!gpu) return { id, available: false, reason: `nvidia-smi does not list GPU ${id} (found ${listed.map((g) => g.index).join(', ') || 'none'})` };
      return deviceCheck(id, gpu.index, devDir);
    }),
  };
}

function deviceCheck(id: string, index: string, devDir: string): GpuAvailability {
  const node = `${devDir}/nvidia${index}`;
  return existsSync(node) ? { id, available: true } : { id, available: false, reason: `${node} does not exist` };
}
