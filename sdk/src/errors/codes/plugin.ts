import { defineErrors } from '../lpx-error.js';

export const pluginErrors = defineErrors('PLUGIN', {
  MANIFEST_INVALID: { status: 500, description: 'A plugin manifest does not match the manifest schema.' },
  HOST_RANGE: { status: 500, description: 'The plugin was built for a host API range this kernel does not satisfy.' },
  DUPLICATE_ID: { status: 500, description: 'Two plugins share an id.' },
  DEPENDENCY_MISSING: { status: 500, description: 'A plugin requires a plugin, service or extension point that nothing provides.' },
  DEPENDENCY_CYCLE: { status: 500, description: 'The plugin dependency graph has a cycle; the message lists it.' },
  UNDECLARED_DEPENDENCY: { status: 500, description: 'An init asks for a service or extension point its manifest does not declare.' },
  EXTENSION_POINT_ILLEGAL: { status: 500, description: 'An extension point was registered by a plugin that does not declare it, registered twice, or used after it locked.' },
  SERVICE_ILLEGAL: { status: 500, description: 'A plugin-provided service is declared wrongly: a core.* id, two providers for one id, registered without being listed in provides.services (or listed and never registered), or required by its own provider.' },
  SERVICE_FAILED: { status: 500, description: 'A plugin service factory threw or timed out at boot; the message names the provider and the service, and everything started was stopped.' },
  REGISTER_INVALID: { status: 500, description: 'A register step did something other than declare (no init, two inits, async work).' },
  INIT_FAILED: { status: 500, description: 'A plugin threw during init; boot stopped and everything started was stopped.' },
  INIT_TIMEOUT: { status: 500, description: 'A plugin did not finish init within its timeout.' },
  START_FAILED: { status: 500, description: 'A plugin start hook threw.' },
  STOP_FAILED: { status: 500, description: 'A plugin stop hook threw or timed out during shutdown.' },
  ENCAPSULATION: { status: 500, description: 'A plugin tried to escape its own HTTP scope (e.g. a fastify-plugin wrapped function).' },
  LOAD_FAILED: { status: 500, description: 'The plugin module could not be imported or has no default plugin export.' },
  CAPABILITY_UNDECLARED: { status: 500, description: 'A plugin bound a handler for a capability its manifest does not declare.' },
  PERMISSION_DENIED: { status: 403, description: 'A plugin reached for something its manifest does not declare (docker, gpu, a network host, a file path, spend above its ceiling); the message names the permission and the grant that would allow it.' },
  NOT_FOUND: { status: 500, description: 'A plugin named in the config cannot be found.' },
});
