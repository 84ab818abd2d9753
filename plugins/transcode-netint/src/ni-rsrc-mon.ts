import { runProcess, stderrReason } from '@lpx/sdk/transcode-kit';

export interface NetintDevice {
  /** The resource manager's index: what `-dec` / `-enc` take. */
  readonly index: number;
  /** The NVMe block device, e.g. `/dev/nvme0n1`. */
  readonly device: string;
}

export type DeviceListing = { readonly devices: readonly NetintDevice[] } | { readonly reason: string };

/**
 * Reads the encoder section of the monitor's default text output:
 *
 *   Num encoders: 2
 *   INDEX LOAD MODEL_LOAD INST MEM  SHARE_MEM P2P_MEM DEVICE
 *   0     0    0          0    0    0         0       /dev/nvme0n1
 *
 * Columns vary between libxcoder releases, so the index is the first column
 * and the device is read by header position, falling back to the `/dev/` token.
 */
export function parseMonitorEncoders(stdout: string): NetintDevice[] {
  const lines = stdout.split(/\r?\n/);
  const start = lines.findIndex((line) => /^\s*Num encoders:\s*\d+/i.test(line));
  if (start < 0) return [];
  const devices: NetintDevice[] = [];
  let deviceColumn = -1;
  for (const line of lines.slice(start + 1)) {
    const tokens = line.trim().split(/\s+/);
    if (/^Num\s/i.test(line.trim()) || line.trim() === '') break;
    if (tokens[0] === 'INDEX') {
      deviceColumn = tokens.indexOf('DEVICE');
      continue;
    }
    if (!/^\d+$/.test(tokens[0] ?? '')) continue;
    const byHeader = deviceColumn >= 0 && tokens.length > deviceColumn ? tokens[deviceColumn] : undefined;
    const device = byHeader?.startsWith('/dev/') ? byHeader : tokens.find((t) => t.startsWith('/dev/')) ?? `encoder ${tokens[0]}`;
    devices.push({ index: Number(tokens[0]), device });
  }
  return devices;
}

/**
 * Lists the encoders Netint's resource manager knows. Quadra's monitor polls
 * forever for a first device unless told otherwise (`-t <s>`); Logan's takes
 * no such flag, so the probe's own timeout is its only bound.
 */
export async function listNetintDevices(monitorPath: string, family: 'quadra' | 'logan', signal: AbortSignal, timeoutMs: number): Promise<DeviceListing> {
  const args = family === 'quadra' ? ['-t', String(Math.max(1, Math.floor(timeoutMs / 2000)))] : [];
  const result = await runProcess(monitorPath, args, { signal, timeoutMs });
  if (result.notFound) return { reason: `${monitorPath} not found: Netint's libxcoder tools are not installed` };
  if (result.aborted) return { reason: 'probe aborted while listing Netint devices' };
  if (result.timedOut) return { reason: `${monitorPath} found no Netint device within ${timeoutMs} ms` };
  if (result.code !== 0) return { reason: `${monitorPath} failed: ${stderrReason(`${result.stderr}\n${result.stdout}`)}` };
  const devices = parseMonitorEncoders(result.stdout);
  if (devices.length === 0) return { reason: `${monitorPath} lists no Netint encoder` };
  return { devices };
}
