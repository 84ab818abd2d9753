import { resolve } from 'node:path';
import type { Command } from 'commander';
import { errors, isLpxError, PLUGIN_ID_PATTERN } from '@lpx/sdk';
import { resolvePluginsForNode, type ResolveForNodeOptions } from '@lpx/registry';
import { EditableConfigFile } from '../../config/editable-config-file.js';
import { loadConfig } from '../../config/load-config.js';
import type { KernelConfig } from '../../config/kernel-schema.js';
import { lockfilePathOf, trustPolicyOf } from '../../plugins/load-plugins.js';
import { registryOrigin } from '../../plugins/registry-origin.js';
import { reportError, type Io } from '../output.js';

export interface PluginInstallResult {
  readonly id: string;
  /** What the config now asks for. */
  readonly range: string;
  readonly version: string;
  readonly integrity: string;
  readonly registry: string;
  readonly config: string;
  /** The lockfile written, if this build writes one. */
  readonly lockfile: string | undefined;
}

/** `<id>@<range>`, or a bare `<id>` (then the newest version, written to the config as `^<version>`, as npm does). */
export function parsePluginSpec(spec: string): { id: string; range: string | undefined } {
  const at = spec.indexOf('@');
  const id = at === -1 ? spec : spec.slice(0, at);
  const range = at === -1 ? undefined : spec.slice(at + 1);
  if (!new RegExp(PLUGIN_ID_PATTERN).test(id) || range === '') {
    throw errors.config.INVALID.create(`"${spec}" is not <plugin-id>@<semver range> (plugin ids match ${PLUGIN_ID_PATTERN})`);
  }
  return { id, range };
}

/**
 * The resolve options that make `resolvePluginsForNode` apply the node's
 * trust policy and record the release in the plugin lockfile
 * (`lpx-plugins.lock`, ADR 0037), exactly as the node's boot does.
 */
export function lockfileOptionsFor(config: KernelConfig, baseDir: string, configFile: string, source: string): { options: ResolveForNodeOptions; lockfile: string | undefined } {
  const lockfile = lockfilePathOf(config, baseDir, configFile);
  const trust = trustPolicyOf(config);
  return { options: { ...(trust !== undefined ? { trust } : {}), ...(lockfile !== undefined ? { lockfilePath: lockfile } : {}), source }, lockfile };
}

/**
 * Resolves `<id>@<range>` against the config's registry (folder, or URL
 * mirrored into the data dir), verifies and installs it into the data dir,
 * and only then sets `plugins.<id>.version` in the config file (comments and
 * layout kept). Any failure leaves the config as it was.
 */
export async function installPlugin(spec: string, configFile: string): Promise<PluginInstallResult> {
  const { id, range } = parsePluginSpec(spec);
  const file = new EditableConfigFile(configFile);
  const { config, baseDir } = loadConfig({ file: file.path });
  if (file.getIn(['plugins', id, 'module']) !== undefined) {
    throw errors.config.INVALID.create(`${file.path}: plugins.${id}.module is set, and a module wins over a registry version; remove it to install ${id} from the registry`);
  }

  const request = { id, version: range ?? '*' };
  const registry = await registryOrigin(config, baseDir, [request], id);
  const { options, lockfile } = lockfileOptionsFor(config, baseDir, file.path, registry.source);
  const installDir = resolve(baseDir, config.node.dataDir, 'plugins-installed');
  const [installed] = await resolvePluginsForNode(registry.root, [request], installDir, options);
  const written = range ?? `^${installed!.version}`;

  file.setIn(['plugins', id, 'version'], written);
  try {
    loadConfig({ raw: file.toJS(), env: {} });
  } catch (error) {
    throw errors.config.INVALID.create(`the change would make ${file.path} invalid: ${isLpxError(error) ? `${error.code}: ${error.message}` : String(error)}`, { cause: error });
  }
  file.write();
  return { id, range: written, version: installed!.version, integrity: installed!.integrity, registry: registry.source, config: file.path, lockfile };
}

/** `lpx plugin install <id>@<range> --config node.yaml` */
export function addPluginInstallCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('install <spec>')
    .description('resolve <id>@<range> from the config\'s registry, verify and install it, and set plugins.<id>.version in the config')
    .requiredOption('--config <file>', 'node config file (edited in place; comments are kept)')
    .option('--json', 'print JSON')
    .action(async (spec: string, options: { config: string; json?: boolean }) => {
      try {
        const result = await installPlugin(spec, options.config);
        if (options.json) io.out(JSON.stringify({ ok: true, ...result }));
        else {
          io.out(`installed ${result.id}@${result.version} from ${result.registry}\nintegrity ${result.integrity}`);
          io.out(`${result.config}: plugins.${result.id}.version = ${result.range}`);
          io.out(result.lockfile === undefined ? 'lockfile: none written (this build has no plugin lockfile)' : `lockfile: ${result.lockfile}`);
        }
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
