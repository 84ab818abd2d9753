/**
 * `trickle.channels`: what other plugins use to make channels and hand their
 * URLs out. Names default to 128 random bits because holding a channel URL is
 * the only credential its publishers and subscribers need.
 */
import { randomBytes } from 'node:crypto';
import { errors, type OrchestratorWireService, type TrickleChannel, type TrickleService } from '@lpx/sdk';
import { CHANNEL_NAME_PATTERN, TRICKLE_HTTP_PATH } from '@lpx/sdk/trickle-kit';
import { localChannel } from './local-channel.js';
import type { TrickleServer } from './server/trickle-server.js';

export const DEFAULT_CHANNEL_MIME_TYPE = 'application/octet-stream';

function channelView(wire: OrchestratorWireService, name: string, mimeType: string): TrickleChannel {
  const path = `${TRICKLE_HTTP_PATH}${name}`;
  return {
    name,
    mimeType,
    // Read when asked: channels made during init exist before the door has its address.
    get url() {
      return `${wire.serviceUri() ?? ''}${path}`;
    },
    get internalUrl() {
      return `${wire.internalUri() ?? wire.serviceUri() ?? ''}${path}`;
    },
  };
}

export function createTrickleService(server: TrickleServer, wire: OrchestratorWireService): TrickleService {
  return {
    enabled: wire.enabled,
    create(options = {}) {
      if (!wire.enabled) return Promise.reject(errors.trickle.DISABLED.create('trickle channels need the orchestrator role: this node does not run it, so there is no front door to serve them on'));
      const name = options.name ?? randomBytes(16).toString('hex');
      if (!CHANNEL_NAME_PATTERN.test(name)) {
        return Promise.reject(errors.trickle.NAME_INVALID.create(`trickle channel name ${JSON.stringify(name)} is not 1-128 characters of A-Z a-z 0-9 . _ ~ -`, { details: { name } }));
      }
      const channel = server.create(name, options.mimeType ?? DEFAULT_CHANNEL_MIME_TYPE, options.keepIdle === true);
      return Promise.resolve(channelView(wire, channel.name, channel.mimeType));
    },
    remove(name) {
      server.remove(name);
      return Promise.resolve();
    },
    exists: (name) => server.get(name) !== undefined,
    local: (name) => localChannel(server, name),
    onRemoved: (listener) => server.onRemoved(listener),
  };
}
