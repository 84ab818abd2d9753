import { Command, CommanderError } from 'commander';
import { HOST_API_VERSION } from '@lpx/sdk/version';
import { COMMANDS, commandOf } from './command-table.js';
import { processIo, type Io } from './io.js';

function rootProgram(io: Io): Command {
  return new Command('lpx')
    .description('lpx — a Livepeer node as a plugin host: gateway, orchestrator, worker and redeemer roles from one config')
    .version(HOST_API_VERSION, '-v, --version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
}

/**
 * The program for one argument vector: the command it names is loaded in full;
 * every other command is a stub with its name and description, so `lpx --help`
 * lists them all and unknown names are still refused, without importing what
 * their actions need (ADR 0059).
 */
export async function buildProgram(args: readonly string[], io: Io, setExit: (code: number) => void): Promise<Command> {
  const program = rootProgram(io);
  const wanted = commandOf(args);
  for (const command of COMMANDS) {
    if (command === wanted) {
      for (const add of await command.load()) add(program, io, setExit);
    } else {
      program.command(command.name).description(command.description);
    }
  }
  return program;
}

/** Every command loaded in full (the drift test, and anything that walks the whole tree). */
export async function buildFullProgram(io: Io, setExit: (code: number) => void): Promise<Command> {
  const program = rootProgram(io);
  for (const command of COMMANDS) for (const add of await command.load()) add(program, io, setExit);
  return program;
}

/** Runs the CLI and returns the exit code (the bin sets process.exitCode). */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const program = await buildProgram(argv.slice(2), io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 64;
    throw error;
  }
  return exitCode;
}
