import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The sdk's package folder: the nearest folder holding a package.json above the module `@lpx/sdk`
 * resolves to. Walking up rather than counting levels, because that module is `src/index.ts` under
 * tsx and `.lpx-js/src/index.js` in the compiled mirror (ADR 0063).
 */
export function sdkPackageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.resolve('@lpx/sdk')));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('@lpx/sdk resolves outside any package');
    dir = parent;
  }
  return dir;
}
