import t from 'tap';
import { runConformanceSuite, discoveryStrategySuite } from '@lpx/sdk/testing';
import { parseOrchAddrs, StaticDiscoveryStrategy } from '../src/index.js';

t.test('go-livepeer -orchAddr defaults: https scheme, port 8935, host 127.0.0.1', async (t) => {
  const { uris, rejected } = parseOrchAddrs('orch.example.com, 10.0.0.7:9000 ,:7935,https://secure.example:8936,http://plain.example:8935');
  t.same(uris, ['https://orch.example.com:8935', 'https://10.0.0.7:9000', 'https://127.0.0.1:7935', 'https://secure.example:8936', 'http://plain.example:8935']);
  t.same(rejected, []);
});

t.test('a scheme-qualified address keeps its (possibly implicit) port, as go-livepeer does', async (t) => {
  t.same(parseOrchAddrs('https://o.example').uris, ['https://o.example']);
  t.same(parseOrchAddrs('https://o.example:443').uris, ['https://o.example:443'], 'an explicit default port is kept');
  t.same(parseOrchAddrs('HTTPS://O.Example:8935').uris, ['https://o.example:8935'], 'scheme and host are case-insensitive');
});

t.test('lists and comma strings mix; duplicates collapse; empty entries are skipped', async (t) => {
  const { uris } = parseOrchAddrs(['a.example', 'b.example:8935,a.example:8935', 'https://a.example:8935', '', ' , ']);
  t.same(uris, ['https://a.example:8935', 'https://b.example:8935']);
});

t.test('a host that merely starts with "http" still gets the https default', async (t) => {
  t.same(parseOrchAddrs('httpbin.example').uris, ['https://httpbin.example:8935']);
});

t.test('bad entries are reported and skipped, the rest are kept', async (t) => {
  const { uris, rejected } = parseOrchAddrs('good.example,ftp://files.example,bad host:1,o.example:notaport,https://o.example:1/?x=1');
  t.same(uris, ['https://good.example:8935']);
  t.same(rejected.map((r) => r.entry), ['ftp://files.example', 'bad host:1', 'o.example:notaport', 'https://o.example:1/?x=1']);
  t.match(rejected[0], { reason: /only http/ });
});

t.test('the static strategy returns trusted candidates and passes the discovery conformance suite', async (t) => {
  const strategy = new StaticDiscoveryStrategy(parseOrchAddrs('a.example,b.example').uris);
  t.same(await strategy.discover(new AbortController().signal), [
    { uri: 'https://a.example:8935', score: 1 },
    { uri: 'https://b.example:8935', score: 1 },
  ]);
  const report = await runConformanceSuite(discoveryStrategySuite, () => strategy);
  t.same(report.failed, []);
  t.equal(report.passed.length, 3);
});
