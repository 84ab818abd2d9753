/**
 * The partner's half of `lpx plugin`: `init byoc <name>` scaffolds a BYOC
 * project, `test [dir]` checks one before it is signed and published. The
 * registry half (pack, sign, publish, install, ...) attaches to the same
 * `plugin` command, whichever file creates it first.
 */
import type { Command } from 'commander';
import type { ByocInteractionMode } from '@lpx/sdk';
import { reportError, type Io } from '../output.js';
import { busyboxBaseRef, busyboxVersion, DEFAULT_BUSYBOX_PATH } from '../partner/busybox-base.js';
import { pluginTestFailure, runPluginTest, type PluginTestStep } from '../partner/plugin-test.js';
import { scaffoldByoc, SCAFFOLD_MODES } from '../partner/scaffold-byoc.js';

/** The `plugin` command, created once and shared by every file that adds subcommands to it. */
export function pluginCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'plugin') ?? program.command('plugin').description('build, test, publish and install plugins');
}

export function addPluginPartnerCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const plugin = pluginCommand(program);
  plugin
    .command('init')
    .description('scaffold a plugin project')
    .command('byoc <name>')
    .description('a BYOC partner app: manifest, container (busybox httpd + CGI), image build script, tests, README')
    .option('--dir <path>', 'project folder (must not exist or be empty); default ./<name>')
    .option('--mode <mode>', `interaction mode (${SCAFFOLD_MODES.join(', ')})`, 'request-response')
    .option('--base <image>', 'FROM image of the container; default lpx/busybox:<version of the local busybox> (lpx images base builds it)')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { dir?: string; mode: string; base?: string; json?: boolean }) => {
      try {
        const baseImage = options.base ?? busyboxBaseRef(await busyboxVersion(DEFAULT_BUSYBOX_PATH));
        const result = await scaffoldByoc({ name, dir: options.dir ?? name, mode: options.mode as ByocInteractionMode, baseImage });
        if (options.json) io.out(JSON.stringify({ ok: true, ...result }));
        else {
          io.out(`created ${result.dir}:`);
          for (const file of result.files) io.out(`  ${file}`);
          io.out(`next: lpx images base; cd ${result.dir}; npm run build:image; lpx plugin test (see README.md)`);
        }
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });

  plugin
    .command('test [dir]')
    .description("check a BYOC plugin project: manifest, image archive and digest, the container on the node's engine, the sdk conformance suite, a job and a Live Runner call on a local network, its own npm test")
    .option('--config <file>', "run the container on this node's runtime (default: the docker CLI's engine)")
    .option('--set <path=value...>', 'override a setting (repeatable)', [])
    .option('--docker-host <url>', 'engine to use without --config (default: DOCKER_HOST, else unix:///var/run/docker.sock)')
    .option('--ready-timeout <ms>', 'how long the container may take to pass its health check', (v) => Number.parseInt(v, 10))
    .option('--no-network', 'skip the local network (orchestrator + gateway) step')
    .option('--json', 'print JSON')
    .action(async (dir: string | undefined, options: { config?: string; set: string[]; dockerHost?: string; readyTimeout?: number; network: boolean; json?: boolean }) => {
      const folder = dir ?? '.';
      try {
        const steps = await runPluginTest({
          dir: folder,
          ...(options.config ? { config: options.config } : {}),
          sets: options.set,
          ...(options.dockerHost ? { dockerHost: options.dockerHost } : {}),
          ...(options.readyTimeout !== undefined ? { readyTimeoutMs: options.readyTimeout } : {}),
          network: options.network,
          ...(options.json ? {} : { onStep: (step: PluginTestStep) => io.out(line(step)) }),
        });
        const failure = pluginTestFailure(folder, steps);
        if (options.json) {
          io.out(JSON.stringify({ ok: failure === undefined, steps, ...(failure ? { error: { code: failure.code, message: failure.message } } : {}) }));
          setExit(failure === undefined ? 0 : 1);
          return;
        }
        const count = (status: PluginTestStep['status']) => steps.filter((s) => s.status === status).length;
        io.out(`${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`);
        setExit(failure === undefined ? 0 : reportError(io, failure, false));
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}

function line(step: PluginTestStep): string {
  const mark = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip', info: '    ' }[step.status];
  return `${mark} ${step.name}${step.detail ? `\n       ${step.detail.replace(/\n/g, '\n       ')}` : ''}`;
}
