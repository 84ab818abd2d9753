/**
 * Starts bench/bare-forwarder-main.ts as a process of its own (as the
 * gateway is), on the dev network's chain, paying with the given sender;
 * `LPX_DEV_NODE_ARGS` applies to it as to the network's nodes (profiling).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { devNodeArgs } from '../core/src/dev/node-process.js';

export interface BareForwarder {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startBareForwarder(options: { orchestratorUri: string; rpcUrl: string; controller: string; senderKey: string; ticketEV: bigint; httpVersion: '1.1' | '2' }): Promise<BareForwarder> {
  const main = fileURLToPath(new URL('./bare-forwarder-main.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [...devNodeArgs(), '--import', 'tsx', main], {
    env: {
      ...process.env,
      LPX_BARE_ORCHESTRATOR: options.orchestratorUri,
      LPX_BARE_RPC: options.rpcUrl,
      LPX_BARE_CONTROLLER: options.controller,
      LPX_BARE_SENDER_KEY: options.senderKey,
      LPX_BARE_TICKET_EV: String(options.ticketEV),
      LPX_BARE_HTTP_VERSION: options.httpVersion,
    },
    // Its stdin is the bench's lifeline: when the bench dies, the pipe closes and the forwarder exits.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the bare forwarder exited (${String(code)}) before it listened`);
  });
  const port = await Promise.race([
    (async () => {
      for await (const line of lines) {
        const match = /^listening (\d+)$/.exec(line);
        if (match !== null) return Number(match[1]);
      }
      throw new Error('the bare forwarder closed its output before it listened');
    })(),
    exited,
  ]);
  exited.catch(() => undefined);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
