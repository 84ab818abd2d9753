import type { Command } from 'commander';
import type { Io } from './io.js';

/** What every command file exports: adds its commands to the program. */
export type AddCommands = (program: Command, io: Io, setExit: (code: number) => void) => void;

/**
 * One top-level command of `lpx`: its name and one-line description, enough
 * for `lpx --help`, and the files that define it, imported only when that
 * command runs (ADR 0059). A command file imports what its action needs
 * (the Host, viem, BullMQ, …), so loading all of them up front made
 * `lpx --help` cost as much as booting a node. `cli-command-table.test.ts`
 * checks that each description here is the one its files register.
 */
export interface LazyCommand {
  readonly name: string;
  readonly description: string;
  readonly load: () => Promise<readonly AddCommands[]>;
}

export const COMMANDS: readonly LazyCommand[] = [
  { name: 'start', description: 'start a node from a config file (gateway, orchestrator, worker... as its roles say)', load: async () => [(await import('./commands/start.js')).addStartCommand] },
  { name: 'status', description: "a node's account, chain, deposit and reserve, registration and health, read from its config", load: async () => [(await import('./commands/status.js')).addStatusCommand] },
  { name: 'config', description: 'work with node config files', load: async () => [(await import('./commands/config-check.js')).addConfigCommand] },
  { name: 'plugins', description: 'inspect plugins', load: async () => [(await import('./commands/plugins-list.js')).addPluginsCommand] },
  {
    name: 'plugin',
    description: 'build, sign, review and inspect plugin releases in a registry',
    load: async () => [
      (await import('./commands/plugin-group.js')).addPluginCommand,
      (await import('./commands/plugin-partner.js')).addPluginPartnerCommands,
      (await import('./commands/plugin-registry-commands.js')).addPluginRegistryCommands,
    ],
  },
  { name: 'capabilities', description: 'inspect the capability registry', load: async () => [(await import('./commands/capabilities-list.js')).addCapabilitiesCommand] },
  { name: 'pm', description: 'probabilistic micropayment tools', load: async () => [(await import('./commands/pm-decode.js')).addPmCommand] },
  {
    name: 'broker',
    description: "TicketBroker funds of a sender: status, fund, deposit, reserve, unlock, cancel-unlock, withdraw (amounts in wei; chain and key from the node's config, LPX_ETH_KEY or flags)",
    load: async () => [(await import('./commands/broker.js')).addBrokerCommand],
  },
  { name: 'selection', description: 'test selection policies offline', load: async () => [(await import('./commands/selection.js')).addSelectionCommand] },
  {
    name: 'demo',
   
    description:
      'start the local network (as `lpx dev up`), run paid jobs, push 1080p segments and send AI requests (real runner containers), a BYOC partner job and a Live Runner app call through its gateway, redeem the winning tickets, print a summary',
    load: async () => [(await import('./commands/demo.js')).addDemoCommand],
  },
  { name: 'dev', description: 'local development network', load: async () => [(await import('./commands/dev.js')).addDevCommand] },
  {
    name: 'tenants',
    description: "manage the gateway's clients (gateway.tenants in the node's config file): API keys, budgets, max prices, allowed capabilities",
    load: async () => [(await import('./commands/tenants.js')).addTenantsCommand],
  },
  { name: 'transcode', description: 'video transcoding on this node', load: async () => [(await import('./commands/transcode-probe.js')).addTranscodeCommand] },
  { name: 'ai', description: 'AI pipelines on this node', load: async () => [(await import('./commands/ai-models.js')).addAICommand] },
  { name: 'containers', description: "containers this node's plugins run (the container runtime)", load: async () => [(await import('./commands/containers-list.js')).addContainersCommand] },
  { name: 'images', description: 'images partner apps build on', load: async () => [(await import('./commands/images-base.js')).addImagesCommand] },
  { name: 'sdk', description: 'the plugin sdk, for projects outside this repository', load: async () => [(await import('./commands/sdk-pack.js')).addSdkCommand] },
  { name: 'registry', description: 'host a plugin registry', load: async () => [(await import('./commands/registry-serve.js')).addRegistryCommand] },
];

/**
 * The top-level command an argument vector runs (`lpx start …`, `lpx help start`),
 * or undefined for `lpx`, `lpx --help`, `lpx --version` and unknown names.
 */
export function commandOf(args: readonly string[]): LazyCommand | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((command) => command.name === name);
}
