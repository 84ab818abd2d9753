export type LifecycleHook = () => void | Promise<void>;

/** Start/stop hooks; the kernel runs start hooks in dependency order and stop hooks in reverse. */
export interface LifecycleService {
  onStart(hook: LifecycleHook): void;
  onShutdown(hook: LifecycleHook): void;
  /** Aborted when the node begins shutting down; pass it to long-running work. */
  readonly signal: AbortSignal;
}
