import t, { type Test } from 'tap';
import { errors, type LpxError } from '@lpx/sdk';
import { validateManifest, type ManifestIssue } from '../src/index.js';
import { fixtureManifest } from './helpers/fixture-plugin.js';

/** Runs validateManifest expecting failure; returns the coded error and its issues. */
function invalid(t: Test, value: unknown): { error: LpxError; issues: ManifestIssue[] } {
  try {
    validateManifest(value, { source: 'fixture/plugin.manifest.json' });
  } catch (error) {
    t.ok(errors.plugin.MANIFEST_INVALID.is(error), 'throws LPX_ERR_PLUGIN_MANIFEST_INVALID');
    const lpx = error as LpxError;
    return { error: lpx, issues: (lpx.details?.['issues'] ?? []) as ManifestIssue[] };
  }
  t.fail('expected the manifest to be rejected');
  return { error: undefined as never, issues: [] };
}

function issueAt(issues: readonly ManifestIssue[], path: string): ManifestIssue | undefined {
  return issues.find((issue) => issue.path === path);
}

t.test('a valid manifest is returned unchanged', async (t) => {
  const manifest = fixtureManifest({ permissions: ['network'], requires: { services: ['core.logger'], plugins: { other: '^1.0.0' } } });
  t.equal(validateManifest(manifest), manifest);
});

t.test('the minimal manifest (id, version, host) is valid', async (t) => {
  t.same(validateManifest({ id: 'a', version: '0.0.1', host: '*' }), { id: 'a', version: '0.0.1', host: '*' });
});

t.test('schema errors: every bad path is named with what was expected and what was found', async (t) => {
  const { error, issues } = invalid(t, {
    id: 'Bad_Id',
    version: '1',
    host: 5,
    extra: true,
    capabilities: [{ id: 'video:transcode', version: 0, mode: 'batch', workUnit: 'pixel' }],
    permissions: ['network', 'root', 'network'],
  });
  const expectations: Array<[string, RegExp, RegExp]> = [
    ['/id', /matching \^\[a-z\]/, /string "Bad_Id"/],
    ['/version', /matching/, /string "1"/],
    ['/host', /^string$/, /number 5/],
    ['/extra', /no such property \(allowed: id, version, host/, /boolean true/],
    ['/capabilities/0/id', /matching/, /string "video:transcode"/],
    ['/capabilities/0/version', /a number >= 1/, /number 0/],
    ['/capabilities/0/mode', /one of "request-response", "stream", "live"/, /string "batch"/],
    ['/capabilities/0/priceUnit', /required property/, /nothing/],
    ['/permissions/1', /one of "network"/, /string "root"/],
    ['/permissions', /unique items \(items 0 and 2 are equal\)/, /array/],
  ];
  for (const [path, expected, found] of expectations) {
    const issue = issueAt(issues, path);
    t.ok(issue, `names ${path}`);
    t.match(issue?.expected, expected, `${path}: says what was expected`);
    t.match(issue?.found, found, `${path}: says what was found`);
    t.match(error.message, `${path}: expected`, `${path} appears in the message`);
  }
  t.equal(issues.length, expectations.length, 'one line per problem: union members fold into one');
  t.match(error.message, /plugin manifest "Bad_Id" \(fixture\/plugin\.manifest\.json\) is invalid, 10 problems/);
});

t.test('a non-object manifest is rejected at the root path', async (t) => {
  const { issues } = invalid(t, 'not a manifest');
  t.same(issues, [{ path: '/', expected: 'object', found: 'string "not a manifest"' }]);
});

t.test('semantic: the host range must be a valid semver range', async (t) => {
  const { issues } = invalid(t, fixtureManifest({ host: 'whenever' }));
  t.match(issueAt(issues, '/host'), { expected: /valid semver range/, found: 'string "whenever"' });
});

t.test('semantic: capability ids are unique within the manifest', async (t) => {
  const capability = { id: 'byoc/hello', version: 1, mode: 'request-response' as const, workUnit: 'request', priceUnit: 'wei/request' };
  const { issues } = invalid(t, fixtureManifest({ capabilities: [capability, { id: 'byoc/other', version: 1, mode: 'stream', workUnit: 's', priceUnit: 'wei/s' }, { ...capability, version: 2 }] }));
  t.same(issues, [{ path: '/capabilities/2/id', expected: 'a capability id not already declared at /capabilities/0/id', found: 'string "byoc/hello"' }]);
});

t.test('semantic: the config schema must itself be valid JSON Schema', async (t) => {
  const { issues } = invalid(t, fixtureManifest({ config: { type: 'objekt', properties: { port: { type: 'integer', minimum: 'one' } } } }));
  t.match(issueAt(issues, '/config/type'), { expected: /one of "array", "boolean"/, found: 'string "objekt"' });
  t.match(issueAt(issues, '/config/properties/port/minimum'), { expected: /number/, found: 'string "one"' });
  t.equal(issues.length, 2);
});

t.test('semantic: a config schema that cannot compile (dangling $ref) is rejected', async (t) => {
  const { issues } = invalid(t, fixtureManifest({ config: { $ref: '#/definitions/missing' } }));
  t.match(issueAt(issues, '/config'), { expected: /can compile/, found: /can't resolve reference/ });
});

t.test('semantic: two manifests may reuse a config $id', async (t) => {
  const config = { $id: 'https://example.test/config.json', type: 'object' };
  validateManifest(fixtureManifest({ id: 'one', config }));
  t.doesNotThrow(() => validateManifest(fixtureManifest({ id: 'two', config })));
});

t.test('semantic: required plugins need valid ids and ranges, and not the plugin itself', async (t) => {
  const { issues } = invalid(t, fixtureManifest({ requires: { plugins: { 'hello-world': '^1.0.0', Other: '^1', fine: '>>1' } } }));
  t.match(issueAt(issues, '/requires/plugins/hello-world'), { expected: /cannot require itself/ });
  t.match(issueAt(issues, '/requires/plugins/Other'), { expected: /plugin id matching/, found: 'key "Other"' });
  t.match(issueAt(issues, '/requires/plugins/fine'), { expected: 'a valid semver range', found: 'string ">>1"' });
  t.equal(issues.length, 3);
});

t.test('long values are shortened in messages', async (t) => {
  const { issues } = invalid(t, fixtureManifest({ description: 'x'.repeat(500) as string, id: 'x'.repeat(200).toUpperCase() }));
  const found = issueAt(issues, '/id')?.found ?? '';
  t.ok(found.length < 100, 'found is truncated');
  t.match(found, /\.\.\.$/);
});
