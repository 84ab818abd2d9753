import type { LoggerService } from '@lpx/sdk';

export interface LogLine {
  level: string;
  message: string;
  bindings: Record<string, unknown>;
}

/** A LoggerService that records lines, so tests can assert what an operator would see. */
export function captureLogger(lines: LogLine[] = []): LoggerService & { lines: LogLine[] } {
  const at = (level: string) => (first: string | Record<string, unknown>, message?: string): void => {
    if (typeof first === 'string') lines.push({ level, message: first, bindings: {} });
    else lines.push({ level, message: message ?? '', bindings: first });
  };
  const logger = {
    lines,
    trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'),
    child: () => logger,
  };
  return logger;
}
