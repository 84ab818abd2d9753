/** `lpx sdk pack`: the installable `@lpx/sdk` tarball for partner projects (see core/src/cli/partner/sdk-pack.ts). */
import type { Command } from 'commander';
import { reportError, type Io } from '../output.js';
import { packSdk } from '../partner/sdk-pack.js';

export function addSdkCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const sdk = program.command('sdk').description('the plugin sdk, for projects outside this repository');
  sdk
    .command('pack')
    .description('compile @lpx/sdk to JS + .d.ts and npm pack it: lpx-sdk-<version>.tgz, installable with npm install <file>')
    .option('--out <dir>', 'where the tarball goes', '.')
    .option('--json', 'print JSON')
    .action(async (options: { out: string; json?: boolean }) => {
      try {
        const result = await packSdk({ outDir: options.out });
        if (options.json) io.out(JSON.stringify({ ok: true, ...result }));
        else io.out(`${result.tarball}\ninstall it in a plugin project: npm install ${result.tarball}`);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
