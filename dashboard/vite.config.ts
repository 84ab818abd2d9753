import { defineConfig } from 'vite';

// Served by the node under /dashboard (core/src/observability/dashboard/dashboard-routes.ts);
// everything is bundled locally, nothing is fetched from a CDN (docs/adr/0057-web-dashboard.md).
export default defineConfig({
  base: '/dashboard/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // One small page: no reason for a preload polyfill or a report of gzip sizes.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: { proxy: { '/status': 'http://127.0.0.1:8935', '/events': 'http://127.0.0.1:8935' } },
});
