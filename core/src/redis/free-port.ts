import { createServer } from 'node:net';

/**
 * Asks the kernel for a free loopback port by binding port 0 and releasing it.
 * There is a short window in which another process could take it; the
 * embedded Redis retries with a new port when that happens.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
