import t from 'tap';
import { errors } from '@lpx/sdk';
import { inputCheck } from '../src/index.js';

const request = (body: string, contentType = 'application/json') => ({ subpath: 'run', contentType, body: Buffer.from(body) });
const schema = { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string' }, n: { type: 'integer' } } };

t.test('no schema and no hook: no check at all', async (t) => {
  t.equal(inputCheck('app', undefined, undefined), undefined);
});

t.test("the manifest's input schema refuses bad bodies with INPUT_INVALID naming the field", async (t) => {
  const check = inputCheck('app', schema, undefined)!;
  await check(request('{"text":"ok","n":2}'));
  await t.rejects(check(request('{}')), { code: errors.byoc.INPUT_INVALID.code, message: /body\.text: required field missing/ });
  await t.rejects(check(request('{"text":"x","extra":1}')), { code: errors.byoc.INPUT_INVALID.code, message: /body\.extra: unknown field/ });
  await t.rejects(check(request('{"text":"x","n":"two"}')), { code: errors.byoc.INPUT_INVALID.code, message: /body\.n: must be integer/ });
  await t.rejects(check(request('{oops', 'text/plain')), { code: errors.byoc.INPUT_INVALID.code, message: /not valid JSON/ }, 'a schema means the body must be JSON');
});

t.test("the partner's validate hook runs after the schema, with the parsed body; any throw becomes INPUT_INVALID", async (t) => {
  const seen: unknown[] = [];
  const check = inputCheck('app', schema, {
    validate(body) {
      seen.push(body);
      if ((body as { text: string }).text === 'no') throw new Error('text must not be "no"');
    },
  })!;
  await check(request('{"text":"yes"}'));
  await t.rejects(check(request('{"text":"no"}')), { code: errors.byoc.INPUT_INVALID.code, message: /app app: text must not be "no"/ });
  await t.rejects(check(request('{}')), { code: errors.byoc.INPUT_INVALID.code });
  t.same(seen, [{ text: 'yes' }, { text: 'no' }], 'not called when the schema already refused');

  const raw: unknown[] = [];
  const bytes = inputCheck('app', undefined, { validate: (body) => void raw.push(body) })!;
  await bytes(request('\u0001\u0002', 'application/octet-stream'));
  t.ok(Buffer.isBuffer(raw[0]), 'a non-JSON body without a schema reaches the hook as bytes');
});
