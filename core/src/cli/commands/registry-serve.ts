import { resolve } from 'node:path';
import type { Command } from 'commander';
import { errors } from '@lpx/sdk';
import { DEFAULT_MAX_PUBLISH_BYTES, readTokenFile, serveRegistry } from '@lpx/registry';
import { createRootLogger } from '../../observability/logger.js';
import { reportError, type Io } from '../output.js';
import { commandGroup } from './command-group.js';

interface ServeOptions {
  dir: string;
  host: string;
  port: string;
  publishTokenFile?: string;
  adminTokenFile?: string;
  maxBodyBytes: string;
  logLevel: string;
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
    .option('--log-level <level>', 'pino log level for requests, publishes and reviews (stderr)', 'info')
    .action(async (options: ServeOptions) => {
      try {
        const root = resolve(options.dir);
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw errors.config.INVALID.create(`--port ${options.port} is not a port number (0 = any free port)`);
        const publishTokens = options.publishTokenFile ? await readTokenFile(options.publishTokenFile) : [];
        const adminTokens = options.adminTokenFile ? await readTokenFile(options.adminTokenFile) : [];
        const served = await serveRegistry({ root, host: options.host, port, publishTokens, adminTokens, maxPublishBytes: Number(options.maxBodyBytes), logger: createRootLogger({ level: options.logLevel, name: 'lpx-registry' }) });
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
