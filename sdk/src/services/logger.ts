export type LogFn = {
  (message: string): void;
  (bindings: Record<string, unknown>, message?: string): void;
};

/** The pino surface plugins rely on; each plugin gets a child tagged with its id. */
export interface LoggerService {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): LoggerService;
}
