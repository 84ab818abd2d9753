import { defineErrors } from '../lpx-error.js';

export const dashboardErrors = defineErrors('DASHBOARD', {
  ASSETS_MISSING: { status: 503, description: 'GET /dashboard found no built page (dashboard/dist/index.html): run `node scripts/bootstrap.mjs` (or `npm run build -w dashboard`) from the repository. /status still answers.' },
});
