import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { mirrorRelease, packPluginFolder, publishToHttpRegistry } from '../src/index.js';
import { remoteBody } from '../src/http/remote-fetch.js';
import { catchError } from './helpers/catch-error.js';
import { PUBLISH_TOKEN, releaseFolders, signed, startRegistry } from './helpers/http-registry.js';
import { readdir } from 'node:fs/promises';

/** A server that answers every GET with `chunks` chunks of 64 KiB, chunked (no Content-Length) unless `declare` is set. */
async function streamingServer(t: Test, chunks: number, declare?: number): Promise<{ url: string; sent: () => number }> {
  let sent = 0;
  const server: Server = createServer((_request, response) => {
    if (declare !== undefined) response.setHeader('content-length', String(declare));
    const chunk = Buffer.alloc(64 * 1024, 1);
    let left = chunks;
    const pump = (): void => {
      while (left > 0) {
        left -= 1;
        sent += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
      response.end();
    };
    response.on('error', () => undefined);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, sent: () => sent };
}

t.test('a body within the limit is read whole', async (t) => {
  const { url } = await streamingServer(t, 4);
  const body = await remoteBody(await fetch(url), url, 1024 * 1024);
  t.equal(body.length, 4 * 64 * 1024);
});

t.test('an endless chunked body is cut off at the limit, not buffered', async (t) => {
  const { url, sent } = await streamingServer(t, 100_000);
  const error = await catchError(() => fetch(url).then((response) => remoteBody(response, url, 1024 * 1024)));
  t.equal(error.code, 'LPX_ERR_REGISTRY_REMOTE_FAILED');
  t.match(error.message, /larger than 1048576 bytes \(more than 1048576 bytes arrived\)/);
  t.ok(sent() < 100_000 * 64 * 1024, 'the server was not read to its end');
});

t.test('a declared Content-Length over the limit is refused before reading', async (t) => {
  const { url } = await streamingServer(t, 2, 2 * 64 * 1024);
  const error = await catchError(() => fetch(url).then((response) => remoteBody(response, url, 1000)));
  t.match(error.message, /larger than 1000 bytes \(Content-Length 131072\)/);
});

t.test('mirroring a release whose tarball exceeds maxDownloadBytes: refused, nothing left in the mirror', async (t) => {
  const dir = t.testdir(releaseFolders());
  const url = await startRegistry(t, join(dir, 'registry'));
  const packed = await packPluginFolder(join(dir, 'v100'));
  await publishToHttpRegistry(url, packed, { token: PUBLISH_TOKEN, signatures: [signed(packed)] });
  const mirror = join(dir, 'mirror');
  const error = await catchError(() => mirrorRelease(url, 'hello-world', '^1.0.0', mirror, { maxDownloadBytes: 100 }));
  t.equal(error.code, 'LPX_ERR_REGISTRY_REMOTE_FAILED');
  t.match(error.message, /package\.tgz: the body is larger than 100 bytes/);
  t.same(await readdir(join(mirror, 'hello-world')).catch(() => []), [], 'no release folder');
  const entry = await mirrorRelease(url, 'hello-world', '^1.0.0', mirror);
  t.equal(entry.version, '1.0.0', 'the default limit takes the same release');
});
