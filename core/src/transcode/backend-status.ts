/**
 * Backend statuses as the kernel keeps them: a probe that throws, hangs or
 * returns nonsense becomes "unavailable" with a reason, never a boot failure.
 */
import type { OutputFormat, TranscodeBackend, TranscodeBackendStatus, VideoCodec } from '@lpx/sdk';
import { isLpxError } from '@lpx/sdk';

const CODECS: ReadonlySet<string> = new Set(['H264', 'HEVC', 'VP8', 'VP9']);
const FORMATS: ReadonlySet<string> = new Set(['mpegts', 'mp4']);

export function unavailable(reason: string): TranscodeBackendStatus {
  return { available: false, reason, capacity: 0, decode: [], encode: [], formats: [] };
}

/** Keeps only what the contract allows; an unavailable backend always has capacity 0 and a reason. */
export function normalizeStatus(status: unknown): TranscodeBackendStatus {
  if (typeof status !== 'object' || status === null) return unavailable(`probe returned ${JSON.stringify(status)} instead of a status`);
  const s = status as Partial<TranscodeBackendStatus>;
  const list = <T extends string>(value: unknown, allowed: ReadonlySet<string>): T[] => (Array.isArray(value) ? [...new Set(value.filter((v): v is T => typeof v === 'string' && allowed.has(v)))] : []);
  const capacity = typeof s.capacity === 'number' && Number.isSafeInteger(s.capacity) && s.capacity > 0 ? s.capacity : 0;
  if (s.available !== true) return { ...unavailable(typeof s.reason === 'string' && s.reason.trim() !== '' ? s.reason : 'the backend reported itself unavailable without a reason') };
  if (capacity === 0) return unavailable(s.reason ?? 'the backend reported capacity 0');
  return {
    available: true,
    capacity,
    decode: list<VideoCodec>(s.decode, CODECS),
    encode: list<VideoCodec>(s.encode, CODECS),
    formats: list<OutputFormat>(s.formats, FORMATS),
    ...(typeof s.reason === 'string' ? { reason: s.reason } : {}),
    ...(Array.isArray(s.devices) ? { devices: s.devices } : {}),
  };
}

/** Probes one backend within `timeoutMs`; the backend's signal is aborted at the deadline or on `signal`. */
export async function probeBackend(backend: TranscodeBackend, timeoutMs: number, signal?: AbortSignal): Promise<TranscodeBackendStatus> {
  const controller = new AbortController();
  const abort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', abort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<TranscodeBackendStatus>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('probe timeout'));
      resolve(unavailable(`probe did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const probed = Promise.resolve()
      .then(() => backend.probe(controller.signal))
      .then(normalizeStatus, (error: unknown) => unavailable(`probe failed: ${isLpxError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error)}`));
    return await Promise.race([probed, deadline]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
}
