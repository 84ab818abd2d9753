import type { Command } from 'commander';
import { errors, isLpxError, PLUGIN_ID_PATTERN } from '@lpx/sdk';
import { resolvePluginsForNode, type InstalledPlugin } from '@lpx/registry';
import { EditableConfigFile } from '../../config/editable-config-file.js';
import { loadConfig } from '../../config/load-config.js';
import { configuredRegistry, pluginInstallDir, registryRootFor } from '../../plugins/registry-source.js';
import { reportError, type Io } from '../output.js';

export interface PluginInstallResult {
  readonly id: string;
  /** What the config now asks for. */
  readonly range: string;
  readonly version: string;
  readonly integrity: string;
  readonly registry: string;
  readonly config: string;
  readonly lockfile: LockfileOutcome;
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

export type LockfileOutcome = 'not-written';

/**
 * The one place `lpx plugin install` records the resolved release in the
 * plugin lockfile (`lpx-plugins.lock`, see registry/src/trust/contract.ts).
 * The lockfile, with the trust verdict it records, belongs to the signed
 * registry work; until its API is merged this writes nothing and says so.
 */
export async function recordInstallInLockfile(_configFile: string, _range: string, _installed: InstalledPlugin, _source: string): Promise<LockfileOutcome> {
  return 'not-written';
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
  const registry = configuredRegistry(config);
  if (registry === undefined) throw errors.config.INVALID.create(`${file.path}: plugin install needs registry.dir (a local registry folder) or registry.url (an HTTP registry) in the config`);
  if (file.getIn(['plugins', id, 'module']) !== undefined) {
    throw errors.config.INVALID.create(`${file.path}: plugins.${id}.module is set, and a module wins over a registry version; remove it to install ${id} from the registry`);
  }

  const request = { id, version: range ?? '*' };
  const root = await registryRootFor(config, baseDir, [request], `plugin install ${spec}`);
  const [installed] = await resolvePluginsForNode(root, [request], pluginInstallDir(config, baseDir));
  const written = range ?? `^${installed!.version}`;

  file.setIn(['plugins', id, 'version'], written);
  try {
    loadConfig({ raw: file.toJS(), env: {} });
  } catch (error) {
    throw errors.config.INVALID.create(`the change would make ${file.path} invalid: ${isLpxError(error) ? `${error.code}: ${error.message}` : String(error)}`, { cause: error });
  }
  file.write();
  const lockfile = await recordInstallInLockfile(file.path, written, installed!, registry);
  return { id, range: written, version: installed!.version, integrity: installed!.integrity, registry, config: file.path, lockfile };
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
          if (result.lockfile === 'not-written') io.out('lockfile: not written (this build has no plugin lockfile support yet)');
        }
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
