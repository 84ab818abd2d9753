/**
 * What the kernel checks before it stores and signs a backend's output
 * (go-livepeer: one output per profile, each at least 25 bytes). A backend
 * that breaks its contract gets RESULT_INVALID, never a charge.
 */
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { errors, type Rendition, type TranscodeOutput, type TranscodeProfile } from '@lpx/sdk';

/** go-livepeer refuses smaller renditions as `ZeroSegments`. */
export const MIN_RENDITION_BYTES = 25;

function invalid(message: string, details: Record<string, unknown> = {}): Error {
  return errors.transcode.RESULT_INVALID.create(message, { details });
}

export async function checkRenditions(output: TranscodeOutput | undefined, profiles: readonly TranscodeProfile[], outputDir: string): Promise<readonly Rendition[]> {
  const renditions = output?.renditions;
  if (!Array.isArray(renditions)) throw invalid('the backend returned no renditions list');
  if (renditions.length !== profiles.length) throw invalid(`the backend returned ${renditions.length} renditions for ${profiles.length} profiles`, { expected: profiles.length, got: renditions.length });
  const dir = resolve(outputDir) + sep;
  for (const [i, profile] of profiles.entries()) {
    const r = renditions[i] as Rendition | undefined;
    if (r?.profile !== profile.name) throw invalid(`rendition ${i} is for ${String(r?.profile)}, expected ${profile.name} (same order as the profiles)`, { index: i });
    if (typeof r.path !== 'string' || !resolve(r.path).startsWith(dir)) throw invalid(`rendition ${profile.name} is not inside the task's output directory`, { profile: profile.name });
    if (typeof r.pixels !== 'bigint' || r.pixels <= 0n) throw invalid(`rendition ${profile.name} reports ${String(r.pixels)} pixels`, { profile: profile.name });
    if (!Number.isInteger(r.width) || !Number.isInteger(r.height) || r.width <= 0 || r.height <= 0) throw invalid(`rendition ${profile.name} reports a ${r.width}x${r.height} size`, { profile: profile.name });
    const size = await stat(r.path).then((s) => (s.isFile() ? s.size : -1), () => -1);
    if (size < 0) throw invalid(`rendition ${profile.name}: ${r.path} does not exist`, { profile: profile.name });
    if (size < MIN_RENDITION_BYTES) throw invalid(`rendition ${profile.name} has ${size} bytes (under ${MIN_RENDITION_BYTES})`, { profile: profile.name, size });
  }
  return renditions;
}
