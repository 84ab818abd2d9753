import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply = { status?: number; body?: string; delayMs?: number };

/** A real local HTTP server whose next answers the test scripts; it counts requests and keeps their headers. */
export async function startWebhookServer(t: { teardown(fn: () => unknown): void }) {
  let reply: Reply = { body: '[]' };
  const requests: IncomingMessage['headers'][] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.headers);
    const { status = 200, body = '', delayMs = 0 } = reply;
    const timer = setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(body), delayMs);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/orchestrators`,
    requests,
    answer(next: Reply) {
      reply = next;
    },
  };
}

export function captureLogger() {
  const lines: { level: string; bindings: Record<string, unknown>; message?: string }[] = [];
  const at = (level: string) => (bindings: Record<string, unknown> | string, message?: string) =>
    void lines.push(typeof bindings === 'string' ? { level, bindings: {}, message: bindings } : { level, bindings, ...(message === undefined ? {} : { message }) });
  return { lines, logger: { warn: at('warn'), error: at('error') } as never };
}
