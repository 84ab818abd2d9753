import type { Command } from 'commander';

/**
 * The subcommand group `name` of `program`, created on first use. Several
 * files add commands to one group (`lpx plugin pack`, `lpx plugin sign`, …);
 * getting-or-creating it means none of them owns the group and the order
 * they are registered in does not matter.
 */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((command) => command.name() === name) ?? program.command(name).description(description);
}
