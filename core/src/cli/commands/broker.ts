import type { Command } from 'commander';
import type { Address } from 'viem';
import {
  brokerCancelUnlock,
  brokerDeposit,
  brokerFund,
  brokerReserve,
  brokerStatus,
  brokerUnlock,
  brokerWithdraw,
  parseWei,
  type BrokerTxResult,
} from '../../chain/index.js';
import { nodeChainTarget, requireChain, type NodeChainTarget } from '../node-chain-target.js';
import { reportError, type Io } from '../output.js';

interface ChainOptions {
  config?: string;
  set: string[];
  rpc?: string;
  controller?: string;
  keystore?: string;
  address?: string;
  json?: boolean;
}

/** bigints → decimal strings, so the JSON is exact. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

export function addBrokerCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const broker = program.command('broker').description("TicketBroker funds of a sender: status, fund, deposit, reserve, unlock, cancel-unlock, withdraw (amounts in wei; chain and key from the node's config, LPX_ETH_KEY or flags)");
  const withChain = (command: Command) =>
    command
      .option('--config <file>', "the node's config file: its chain and key (default: embedded defaults, as `lpx start`)")
      .option('--set <path=value...>', 'override a config setting (repeatable)', [])
      .option('--rpc <url>', 'JSON-RPC url; replaces chain.rpcUrl')
      .option('--controller <address>', 'Livepeer Controller address; replaces chain.controller')
      .option('--keystore <file>', "JSON keystore file, instead of the config's key (password from LPX_ETH_PASSWORD or LPX_ETH_PASSWORD_FILE)")
      .option('--json', 'print JSON');

  const run = (action: (options: ChainOptions, target: { rpcUrl: string; controller: Address }, node: NodeChainTarget) => Promise<unknown>) => async (options: ChainOptions) => {
    try {
      const node = nodeChainTarget(options);
      const result = plain(await action(options, requireChain(node), node));
      io.out(options.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
      setExit(0);
    } catch (error) {
      setExit(reportError(io, error, options.json === true));
    }
  };
  const write = (name: string, description: string, send: (input: Parameters<typeof brokerUnlock>[0], amounts: Record<string, string>) => Promise<BrokerTxResult>, amountFlags: string[] = []) => {
    const command = withChain(broker.command(name).description(description));
    for (const flag of amountFlags) command.requiredOption(`--${flag} <wei>`, `${flag} in wei`);
    command.action(run(async (options, target, node) => send({ ...target, account: await node.account() }, options as unknown as Record<string, string>)));
  };

  withChain(broker.command('status').description("a sender's deposit, reserve and unlock state"))
    .option('--address <address>', "sender to show (default: the node's key, or --keystore)")
    .action(run(async (options, target, node) => (options.address ? brokerStatus({ ...target, address: options.address as Address }) : brokerStatus({ ...target, account: await node.account() }))));
  write('fund', 'fund deposit and reserve in one transaction', (input, a) => brokerFund({ ...input, deposit: parseWei(a.deposit!, 'deposit'), reserve: parseWei(a.reserve!, 'reserve') }), ['deposit', 'reserve']);
  write('deposit', 'add to the deposit', (input, a) => brokerDeposit({ ...input, amount: parseWei(a.amount!, 'amount') }), ['amount']);
  write('reserve', 'add to the reserve', (input, a) => brokerReserve({ ...input, amount: parseWei(a.amount!, 'amount') }), ['amount']);
  write('unlock', 'start the unlock period for deposit and reserve', (input) => brokerUnlock(input));
  write('cancel-unlock', 'cancel an unlock in progress', (input) => brokerCancelUnlock(input));
  write('withdraw', 'withdraw deposit and reserve after the unlock period', (input) => brokerWithdraw(input));
}
