import t from 'tap';
import { loadConfig, validatePluginConfig } from '../../src/config/load-config.js';

const noEnv = {};

t.test('embedded defaults fill every section', async (t) => {
  const { config } = loadConfig({ raw: {}, env: noEnv });
  t.same(config.node.roles, ['worker']);
  t.equal(config.http.port, 8935);
  t.equal(config.redis.prefix, '{lpx}');
  t.equal(config.redis.url, undefined, 'no redis url means embedded redis');
  t.equal(config.redis.connectTimeoutMs, 10_000);
});

t.test('redis.connectTimeoutMs: file, then LPX_REDIS_CONNECT_TIMEOUT_MS over it', async (t) => {
  t.equal(loadConfig({ raw: { redis: { connectTimeoutMs: 60_000 } }, env: noEnv }).config.redis.connectTimeoutMs, 60_000);
  t.equal(loadConfig({ raw: { redis: { connectTimeoutMs: 60_000 } }, env: { LPX_REDIS_CONNECT_TIMEOUT_MS: '250' } }).config.redis.connectTimeoutMs, 250);
  t.throws(() => loadConfig({ raw: { redis: { connectTimeoutMs: 0 } }, env: noEnv }), { code: 'LPX_ERR_CONFIG_INVALID', message: /redis\.connectTimeoutMs/ });
});

t.test('unknown keys are errors naming the full path', async (t) => {
  t.throws(() => loadConfig({ raw: { htp: { port: 1 } }, env: noEnv }), { code: 'LPX_ERR_CONFIG_UNKNOWN_KEY', message: /unknown key "htp"/ });
  t.throws(() => loadConfig({ raw: { http: { prot: 1 } }, env: noEnv }), { code: 'LPX_ERR_CONFIG_UNKNOWN_KEY', message: /unknown key "http\.prot"/ });
  t.throws(() => loadConfig({ raw: { plugins: { echo: { modul: 'x' } } }, env: noEnv }), { message: /unknown key "plugins\.echo\.modul"/ });
});

t.test('wrong types say what was expected and what was found', async (t) => {
  t.throws(() => loadConfig({ raw: { http: { port: 'eighty' } }, env: noEnv }), {
    code: 'LPX_ERR_CONFIG_INVALID',
    message: /http\.port: expected integer, found string "eighty"/,
  });
  t.throws(() => loadConfig({ raw: { node: { roles: ['miner'] } }, env: noEnv }), { code: 'LPX_ERR_CONFIG_INVALID', message: /node\.roles\.0/ });
  t.throws(() => loadConfig({ raw: { http: { port: 70000 } }, env: noEnv }), { message: /http\.port: expected a number <= 65535/ });
  t.throws(() => loadConfig({ raw: { redis: { url: 'http://x' } }, env: noEnv }), { message: /redis\.url: expected a string matching/ });
});

t.test('files: YAML and JSON, unreadable and unparsable', async (t) => {
  const dir = t.testdir({
    'node.yaml': 'http:\n  port: 9001\n',
    'node.json': JSON.stringify({ http: { port: 9002 } }),
    'broken.yaml': 'http: [port: 1\n',
    'list.yaml': '- 1\n- 2\n',
    'empty.yaml': '',
  });
  t.equal(loadConfig({ file: `${dir}/node.yaml`, env: noEnv }).config.http.port, 9001);
  t.equal(loadConfig({ file: `${dir}/node.json`, env: noEnv }).config.http.port, 9002);
  t.equal(loadConfig({ file: `${dir}/node.yaml`, env: noEnv }).baseDir, dir);
  t.equal(loadConfig({ file: `${dir}/empty.yaml`, env: noEnv }).config.http.port, 8935);
  t.throws(() => loadConfig({ file: `${dir}/missing.yaml`, env: noEnv }), { code: 'LPX_ERR_CONFIG_FILE_UNREADABLE' });
  t.throws(() => loadConfig({ file: `${dir}/broken.yaml`, env: noEnv }), { code: 'LPX_ERR_CONFIG_PARSE', message: /broken\.yaml: not valid YAML/ });
  t.throws(() => loadConfig({ file: `${dir}/list.yaml`, env: noEnv }), { code: 'LPX_ERR_CONFIG_INVALID', message: /expected an object/ });
});

