import { pino, type Logger } from 'pino';

export function createRootLogger(options: { level: string; name: string; destination?: NodeJS.WritableStream }): Logger {
  return pino({ level: options.level, name: options.name, base: { pid: process.pid } }, options.destination ?? pino.destination({ dest: 2, sync: false }));
}
