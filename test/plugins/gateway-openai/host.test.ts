// The plugin as a node loads it: OpenAI's paths at the root of a gateway Host's HTTP edge next to
// the kernel's own /v1 routes, bearer keys checked by the kernel's tenant directory
// (coreServices.gateway.authenticate), refusals in OpenAI's shape with the kernel's codes.
import { createHash } from 'node:crypto';
import t from 'tap';
import OpenAI from 'openai';
import gatewayOpenAIPlugin from '@lpx/plugin-gateway-openai';
import { makeHost } from '../../helpers/host.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

t.test('a gateway Host with tenants: keys are the kernel tenants, models come from its pool', async (t) => {
  const redis = await testRedis(t);
  const host = makeHost(t, [gatewayOpenAIPlugin], {
    redis: { url: redis.url, prefix: uniquePrefix('openai-gw') },
    node: { roles: ['gateway'] },
    gateway: { tenants: { acme: { keys: [sha256('sk-acme')] } } },
  });
  await host.start();
  const client = new OpenAI({ baseURL: `${host.url}/v1`, apiKey: 'sk-acme', maxRetries: 0 });
  t.same(await client.models.list().then((page) => page.data), [], 'no orchestrator in the pool offers a model');
  await t.rejects(client.chat.completions.create({ model: 'meta-llama/Meta-Llama-3.1-8B-Instruct', messages: [{ role: 'user', content: 'hi' }] }), {
    constructor: OpenAI.NotFoundError,
    code: 'LPX_ERR_AI_OPENAI_MODEL_NOT_FOUND',
  });

  const stranger = new OpenAI({ baseURL: `${host.url}/v1`, apiKey: 'sk-stranger', maxRetries: 0 });
  await t.rejects(stranger.models.list(), { constructor: OpenAI.AuthenticationError, code: 'LPX_ERR_GATEWAY_API_KEY_INVALID' });
  const bare = await fetch(`${host.url}/v1/models`);
  t.equal(bare.status, 401);
  t.match(await bare.json(), { error: { code: 'LPX_ERR_GATEWAY_API_KEY_REQUIRED', type: 'authentication_error' } });

  // The kernel's /v1 stays the kernel's, answering problem+json.
  const jobs = await fetch(`${host.url}/v1/jobs/ai/llm`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  t.equal(jobs.status, 401);
  t.match(jobs.headers.get('content-type'), /problem\+json/);
});

t.test('on a node without the gateway role every endpoint answers LPX_ERR_GATEWAY_NOT_ENABLED', async (t) => {
  const host = makeHost(t, [gatewayOpenAIPlugin], { node: { roles: ['worker'] } });
  await host.start();
  const res = await host.http.inject({ method: 'GET', url: '/v1/models' });
  t.equal(res.statusCode, 503);
  t.match(res.json(), { error: { code: 'LPX_ERR_GATEWAY_NOT_ENABLED', type: 'server_error', param: null } });
});
