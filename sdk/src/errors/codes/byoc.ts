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
  STREAM_START_INVALID: { status: 400, description: 'A gateway `/process/stream/start` (or update) request is unusable: the `Livepeer` header (timeout_seconds, capability, request/parameters JSON), the StartRequest body or its `params`, or the stream id; nothing was paid.' },
  STREAM_ID_TAKEN: { status: 409, description: 'A gateway stream with that stream_id is already running on this gateway; stop it first or send another id.' },
  STREAM_UNKNOWN_ID: { status: 404, description: 'This gateway runs no BYOC stream with that id for the caller (never started, stopped and forgotten, or another tenant\'s).' },
  STREAM_NO_ORCHESTRATOR: { status: 503, description: 'No orchestrator started the BYOC stream: none answered the token search with free capacity for the capability, or each one tried failed (transport error or 5xx) until the list or go-livepeer\'s swap limit ran out.' },
  STREAM_ORCHESTRATOR_REFUSED: { status: 400, description: 'The orchestrator answered a BYOC stream call with a 4xx; the gateway replies with the orchestrator\'s own status and text (go-livepeer stops at a 4xx too).' },
  STREAM_CHANNEL_OFF: { status: 409, description: 'The stream has no such trickle channel: ingest needs `enable_video_ingress`, out `enable_video_egress`, data `enable_data_output` in the start request\'s parameters.' },
  STREAM_ALREADY_ENDED: { status: 410, description: 'The BYOC stream was stopped or failed; its status keeps the reason for a while, but it takes no more input and has no more output.' },
  STREAM_RELAY_FAILED: { status: 502, description: 'The gateway could not move a segment to or from the orchestrator\'s trickle channel (or reach its stream routes); a gone channel also ends the stream.' },
  SCAFFOLD_FAILED: { status: 500, description: '`lpx plugin init byoc` could not write the project (folder not empty, bad name).' },
  SDK_PACK_FAILED: { status: 500, description: '`lpx sdk pack` could not compile or pack the sdk (tsc or npm pack failed); the detail has their output.' },
  PLUGIN_TEST_FAILED: { status: 500, description: '`lpx plugin test` found a failure: the conformance suite or the plugin\'s own tests; the detail lists them.' },
});
