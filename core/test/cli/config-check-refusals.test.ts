import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { isLpxError } from '@lpx/sdk';
import { Host } from '../../src/boot/host.js';
import { loadConfig } from '../../src/config/load-config.js';
import { runCli } from '../../../test/helpers/cli.js';

const CHAIN = "chain:\n  rpcUrl: http://127.0.0.1:1\n  controller: '0x1111111111111111111111111111111111111111'\n";
const KEY = "  privateKey: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'\n";

/** One config per class of config-caused refusal `lpx start` makes, and the code it refuses with. */
const refusals: Record<string, { yaml: string; code: string; message: RegExp }> = {
  'signer role': { yaml: 'node:\n  roles: [signer]\n', code: 'LPX_ERR_CONFIG_ROLE_UNSUPPORTED', message: /remote signer protocol/ },
  'unknown selection algorithm': {
    yaml: 'node:\n  roles: [gateway]\ngateway:\n  selection: astrology\nplugins:\n  selection-stake:\n    module: "@lpx/plugin-selection-stake"\n',
    code: 'LPX_ERR_CONFIG_INVALID',
    message: /gateway\.selection names "astrology", but no plugin contributes it \(have: probability\)/,
  },
  'redeemer without a chain': { yaml: 'node:\n  roles: [redeemer]\n', code: 'LPX_ERR_CONFIG_INVALID', message: /the redeemer role needs a chain/ },
  'chain without a key': { yaml: `node:\n  roles: [gateway]\n${CHAIN}`, code: 'LPX_ERR_CHAIN_KEY_MISSING', message: /no Ethereum key/ },
  "maxSessions 'auto' without a transcode backend": { yaml: 'node:\n  roles: [orchestrator]\norchestrator:\n  maxSessions: auto\n', code: 'LPX_ERR_CONFIG_INVALID', message: /maxSessions 'auto'/ },
  'bad gateway capability id': { yaml: 'node:\n  roles: [gateway]\ngateway:\n  capabilities: [Echo]\n', code: 'LPX_ERR_CONFIG_INVALID', message: /gateway\.capabilities: "Echo"/ },
  'open gateway on a public host': { yaml: 'node:\n  roles: [gateway]\nhttp:\n  host: 0.0.0.0\n', code: 'LPX_ERR_GATEWAY_OPEN_ON_PUBLIC_HOST', message: /no tenants/ },
  'bad webhook CIDR': { yaml: 'node:\n  roles: [gateway]\ngateway:\n  webhooks:\n    allowCidrs: [10.0.0.0/99]\n', code: 'LPX_ERR_CONFIG_INVALID', message: /gateway\.webhooks\.allowCidrs/ },
  'webhook retries over a day': { yaml: 'node:\n  roles: [gateway]\ngateway:\n  webhooks:\n    attempts: 25\n    backoffMs: 3600000\n', code: 'LPX_ERR_CONFIG_INVALID', message: /keep it within 24 h/ },
  'unknown container runtime': {
    yaml: 'node:\n  roles: []\ncontainers:\n  runtime: podman\nplugins:\n  runtime-docker:\n    module: "@lpx/plugin-runtime-docker"\n',
    code: 'LPX_ERR_CONTAINERS_RUNTIME_UNKNOWN',
    message: /containers\.runtime is "podman" but no loaded plugin adds it \(added: docker\)/,
  },
  'unknown plugin': { yaml: 'plugins:\n  ghost:\n    module: ./no-such-plugin.js\n', code: 'LPX_ERR_PLUGIN_NOT_FOUND', message: /cannot import/ },
};

t.before(() => {
  const saved = { key: process.env.LPX_ETH_KEY, store: process.env.LPX_ETH_KEYSTORE };
  delete process.env.LPX_ETH_KEY;
  delete process.env.LPX_ETH_KEYSTORE;
  t.teardown(() => {
    if (saved.key !== undefined) process.env.LPX_ETH_KEY = saved.key;
    if (saved.store !== undefined) process.env.LPX_ETH_KEYSTORE = saved.store;
  });
});

t.test('lpx config check refuses each class with the code lpx start refuses it with', async (t) => {
  const dir = t.testdir(Object.fromEntries(Object.entries(refusals).map(([name, r], i) => [`${i}.yaml`, r.yaml])));
  for (const [i, [name, refusal]] of Object.entries(refusals).entries()) {
    const run = await runCli('config', 'check', join(dir, `${i}.yaml`), '--json');
    t.equal(run.code, 1, `${name}: refused`);
    t.match(JSON.parse(run.stdout), { ok: false, error: { code: refusal.code, message: refusal.message } }, name);
  }
});

t.test('the same configs pass once fixed, and a loopback open gateway only warns', async (t) => {
  const dir = t.testdir({
    'keyed.yaml': `node:\n  roles: [gateway]\n${CHAIN}${KEY}gateway:\n  selection: probability\nplugins:\n  selection-stake:\n    module: "@lpx/plugin-selection-stake"\n`,
  });
  const run = await runCli('config', 'check', join(dir, 'keyed.yaml'));
  t.equal(run.code, 0, run.stderr);
  t.match(run.stderr, /warning: the gateway API is OPEN/);
});

t.test('lpx start refuses through the same check, before Redis or any port', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-refusal-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const raw = { node: { roles: ['gateway'], dataDir }, gateway: { selection: 'astrology' }, plugins: { 'selection-stake': { module: '@lpx/plugin-selection-stake' } }, log: { level: 'silent' } };
  const host = new Host({ config: loadConfig({ raw, env: {} }) });
  const error = await host.start().then(() => undefined, (e: unknown) => e);
  t.ok(isLpxError(error) && error.code === 'LPX_ERR_CONFIG_INVALID', String(error));
  t.match((error as Error).message, /gateway\.selection names "astrology"/);
  t.throws(() => host.redisUrl, 'no kernel services (no Redis) were started');
});