t.test('precedence: file < LPX_* env < --set', async (t) => {
  const raw = { http: { port: 1000 }, node: { dataDir: '/from-file' } };
  const env = { LPX_HTTP_PORT: '2000', LPX_NODE_DATA_DIR: '/from-env', LPX_ETH_KEY: 'secret-not-config' };
  const fromEnv = loadConfig({ raw, env }).config;
  t.equal(fromEnv.http.port, 2000, 'env overrides file and is parsed as a number');
  t.equal(fromEnv.node.dataDir, '/from-env', 'camelCase paths map to SNAKE_CASE names');
  t.equal(loadConfig({ raw, env, sets: ['http.port=3000'] }).config.http.port, 3000, '--set wins');
  t.same(loadConfig({ raw: {}, env: noEnv, sets: ['node.roles=[gateway, worker]'] }).config.node.roles, ['gateway', 'worker'], 'flow YAML values');
  t.equal(loadConfig({ raw: {}, env: { REDIS_URL: 'redis://10.0.0.1:6379' } }).config.redis.url, 'redis://10.0.0.1:6379', 'REDIS_URL is honoured');
  t.equal(loadConfig({ raw: {}, env: { REDIS_URL: 'redis://a:1', LPX_REDIS_URL: 'redis://b:2' } }).config.redis.url, 'redis://b:2', 'LPX_REDIS_URL wins over REDIS_URL');
  const withPluginSet = loadConfig({ raw, env: noEnv, sets: ['plugins.echo.config.greeting=hi'] }).config;
  t.same(withPluginSet.plugins.echo?.config, { greeting: 'hi' }, 'plugin config via --set');
});

t.test('bad overrides are coded errors', async (t) => {
  t.throws(() => loadConfig({ raw: {}, env: noEnv, sets: ['http.port'] }), { code: 'LPX_ERR_CONFIG_BAD_OVERRIDE', message: /expected path=value/ });
  t.throws(() => loadConfig({ raw: {}, env: noEnv, sets: ['=3'] }), { code: 'LPX_ERR_CONFIG_BAD_OVERRIDE' });
  t.throws(() => loadConfig({ raw: {}, env: noEnv, sets: ['http..port=3'] }), { code: 'LPX_ERR_CONFIG_BAD_OVERRIDE', message: /not a dotted config path/ });
  t.throws(() => loadConfig({ raw: {}, env: { LPX_HTTP_PORT: 'x' } }), { code: 'LPX_ERR_CONFIG_INVALID', message: /http\.port/ }, 'a bad env value is reported like a bad file value');
});

t.test('plugin config slices: defaults, unknown keys, types', async (t) => {
  const schema = { type: 'object', properties: { uppercase: { type: 'boolean', default: false }, name: { type: 'string' } } };
  t.same(validatePluginConfig('echo', schema, undefined), { uppercase: false });
  t.same(validatePluginConfig('echo', schema, { name: 'x' }), { uppercase: false, name: 'x' });
  t.throws(() => validatePluginConfig('echo', schema, { colour: 'red' }), { code: 'LPX_ERR_CONFIG_UNKNOWN_KEY', message: /unknown key "plugins\.echo\.config\.colour"/ });
  t.throws(() => validatePluginConfig('echo', schema, { uppercase: 'yes' }), {
    code: 'LPX_ERR_CONFIG_INVALID',
    message: /plugins\.echo\.config\.uppercase: expected boolean, found string "yes"/,
  });
  t.throws(() => validatePluginConfig('quiet', undefined, { a: 1 }), { code: 'LPX_ERR_CONFIG_UNKNOWN_KEY', message: /declares no config/ });
  t.same(validatePluginConfig('quiet', undefined, undefined), {});
});
