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
  WORKER_FAILED: { status: 502, description: 'The app\'s container or external worker failed the request (transport error, 401, timeout, a broken event stream); nothing is charged for an answer that never reached the gateway.' },
  SCAFFOLD_FAILED: { status: 500, description: '`lpx plugin init byoc` could not write the project (folder not empty, bad name).' },
  SDK_PACK_FAILED: { status: 500, description: '`lpx sdk pack` could not compile or pack the sdk (tsc or npm pack failed); the detail has their output.' },
  PLUGIN_TEST_FAILED: { status: 500, description: '`lpx plugin test` found a failure: the conformance suite or the plugin\'s own tests; the detail lists them.' },
});
