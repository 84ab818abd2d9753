import type { Command } from 'commander';
import { nodeChainTarget } from '../node-chain-target.js';
import { nodeStatus, type NodeStatus } from '../node-status.js';
import { reportError, type Io } from '../output.js';

/** bigints → decimal strings, so the JSON is exact. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

function lines(status: NodeStatus): string[] {
  const out = [`config     ${status.config ?? '(embedded defaults)'}`, `roles      ${status.roles.join(', ')}`, `account    ${status.address ?? '(none: offchain, no key)'}`];
  const chain = status.chain;
  if (chain === undefined) out.push('chain      (none: offchain)');
  else {
    out.push(`chain      id ${chain.chainId} at ${chain.rpcUrl}, block ${chain.blockNumber}, round ${chain.currentRound}${chain.currentRoundInitialized ? '' : ' (not initialized)'}`);
    out.push(`broker     deposit ${chain.deposit} wei, reserve ${chain.reserve} wei${chain.withdrawRound > 0n ? `, unlocking until round ${chain.withdrawRound}` : ''}`);
    const o = chain.orchestrator;
    out.push(`orch       ${o.active ? 'active' : 'not active'}, stake ${o.totalStake}, service URI ${o.serviceUri ?? '(none registered)'}`);
  }
  const health = status.health;
  if (!health.running) out.push(`node       not running (${health.url}: ${health.error ?? 'no answer'})`);
  else out.push(`node       running at ${health.url}: healthz ${health.healthz?.status}, readyz ${health.readyz?.status} ${JSON.stringify(health.readyz?.body)}`);
  return out;
}

export function addStatusCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('status')
    .description("a node's account, chain, deposit and reserve, registration and health, read from its config")
    .option('--config <file>', "the node's config file (default: embedded defaults, as `lpx start`)")
    .option('--set <path=value...>', 'override a setting (repeatable)', [])
    .option('--rpc <url>', 'JSON-RPC url; replaces chain.rpcUrl')
    .option('--controller <address>', 'Livepeer Controller address; replaces chain.controller')
    .option('--keystore <file>', "JSON keystore file, instead of the config's key")
    .option('--json', 'print JSON')
    .action(async (options: { config?: string; set: string[]; rpc?: string; controller?: string; keystore?: string; json?: boolean }) => {
      try {
        const status = await nodeStatus(nodeChainTarget(options));
        io.out(options.json ? JSON.stringify(plain(status)) : lines(status).join('\n'));
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
