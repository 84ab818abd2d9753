import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { packPluginFolder } from '@lpx/registry';
import { reportError, type Io } from '../output.js';

/** `lpx plugin pack <plugin-dir> [--out file.tgz]`: the package tarball a registry would store, and its integrity. */
export function addPluginPackCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('pack <plugin-dir>')
    .description('check a plugin folder against the package convention and write its package tarball; prints the sha512 integrity')
    .option('--out <file>', 'where to write the tarball (default: ./<id>-<version>.tgz)')
    .option('--json', 'print JSON')
    .action(async (pluginDir: string, options: { out?: string; json?: boolean }) => {
      try {
        const packed = await packPluginFolder(resolve(pluginDir));
        const { id, version } = packed.manifest;
        const out = resolve(options.out ?? `${id}-${version}.tgz`);
        await writeFile(out, packed.tgz);
        if (options.json) io.out(JSON.stringify({ ok: true, id, version, file: out, bytes: packed.tgz.length, integrity: packed.integrity }));
        else io.out(`packed ${id}@${version} → ${out} (${packed.tgz.length} bytes)\nintegrity ${packed.integrity}`);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
