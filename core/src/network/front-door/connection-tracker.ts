/**
 * Keeps every open connection of the front door so close() can be bounded.
 * `server.close()` only stops accepting: on Node 20 it then waits for every
 * HTTP/2 session and keep-alive HTTP/1.1 socket to go away by itself, which
 * an idle gateway connection never does. We ask politely first (GOAWAY for
 * HTTP/2, letting in-flight streams finish), then destroy what is left.
 */
import type { Http2SecureServer, ServerHttp2Session } from 'node:http2';
import type { TLSSocket } from 'node:tls';

export class ConnectionTracker {
  readonly #sessions = new Set<ServerHttp2Session>();
  readonly #sockets = new Set<TLSSocket>();
  /** Called when the last socket closes, while a drain waits for it. */
  #onEmpty: (() => void) | undefined;

  attach(server: Http2SecureServer): void {
    server.on('session', (session: ServerHttp2Session) => {
      this.#sessions.add(session);
      session.once('close', () => this.#sessions.delete(session));
    });
    // Every TLS connection, HTTP/1.1 ones included (they never become sessions).
    server.on('secureConnection', (socket: TLSSocket) => {
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        if (this.#sockets.size === 0) this.#onEmpty?.();
      });
    });
  }

  get size(): number {
    return this.#sockets.size;
  }

  /** GOAWAY to every HTTP/2 session now; after `graceMs`, destroy whatever is still open. */
  async drain(graceMs: number): Promise<void> {
    for (const session of this.#sessions) if (!session.closed) session.close();
    if (this.#sockets.size === 0) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(done, graceMs);
      this.#onEmpty = () => {
        clearTimeout(timer);
        done();
      };
    });
    this.#onEmpty = undefined;
    for (const session of this.#sessions) session.destroy();
    for (const socket of this.#sockets) socket.destroy();
  }
}
