/**
 * `lpx images base`: builds the partner base image `lpx/busybox:<version>`
 * on the node's engine (or the docker CLI's engine without --config). See
 * core/src/cli/partner/busybox-base.ts and docs/partner-guide.md.
 */
import type { Command } from 'commander';
import { withNodeRuntime } from '../node-runtime.js';
import { reportError, type Io } from '../output.js';
import { DEFAULT_BUSYBOX_PATH, ensureBusyboxBase } from '../partner/busybox-base.js';

export function addImagesCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const images = program.command('images').description('images partner apps build on');
  images
    .command('base')
    .description('build lpx/busybox:<version> (FROM scratch, static busybox) for `FROM` in partner Dockerfiles')
    .option('--config <file>', "use this node's container runtime (default: the docker CLI's engine)")
    .option('--set <path=value...>', 'override a setting (repeatable)', [])
    .option('--docker-host <url>', 'engine to use without --config (default: DOCKER_HOST, else unix:///var/run/docker.sock)')
    .option('--busybox <path>', 'a statically linked busybox', DEFAULT_BUSYBOX_PATH)
    .option('--json', 'print JSON')
    .action(async (options: { config?: string; set: string[]; dockerHost?: string; busybox: string; json?: boolean }) => {
      try {
        const info = await withNodeRuntime({ ...(options.config ? { config: options.config } : {}), sets: options.set, ...(options.dockerHost ? { dockerHost: options.dockerHost } : {}) }, ({ runtime }) =>
          ensureBusyboxBase(runtime, { busyboxPath: options.busybox, ...(options.json ? {} : { onProgress: (line: string) => io.err(line) }) }),
        );
        if (options.json) io.out(JSON.stringify({ ok: true, ref: info.ref, id: info.id, sizeBytes: info.sizeBytes }));
        else io.out(`${info.ref} ${info.id} (${Math.round(info.sizeBytes / 1024)} KiB): use FROM ${info.ref} in a Dockerfile`);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
