import { defineErrors } from '../lpx-error.js';

/** go-livepeer's Live Runner wire: runner registration, sessions, payment, the proxy. */
export const liveRunnerErrors = defineErrors('LIVE_RUNNER', {
  DISABLED: { status: 404, description: 'Live runners are not enabled on this node (no `live-runner` plugin, or no orchestrator role).' },
  CONFIG_INVALID: { status: 400, description: 'A static runner entry is invalid (label, runner_url, health_url, app, mode, capacity, metadata over 1 KiB, a missing price on a paid node); the batch registered nothing.' },
  RUNNER_UNKNOWN: { status: 404, description: 'No ready runner has that id or label.' },
  UNAUTHORIZED: { status: 401, description: 'A heartbeat, unregister or session callback carried a wrong orchestrator secret, heartbeat secret or session token.' },
  HEARTBEAT_INVALID: { status: 400, description: 'A heartbeat body is malformed (runner_url, mode, status, capacity, price_info, metadata).' },
  MODE_MISMATCH: { status: 400, description: 'A session was asked of a single-shot runner, or a single-shot call of a persistent one.' },
  NO_CAPACITY: { status: 503, description: 'Every session slot of the runner is taken.' },
  SESSION_UNKNOWN: { status: 404, description: 'The session does not exist (never reserved, stopped, expired, or released when its payment ran out).' },
  SESSION_CONFLICT: { status: 409, description: 'A session with that id already exists, or a fixed-price session was sent a follow-up payment.' },
  PAYMENT_REQUIRED: { status: 402, description: 'A priced runner was called without payment; the body is the payment challenge.' },
  PRICE_MISMATCH: { status: 400, description: 'The payment\'s expected price is not the runner\'s price, or exceeds the client\'s ceiling.' },
  MANIFEST_MISMATCH: { status: 403, description: 'The payment\'s manifest id is not the session id (or not its auth token\'s session).' },
  CHANNELS_INVALID: { status: 400, description: 'A trickle channel request is malformed or names more than 25 channels.' },
  PROXY_TARGET_INVALID: { status: 400, description: 'A session proxy target is not an absolute http(s) URL on the runner\'s host, or has a fragment.' },
  UPSTREAM_FAILED: { status: 502, description: 'The runner could not be reached or broke the connection while the orchestrator proxied a request.' },
  CLIENT_FAILED: { status: 502, description: 'The gateway\'s Live Runner client could not reserve, pay or call any orchestrator offering the app.' },
});
