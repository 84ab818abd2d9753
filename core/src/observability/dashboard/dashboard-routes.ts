import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '@lpx/sdk';
import { missingAssetsPage } from './missing-assets-page.js';
import { dashboardRouteSchemas } from '../observability-route-schemas.js';

/** Where `npm run build -w dashboard` (run by scripts/bootstrap.mjs) writes the page: <repo>/dashboard/dist. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../../dashboard/dist/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

// Everything the page loads comes from this node: no CDN, no remote fonts (ADR 0057).
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/** One file name in dist/assets (Vite names them <name>-<hash>.<ext>); no paths, no dot-dot. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * `GET /dashboard` and its assets, served from the Vite build. Files are read
 * per request (the page is small and rarely open), so a rebuild shows without
 * a restart. Without a build the node says so: an HTML page to browsers, a
 * problem+json (LPX_ERR_DASHBOARD_ASSETS_MISSING) to everything else.
 */
export function registerDashboardRoutes(app: FastifyInstance, dir: string = DEFAULT_DASHBOARD_DIR): void {
  const index = async (request: FastifyRequest, reply: FastifyReply) => {
    const html = await readFile(join(dir, 'index.html')).catch(() => undefined);
    if (html === undefined) return missing(request, reply, dir);
    return reply.type(TYPES['.html']!).header('cache-control', 'no-cache').header('content-security-policy', CSP).send(html);
  };
  app.get('/dashboard', { schema: dashboardRouteSchemas.page }, index);
  app.get('/dashboard/', { schema: dashboardRouteSchemas.page }, index);
  app.get<{ Params: { file: string } }>('/dashboard/assets/:file', { schema: dashboardRouteSchemas.asset }, async (request, reply) => {
    const { file } = request.params;
    const type = TYPES[extname(file)];
    if (!ASSET_NAME.test(file) || type === undefined) throw errors.http.NOT_FOUND.create(`no dashboard asset ${file}`);
    const body = await readFile(join(dir, 'assets', file)).catch(() => undefined);
    if (body === undefined) throw errors.http.NOT_FOUND.create(`no dashboard asset ${file}`);
    // Names carry a content hash, so a browser may keep them for good.
    return reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').send(body);
  });
}

function missing(request: FastifyRequest, reply: FastifyReply, dir: string) {
  const detail = `the dashboard is not built (no ${join(dir, 'index.html')}); run \`node scripts/bootstrap.mjs\` or \`npm run build -w dashboard\` in the lpx repository`;
  if ((request.headers.accept ?? '').includes('text/html')) {
    return reply.status(503).type(TYPES['.html']!).header('cache-control', 'no-store').send(missingAssetsPage(detail));
  }
  throw errors.dashboard.ASSETS_MISSING.create(detail);
}
