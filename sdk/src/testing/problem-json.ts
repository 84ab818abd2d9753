import type { FastifyInstance } from 'fastify';

/**
 * Gives a bare fastify app the kernel's error handling (LpxError → problem+json with its code,
 * fastify's own refusals → LPX_ERR_HTTP_*), so a plugin can test its routes with `app.inject`
 * and see exactly what a node would answer. Loaded from @lpx/core at run time, like
 * startTestHost: plugins still import only @lpx/sdk.
 */
export async function installKernelProblemJson(app: FastifyInstance): Promise<void> {
  const coreModule = '@lpx/core';
  const core = (await import(coreModule)) as { installProblemJson(app: FastifyInstance): void };
  core.installProblemJson(app);
}
