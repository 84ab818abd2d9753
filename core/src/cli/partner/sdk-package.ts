/** Where this lpx's `@lpx/sdk` lives, and its package.json: the version partner projects depend on. */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SdkPackageJson {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly license?: string;
  readonly exports: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** The sdk's package folder (its exports point at src/index.ts). */
export function sdkPackageDir(): string {
  return dirname(dirname(fileURLToPath(import.meta.resolve('@lpx/sdk'))));
}

export async function sdkPackageJson(): Promise<SdkPackageJson> {
  return JSON.parse(await readFile(join(sdkPackageDir(), 'package.json'), 'utf8')) as SdkPackageJson;
}
