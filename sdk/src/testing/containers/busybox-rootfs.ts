import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile, copyFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../media/run-tool.js';

/** What the tiny image serves at `/` (busybox httpd on /www). */
export const ROOTFS_INDEX_TEXT = 'lpx container conformance';

export interface BusyboxRootfs {
  /** A root filesystem tarball for `docker import`. */
  readonly tarPath: string;
  /** Short hash of the busybox binary: a stable image tag, so repeated runs reuse the image. */
  readonly digest: string;
}

/**
 * True when an ELF executable names no program interpreter (PT_INTERP), i.e.
 * runs in an empty root filesystem. Debian's `busybox-static` is; `busybox` is not.
 */
export function isStaticElf(binary: Buffer): boolean {
  if (binary.length < 64 || binary.readUInt32BE(0) !== 0x7f454c46 || binary[4] !== 2) return false;
  const phoff = Number(binary.readBigUInt64LE(32));
  const phentsize = binary.readUInt16LE(54);
  const phnum = binary.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const offset = phoff + i * phentsize;
    if (offset + 4 > binary.length) return false;
    if (binary.readUInt32LE(offset) === 3) return false;
  }
  return true;
}

/**
 * Builds a root filesystem from a statically linked busybox: the binary,
 * one symlink per applet (sh, httpd, wget, cat...), /www/index.html for
 * httpd, /tmp. Tarred with the system tar; about 2 MB.
 */
export async function makeBusyboxRootfs(options: { readonly busyboxPath?: string; readonly workDir?: string } = {}): Promise<BusyboxRootfs> {
  const busybox = options.busyboxPath ?? '/bin/busybox';
  const binary = await readFile(busybox).catch((error: unknown) => {
    throw new Error(`the container conformance suite needs a static busybox at ${busybox} (Debian: apt-get install busybox-static): ${(error as Error).message}`);
  });
  if (!isStaticElf(binary)) throw new Error(`${busybox} is dynamically linked; the suite's empty image needs a static one (Debian: apt-get install busybox-static)`);
  const digest = createHash('sha256').update(binary).digest('hex').slice(0, 12);
  const work = options.workDir ?? (await mkdtemp(join(tmpdir(), 'lpx-rootfs-')));
  const root = join(work, `rootfs-${digest}`);
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'www'), { recursive: true });
  await mkdir(join(root, 'tmp'), { recursive: true, mode: 0o1777 });
  await chmod(join(root, 'tmp'), 0o1777);
  await copyFile(busybox, join(root, 'bin', 'busybox'));
  await chmod(join(root, 'bin', 'busybox'), 0o755);
  const applets = (await runTool(busybox, ['--list'])).split('\n').map((a) => a.trim()).filter((a) => /^[a-z0-9_.[-]+$/.test(a) && a !== 'busybox');
  for (const applet of applets) await symlink('busybox', join(root, 'bin', applet)).catch(() => undefined);
  await writeFile(join(root, 'www', 'index.html'), `${ROOTFS_INDEX_TEXT}\n`);
  const tarPath = join(work, `busybox-rootfs-${digest}.tar`);
  await runTool('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', root, '-cf', tarPath, '.']);
  await rm(root, { recursive: true, force: true });
  return { tarPath, digest };
}
