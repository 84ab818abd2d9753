import t from 'tap';
import { errors } from '@lpx/sdk';
import { loadConfig } from '../../src/config/load-config.js';
import { gatewayConfig } from '../../src/dev/dev-configs.js';
import { WebhookEgressPolicy, type HostResolver } from '../../src/roles/gateway/webhooks/egress-policy.js';
import { egressPolicyOf } from '../../src/roles/gateway/webhooks/gateway-webhooks.js';

/** A DNS stand-in: answers from a table, ENOTFOUND otherwise. */
function table(entries: Record<string, string[]>): HostResolver {
  return async (host) => {
    const answers = entries[host];
    if (answers === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const PUBLIC = '93.184.215.14';
const resolve = table({ 'hooks.example': [PUBLIC], 'rebind.example': ['127.0.0.1'], 'mixed.example': [PUBLIC, '10.0.0.7'], 'v6.example': ['2606:4700::1111'], 'metadata.example': ['::ffff:169.254.169.254'] });

t.test('by default every non-public destination is refused with a coded 400 naming the range', async (t) => {
  const policy = new WebhookEgressPolicy({ resolve });
  const cases: Array<[string, RegExp]> = [
    ['http://127.0.0.1:8080/hook', /loopback/],
    ['http://10.1.2.3/hook', /private/],
    ['http://172.16.0.1/hook', /private/],
    ['http://192.168.1.1/hook', /private/],
    ['http://169.254.169.254/latest/meta-data/', /link-local.*metadata/],
    ['http://100.64.0.1/', /carrier-grade NAT/],
    ['http://0.0.0.0:9000/', /unspecified/],
    ['http://224.0.0.1/', /multicast/],
    ['http://[::1]:8080/hook', /loopback/],
    ['http://[fd00::1]/', /unique-local/],
    ['http://[fe80::1]/', /link-local/],
    ['http://[::ffff:127.0.0.1]/', /loopback/],
    ['http://[::ffff:a9fe:a9fe]/', /link-local/],
    // Numeric spellings of 127.0.0.1 that URL parsers and resolvers accept.
    ['http://2130706433/', /loopback/],
    ['http://0x7f.1/', /loopback/],
    ['http://017700000001/', /loopback/],
    ['http://127.1/', /loopback/],
    // Names whose DNS answer is private.
    ['http://rebind.example/hook', /resolves to 127\.0\.0\.1.*loopback/],
    ['http://mixed.example/hook', /resolves to 10\.0\.0\.7.*private/],
    ['http://metadata.example/', /link-local/],
  ];
  for (const [url, why] of cases) {
    const error = await policy.check(url).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(errors.gateway.WEBHOOK_DESTINATION_REFUSED.is(error), `${url} refused`);
    t.match((error as Error).message, why, url);
    t.equal((error as { status?: number }).status, 400);
  }
});

t.test('public destinations pass and come back normalised', async (t) => {
  const policy = new WebhookEgressPolicy({ resolve });
  t.equal(await policy.check('https://hooks.example/a?b=1'), 'https://hooks.example/a?b=1');
  t.equal(await policy.check('http://v6.example:8080/x'), 'http://v6.example:8080/x');
  t.equal(await policy.check(`http://${PUBLIC}/`), `http://${PUBLIC}/`);
  t.same(await policy.destinations(new URL('http://hooks.example/')), [{ address: PUBLIC, family: 4 }]);
});

t.test('malformed and non-http URLs are LPX_ERR_GATEWAY_WEBHOOK_INVALID_URL; unknown hosts LPX_ERR_GATEWAY_WEBHOOK_UNRESOLVABLE', async (t) => {
  const policy = new WebhookEgressPolicy({ resolve });
  for (const url of ['not a url', 'ftp://hooks.example/x', 'javascript:alert(1)', 'file:///etc/passwd']) {
    await t.rejects(policy.check(url), { code: errors.gateway.WEBHOOK_INVALID_URL.code, status: 400 }, url);
  }
  await t.rejects(policy.check('http://nowhere.example/'), { code: errors.gateway.WEBHOOK_UNRESOLVABLE.code, status: 400, message: /ENOTFOUND/ });
});

t.test('the operator allows ranges (allowCidrs), names (allowHosts) or everything (allowPrivate)', async (t) => {
  const cidrs = new WebhookEgressPolicy({ resolve, allowCidrs: ['127.0.0.0/8', '::1/128'] });
  t.equal(await cidrs.check('http://127.0.0.1:9/'), 'http://127.0.0.1:9/');
  t.equal(await cidrs.check('http://[::1]:9/'), 'http://[::1]:9/');
  t.equal(await cidrs.check('http://[::ffff:127.0.0.1]/'), 'http://[::ffff:7f00:1]/', 'a mapped form matches the IPv4 range');
  t.equal(await cidrs.check('http://rebind.example/'), 'http://rebind.example/');
  await t.rejects(cidrs.check('http://10.0.0.1/'), { code: errors.gateway.WEBHOOK_DESTINATION_REFUSED.code }, 'other ranges stay refused');
  await t.rejects(cidrs.check('http://169.254.169.254/'), { code: errors.gateway.WEBHOOK_DESTINATION_REFUSED.code });

  const hosts = new WebhookEgressPolicy({ resolve: table({ 'a.hooks.internal': ['10.0.0.5'], 'hooks.internal': ['10.0.0.6'], 'evilhooks.internal': ['10.0.0.7'] }), allowHosts: ['*.hooks.internal'] });
  t.equal(await hosts.check('http://a.hooks.internal/'), 'http://a.hooks.internal/');
  await t.rejects(hosts.check('http://hooks.internal/'), { code: errors.gateway.WEBHOOK_DESTINATION_REFUSED.code }, '*.x matches subdomains only');
  await t.rejects(hosts.check('http://evilhooks.internal/'), { code: errors.gateway.WEBHOOK_DESTINATION_REFUSED.code }, 'a suffix is matched at a dot');
  await t.rejects(hosts.check('http://10.0.0.5/'), { code: errors.gateway.WEBHOOK_DESTINATION_REFUSED.code }, 'allowHosts trusts names, not the addresses they point at');
  t.equal(await hosts.check('http://b.hooks.internal/'), 'http://b.hooks.internal/', 'a trusted name is not looked up at submission (it may resolve only where deliveries run)');

  const open = new WebhookEgressPolicy({ resolve, allowPrivate: true });
  t.equal(await open.check('http://127.0.0.1/'), 'http://127.0.0.1/');
  t.equal(await open.check('http://169.254.169.254/'), 'http://169.254.169.254/');
});

t.test('a malformed allowCidrs entry is a config error at construction', async (t) => {
  t.throws(() => new WebhookEgressPolicy({ allowCidrs: ['127.0.0.1'] }), { code: errors.config.INVALID.code, message: /allowCidrs/ });
});

t.test('a gateway configured with defaults refuses a loopback webhook; the dev network gateway allows loopback only', async (t) => {
  const plain = loadConfig({ raw: { node: { roles: ['gateway'] } }, env: {} }).config;
  t.same(plain.gateway.webhooks, { timeoutMs: 10_000, attempts: 12, backoffMs: 1_000, concurrency: 16, allowPrivate: false, allowHosts: [], allowCidrs: [] });
  for (const url of ['http://127.0.0.1:9000/hook', 'http://[::1]:9000/hook', 'http://localhost:9000/hook']) {
    await t.rejects(egressPolicyOf(plain).check(url), { code: errors.gateway.WEBHOOK_DESTINATION_REFUSED.code, status: 400 }, url);
  }

  const dev = loadConfig({
    raw: gatewayConfig({ redisUrl: 'redis://127.0.0.1:1', chain: { rpcUrl: 'http://127.0.0.1:2', controller: `0x${'1'.repeat(40)}` }, privateKey: `0x${'2'.repeat(64)}`, httpPort: 3, dataDir: '/tmp/x', orchestrators: [] }),
    env: {},
  }).config;
  const policy = egressPolicyOf(dev);
  t.equal(await policy.check('http://127.0.0.1:9000/hook'), 'http://127.0.0.1:9000/hook');
  t.equal(await policy.check('http://[::1]:9000/hook'), 'http://[::1]:9000/hook');
  await t.rejects(policy.check('http://10.0.0.1/hook'), { code: errors.gateway.WEBHOOK_DESTINATION_REFUSED.code }, 'private ranges stay refused on a dev network');
  await t.rejects(policy.check('http://169.254.169.254/'), { code: errors.gateway.WEBHOOK_DESTINATION_REFUSED.code });
});
