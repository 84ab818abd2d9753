import { runProcess, stderrReason } from '@lpx/sdk/transcode-kit';

export interface GpuInfo {
  /** nvidia-smi's index: what `-hwaccel_device` and `cuda=gpu:<n>` take. */
  readonly index: number;
  readonly name: string;
  /** As nvidia-smi prints it, e.g. `24576 MiB`. */
  readonly memory: string;
}

export type GpuListing = { readonly gpus: readonly GpuInfo[] } | { readonly reason: string };

/** Parses `nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader`: `0, NVIDIA GeForce RTX 3090, 24576 MiB`. */
export function parseGpuList(stdout: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const fields = line.split(',').map((field) => field.trim());
    if (fields.length < 3 || !/^\d+$/.test(fields[0]!)) continue;
    // A GPU name may itself hold a comma; the index is first and the memory last.
    gpus.push({ index: Number(fields[0]), name: fields.slice(1, -1).join(', '), memory: fields.at(-1)! });
  }
  return gpus;
}

/** Lists the GPUs the NVIDIA driver sees, or says why it cannot. */
export async function listGpus(nvidiaSmiPath: string, signal: AbortSignal, timeoutMs: number): Promise<GpuListing> {
  const result = await runProcess(nvidiaSmiPath, ['--query-gpu=index,name,memory.total', '--format=csv,noheader'], { signal, timeoutMs });
  if (result.notFound) return { reason: `${nvidiaSmiPath} not found: no NVIDIA driver` };
  if (result.aborted) return { reason: 'probe aborted while listing GPUs' };
  if (result.timedOut) return { reason: `${nvidiaSmiPath} did not answer within ${timeoutMs} ms` };
  // nvidia-smi prints its failures ("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver") on stdout.
  if (result.code !== 0) return { reason: `${nvidiaSmiPath} failed: ${stderrReason(`${result.stderr}\n${result.stdout}`)}` };
  const gpus = parseGpuList(result.stdout);
  if (gpus.length === 0) return { reason: `${nvidiaSmiPath} lists no GPU` };
  return { gpus };
}
