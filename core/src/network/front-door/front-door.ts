/**
 * The orchestrator's front door: one TLS listener serving gRPC and plain
 * HTTP, as go-livepeer's `-httpAddr` does. Gateways dial gRPC (ALPN h2,
 * required by grpc-go ≥ 1.67) and post paid HTTP requests (HTTP/2 or 1.1) to
 * the same host:port, so both must share it. HTTP/2 requests with an
 * `application/grpc` content type are proxied to the node's grpc-js server on
 * loopback; everything else is served by a fastify instance. Certificates are
 * self-signed and no go-livepeer client verifies them.
 */
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { fastify, LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { installProblemJson, problemJsonServerOptions } from '../../http/problem-json.js';
import { networkErrors } from '../network-errors.js';
import { ConnectionTracker } from './connection-tracker.js';
import { isGrpcRequest } from './grpc-headers.js';
import { GrpcProxy, SESSION_MEMORY_MB } from './grpc-proxy.js';
import { lazyChildLoggerFactory } from '../../http/lazy-request-logger.js';

/** Go's default http.Server MaxHeaderBytes; Livepeer-Payment headers carry hundreds of tickets. */
export const DEFAULT_MAX_HEADER_BYTES = 1024 * 1024;
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024 * 1024;
export const DEFAULT_CLOSE_GRACE_MS = 5_000;

export interface FrontDoorOptions {
  readonly host: string;
  readonly port: number;
  /** PEM key and certificate, e.g. from generateSelfSignedCertificate. */
  readonly tls: { readonly key: string; readonly cert: string };
  /** Where the node's grpc-js server listens (cleartext, loopback). */
  readonly grpcTarget: { readonly host: string; readonly port: number };
  readonly logger?: Logger;
  readonly bodyLimitBytes?: number;
  /** Largest request header block, HTTP/1.1 and HTTP/2 alike (default 1 MiB). */
  readonly maxHeaderBytes?: number;
  /** How long close() lets in-flight requests finish before destroying connections. */
  readonly closeGraceMs?: number;
}

export interface FrontDoor {
  /** Register HTTP routes on it before start(); requests arrive over HTTP/1.1 or HTTP/2. */
  readonly app: FastifyInstance;
  start(): Promise<{ port: number; url: string }>;
  /** Stops accepting, lets in-flight requests finish for the grace period, then destroys what is left. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

interface ServerParts {
  readonly tls: FrontDoorOptions['tls'];
  readonly maxHeaderBytes: number;
  readonly proxy: GrpcProxy;
  readonly tracker: ConnectionTracker;
  readonly logger: Logger | undefined;
}

function createServer(parts: ServerParts, httpHandler: (req: Http2ServerRequest, res: Http2ServerResponse) => void): Http2SecureServer {
  const server = createSecureServer({
    key: parts.tls.key,
    cert: parts.tls.cert,
    allowHTTP1: true,
    ALPNProtocols: ['h2', 'http/1.1'],
    // Advertised to peers as SETTINGS_MAX_HEADER_LIST_SIZE and enforced on what they send.
    settings: { maxHeaderListSize: parts.maxHeaderBytes },
    maxSessionMemory: SESSION_MEMORY_MB,
  });
  // HTTP/1.1 connections are parsed by node:http, which reads the limit from the server object;
  // http2 servers never set it, so the 16 KiB process default would apply.
  (server as unknown as { maxHeaderSize: number }).maxHeaderSize = parts.maxHeaderBytes;
  server.on('request', (req: Http2ServerRequest, res: Http2ServerResponse) => {
    if (isGrpcRequest(req.httpVersionMajor, req.headers)) parts.proxy.forward(req, res);
    else httpHandler(req, res);
  });
  server.on('sessionError', (error: Error) => parts.logger?.debug({ err: error }, 'front door: HTTP/2 session error'));
  server.on('tlsClientError', (error: Error) => parts.logger?.debug({ err: error }, 'front door: TLS handshake failed'));
  parts.tracker.attach(server);
  return server;
}

export function createFrontDoor(options: FrontDoorOptions): FrontDoor {
  const logger = options.logger?.child({ component: 'front-door' });
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const graceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  const tracker = new ConnectionTracker();
  const proxy = new GrpcProxy({ target: options.grpcTarget, maxHeaderBytes, ...(logger !== undefined ? { logger } : {}) });
  let server: Http2SecureServer | undefined;

  const app = fastify({
    // http2 + allowHTTP1 makes fastify accept both request kinds; the server itself comes from the factory.
    http2: true,
    https: { allowHTTP1: true },
    serverFactory: (handler) => {
      server = createServer({ tls: options.tls, maxHeaderBytes, proxy, tracker, logger }, handler);
      return server;
    },
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    ...(logger !== undefined ? { loggerInstance: logger as unknown as FastifyBaseLogger } : { logger: false }),
    // Per-request logs at info would drown a busy node.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLoggerFactory,
    ...(problemJsonServerOptions as object),
  });
  // go-livepeer routes answer their own refusals in go-livepeer's plain text; what escapes them
  // (fastify's body limits, unknown paths, thrown errors) is problem+json with a catalogue code.
  installProblemJson(app as unknown as FastifyInstance);

  let started: Promise<{ port: number; url: string }> | undefined;
  let closed: Promise<void> | undefined;

  async function listen(): Promise<{ port: number; url: string }> {
    try {
      await app.listen({ host: options.host, port: options.port });
    } catch (cause) {
      throw networkErrors.FRONT_DOOR_LISTEN.create(`front door cannot listen on ${options.host}:${options.port}: ${(cause as Error).message}`, {
        cause,
        details: { host: options.host, port: options.port },
      });
    }
    const port = (server!.address() as AddressInfo).port;
    return { port, url: `https://${urlHost(options.host)}:${port}` };
  }

  async function shutdown(): Promise<void> {
    // app.close() stops accepting at once but resolves only when every connection is gone,
    // which the tracker guarantees within the grace period.
    const closing = app.close();
    await Promise.all([tracker.drain(graceMs), proxy.close(graceMs)]);
    await closing;
  }

  return {
    // Typed as the default instance so routes register like on the kernel's HTTP edge;
    // `request.raw` is an Http2ServerRequest or an IncomingMessage depending on the client.
    app: app as unknown as FastifyInstance,
    start: () => (started ??= listen()),
    close: () => (closed ??= shutdown()),
  };
}
