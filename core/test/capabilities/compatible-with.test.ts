import t from 'tap';
import { bitstringOf, isVersionCompatible, livepeerCompatibleWith, parseLenientSemver, type LivepeerCapabilitiesInput } from '../../src/capabilities/index.js';

const orch = (over: Partial<LivepeerCapabilitiesInput> = {}): LivepeerCapabilitiesInput => ({
  bitstring: bitstringOf([0, 1, 12, 27]),
  mandatories: [],
  version: '0.8.0',
  ...over,
});
const job = (over: Partial<LivepeerCapabilitiesInput> = {}): LivepeerCapabilitiesInput => ({ bitstring: bitstringOf([12, 27]), ...over });

t.test('rule 1: no job is incompatible', async (t) => {
  t.notOk(livepeerCompatibleWith(undefined, orch()));
  t.notOk(livepeerCompatibleWith(null, orch()));
});

t.test('rule 2: version', async (t) => {
  t.ok(livepeerCompatibleWith(job(), orch({ version: '' })), 'no minVersion: any version, even empty');
  const min = (minVersion: string): LivepeerCapabilitiesInput => job({ constraints: { minVersion } });
  t.ok(livepeerCompatibleWith(min('0.8.0'), orch()), 'equal passes');
  t.ok(livepeerCompatibleWith(min('0.7.9'), orch()));
  t.notOk(livepeerCompatibleWith(min('0.8.1'), orch()));
  t.notOk(livepeerCompatibleWith(min('0.8.0'), orch({ version: '' })), 'empty O version fails');
  t.notOk(livepeerCompatibleWith(min('0.8.0'), orch({ version: undefined })), 'missing O version fails');
  t.notOk(livepeerCompatibleWith(min('0.8.0'), orch({ version: 'undefined' })), 'literal "undefined" fails');
  t.ok(livepeerCompatibleWith(min('not-a-version'), orch()), 'unparsable minVersion passes');
  t.notOk(livepeerCompatibleWith(min('0.8.0'), orch({ version: 'garbage' })), 'unparsable O version fails');
  t.ok(livepeerCompatibleWith(min('0.8.0'), orch({ version: '0.8.0-rc.1' })), 'prerelease on O ignored');
  t.ok(livepeerCompatibleWith(min('0.8.0-beta'), orch({ version: '0.8.0' })), 'prerelease on min ignored');
  t.notOk(livepeerCompatibleWith(min('0.8.1-rc.1'), orch({ version: '0.8.0-rc.9' })));
});

t.test('the lenient parser accepts the shapes Go semver accepts', async (t) => {
  t.same(parseLenientSemver('v1.2.3-rc.1+meta'), { major: 1n, minor: 2n, patch: 3n, prerelease: 'rc.1' });
  t.same(parseLenientSemver('1.2'), { major: 1n, minor: 2n, patch: 0n, prerelease: '' });
  t.same(parseLenientSemver('7'), { major: 7n, minor: 0n, patch: 0n, prerelease: '' });
  t.equal(parseLenientSemver('1.2.3.4'), undefined);
  t.equal(parseLenientSemver('1.2.3-01'), undefined, 'leading zero numeric prerelease');
  t.equal(parseLenientSemver('99999999999999999999.0.0'), undefined, 'above uint64');
  t.ok(isVersionCompatible('v0.8', '0.8.0'));
  t.ok(isVersionCompatible('0.9.0', '1.0'));
  t.notOk(isVersionCompatible('1.10.0', '1.9.9'), 'numeric, not lexical');
});

t.test('rule 3: O mandatories ⊆ job bitstring', async (t) => {
  t.ok(livepeerCompatibleWith(job(), orch({ mandatories: bitstringOf([12]) })));
  t.notOk(livepeerCompatibleWith(job({ bitstring: bitstringOf([27]) }), orch({ mandatories: bitstringOf([12]), bitstring: bitstringOf([12, 27]) })));
  t.notOk(livepeerCompatibleWith(job(), orch({ mandatories: bitstringOf([12, 70]), bitstring: bitstringOf([12, 27, 70]) })), 'more mandatory words than job words');
});

t.test('rule 4: per-capability model constraints', async (t) => {
  const wants = (model: { warm?: boolean; runnerVersion?: string }, id = 27): LivepeerCapabilitiesInput =>
    job({ constraints: { perCapability: { [id]: { models: { 'm/a': model } } } } });
  const offers = (models: Record<string, { warm?: boolean; runnerVersion?: string }>, id = 27): LivepeerCapabilitiesInput =>
    orch({ constraints: { minVersion: '', perCapability: { [id]: { models } } } });

  t.ok(livepeerCompatibleWith(wants({}), orch()), 'O without constraints for the capability accepts any model');
  t.ok(livepeerCompatibleWith(wants({}), offers({ 'm/a': {} }, 28)), 'O constraints for another capability do not matter');
  t.ok(livepeerCompatibleWith(wants({}), offers({ 'm/a': {} })));
  t.notOk(livepeerCompatibleWith(wants({}), offers({ 'm/b': {} })), 'the O must list the model');
  t.notOk(livepeerCompatibleWith(wants({}), orch({ constraints: { perCapability: { 27: {} } } })), 'constraints with no models list nothing');
  t.ok(livepeerCompatibleWith(wants({ warm: false }), offers({ 'm/a': { warm: false } })));
  t.notOk(livepeerCompatibleWith(wants({ warm: true }), offers({ 'm/a': { warm: false } })), 'job warm needs O warm');
  t.ok(livepeerCompatibleWith(wants({ warm: true }), offers({ 'm/a': { warm: true } })));
  t.ok(livepeerCompatibleWith(wants({ runnerVersion: '' }), offers({ 'm/a': {} })), 'empty job runner version passes');
  t.ok(livepeerCompatibleWith(wants({ runnerVersion: '0.13.0' }), offers({ 'm/a': { runnerVersion: '0.13.5' } })));
  t.notOk(livepeerCompatibleWith(wants({ runnerVersion: '0.14.0' }), offers({ 'm/a': { runnerVersion: '0.13.5' } })));
  t.notOk(livepeerCompatibleWith(wants({ runnerVersion: '0.13.0' }), offers({ 'm/a': {} })), 'O without runner version fails a minimum');
});

t.test('rule 5: job bitstring ⊆ O bitstring', async (t) => {
  t.notOk(livepeerCompatibleWith(job({ bitstring: bitstringOf([12, 28]) }), orch()));
  t.notOk(livepeerCompatibleWith(job({ bitstring: bitstringOf([12, 64]) }), orch()), 'more job words than O words');
  t.notOk(livepeerCompatibleWith(job({ bitstring: [...bitstringOf([12]), 0n] }), orch()), 'even when the extra word is zero');
  t.ok(livepeerCompatibleWith(job({ bitstring: [] }), orch()), 'an empty job bitstring fits anything');
  t.notOk(livepeerCompatibleWith(job(), orch({ bitstring: undefined })), 'an O with no capabilities rejects an AuthToken job');
});
