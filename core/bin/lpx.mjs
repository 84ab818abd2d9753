#!/usr/bin/env node
// The lpx binary runs the TypeScript sources through tsx's loader: no build
// step, and the same files the tests run are the ones that ship.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
