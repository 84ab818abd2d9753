/** A real HTTP webhook receiver for tests: records each request and answers from a script. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

export interface Receiver {
  readonly port: number;
  readonly url: string;
  readonly received: ReceivedHook[];
  /** Requests whose connection closed before an answer was sent (the sender gave up). */
  readonly abandoned: number;
  /** Requests held open right now (a `hang` answer). */
  readonly open: number;
}

/** An answer per request, in order: a status, 'hang' (never answer), or a redirect; 200 once the script is used up. */
export type Scripted = number | 'hang' | { redirect: string };

export async function receiver(t: { teardown(fn: () => unknown): void }, script: Scripted[] = []): Promise<Receiver> {
  const answers = [...script];
  const received: ReceivedHook[] = [];
  const state = { abandoned: 0, open: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const answer = answers.shift() ?? 200;
      if (answer === 'hang') {
        state.open++;
        res.on('close', () => {
          state.open--;
          if (!res.writableEnded) state.abandoned++;
        });
        return;
      }
      if (typeof answer === 'object') {
        res.writeHead(302, { location: answer.redirect }).end();
        return;
      }
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    received,
    get abandoned() {
      return state.abandoned;
    },
    get open() {
      return state.open;
    },
  };
}
