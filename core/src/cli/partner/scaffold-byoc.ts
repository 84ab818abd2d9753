/**
 * `lpx plugin init byoc <name>`: a working partner project from the real
 * files under core/templates/byoc, with `__TOKEN__` placeholders replaced.
 * Written into a temp folder beside the target and renamed into place, so a
 * failure leaves nothing half-written.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BYOC_APP_NAME_PATTERN, HOST_API_VERSION, PLUGIN_ID_PATTERN, errors, type ByocInteractionMode } from '@lpx/sdk';
import { sdkPackageJson } from './sdk-package.js';

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'templates');
/** The project, as the request-response app. */
export const BYOC_TEMPLATE_DIR = join(TEMPLATES, 'byoc');
/** Per mode, files that replace the project's (`byoc-modes/<mode>/...`). */
export const BYOC_MODE_OVERLAY_DIR = join(TEMPLATES, 'byoc-modes');
/** Modes a template exists for. */
export const SCAFFOLD_MODES: readonly ByocInteractionMode[] = ['request-response', 'sse'];

export interface ScaffoldByocOptions {
  readonly name: string;
  /** The project folder; must not exist or be empty. */
  readonly dir: string;
  readonly mode?: ByocInteractionMode;
  /** `FROM` of the app's Dockerfile (`lpx/busybox:<version>`, see `lpx images base`). */
  readonly baseImage: string;
}

export interface ScaffoldResult {
  readonly dir: string;
  /** Paths relative to dir, sorted. */
  readonly files: readonly string[];
}

const TOKEN = /__[A-Z][A-Z_]*__/g;

export async function scaffoldByoc(options: ScaffoldByocOptions): Promise<ScaffoldResult> {
  const { name } = options;
  const mode = options.mode ?? 'request-response';
  // The name is the plugin id, the capability name and the image name at once: it must suit all three.
  if (!new RegExp(PLUGIN_ID_PATTERN).test(name) || !new RegExp(BYOC_APP_NAME_PATTERN).test(name)) {
    throw errors.byoc.SCAFFOLD_FAILED.create(`"${name}" is not a usable name: lower-case letters, digits and "-", starting with a letter, at most 63 characters`, { details: { name } });
  }
  if (!SCAFFOLD_MODES.includes(mode)) throw errors.byoc.SCAFFOLD_FAILED.create(`no template for mode "${mode}" yet; templates exist for ${SCAFFOLD_MODES.join(', ')}`, { details: { mode } });
  const dir = resolve(options.dir);
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw errors.byoc.SCAFFOLD_FAILED.create(`${dir} cannot be used: ${error.message}`, { details: { dir } });
  });
  if (existing !== undefined && existing.length > 0) throw errors.byoc.SCAFFOLD_FAILED.create(`${dir} is not empty (${existing.length} entries); scaffold into a new folder`, { details: { dir } });

  const tokens: Record<string, string> = {
    __NAME__: name,
    __MODE__: mode,
    __SDK_VERSION__: (await sdkPackageJson()).version,
    __HOST_RANGE__: `^${HOST_API_VERSION}`,
    __BASE_IMAGE__: options.baseImage,
  };
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(join(dirname(dir), `.${basename(dir)}-scaffold-`));
  try {
    // Relative path → template file; a mode's overlay wins over the base project.
    const sources = new Map<string, string>();
    for (const root of [BYOC_TEMPLATE_DIR, join(BYOC_MODE_OVERLAY_DIR, mode)]) {
      for (const source of await listFiles(root)) sources.set(relative(root, source), source);
    }
    const files: string[] = [];
    for (const [rel, source] of sources) {
      const target = join(staging, dirname(rel), basename(rel).replace(/^_/, '.'));
      const text = (await readFile(source, 'utf8')).replace(TOKEN, (token) => {
        const value = tokens[token];
        if (value === undefined) throw errors.byoc.SCAFFOLD_FAILED.create(`template ${rel} uses unknown placeholder ${token}`);
        return value;
      });
      await mkdir(dirname(target), { recursive: true });
      // Keeps the exec bit (CGI scripts): docker's COPY carries the mode into the image.
      await writeFile(target, text, { mode: (await stat(source)).mode & 0o777 });
      files.push(relative(staging, target));
    }
    if (existing !== undefined) await rmdir(dir);
    await rename(staging, dir);
    // mkdtemp made it 0700; a project folder is an ordinary one.
    await chmod(dir, 0o755);
    return { dir, files: files.sort() };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (errors.byoc.SCAFFOLD_FAILED.is(error)) throw error;
    throw errors.byoc.SCAFFOLD_FAILED.create(`writing ${dir} failed: ${(error as Error).message}`, { cause: error, details: { dir } });
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))));
  return nested.flat();
}
