import { defineErrors } from '../lpx-error.js';

/** Container runtimes (Docker) and the containers plugins start through them. */
export const containersErrors = defineErrors('CONTAINERS', {
  UNAVAILABLE: { status: 503, description: 'No container runtime is usable on this node: none loaded, the engine could not be started or reached. The detail has the reason.' },
  RUNTIME_DUPLICATE: { status: 500, description: 'Two plugins added a container runtime with the same name.' },
  RUNTIME_UNKNOWN: { status: 400, description: '`containers.runtime` names a runtime no loaded plugin adds.' },
  IMAGE_NOT_FOUND: { status: 404, description: 'An image is not present locally and its source cannot provide it (no registry reachable for a pull, tarball missing).' },
  IMAGE_BUILD_FAILED: { status: 500, description: 'Building or importing an image failed; the detail has the build output\'s last lines.' },
  NAME_IN_USE: { status: 409, description: 'A container with that name already exists on the engine.' },
  NOT_FOUND: { status: 404, description: 'The container does not exist (removed, or never created by this node).' },
  START_FAILED: { status: 500, description: 'The engine refused to start a container (bad port, missing device, exited at once); the detail has the engine\'s message and the container\'s last log lines.' },
  SPEC_INVALID: { status: 400, description: 'A container spec is unusable (empty name or image, a port out of range, a negative memory limit).' },
  ENGINE_ERROR: { status: 502, description: 'The engine answered an unexpected error or did not answer in time.' },
});
