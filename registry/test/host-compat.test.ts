import t from 'tap';
import { errors, HOST_API_VERSION } from '@lpx/sdk';
import { checkHostCompatibility } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { fixtureManifest } from './helpers/fixture-plugin.js';

t.test('a range the host satisfies passes', async (t) => {
  t.doesNotThrow(() => checkHostCompatibility(fixtureManifest({ host: `^${HOST_API_VERSION}` })), 'defaults to HOST_API_VERSION');
  t.doesNotThrow(() => checkHostCompatibility(fixtureManifest({ host: '>=1.2.0 <2' }), '1.4.7'));
  t.doesNotThrow(() => checkHostCompatibility(fixtureManifest({ host: '*' }), '3.0.0'));
});

t.test('a range the host does not satisfy names plugin, range and host version', async (t) => {
  const manifest = fixtureManifest({ id: 'needs-two', host: '^2.0.0' });
  const error = await catchError(() => checkHostCompatibility(manifest, '1.9.0'));
  t.ok(errors.plugin.HOST_RANGE.is(error), 'LPX_ERR_PLUGIN_HOST_RANGE');
  t.equal(error.message, 'plugin "needs-two"@1.0.0 requires host API "^2.0.0", but this host provides 1.9.0');
  t.same(error.details, { plugin: 'needs-two', version: '1.0.0', range: '^2.0.0', hostVersion: '1.9.0' });
});

t.test('a prerelease host does not satisfy a plain range', async (t) => {
  t.throws(() => checkHostCompatibility(fixtureManifest({ host: '^1.0.0' }), '1.1.0-rc.1'), { code: 'LPX_ERR_PLUGIN_HOST_RANGE' });
  t.doesNotThrow(() => checkHostCompatibility(fixtureManifest({ host: '^1.1.0-rc.0' }), '1.1.0-rc.1'), 'unless the range opts in');
});
