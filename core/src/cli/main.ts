import { Command, CommanderError } from 'commander';
import { HOST_API_VERSION } from '@lpx/sdk';
import { addBrokerCommand } from './commands/broker.js';
import { addCapabilitiesCommand } from './commands/capabilities-list.js';
import { addConfigCommand } from './commands/config-check.js';
import { addDemoCommand } from './commands/demo.js';
import { addDevCommand } from './commands/dev.js';
import { addPluginsCommand } from './commands/plugins-list.js';
import { addPluginCommand } from './commands/plugin-group.js';
import { addPmCommand } from './commands/pm-decode.js';
import { addSelectionCommand } from './commands/selection.js';
import { addStartCommand } from './commands/start.js';
import { addTenantsCommand } from './commands/tenants.js';
import { addTranscodeCommand } from './commands/transcode-probe.js';
import { addAICommand } from './commands/ai-models.js';
import { addContainersCommand } from './commands/containers-list.js';
import { addImagesCommand } from './commands/images-base.js';
import { addPluginPartnerCommands } from './commands/plugin-partner.js';
import { addSdkCommand } from './commands/sdk-pack.js';
import { addPluginRegistryCommands } from './commands/plugin-registry-commands.js';
import { addRegistryCommand } from './commands/registry-serve.js';
import { processIo, type Io } from './output.js';

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('lpx')
    .description('lpx — a Livepeer node as a plugin host: gateway, orchestrator, worker, redeemer and signer roles from one config')
    .version(HOST_API_VERSION, '-v, --version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  addStartCommand(program, io, setExit);
  addConfigCommand(program, io, setExit);
  addPluginsCommand(program, io, setExit);
  addPluginCommand(program, io, setExit);
  addCapabilitiesCommand(program, io, setExit);
  addPmCommand(program, io, setExit);
  addBrokerCommand(program, io, setExit);
  addSelectionCommand(program, io, setExit);
  addDemoCommand(program, io, setExit);
  addDevCommand(program, io, setExit);
  addTenantsCommand(program, io, setExit);
  addTranscodeCommand(program, io, setExit);
  addAICommand(program, io, setExit);
  addContainersCommand(program, io, setExit);
  addImagesCommand(program, io, setExit);
  addPluginPartnerCommands(program, io, setExit);
  addSdkCommand(program, io, setExit);
  addPluginRegistryCommands(program, io, setExit);
  addRegistryCommand(program, io, setExit);
  return program;
}

/** Runs the CLI and returns the exit code (the bin sets process.exitCode). */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 64;
    throw error;
  }
  return exitCode;
}
