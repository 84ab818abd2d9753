import { transcodeErrors } from '../../errors/codes/transcode.js';
import type { ProcessResult } from './run-process.js';
import { stderrReason } from './stderr-reason.js';

export interface ProcessErrorContext {
  /** The binary that ran, named when it is missing. */
  readonly command: string;
  /** Where it ran, for the message: `GPU 0`, `Netint device 1`. */
  readonly where: string;
  /** Added to a FAILED error's details (backend, device), for logs and metrics. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The coded error for a transcode process that did not succeed, or undefined
 * when it exited 0: CANCELLED when the caller aborted (the group was killed),
 * FAILED with the encoder's own line otherwise. Backends throw it as is, so
 * every kit-built backend reports a crashed segment the same way.
 */
export function transcodeProcessError(result: ProcessResult, context: ProcessErrorContext): Error | undefined {
  if (result.aborted) return transcodeErrors.CANCELLED.create(`the task was aborted; ffmpeg on ${context.where} was killed`);
  if (result.notFound) return transcodeErrors.FAILED.create(`ffmpeg not found at ${context.command}`);
  if (result.code !== 0) {
    return transcodeErrors.FAILED.create(`ffmpeg on ${context.where} exited with ${result.code ?? 'a signal'}: ${stderrReason(result.stderr)}`, { ...(context.details === undefined ? {} : { details: context.details }) });
  }
  return undefined;
}
