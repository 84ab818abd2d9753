// The BYOC app conformance suite against real HTTP apps (node:http on port 0):
// a good request-response app and a good sse app pass every case; each broken
// variant fails exactly the case that names its fault.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { byocAppSuite, byocExampleInput, byocInvalidInput, runConformanceSuite } from '../src/testing/index.js';

type Fault = 'none' | 'health-500' | 'text-answer' | 'accepts-anything' | 'sse-as-json' | 'server-error';

const CASES = {
  manifest: 'the manifest is a valid lpx manifest with a byoc section',
  price: 'price and capacity are sane',
  health: 'the health path answers the declared status',
  request: 'a valid request succeeds in the declared mode',
  invalid: 'input the schema forbids is refused with a 4xx',
};

function manifest(overrides: { mode?: string; price?: object; permissions?: string[]; byoc?: object } = {}) {
  return {
    id: 'text-upper',
    version: '0.1.0',
    host: '^0.1.0',
    permissions: overrides.permissions ?? ['docker'],
    byoc: {
      name: 'text-upper',
      description: 'Uppercases text',
      inputSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } }, additionalProperties: false },
      mode: overrides.mode ?? 'request-response',
      price: overrides.price ?? { unit: 'second', pricePerUnit: '1000000000' },
      capacity: 1,
      health: { path: '/healthz', status: 204 },
      container: { image: 'text-upper:0.1.0', digest: `sha256:${'a'.repeat(64)}`, port: 8080 },
      ...overrides.byoc,
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** The app a partner would write, with one fault switched on. */
async function app(t: Test, fault: Fault, mode: 'request-response' | 'sse' = 'request-response'): Promise<string> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (req.url === '/healthz') {
        res.writeHead(fault === 'health-500' ? 500 : 204).end();
        return;
      }
      if (fault === 'server-error') {
        res.writeHead(500).end('boom');
        return;
      }
      let body: unknown;
      try {
        body = await readJson(req);
      } catch {
        body = undefined;
      }
      const text = (body as { text?: unknown } | undefined)?.text;
      if (typeof text !== 'string' && fault !== 'accepts-anything') {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"text must be a string"}');
        return;
      }
      const upper = String(text ?? '').toUpperCase();
      if (mode === 'sse' && fault !== 'sse-as-json') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ text: upper })}\n\n`);
        res.end();
      } else if (fault === 'text-answer') res.writeHead(200, { 'content-type': 'text/plain' }).end(upper);
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: upper }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const suite = byocAppSuite({ readyTimeoutMs: 1_000 });
const failedCases = async (baseUrl: string, m: unknown) => (await runConformanceSuite(suite, () => ({ manifest: m, baseUrl }))).failed;

t.test('a conforming request-response app passes every case', async (t) => {
  const report = await runConformanceSuite(suite, async () => ({ manifest: manifest(), baseUrl: await app(t, 'none') }));
  t.same(report.failed, []);
  t.same(report.passed, Object.values(CASES));
});

t.test('a conforming sse app passes every case', async (t) => {
  const baseUrl = await app(t, 'none', 'sse');
  t.same(await failedCases(baseUrl, manifest({ mode: 'sse' })), []);
});

t.test('each broken app fails the case naming its fault', async (t) => {
  const only = async (fault: Fault, expected: string[], m = manifest(), mode: 'request-response' | 'sse' = 'request-response') => {
    const failed = await failedCases(await app(t, fault, mode), m);
    t.same(failed.map((f) => f.name), expected, fault);
    return failed;
  };
  const [health] = await only('health-500', [CASES.health]);
  t.match(health!.error, /GET \/healthz must answer 204 within 1000 ms; last: status 500/);
  const [text] = await only('text-answer', [CASES.request]);
  t.match(text!.error, /answers JSON; got content-type "text\/plain"/);
  const [loose] = await only('accepts-anything', [CASES.invalid]);
  t.match(loose!.error, /POST \/ \{\} breaks the input schema and must be refused with a 4xx; got 200/);
  const [sse] = await only('sse-as-json', [CASES.request], manifest({ mode: 'sse' }), 'sse');
  t.match(sse!.error, /an sse app answers text\/event-stream/);
  const broken = await only('server-error', [CASES.request, CASES.invalid]);
  t.match(broken[0]!.error, /must succeed; got 500: boom/);
});

t.test('a bad manifest fails every case that reads it, naming the problem', async (t) => {
  const baseUrl = await app(t, 'none');
  const noDocker = await failedCases(baseUrl, manifest({ permissions: [] }));
  t.equal(noDocker.length, 5);
  t.match(noDocker[0]!.error, /a byoc container app must declare the "docker" permission/);
  const floatPrice = await failedCases(baseUrl, manifest({ price: { unit: 'second', pricePerUnit: '0.5' } }));
  t.match(floatPrice[0]!.error, /plugin.manifest.json is invalid: \/byoc\/price\/pricePerUnit/);
  const insane = await failedCases(baseUrl, manifest({ price: { unit: 'request', pricePerUnit: (10n ** 18n).toString() } }));
  t.same(insane.map((f) => f.name), [CASES.price]);
  t.match(insane[0]!.error, /1 ETH or more/);
  const noByoc = await failedCases(baseUrl, { id: 'x', version: '0.1.0', host: '^0.1.0' });
  t.match(noByoc[0]!.error, /plugin "x" has no "byoc" section/);
  const live = await failedCases(baseUrl, manifest({ mode: 'live-stream' }));
  t.same(live.map((f) => f.name), [CASES.request]);
  t.match(live[0]!.error, /mode live-stream: this suite checks request-response and sse apps/);
});

t.test('example and invalid inputs come from the schema, or from the options', async (t) => {
  const schema = {
    type: 'object',
    required: ['prompt', 'steps', 'style', 'tags', 'opts'],
    properties: {
      prompt: { type: 'string', minLength: 20 },
      steps: { type: 'integer', minimum: 4 },
      style: { enum: ['ink', 'oil'] },
      tags: { type: 'array', minItems: 1, items: { type: 'boolean' } },
      opts: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
      seed: { type: 'integer' },
    },
  };
  t.same(byocExampleInput(schema), { prompt: 'lpx conformancexxxxx', steps: 4, style: 'ink', tags: [true], opts: { n: 1 } });
  t.same(byocInvalidInput(schema), {}, 'a required field missing');
  t.same(byocInvalidInput({ type: 'object', properties: { text: { type: 'string' } } }), { text: 12345 }, 'a wrong type when nothing is required');
  t.throws(() => byocExampleInput({ type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[a-f]+$' } } }), /pass an example/);

  const baseUrl = await app(t, 'none');
  const custom = byocAppSuite({ example: { text: 'given' }, invalidExample: { text: ['not', 'a', 'string'] } });
  t.same((await runConformanceSuite(custom, () => ({ manifest: manifest(), baseUrl }))).failed, []);
});
