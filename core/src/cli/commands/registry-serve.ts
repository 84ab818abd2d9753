import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_MAX_PUBLISH_BYTES, readTokenFile, serveRegistry } from '@lpx/registry';
import { reportError, type Io } from '../output.js';
import { commandGroup } from './command-group.js';

interface ServeOptions {
  dir: string;
  host: string;
  port: string;
  publishTokenFile?: string;
  adminTokenFile?: string;
  maxBodyBytes: string;
}

/**
 * `lpx registry serve --dir <root>`: any lpx install can host a plugin
 * registry for its nodes (ADR 0038). Reads are open; publishes and reviews
 * need the tokens in the given files; without them it serves read-only.
 * Runs until SIGINT/SIGTERM.
 */
export function addRegistryCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  commandGroup(program, 'registry', 'host a plugin registry')
    .command('serve')
    .description('serve a registry folder over HTTP (GET for nodes; PUT/POST with bearer tokens for publishers and reviewers)')
    .requiredOption('--dir <root>', 'the registry folder (created on first publish)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', '0')
    .option('--publish-token-file <file>', 'tokens allowed to publish and add signatures, one per line')
    .option('--admin-token-file <file>', 'tokens allowed to post reviews (and publish), one per line')
    .option('--max-body-bytes <n>', 'largest release upload', String(DEFAULT_MAX_PUBLISH_BYTES))
    .action(async (options: ServeOptions) => {
      try {
        const root = resolve(options.dir);
        const publishTokens = options.publishTokenFile ? await readTokenFile(options.publishTokenFile) : [];
        const adminTokens = options.adminTokenFile ? await readTokenFile(options.adminTokenFile) : [];
        const served = await serveRegistry({ root, host: options.host, port: Number(options.port), publishTokens, adminTokens, maxPublishBytes: Number(options.maxBodyBytes) });
        io.out(`registry ${root} serving at ${served.url}`);
        if (publishTokens.length + adminTokens.length === 0) io.out('read-only: no --publish-token-file or --admin-token-file given');
        const stop = () => void served.close();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, false));
      }
    });
}
