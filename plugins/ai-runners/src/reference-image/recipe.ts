import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What the reference runner's root filesystem is made of. Its hash names the
 * cached tarball and the imported base image, so changing any of it (a
 * package, the trimming) makes a new one and nothing stale is reused.
 */
export interface RootfsRecipe {
  readonly suite: string;
  readonly variant: string;
  /** Debian packages on top of minbase: Node for the runner and the CPU engines. */
  readonly packages: readonly string[];
  /** Paths removed before tarring (package caches, docs): smaller tarball and import. */
  readonly trim: readonly string[];
}

export const REFERENCE_ROOTFS_RECIPE: RootfsRecipe = Object.freeze({
  suite: 'bookworm',
  variant: 'minbase',
  packages: Object.freeze(['nodejs', 'espeak-ng', 'pocketsphinx', 'pocketsphinx-en-us', 'tesseract-ocr', 'tesseract-ocr-eng', 'ffmpeg']),
  trim: Object.freeze(['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale']),
});

export function recipeHash(recipe: RootfsRecipe): string {
  const canonical = JSON.stringify({ suite: recipe.suite, variant: recipe.variant, packages: [...recipe.packages].sort(), trim: [...recipe.trim].sort() });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

const FALLBACK_MIRROR = 'http://deb.debian.org/debian';

/**
 * The Debian mirror this machine's apt uses for the suite (sources.list and
 * deb822 .sources files), so debootstrap fetches from where apt-get does;
 * deb.debian.org when none names it.
 */
export async function detectMirror(suite: string, aptDir = '/etc/apt'): Promise<string> {
  const files: string[] = [join(aptDir, 'sources.list')];
  const dir = join(aptDir, 'sources.list.d');
  for (const name of await readdir(dir).catch(() => [] as string[])) files.push(join(dir, name));
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const mirror = file.endsWith('.sources') ? fromDeb822(text, suite) : fromOneLine(text, suite);
    if (mirror) return mirror;
  }
  return FALLBACK_MIRROR;
}

function isDebianArchive(uri: string): boolean {
  return /\/debian\/?$/.test(uri) && !/security/.test(uri);
}

function fromOneLine(text: string, suite: string): string | undefined {
  for (const line of text.split('\n')) {
    const parts = line.replace(/\[[^\]]*\]/, ' ').trim().split(/\s+/);
    if (parts[0] === 'deb' && parts[2] === suite && parts[1] && isDebianArchive(parts[1])) return parts[1].replace(/\/$/, '');
  }
  return undefined;
}

function fromDeb822(text: string, suite: string): string | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string): string[] => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
    if (!field('Types').includes('deb') || !field('Suites').includes(suite)) continue;
    const uri = field('URIs').find(isDebianArchive);
    if (uri) return uri.replace(/\/$/, '');
  }
  return undefined;
}
