import t, { type Test } from 'tap';
import { errors, type ByocAppSpec, type LpxError, type PluginManifest } from '@lpx/sdk';
import { hostGranted, imageGranted, validateManifest, type ManifestIssue } from '../src/index.js';
import { fixtureManifest } from './helpers/fixture-plugin.js';

// Static permission rules (docs/adr/0036-permissions-enforced.md): checked before any plugin code runs.

const DIGEST = `sha256:${'a'.repeat(64)}`;
const app = (extra: Partial<ByocAppSpec> = {}): ByocAppSpec => ({
  name: 'echo',
  description: 'echoes',
  mode: 'request-response',
  price: { unit: 'request', pricePerUnit: '1000' },
  capacity: 1,
  container: { image: 'acme/echo:1.0', digest: DIGEST, port: 8080 },
  ...extra,
});

function issuesOf(t: Test, manifest: PluginManifest): ManifestIssue[] {
  try {
    validateManifest(manifest, { source: 'fixture/plugin.manifest.json' });
  } catch (error) {
    t.ok(errors.plugin.MANIFEST_INVALID.is(error), 'LPX_ERR_PLUGIN_MANIFEST_INVALID');
    return ((error as LpxError).details?.['issues'] ?? []) as ManifestIssue[];
  }
  t.fail('expected the manifest to be rejected');
  return [];
}

t.test('a grant for a permission the manifest does not declare is refused, by path', async (t) => {
  const issues = issuesOf(t, fixtureManifest({ permissions: ['docker'], grants: { docker: { maxContainers: 2 }, network: { hosts: ['a.example'] }, spend: { maxPerJobWei: '10' } } }));
  t.same(issues.map((i) => i.path).sort(), ['/grants/network', '/grants/spend']);
  t.match(issues[0]!.expected, /the "network" permission in \/permissions/);
  t.match(issues[1]!.found, /undeclared permission "spend"/);
});

t.test('declared permissions with fitting grants pass', async (t) => {
  const manifest = fixtureManifest({
    permissions: ['docker', 'gpu', 'spend'],
    grants: { docker: { images: ['acme/*'], maxMemoryBytes: 1 << 30 }, gpu: { max: 2 }, spend: { maxPerJobWei: '1000000' } },
    byoc: app({ resources: { gpu: 2, memoryBytes: 1 << 29 } }),
  });
  t.equal(validateManifest(manifest), manifest);
});

t.test('byoc.container needs docker; its image must match grants.docker.images', async (t) => {
  const none = issuesOf(t, fixtureManifest({ byoc: app() }));
  t.same(none.map((i) => i.path), ['/byoc/container']);
  t.match(none[0]!.expected, /"docker" permission/);
  const other = issuesOf(t, fixtureManifest({ permissions: ['docker'], grants: { docker: { images: ['acme/other:*'] } }, byoc: app() }));
  t.same(other.map((i) => i.path), ['/byoc/container/image']);
  t.match(other[0]!.expected, /acme\/other:\*/);
});

t.test('GPUs need gpu and stay within grants.gpu.max; memory within grants.docker.maxMemoryBytes', async (t) => {
  const noGpu = issuesOf(t, fixtureManifest({ permissions: ['docker'], byoc: app({ resources: { gpu: 1 } }) }));
  t.same(noGpu.map((i) => i.path), ['/byoc/resources/gpu']);
  t.match(noGpu[0]!.expected, /"gpu" permission/);
  const tooMany = issuesOf(t, fixtureManifest({ permissions: ['docker', 'gpu'], grants: { gpu: { max: 1 }, docker: { maxMemoryBytes: 100 } }, byoc: app({ resources: { gpu: 3, memoryBytes: 200 } }) }));
  t.same(tooMany.map((i) => i.path), ['/byoc/resources/gpu', '/byoc/resources/memoryBytes']);
  t.match(tooMany[0]!.expected, /\/grants\/gpu\/max = 1/);
  t.equal(validateManifest(fixtureManifest({ permissions: ['docker'], byoc: app({ resources: { gpu: 0 } }) })).id, 'hello-world', 'gpu 0 needs nothing');
});

