#!/usr/bin/env node
// Runs src/main.ts through tsx: the sdk ships TypeScript sources, as lpx's own plugins use them.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
