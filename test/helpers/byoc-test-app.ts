/**
 * A tiny BYOC partner app for tests, as a partner would ship it: an image
 * (FROM scratch: the static busybox running `httpd` with CGI scripts) and the
 * `docker save` archive of it, whose loaded image id is the digest a manifest
 * pins.
 *
 *   const app = await byocTestApp(t);   // { ref, digest, archivePath, port, runtime }
 *
 * Routes the app answers (port 8080):
 * - `GET /health` → 200 `ok`;
 * - `POST /cgi-bin/echo` → 200 JSON `{"method","contentType","body"}` with the body it got;
 * - `POST /cgi-bin/fail` → 500;
 * everything else 404. Built once per process; the archive is written next to
 * the busybox rootfs in a temp folder.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { makeBusyboxRootfs } from '../../sdk/src/testing/containers/busybox-rootfs.js';
import { createDockerRuntime, type DockerRuntime } from '../../plugins/runtime-docker/src/index.js';
import { testDocker, type Teardownable } from './docker.js';

export const BYOC_TEST_APP_PORT = 8080;

export interface ByocTestApp {
  /** `name:tag` of the image on the test engine. */
  readonly ref: string;
  /** Its image id (`sha256:…`): what `docker load` of the archive reproduces. */
  readonly digest: string;
  /** A `docker save` archive of the image. */
  readonly archivePath: string;
  readonly port: number;
  /** A runtime on the shared test engine (closed at teardown). */
  readonly runtime: DockerRuntime;
  readonly dockerHost: string;
}

const ECHO_CGI = `#!/bin/sh
body=$(head -c "\${CONTENT_LENGTH:-0}")
printf 'Content-Type: application/json\\r\\n\\r\\n'
printf '{"method":"%s","contentType":"%s","body":"%s"}' "$REQUEST_METHOD" "$CONTENT_TYPE" "$(printf '%s' "$body" | sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g')"
`;

const FAIL_CGI = `#!/bin/sh
printf 'Status: 500 Internal Server Error\\r\\nContent-Type: text/plain\\r\\n\\r\\nfailed on purpose'
`;

let built: Promise<Omit<ByocTestApp, 'runtime' | 'dockerHost'>> | undefined;

export async function byocTestApp(t: Teardownable): Promise<ByocTestApp> {
  const { dockerHost, socketPath } = await testDocker(t);
  const runtime = createDockerRuntime({ host: dockerHost, dataDir: await mkdtemp(join(tmpdir(), 'lpx-byoc-app-runtime-')) });
  t.teardown(() => runtime.close());
  const status = await runtime.probe(AbortSignal.timeout(60_000));
  if (!status.available) throw new Error(`the test docker engine is not available: ${status.reason ?? 'unknown'}`);
  built ??= build(runtime, socketPath).catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return { ...(await built), runtime, dockerHost };
}

async function build(runtime: DockerRuntime, socketPath: string): Promise<Omit<ByocTestApp, 'runtime' | 'dockerHost'>> {
  const work = await mkdtemp(join(tmpdir(), 'lpx-byoc-app-'));
  const rootfs = await makeBusyboxRootfs({ workDir: work });
  // The rootfs tarball gets the app's files appended: health file and CGI scripts.
  const extra = join(work, 'extra');
  await mkdir(join(extra, 'www', 'cgi-bin'), { recursive: true });
  await writeFile(join(extra, 'www', 'health'), 'ok\n');
  for (const [name, script] of [['echo', ECHO_CGI], ['fail', FAIL_CGI]] as const) {
    await writeFile(join(extra, 'www', 'cgi-bin', name), script);
    await chmod(join(extra, 'www', 'cgi-bin', name), 0o755);
  }
  await promisify(execFile)('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', extra, '-rf', rootfs.tarPath, './www/health', './www/cgi-bin']);
  // The tag names both the busybox and the scripts, so a changed script never reuses an old image.
  const scripts = createHash('sha256').update(ECHO_CGI).update(FAIL_CGI).digest('hex').slice(0, 8);
  const ref = `lpx-byoc-test-app:${rootfs.digest}-${scripts}`;
  const image = await runtime.ensureImage({
    ref,
    source: { kind: 'import', tarPath: rootfs.tarPath, changes: [`CMD ["/bin/httpd", "-f", "-p", "${BYOC_TEST_APP_PORT}", "-h", "/www"]`] },
  });
  const archivePath = join(work, 'app-image.tar');
  const docker = new Dockerode({ socketPath });
  await pipeline(await docker.getImage(ref).get(), createWriteStream(archivePath));
  return { ref, digest: image.id, archivePath, port: BYOC_TEST_APP_PORT };
}