t.test('byoc.external needs network and a host grant covering its URL', async (t) => {
  const { container: _c, ...bare } = app();
  const external = { ...bare, external: { url: 'https://api.partner.example:8443/v1' } } as ByocAppSpec;
  const noNetwork = issuesOf(t, fixtureManifest({ byoc: external }));
  t.same(noNetwork.map((i) => i.path), ['/byoc/external']);
  t.match(noNetwork[0]!.expected, /"network" permission/);
  const noGrant = issuesOf(t, fixtureManifest({ permissions: ['network'], byoc: external }));
  t.same(noGrant.map((i) => i.path), ['/byoc/external/url']);
  const otherHost = issuesOf(t, fixtureManifest({ permissions: ['network'], grants: { network: { hosts: ['*.other.example', 'api.partner.example:443'] } }, byoc: external }));
  t.same(otherHost.map((i) => i.path), ['/byoc/external/url'], 'wrong port and wrong suffix do not cover it');
  for (const hosts of [['api.partner.example'], ['api.partner.example:8443'], ['*.partner.example']]) {
    t.doesNotThrow(() => validateManifest(fixtureManifest({ permissions: ['network'], grants: { network: { hosts } }, byoc: external })), `covered by ${hosts[0]}`);
  }
});

t.test('a BYOC app has exactly one of container and external', async (t) => {
  const both = issuesOf(t, fixtureManifest({ permissions: ['docker', 'network'], grants: { network: { hosts: ['x.example'] } }, byoc: app({ external: { url: 'https://x.example' } }) }));
  t.same(both.map((i) => [i.path, i.found]), [['/byoc', 'both']]);
  const { container: _c, ...bare } = app();
  const neither = issuesOf(t, fixtureManifest({ byoc: bare as ByocAppSpec }));
  t.same(neither.map((i) => [i.path, i.found]), [['/byoc', 'neither']]);
});

t.test('host patterns: exact, host:port, *.suffix; default ports; case-insensitive', async (t) => {
  const url = (u: string) => new URL(u);
  t.ok(hostGranted(['Example.COM'], url('http://example.com/x')));
  t.notOk(hostGranted(['example.com'], url('http://evil-example.com/')));
  t.notOk(hostGranted(['example.com'], url('http://example.com.evil.net/')));
  t.ok(hostGranted(['example.com:443'], url('https://example.com/')), 'https default port is 443');
  t.notOk(hostGranted(['example.com:443'], url('http://example.com/')));
  t.ok(hostGranted(['*.example.com'], url('http://a.b.example.com/')));
  t.notOk(hostGranted(['*.example.com'], url('http://example.com/')), 'a wildcard does not cover the bare domain');
  t.ok(hostGranted(['127.0.0.1:8080'], url('http://127.0.0.1:8080/')));
  t.ok(hostGranted(['[::1]:8080'], url('http://[::1]:8080/')));
  t.notOk(hostGranted([], url('http://example.com/')), 'no grant allows nothing');
});

t.test('image patterns: wildcards, a name without tag covers its tags, refs without tag are :latest', async (t) => {
  t.ok(imageGranted(['acme/*'], 'acme/app:1'));
  t.notOk(imageGranted(['acme/*'], 'evil/acme:1'));
  t.ok(imageGranted(['acme/app:*'], 'acme/app:2'));
  t.notOk(imageGranted(['acme/app:1'], 'acme/app:10'));
  t.ok(imageGranted(['acme/app'], 'acme/app:any'));
  t.notOk(imageGranted(['acme/app'], 'acme/app-evil:1'));
  t.ok(imageGranted(['redis:latest'], 'redis'));
});
