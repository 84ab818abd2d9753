import type { Command } from 'commander';
import type { Io } from '../output.js';
import { addPluginInfoCommand } from './plugin-info.js';
import { addPluginKeygenCommand } from './plugin-keygen.js';
import { addPluginListCommand } from './plugin-list.js';
import { addPluginOutdatedCommand } from './plugin-outdated.js';
import { addPluginReviewCommand } from './plugin-review.js';
import { addPluginRevokeCommand } from './plugin-revoke.js';
import { addPluginSignCommand } from './plugin-sign.js';
import { addPluginVerifyCommand } from './plugin-verify.js';

/**
 * One `lpx plugin <verb>` subcommand. Each verb lives in its own file
 * (`plugin-<verb>.ts`) and exports a function of this shape; this file only
 * lists them, so the registry-trust verbs (keygen, sign, verify, review,
 * revoke, outdated, info, list) and the HTTP registry verbs (pack, publish,
 * install) can be added without touching each other's code.
 */
export type PluginSubcommand = (group: Command, io: Io, setExit: (code: number) => void) => void;

/** Registration order is the order `lpx plugin --help` lists them. Add one line per verb. */
const SUBCOMMANDS: readonly PluginSubcommand[] = [
  // registry-trust (ADR 0037)
  addPluginKeygenCommand,
  addPluginSignCommand,
  addPluginVerifyCommand,
  addPluginReviewCommand,
  addPluginRevokeCommand,
  addPluginOutdatedCommand,
  addPluginInfoCommand,
  addPluginListCommand,
  // registry-http (ADR 0038): pack, publish, install
];

/** `lpx plugin …`: author and registry tools (singular, unlike `lpx plugins list`, which inspects a node). */
export function addPluginCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  // Get-or-create: the HTTP registry verbs may have created the group already (order of registration does not matter).
  const group = program.commands.find((command) => command.name() === 'plugin') ?? program.command('plugin').description('build, sign, review and inspect plugin releases in a registry');
  for (const add of SUBCOMMANDS) add(group, io, setExit);
}
