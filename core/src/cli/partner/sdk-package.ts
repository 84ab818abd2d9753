/** Where this lpx's `@lpx/sdk` lives, and its package.json: the version partner projects depend on. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sdkPackageDir } from '../../plugins/sdk-dir.js';

export type SdkExportTarget = string | { readonly default: string; readonly 'lpx-js'?: string };

export interface SdkPackageJson {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly license?: string;
  /** Each subpath's TypeScript source, or conditions whose `default` is that source (`lpx-js` names the compiled mirror). */
  readonly exports: Readonly<Record<string, SdkExportTarget>>;
  readonly dependencies?: Readonly<Record<string, string>>;
}

export { sdkPackageDir };

export async function sdkPackageJson(): Promise<SdkPackageJson> {
  return JSON.parse(await readFile(join(sdkPackageDir(), 'package.json'), 'utf8')) as SdkPackageJson;
}
