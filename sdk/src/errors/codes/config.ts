import { defineErrors } from '../lpx-error.js';

export const configErrors = defineErrors('CONFIG', {
  FILE_UNREADABLE: { status: 500, description: 'The config file could not be read.' },
  PARSE: { status: 500, description: 'The config file is not valid YAML or JSON.' },
  UNKNOWN_KEY: { status: 500, description: 'A key that no schema declares was found; the path names it.' },
  INVALID: { status: 500, description: 'A value does not match its schema; the message names the path, the expectation and what was found.' },
  ROLE_UNSUPPORTED: { status: 500, description: "node.roles names a role lpx does not run: `signer` (go-livepeer's remote signer protocol) is not implemented (ADR 0059)." },
  BAD_OVERRIDE: { status: 500, description: 'A --set or LPX_* override is malformed (expected path=value).' },
});
