import { request } from 'node:http';

/**
 * GET /_ping over the engine's unix socket with plain node:http: readiness of
 * a dockerd we spawned is decided before any client library is involved.
 */
export function pingSocket(socketPath: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}
