import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isNodeError } from '../local-registry/layout.js';

/**
 * Writes JSON through a temporary sibling and a rename, so a reader (a node
 * refreshing review states, another signer) never sees half a file.
 */
export async function writeJsonAtomic(path: string, value: unknown, mode = 0o644): Promise<void> {
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The JSON in `path`, or `fallback` when the file does not exist; unparseable JSON is the caller's `invalid` error. */
export async function readJsonFile(path: string, fallback: unknown, invalid: (message: string, cause: unknown) => Error): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return fallback;
    throw invalid(`cannot read ${path}: ${(error as Error).message}`, error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalid(`${path} is not valid JSON: ${(error as Error).message}`, error);
  }
}
