/**
 * `GET /discovery`: `[{address, runners}]` with only ready runners, each by
 * its orchestrator URL (never the private runner URL): `/apps/{route}/session`
 * for persistent runners, `/apps/{route}/app` for single-shot ones, or the
 * proxy template's URL for single-shot runners with `proxy: true`. Prices are
 * wei and only on a node that takes payments; `price` is a JSON number as in
 * go-livepeer (written exactly, however large).
 */
import type { LiveRunnerNode } from '../live-runner-node.js';

const NUMBER_MARK = '\u0000num:';

export function discoveryJson(node: LiveRunnerNode): string {
  const serviceUri = node.serviceUri();
  const runners = node.table
    .all()
    .filter((runner) => node.table.ready(runner))
    .map((runner) => {
      const { spec } = runner;
      const route = encodeURIComponent(runner.route);
      const url =
        spec.mode === 'persistent' ? `${serviceUri}/apps/${route}/session` : spec.proxy ? node.template.url(runner.route) : `${serviceUri}/apps/${route}/app`;
      const gpu = spec.gpu === undefined ? undefined : { ...(spec.gpu.id !== '' ? { id: spec.gpu.id } : {}), ...(spec.gpu.name !== undefined ? { name: spec.gpu.name } : {}), ...(spec.gpu.vramMb !== undefined ? { vram_mb: spec.gpu.vramMb } : {}) };
      const priced = node.deps.wire.payments.enabled && spec.price !== undefined;
      return {
        url,
        ...(gpu !== undefined ? { gpu } : {}),
        app: spec.app,
        ...(spec.version !== '' ? { version: spec.version } : {}),
        ...(spec.metadata !== '' ? { metadata: spec.metadata } : {}),
        mode: spec.mode,
        capacity: spec.capacity,
        capacity_used: runner.sessions.size,
        capacity_available: Math.max(0, spec.capacity - runner.sessions.size),
        ...(priced ? { price_info: { price: `${NUMBER_MARK}${spec.price!.price}`, currency: 'wei', unit: spec.price!.unit } } : {}),
      };
    });
  const body = [{ address: serviceUri, ...(runners.length > 0 ? { runners } : {}) }];
  // Integer prices as bare JSON numbers, digit for digit.
  return JSON.stringify(body).replace(/"\\u0000num:([0-9]+)"/g, '$1');
}
