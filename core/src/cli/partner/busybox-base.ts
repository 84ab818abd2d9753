/**
 * The base image for small partner apps: `lpx/busybox:<version>`, FROM
 * scratch with Debian's statically linked busybox (busybox-static) and one
 * symlink per applet. Built locally through the node's container runtime —
 * no image registry is reachable from an isolated node — so a partner's
 * Dockerfile can say `FROM lpx/busybox:<version>` and run `busybox httpd`
 * with CGI scripts. Idempotent: an image already present is kept.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { errors, type ContainerRuntime, type ImageInfo } from '@lpx/sdk';
import { isStaticElf } from '@lpx/sdk/testing';

export const DEFAULT_BUSYBOX_PATH = '/bin/busybox';
/** Label on the base image: what built it and from which busybox. */
export const BASE_IMAGE_LABEL = 'io.lpx.base';

const run = promisify(execFile);

/** `1.35.0` from the binary's banner (`BusyBox v1.35.0 (Debian ...) multi-call binary.`). */
export async function busyboxVersion(busyboxPath = DEFAULT_BUSYBOX_PATH): Promise<string> {
  // busybox with no applet prints its banner and exits non-zero on some builds: read stdout either way.
  const output = await run(busyboxPath, ['--help']).then(
    (r) => r.stdout + r.stderr,
    (error: { stdout?: string; stderr?: string; message: string }) => (error.stdout ?? '') + (error.stderr ?? '') || error.message,
  );
  const version = /BusyBox v(\d+\.\d+\.\d+)/.exec(output)?.[1];
  if (version === undefined) throw errors.containers.IMAGE_BUILD_FAILED.create(`${busyboxPath} is not a busybox binary (no "BusyBox vX.Y.Z" banner; Debian: apt-get install busybox-static)`, { details: { busyboxPath } });
  return version;
}

export function busyboxBaseRef(version: string): string {
  return `lpx/busybox:${version}`;
}

const DOCKERFILE = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN ["/bin/busybox", "mkdir", "-p", "/www/cgi-bin", "/tmp", "/etc"]
RUN ["/bin/busybox", "chmod", "1777", "/tmp"]
ENV PATH=/bin
CMD ["/bin/sh"]
`;

/** Builds (or finds) `lpx/busybox:<version>` on the runtime's engine. */
export async function ensureBusyboxBase(runtime: ContainerRuntime, options: { readonly busyboxPath?: string; readonly onProgress?: (line: string) => void } = {}): Promise<ImageInfo> {
  const busyboxPath = options.busyboxPath ?? DEFAULT_BUSYBOX_PATH;
  const binary = await readFile(busyboxPath).catch((error: unknown) => {
    throw errors.containers.IMAGE_BUILD_FAILED.create(`the base image needs a static busybox at ${busyboxPath} (Debian: apt-get install busybox-static): ${(error as Error).message}`, { details: { busyboxPath } });
  });
  // A dynamic busybox would build fine and then fail to run in an empty root filesystem.
  if (!isStaticElf(binary)) throw errors.containers.IMAGE_BUILD_FAILED.create(`${busyboxPath} is dynamically linked; an image FROM scratch needs a static one (Debian: apt-get install busybox-static)`, { details: { busyboxPath } });
  const version = await busyboxVersion(busyboxPath);
  const context = await mkdtemp(join(tmpdir(), 'lpx-busybox-base-'));
  try {
    await copyFile(busyboxPath, join(context, 'busybox'));
    await writeFile(join(context, 'Dockerfile'), DOCKERFILE);
    return await runtime.ensureImage(
      { ref: busyboxBaseRef(version), source: { kind: 'build', contextDir: context }, labels: { [BASE_IMAGE_LABEL]: `busybox-static ${version}` } },
      options.onProgress ? { onProgress: options.onProgress } : {},
    );
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
