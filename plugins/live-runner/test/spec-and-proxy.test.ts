// The plugin's pure parts: go-livepeer's validation of static entries and
// heartbeats (texts included), the proxy URL template, the target URL join,
// Go duration strings, and the exact balance check of fixed prices.
import t from 'tap';
import type { StaticLiveRunner } from '@lpx/sdk';
import { heartbeatSpec, staticSpec } from '../src/registry/runner-spec.js';
import { parseProxyTemplate } from '../src/registry/proxy-template.js';
import { targetUrl } from '../src/proxy/reverse-proxy.js';
import { goDuration } from '../src/registry/dynamic-runners.js';
import { balanceCovers } from '../src/payments/session-payments.js';
import { base32, deriveSecret } from '../src/registry/secrets.js';

const entry: StaticLiveRunner = { label: 'a', runnerUrl: 'http://127.0.0.1:8080/', healthUrl: '/health', app: 'x/y', mode: 'persistent', capacity: 0, price: { price: '10', unit: 'seconds' } };

t.test('static entries', async (t) => {
  const spec = staticSpec(entry, 0, true);
  t.equal(spec.healthUrl, 'http://127.0.0.1:8080/health', 'a root-relative health URL resolves against runner_url');
  t.equal(spec.capacity, 1, 'capacity 0 means 1');
  t.equal(spec.routing, 'runner-id');
  t.same(spec.price, { price: '10', unit: 'seconds' });
  t.equal(staticSpec(entry, 0, false).price, undefined, 'offchain ignores prices');
  const refused = (over: Partial<StaticLiveRunner> & Record<string, unknown>, message: string) =>
    t.throws(() => staticSpec({ ...entry, ...over } as StaticLiveRunner, 3, true), { code: 'LPX_ERR_LIVE_RUNNER_CONFIG_INVALID', message: `runners[3]: ${message}` }, message);
  refused({ label: ' a' }, 'label is required and must be trimmed');
  refused({ runnerUrl: 'ftp://x' }, 'invalid runner_url');
  refused({ healthUrl: '' }, 'health_url is required');
  refused({ healthyStatusCode: 600 }, 'healthy_status_code must be a valid HTTP status code');
  refused({ app: 'x/y ' }, 'app is required and must be trimmed');
  refused({ mode: 'sometimes' as 'persistent' }, 'mode must be "persistent" or "single-shot"');
  refused({ capacity: -1 }, 'capacity must be >= 0');
  refused({ price: undefined }, 'price_info.price is required');
  refused({ price: { price: '1.5', unit: 'seconds' } }, 'price_info.price must be a positive integer (wei)');
  refused({ price: { price: '1', unit: 'hour' as 'seconds' } }, 'price_info.unit must be seconds, 720p-pixel-seconds, or fixed');
  refused({ metadata: 'é'.repeat(513) }, 'metadata must be at most 1024 bytes');
  refused({ metadata: 'bad \uFFFD' }, 'metadata must not contain Unicode replacement character U+FFFD');
  t.equal(staticSpec({ ...entry, mode: 'single_shot' as 'single-shot' }, 0, true).mode, 'single-shot', 'single_shot is normalised');
});

t.test('heartbeats', async (t) => {
  const ok = heartbeatSpec({ runner_url: 'http://10.0.0.2:9000', app: 'a', price_info: { price: 5, currency: 'wei', unit: 'fixed' }, gpu: 1 }, 'r1', true);
  t.same(ok.price, { price: '5', unit: 'fixed' });
  t.same(ok.gpu, { id: '1' }, 'an integer GPU is a device index');
  t.throws(() => heartbeatSpec({ runner_url: 'http://h', app: 'a', price_info: { price: 3.5, currency: 'usd', unit: 'hour' } }, 'r', true), { code: 'LPX_ERR_LIVE_RUNNER_HEARTBEAT_INVALID', message: /currency must be wei/ });
  t.throws(() => heartbeatSpec({ runner_url: 'http://h', app: 'a', status: 'Ready' }, 'r', false), { message: 'status must be lowercase and trimmed' });
  t.throws(() => heartbeatSpec([], 'r', false), { message: 'the heartbeat body must be a JSON object' });
  t.equal(heartbeatSpec({ runner_url: 'http://h', app: 'a', price_info: { price: 'x' } }, 'r', false).price, undefined, 'offchain: price_info is not read');
});

t.test('proxy templates', async (t) => {
  const byDefault = parseProxyTemplate(undefined, () => 'https://o:8935');
  t.equal(byDefault.url('abc'), 'https://o:8935/run/abc');
  t.equal(byDefault.pathPrefix, '/run/');
  const custom = parseProxyTemplate('https://apps.example.com/x/run/{proxy}', () => 'https://o');
  t.equal(custom.url('p1'), 'https://apps.example.com/x/run/p1');
  t.equal(custom.pathPrefix, '/x/run/');
  t.throws(() => parseProxyTemplate('https://apps.example.com/run/{proxy}/fixed', () => ''), { message: /final path segment/ });
  t.throws(() => parseProxyTemplate('https://apps.example.com/run', () => ''), { message: /exactly one \{proxy\}/ });
  t.throws(() => parseProxyTemplate('ftp://a/{proxy}', () => ''), { message: /http or https/ });
  t.throws(() => parseProxyTemplate('https://{proxy}.apps.example.com', () => ''), { code: 'LPX_ERR_LIVE_RUNNER_CONFIG_INVALID', message: /host templates/ });
});

t.test('target URLs, durations, balances, secrets', async (t) => {
  const target = (base: string, appPath: string, query = '') => targetUrl({ base, appPath, query, inject: {}, signal: new AbortController().signal }).toString();
  t.equal(target('http://r:9/ui', 'v1/status', 'verbose=true'), 'http://r:9/ui/v1/status?verbose=true');
  t.equal(target('http://r:9', ''), 'http://r:9/');
  t.equal(target('http://r:9/base/', 'a/../b/'), 'http://r:9/base/b/');
  t.equal(target('http://r:9/base', '../../etc'), 'http://r:9/etc', 'cleaned like Go, never above the root');
  t.same([goDuration(5000), goDuration(20_000), goDuration(1500), goDuration(250), goDuration(60_000), goDuration(90_000)], ['5s', '20s', '1.5s', '250ms', '1m0s', '1m30s']);
  t.equal(balanceCovers('10', 10n), true);
  t.equal(balanceCovers('19/2', 10n), false, '9.5 < 10');
  t.equal(balanceCovers('-1/3', 0n), false);
  t.equal(balanceCovers(undefined, 0n), false);
  t.equal(base32(Buffer.from('foobar')), 'mzxw6ytboi', 'RFC 4648 base32, lower case, unpadded');
  t.equal(deriveSecret(Buffer.alloc(32), 'heartbeat'), deriveSecret(Buffer.alloc(32), 'heartbeat'));
  t.not(deriveSecret(Buffer.alloc(32), 'session:a'), deriveSecret(Buffer.alloc(32), 'session:b'));
});
