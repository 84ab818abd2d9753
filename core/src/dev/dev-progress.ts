/**
 * `lpx dev up` takes from seconds to minutes (N node processes on a small
 * machine): each step it finishes is reported with the time since start, so
 * an operator sees where it is and which step is slow.
 */
export interface DevProgress {
  /** What finished: `chain`, `contracts`, `redis`, `orchestrator 3 registered`, `gateway ready`, ... */
  readonly step: string;
  readonly detail?: string;
  /** Milliseconds since `dev up` began. */
  readonly elapsedMs: number;
}

export type ProgressReporter = (step: string, detail?: string) => void;

export function progressReporter(onProgress: ((progress: DevProgress) => void) | undefined, now: () => number = Date.now): ProgressReporter {
  const started = now();
  return (step, detail) => onProgress?.({ step, ...(detail !== undefined ? { detail } : {}), elapsedMs: now() - started });
}

/** `[  12.3 s] orchestrator 2 ready  https://127.0.0.1:40123 (pid 4242)` */
export function formatProgress(progress: DevProgress): string {
  const seconds = `${Math.floor(progress.elapsedMs / 1000)}.${Math.floor((progress.elapsedMs % 1000) / 100)}`;
  return `[${seconds.padStart(6)} s] ${progress.step}${progress.detail !== undefined ? `  ${progress.detail}` : ''}`;
}
