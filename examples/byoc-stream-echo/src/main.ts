/**
 * `byoc-stream-echo --orchestrator https://host:8935 --secret <secret> [--name stream-echo]
 *  [--price 1] [--capacity 1] [--host 127.0.0.1] [--port 0] [--advertise-url URL]`
 * Every flag also reads from the environment: LPX_ORCHESTRATOR_URL, LPX_ORCHESTRATOR_SECRET,
 * STREAM_NAME, STREAM_PRICE, STREAM_CAPACITY, WORKER_HOST, WORKER_PORT, WORKER_ADVERTISE_URL.
 * Prints one JSON line when ready; SIGINT/SIGTERM unregister and exit.
 */
import { parseArgs } from 'node:util';
import { startEchoWorker } from './index.js';

const { values } = parseArgs({
  options: {
    orchestrator: { type: 'string' },
    secret: { type: 'string' },
    name: { type: 'string' },
    price: { type: 'string' },
    capacity: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'advertise-url': { type: 'string' },
  },
});
const env = process.env;
const orchestrator = values.orchestrator ?? env['LPX_ORCHESTRATOR_URL'];
const secret = values.secret ?? env['LPX_ORCHESTRATOR_SECRET'];
if (orchestrator === undefined || secret === undefined) {
  process.stderr.write('usage: byoc-stream-echo --orchestrator https://host:port --secret <orchestrator secret> (or LPX_ORCHESTRATOR_URL / LPX_ORCHESTRATOR_SECRET)\n');
  process.exit(2);
}
const integer = (value: string | undefined, fallback: number, what: string): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    process.stderr.write(`${what} must be a whole number, got ${value}\n`);
    process.exit(2);
  }
  return n;
};
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

const advertiseUrl = values['advertise-url'] ?? env['WORKER_ADVERTISE_URL'];
const worker = await startEchoWorker({
  orchestrator,
  secret,
  name: values.name ?? env['STREAM_NAME'] ?? 'stream-echo',
  pricePerUnit: integer(values.price ?? env['STREAM_PRICE'], 1, 'price'),
  capacity: integer(values.capacity ?? env['STREAM_CAPACITY'], 1, 'capacity'),
  host: values.host ?? env['WORKER_HOST'] ?? '127.0.0.1',
  port: integer(values.port ?? env['WORKER_PORT'], 0, 'port'),
  ...(advertiseUrl !== undefined ? { advertiseUrl } : {}),
  log,
}).catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
process.stdout.write(`${JSON.stringify({ ready: true, name: worker.name, url: worker.url })}\n`);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void worker.close().finally(() => process.exit(0));
  });
}
