import { defineErrors } from '../lpx-error.js';

/** go-livepeer's trickle protocol (server on the orchestrator, clients in @lpx/sdk/trickle-kit). */
export const trickleErrors = defineErrors('TRICKLE', {
  CHANNEL_NOT_FOUND: { status: 404, description: 'The trickle channel does not exist (never created, removed, or swept when idle).' },
  SEQUENCE_NONEXISTENT: { status: 470, description: 'The segment asked for has left the channel\'s window; `latest` names where to resume.' },
  CLOSED: { status: 410, description: 'The channel was closed (end of stream).' },
  PROTOCOL_ERROR: { status: 502, description: 'A trickle peer answered something the protocol does not allow (bad sequence header, unexpected status).' },
  NAME_INVALID: { status: 400, description: 'A channel name is empty, longer than 128 characters, or has a character outside `A-Z a-z 0-9 . _ ~ -`.' },
  DISABLED: { status: 503, description: 'Trickle channels need the orchestrator role (the front door they are served on); this node does not run it.' },
});
