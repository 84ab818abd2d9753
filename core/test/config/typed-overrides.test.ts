import t from 'tap';
import { loadConfig } from '../../src/config/load-config.js';
import { scalarFor } from '../../src/config/schema-scalar.js';

const noEnv = {};
const CONTROLLER = '0x00000000000000000000000000000000000000a1';
const CHAIN = { rpcUrl: 'http://127.0.0.1:8545', controller: CONTROLLER };

t.test('LPX_ORCHESTRATOR_PRICE_PER_UNIT=1 is the string the schema wants, not a number that stops the node', async (t) => {
  const { config } = loadConfig({ raw: {}, env: { LPX_ORCHESTRATOR_PRICE_PER_UNIT: '1' } });
  t.equal(config.orchestrator.pricePerUnit, '1');
});

t.test('--set orchestrator.pricePerUnit=1 likewise', async (t) => {
  const { config } = loadConfig({ raw: {}, env: noEnv, sets: ['orchestrator.pricePerUnit=1'] });
  t.equal(config.orchestrator.pricePerUnit, '1');
  t.equal(loadConfig({ raw: {}, env: noEnv, sets: ['orchestrator.pricePerUnit=12345678901234567890123'] }).config.orchestrator.pricePerUnit, '12345678901234567890123', 'no float rounding');
  t.equal(loadConfig({ raw: {}, env: noEnv, sets: ["orchestrator.pricePerUnit='7'"] }).config.orchestrator.pricePerUnit, '7', 'YAML quotes still work');
});

t.test('LPX_HTTP_PORT=9000 is still a number', async (t) => {
  t.equal(loadConfig({ raw: {}, env: { LPX_HTTP_PORT: '9000' } }).config.http.port, 9000);
  t.equal(loadConfig({ raw: {}, env: noEnv, sets: ['http.port=9001'] }).config.http.port, 9001);
});

t.test('0x… addresses and unprefixed hex keys stay strings', async (t) => {
  const env = { LPX_CHAIN_RPC_URL: CHAIN.rpcUrl, LPX_CHAIN_CONTROLLER: CONTROLLER };
  t.equal(loadConfig({ raw: {}, env }).config.chain?.controller, CONTROLLER, 'env');
  t.equal(loadConfig({ raw: { chain: CHAIN }, env: noEnv, sets: [`chain.controller=${CONTROLLER}`] }).config.chain?.controller, CONTROLLER, '--set');
  const key = '1'.repeat(64);
  t.equal(loadConfig({ raw: { chain: CHAIN }, env: noEnv, sets: [`chain.privateKey=${key}`] }).config.chain?.privateKey, key, 'a digits-only key is not turned into a float');
  const gateway = '0x00000000000000000000000000000000000000b2';
  const { config } = loadConfig({ raw: {}, env: noEnv, sets: [`orchestrator.pricePerGateway.${gateway}.pricePerUnit=5`, `orchestrator.pricePerGateway.${gateway}.pixelsPerUnit=1`] });
  t.same(config.orchestrator.pricePerGateway[gateway], { pricePerUnit: '5', pixelsPerUnit: '1' }, 'record entries are typed by their value schema');
});

t.test('unions: maxSessions is an integer or auto', async (t) => {
  t.equal(loadConfig({ raw: {}, env: { LPX_ORCHESTRATOR_MAX_SESSIONS: '25' } }).config.orchestrator.maxSessions, 25);
  t.equal(loadConfig({ raw: {}, env: noEnv, sets: ['orchestrator.maxSessions=auto'] }).config.orchestrator.maxSessions, 'auto');
  t.throws(() => loadConfig({ raw: {}, env: noEnv, sets: ['orchestrator.maxSessions=many'] }), { code: 'LPX_ERR_CONFIG_INVALID', message: /orchestrator\.maxSessions/ });
});

t.test('booleans, enums, arrays and open plugin configs', async (t) => {
  t.equal(loadConfig({ raw: {}, env: { LPX_LOG_PRETTY: 'true' } }).config.log.pretty, true);
  t.equal(loadConfig({ raw: {}, env: { LPX_LOG_LEVEL: 'debug' } }).config.log.level, 'debug');
  t.same(loadConfig({ raw: {}, env: noEnv, sets: ['node.roles=[gateway, worker]'] }).config.node.roles, ['gateway', 'worker']);
  const raw = { plugins: { echo: { module: './echo.js' } } };
  t.same(loadConfig({ raw, env: noEnv, sets: ['plugins.echo.config.count=3'] }).config.plugins.echo?.config, { count: 3 }, 'an open path keeps the YAML reading');
  t.throws(() => loadConfig({ raw: {}, env: { LPX_HTTP_PORT: 'x' } }), { code: 'LPX_ERR_CONFIG_INVALID', message: /http\.port/ });
});

t.test('scalarFor on its own', async (t) => {
  t.equal(scalarFor({ type: 'string' }, '1'), '1');
  t.equal(scalarFor({ type: 'integer' }, '1'), 1);
  t.equal(scalarFor({ type: 'number' }, '1.5'), 1.5);
  t.equal(scalarFor({ anyOf: [{ type: 'integer' }, { const: 'auto', type: 'string' }] }, 'auto'), 'auto');
  t.equal(scalarFor({ anyOf: [{ type: 'integer' }, { type: 'string' }] }, '3'), 3, 'a number where a union allows one');
  t.equal(scalarFor({ type: ['string', 'null'] }, 'null'), null);
  t.equal(scalarFor(undefined, '0x10'), 16, 'no schema: YAML as before');
});
