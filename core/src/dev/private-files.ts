/**
 * Files `lpx dev up` writes that hold private keys and worker secrets (node
 * configs) or could echo them (node logs): owner-only, so another local user
 * cannot read a funded key off a shared machine.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) owner-only; an existing dir is tightened too. */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(dir, PRIVATE_DIR_MODE);
}

/** Writes `path` owner-only; `mode` applies only when a file is created, so an existing one is tightened first. */
export async function writePrivateFile(path: string, content: string): Promise<void> {
  await chmod(path, PRIVATE_FILE_MODE).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await writeFile(path, content, { mode: PRIVATE_FILE_MODE });
}
