// What escapes the front door's routes (unknown paths, fastify's body limits) is
// problem+json with a catalogue code; go-livepeer routes keep their plain-text refusals.
import { request as httpsRequest } from 'node:https';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { createFrontDoor } from '../../src/network/front-door/front-door.js';
import { generateSelfSignedCertificate } from '../../src/network/index.js';
import { sendPlainError } from '../../src/network/segment/plain-reply.js';

const tls = await generateSelfSignedCertificate({ hostname: '127.0.0.1' });
const door = createFrontDoor({ host: '127.0.0.1', port: 0, tls, grpcTarget: { host: '127.0.0.1', port: 1 }, bodyLimitBytes: 64 });
door.app.post('/capability/json', async (request) => request.body);
door.app.post('/goLivepeerStyle', async (_request, reply) => sendPlainError(reply, 400, 'Invalid Task ID'));
const { url } = await door.start();
t.teardown(() => door.close());

function post(path: string, body: string, headers: Record<string, string> = {}, method = 'POST'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${url}${path}`, { method, rejectUnauthorized: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

t.test('an unknown path is a problem+json 404 with a catalogue code', async (t) => {
  const res = await post('/nope', '{}');
  t.equal(res.status, 404);
  t.match(res.type, /^application\/problem\+json/);
  t.match(JSON.parse(res.body), { status: 404, code: errors.http.NOT_FOUND.code });
});

t.test("fastify's body refusals are catalogue codes, not FST_*", async (t) => {
  const big = await post('/capability/json', JSON.stringify({ a: 'x'.repeat(200) }));
  t.equal(big.status, 413);
  t.match(JSON.parse(big.body), { code: errors.http.BODY_TOO_LARGE.code });
  const bad = await post('/capability/json', '{nope');
  t.equal(bad.status, 400);
  t.match(bad.type, /^application\/problem\+json/);
  t.match(JSON.parse(bad.body), { code: errors.http.BODY_INVALID.code });
  const wrongMethod = await post('/capability/json', '', {}, 'GET');
  t.equal(wrongMethod.status, 405);
  t.match(JSON.parse(wrongMethod.body), { code: errors.http.METHOD_NOT_ALLOWED.code });
});

t.test('a go-livepeer route still answers in plain text', async (t) => {
  t.same(await post('/goLivepeerStyle', '{}'), { status: 400, type: 'text/plain; charset=utf-8', body: 'Invalid Task ID\n' });
});
