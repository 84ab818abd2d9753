import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type Options } from 'ajv';
import t, { type Test } from 'tap';
import { cachedValidator, validatorCacheFile } from '../src/validation/cached-validator.js';
import { manifestJsonSchema } from '../src/manifest/json-schema.js';
import { validateManifest } from '../src/manifest/validate.js';
import { fixtureManifest } from './helpers/fixture-plugin.js';

const OPTIONS: Options = { allErrors: true, useDefaults: true, strict: false, verbose: true };
const SCHEMA = {
  type: 'object',
  properties: {
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 8935 },
    name: { type: 'string', pattern: '^[a-z]+$' },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  },
  required: ['name'],
  additionalProperties: false,
};
const INPUTS: unknown[] = [{ name: 'abc' }, { name: 'ABC', port: 0 }, { port: 'x', extra: 1 }, { name: 'a', tags: ['x', 'x'] }, 'nope', null];

function cacheDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-validator-cache-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Validity, errors and the data after validation (useDefaults writes into it), for each input. */
function outcomes(validate: (data: unknown) => boolean, errors: () => unknown, inputs: readonly unknown[]): unknown[] {
  return inputs.map((input) => {
    const data = structuredClone(input);
    const valid = validate(data);
    return { valid, errors: errors() ?? null, data };
  });
}

t.test('a validator loaded from the cache gives the results a fresh compile gives', async (t) => {
  const dir = cacheDir(t);
  const fresh = new Ajv(OPTIONS).compile(SCHEMA);
  const first = cachedValidator(OPTIONS, SCHEMA, dir);
  t.ok(existsSync(validatorCacheFile(OPTIONS, SCHEMA, dir)), 'a miss writes the compiled code');
  const second = cachedValidator(OPTIONS, SCHEMA, dir);
  t.not(second, first, 'the second comes from the file');
  const expected = outcomes(fresh, () => fresh.errors, INPUTS);
  t.same(outcomes(first, () => first.errors, INPUTS), expected);
  t.same(outcomes(second, () => second.errors, INPUTS), expected, 'valid flags, errors (verbose: with schemas) and defaults match');
});

t.test('the manifest schema from the cache accepts and refuses what ajv does', async (t) => {
  const dir = cacheDir(t);
  const options: Options = { strict: false, allErrors: true, verbose: true };
  const fresh = new Ajv(options).compile(manifestJsonSchema());
  cachedValidator(options, manifestJsonSchema(), dir);
  const cached = cachedValidator(options, manifestJsonSchema(), dir);
  const inputs = [fixtureManifest(), { ...fixtureManifest(), id: 'Bad Id' }, { id: 1 }];
  t.same(outcomes(cached, () => cached.errors, inputs), outcomes(fresh, () => fresh.errors, inputs));
});

t.test('the cache is read on a hit: the file decides', async (t) => {
  const dir = cacheDir(t);
  cachedValidator(OPTIONS, SCHEMA, dir);
  writeFileSync(validatorCacheFile(OPTIONS, SCHEMA, dir), '"use strict";module.exports = function validate() { return false; };');
  t.equal(cachedValidator(OPTIONS, SCHEMA, dir)({ name: 'abc' }), false);
});

t.test('a changed schema or changed options is another file: no stale validator', async (t) => {
  const dir = cacheDir(t);
  cachedValidator(OPTIONS, SCHEMA, dir);
  const looser = { ...SCHEMA, required: [] };
  const validate = cachedValidator(OPTIONS, looser, dir);
  t.equal(validate({}), true, 'the changed schema is what validates');
  t.not(validatorCacheFile(OPTIONS, looser, dir), validatorCacheFile(OPTIONS, SCHEMA, dir));
  t.not(validatorCacheFile({ ...OPTIONS, useDefaults: false }, SCHEMA, dir), validatorCacheFile(OPTIONS, SCHEMA, dir));
  t.equal(readdirSync(dir).length, 2);
});

t.test('a broken cache file is compiled again and replaced; no folder means no cache', async (t) => {
  const dir = cacheDir(t);
  const file = validatorCacheFile(OPTIONS, SCHEMA, dir);
  writeFileSync(file, 'this is not javascript {');
  t.equal(cachedValidator(OPTIONS, SCHEMA, dir)({ name: 'abc' }), true);
  t.equal(cachedValidator(OPTIONS, SCHEMA, dir)({ name: 'ABC' }), false, 'the rewritten file works');
  t.equal(cachedValidator(OPTIONS, SCHEMA, undefined)({ name: 'abc' }), true);
  const unwritable = join(file, 'below-a-file');
  t.equal(cachedValidator(OPTIONS, SCHEMA, unwritable)({ name: 'abc' }), true, 'a cache that cannot be written only costs the compile');
});

t.test("a manifest's config schema checked once is not recompiled; a broken one is still refused", async (t) => {
  const dir = cacheDir(t);
  const previous = process.env.LPX_VALIDATOR_CACHE;
  process.env.LPX_VALIDATOR_CACHE = dir;
  t.teardown(() => {
    if (previous === undefined) delete process.env.LPX_VALIDATOR_CACHE;
    else process.env.LPX_VALIDATOR_CACHE = previous;
  });
  const config = { type: 'object', properties: { unique: { type: 'string', const: `x-${Date.now()}` } } };
  t.doesNotThrow(() => validateManifest(fixtureManifest({ config })));
  t.equal(readdirSync(dir).length, 2, 'the manifest schema and the config schema were cached');
  t.doesNotThrow(() => validateManifest(fixtureManifest({ config })), 'checked again from the cache');
  t.throws(() => validateManifest(fixtureManifest({ config: { $ref: '#/definitions/missing' } })), { code: 'LPX_ERR_PLUGIN_MANIFEST_INVALID' });
  t.equal(readdirSync(dir).length, 2, 'nothing is cached for a schema that does not compile');
});
