import type { Command } from 'commander';
import { MAX_DEV_ACCOUNTS } from '../../chain/dev-accounts.js';
import { startDevNetwork, type DevNetworkEvent } from '../../dev/dev-network.js';
import { formatProgress } from '../../dev/dev-progress.js';
import { reportError, type Io } from '../output.js';

function describe(event: DevNetworkEvent): string {
  if ('ready' in event) return 'local network ready (Ctrl-C stops everything)';
  if ('tenant' in event) return `tenant       ${event.tenant} key ${event.apiKey} (send Authorization: Bearer <key>)`;
  if ('service' in event) {
    if (event.service === 'byoc') return `byoc         ${event.capability} (image ${event.digest}) on orchestrator 1`;
    return event.service === 'redis' ? `redis        ${event.url}` : `chain        ${event.rpcUrl} controller ${event.controller}`;
  }
  if (event.role === 'orchestrator') return `orchestrator ${event.serviceUri} ${event.address} (pid ${event.pid})`;
  if (event.role === 'worker') return `worker       ${event.httpUrl} for ${event.orchestrator} (pid ${event.pid})`;
  return `gateway      ${event.httpUrl} ${event.address} (pid ${event.pid})`;
}

export function addDevCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const dev = program.command('dev').description('local development network');
  dev
    .command('up')
    .description('start Redis, a dev chain, N orchestrators with workers and a gateway as separate processes; SIGTERM stops them all')
    .option('--orchestrators <n>', 'how many orchestrators', '2')
    .option('--workers <n>', 'separate worker processes per orchestrator, one transcode session each (0: each orchestrator does its own work)', '0')
    .option('--data-dir <dir>', 'configs, logs and state (wiped at start)', '.lpx/dev')
    .option('--tenants <n>', "gateway clients, each with an API key and a budget, printed at start (0: an open gateway, loopback only)", '1')
    .option('--ai', 'AI too: orchestrator 1 runs reference runner containers in its own dockerd (the image is built once per machine), the gateway serves the AI routes and OpenAI\'s /v1')
    .option('--byoc', 'BYOC too: orchestrator 1 hosts the example partner plugin (examples/byoc-echo-plugin; its busybox image built in the same dockerd as --ai) as byoc/echo-box, also as a Live Runner app')
    .option('--json', 'one JSON object per line, for scripts (one {"tenant","apiKey"} line per tenant)')
    .option('--ready-timeout <seconds>', 'how long each node may take to become ready (it fails at once if it exits, or after 120 s without any progress)', '900')
    .action(async (options: { orchestrators: string; workers: string; dataDir: string; json?: boolean; ai?: boolean; byoc?: boolean; readyTimeout: string; tenants: string }) => {
      const count = Number(options.orchestrators);
      if (!Number.isInteger(count) || count < 1 || count > MAX_DEV_ACCOUNTS - 3) {
        io.err(`--orchestrators must be an integer from 1 to ${MAX_DEV_ACCOUNTS - 3}, got ${options.orchestrators}`);
        setExit(64);
        return;
      }
      const tenants = Number(options.tenants);
      if (!/^[0-9]+$/.test(options.tenants) || !Number.isSafeInteger(tenants) || tenants > 1_000) {
        io.err(`--tenants must be an integer from 0 to 1000, got ${options.tenants}`);
        setExit(64);
        return;
      }
      const workers = Number(options.workers);
      if (!/^[0-9]+$/.test(options.workers) || !Number.isSafeInteger(workers) || workers > 16) {
        io.err(`--workers must be an integer from 0 to 16, got ${options.workers}`);
        setExit(64);
        return;
      }
      const readySeconds = Number(options.readyTimeout);
      if (!Number.isFinite(readySeconds) || readySeconds <= 0) {
        io.err(`--ready-timeout must be a positive number of seconds, got ${options.readyTimeout}`);
        setExit(64);
        return;
      }
      // Listen before anything starts: a signal during startup must still stop what was started.
      const stopRequested = new Promise<void>((resolve) => {
        process.once('SIGTERM', () => resolve());
        process.once('SIGINT', () => resolve());
      });
      try {
        const network = await startDevNetwork({
          orchestrators: count,
          workers,
          tenants,
          ...(options.ai === true ? { ai: true } : {}),
          ...(options.byoc === true ? { byoc: true } : {}),
          dataDir: options.dataDir,
          readiness: { readyTimeoutMs: readySeconds * 1_000 },
          onEvent: (event) => io.out(options.json ? JSON.stringify(event) : describe(event)),
          onWarning: (message) => io.err(message),
          // On stderr in both modes: stdout stays the event lines scripts parse.
          onProgress: (progress) => io.err(formatProgress(progress)),
        });
        await stopRequested;
        io.err('stopping the local network...');
        await network.stop();
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, false));
      }
    });
}
