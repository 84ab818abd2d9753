/**
 * WebSocket upgrades on the front door: fastify routes never see them (Node
 * emits `upgrade` on the server instead of `request`), so the plugin listens
 * on the door's server for the Live Runner paths and leaves every other
 * upgrade to whoever else listens.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { isLpxError } from '@lpx/sdk';
import type { LiveRunnerNode } from '../live-runner-node.js';
import { proxyUpgrade, refuseUpgrade } from '../proxy/websocket-proxy.js';
import { paymentInput, splitUrl, type ProxyResolver } from './proxy-routes.js';

export function listenForUpgrades(server: Server, node: LiveRunnerNode, resolver: ProxyResolver): () => void {
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const { path, query } = splitUrl(request.url ?? '/');
    resolver
      .resolve(path, paymentInput(request.headers))
      .then((resolution) => {
        if (resolution === undefined) return; // not ours
        if (resolution.kind === 'challenge') return refuseUpgrade(socket, 402, JSON.stringify(resolution.body));
        const { resolved } = resolution;
        proxyUpgrade(request, socket, head, resolver.target(resolved, query), () => resolved.release?.());
      })
      .catch((error: unknown) => {
        if (!isLpxError(error)) node.deps.onError(error, 'live runner upgrade');
        refuseUpgrade(socket, isLpxError(error) ? error.status : 500, isLpxError(error) ? error.message : 'Internal Server Error');
      });
  };
  server.on('upgrade', onUpgrade);
  return () => server.off('upgrade', onUpgrade);
}
