/**
 * The reference AI runner image: lpx's own implementation of the ai-runner
 * HTTP API on CPU engines (plugins/ai-runners/reference-runner), built
 * locally without a registry. See ADR 0029.
 */
export {
  buildReferenceRunnerImage,
  REFERENCE_BASE_REPO,
  REFERENCE_RUNNER_IMAGE_VERSION,
  REFERENCE_RUNNER_LABEL,
  REFERENCE_RUNNER_REPO,
  type BuildReferenceImageOptions,
  type ImageBuilderRuntime,
  type ReferenceImage,
} from './build-image.js';
export { bundleRunner, RUNNER_SOURCE_DIR, type RunnerBundle } from './bundle.js';
export { detectMirror, recipeHash, REFERENCE_ROOTFS_RECIPE, type RootfsRecipe } from './recipe.js';
export { defaultRootfsCacheDir, rootfsTarballPath } from './cache-paths.js';
export { ensureRootfsTarball, type RootfsOptions, type RootfsTarball } from './rootfs-cache.js';
