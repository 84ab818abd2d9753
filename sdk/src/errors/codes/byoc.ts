import { defineErrors } from '../lpx-error.js';

/** BYOC partner apps: hosting, the legacy `/capability/*` and `/process/*` wire, partner tooling. */
export const byocErrors = defineErrors('BYOC', {
  APP_INVALID: { status: 400, description: 'A BYOC app spec is unusable: both or neither of container and external, an archive missing from the package, a duplicate name, an operator override for an unknown app.' },
  IMAGE_DIGEST_MISMATCH: { status: 500, description: 'The image loaded or found for an app is not the digest its manifest pins; it was not started.' },
  APP_UNHEALTHY: { status: 503, description: 'An app\'s container never became healthy (or stopped answering its health check); the detail has its last log lines.' },
  INPUT_INVALID: { status: 400, description: 'A request body does not match the app\'s input schema or its validate hook; nothing was paid.' },
  REGISTER_UNAUTHORIZED: { status: 400, description: 'A `/capability/register` or `/capability/unregister` call carried a wrong orchestrator secret (go-livepeer answers 400).' },
  REGISTER_INVALID: { status: 400, description: 'An external capability registration body is malformed (name, url, capacity, price).' },
  CAPABILITY_UNKNOWN: { status: 503, description: 'No app or registered external worker serves that capability name.' },
  WORKER_FAILED: { status: 502, description: 'The app\'s container or external worker failed the request; nothing is charged beyond the seconds it ran.' },
  SCAFFOLD_FAILED: { status: 500, description: '`lpx plugin init byoc` could not write the project (folder not empty, bad name).' },
  SDK_PACK_FAILED: { status: 500, description: '`lpx sdk pack` could not compile or pack the sdk (tsc or npm pack failed); the detail has their output.' },
  STREAM_PARAMETERS_INVALID: { status: 400, description: 'A `/ai/stream/*` call\'s JobRequest `parameters` or `request` is not the JSON go-livepeer expects (JobParameters, `{"stream_id":…}`), or the start body is not a JSON object; nothing was reserved or paid.' },
  STREAM_CAPABILITY_UNKNOWN: { status: 400, description: 'A BYOC stream was asked of a capability no ready app serves (go-livepeer answers 400 `No capacity available for capability`); nothing was paid.' },
  STREAM_NO_CAPACITY: { status: 400, description: 'Every unit of the app\'s capacity is held by streams and jobs (go-livepeer answers 400 `No capacity available for capability`); nothing was paid.' },
  STREAM_INSUFFICIENT_BALANCE: { status: 402, description: 'The sender\'s balance for the capability is below 60 s × price when a stream starts (402, as go-livepeer); the payment sent, if any, stays credited.' },
  STREAM_EXISTS: { status: 409, description: 'A stream with this JobRequest id is already running on this node.' },
  STREAM_NOT_FOUND: { status: 404, description: 'No running stream has this `stream_id` (an update for a stream that stopped or never started).' },
  STREAM_SENDER_MISMATCH: { status: 400, description: 'The stream belongs to another sender or capability: only the gateway that started a stream may update or stop it.' },
  STREAM_WORKER_FAILED: { status: 500, description: 'The app could not be reached for `/stream/start`, `/stream/params` or answered 401; for a start nothing was charged, its channels were removed and its capacity released.' },
  PLUGIN_TEST_FAILED: { status: 500, description: '`lpx plugin test` found a failure: the conformance suite or the plugin\'s own tests; the detail lists them.' },
});
