import type { Command } from 'commander';
import type { Io } from '../output.js';
import { commandGroup } from './command-group.js';
import { addPluginInstallCommand } from './plugin-install.js';
import { addPluginPackCommand } from './plugin-pack.js';
import { addPluginPublishCommand } from './plugin-publish.js';

/** `lpx plugin pack | publish | install` (ADR 0038), added to the `plugin` group whoever creates it. */
export function addPluginRegistryCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const group = commandGroup(program, 'plugin', 'package, publish and install plugins');
  addPluginPackCommand(group, io, setExit);
  addPluginPublishCommand(group, io, setExit);
  addPluginInstallCommand(group, io, setExit);
}
