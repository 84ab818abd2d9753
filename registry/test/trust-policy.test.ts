import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { evaluateTrust, generateKey, resolvePluginsForNode, reviewRelease, revokeKey, signRelease, type TrustPolicy } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { installedVersions, publishFixture, tempDir } from './helpers/trust-fixture.js';

const request = [{ id: 'hello-world', version: '^1.0.0' }];
const publisher = generateKey('ed25519', 'publisher');
const reviewer = generateKey('secp256k1', 'reviewer');
const stranger = generateKey('ed25519', 'stranger');
const policy: TrustPolicy = { publishers: [publisher.keyId], reviewers: [reviewer.keyId] };

/** Resolves `request` under `trust` into a fresh install dir; returns the refusal's per-plugin code and what got installed. */
async function refusal(t: Test, root: string, trust: TrustPolicy | undefined): Promise<{ code: unknown; message: string; installed: string[] }> {
  const install = tempDir(t);
  const error = await catchError(() => resolvePluginsForNode(root, request, install, trust === undefined ? {} : { trust }));
  t.equal(error.code, 'LPX_ERR_REGISTRY_RESOLVE_FAILED');
  const failure = (error.details as { failures: { code: unknown; message: string }[] }).failures[0]!;
  return { code: failure.code, message: failure.message, installed: await installedVersions(install) };
}

t.test('signed by a trusted publisher and approved by a trusted reviewer: installed, with the verdict', async (t) => {
  const root = tempDir(t);
  const entry = await publishFixture(t, root);
  await signRelease(entry, publisher);
  await reviewRelease(entry, 'approved', reviewer, 'looks fine');
  const install = tempDir(t);
  const [installed] = await resolvePluginsForNode(root, request, install, { trust: policy });
  t.match(installed, { id: 'hello-world', version: '1.0.0', trust: { state: 'approved', signedBy: [publisher.keyId] } });
  t.same(await installedVersions(install), ['hello-world/1.0.0']);
  t.same(await evaluateTrust(entry, policy), { state: 'approved', signedBy: [publisher.keyId], warnings: [] });
});

t.test('refusals: each with its code, nothing installed', async (t) => {
  t.test('signed only by an untrusted key: UNTRUSTED', async (t) => {
    const root = tempDir(t);
    const entry = await publishFixture(t, root);
    await signRelease(entry, stranger);
    await reviewRelease(entry, 'approved', reviewer);
    const r = await refusal(t, root, policy);
    t.equal(r.code, 'LPX_ERR_REGISTRY_UNTRUSTED');
    t.match(r.message, new RegExp(`signed by ${stranger.keyId}, none of which registry.trust.publishers accepts`));
    t.same(r.installed, []);
  });

  t.test('unsigned while the policy requires signatures: UNTRUSTED', async (t) => {
    const root = tempDir(t);
    await publishFixture(t, root);
    const r = await refusal(t, root, policy);
    t.equal(r.code, 'LPX_ERR_REGISTRY_UNTRUSTED');
    t.match(r.message, /is unsigned and registry.trust requires a signature/);
    t.same(r.installed, []);
  });

  t.test('pending while approved is required: NOT_APPROVED', async (t) => {
    const root = tempDir(t);
    await signRelease(await publishFixture(t, root), publisher);
    const r = await refusal(t, root, policy);
    t.equal(r.code, 'LPX_ERR_REGISTRY_NOT_APPROVED');
    t.match(r.message, /is pending; registry.trust.states accepts approved/);
    t.same(r.installed, []);
  });

  t.test('approved only by someone who is not a trusted reviewer: still pending, NOT_APPROVED', async (t) => {
    const root = tempDir(t);
    const entry = await publishFixture(t, root);
    await signRelease(entry, publisher);
    await reviewRelease(entry, 'approved', stranger);
    t.equal((await refusal(t, root, policy)).code, 'LPX_ERR_REGISTRY_NOT_APPROVED');
  });

  t.test('rejected: NOT_APPROVED', async (t) => {
    const root = tempDir(t);
    const entry = await publishFixture(t, root);
    await signRelease(entry, publisher);
    await reviewRelease(entry, 'rejected', reviewer, 'phones home');
    const r = await refusal(t, root, policy);
    t.equal(r.code, 'LPX_ERR_REGISTRY_NOT_APPROVED');
    t.match(r.message, /is rejected \(phones home\)/);
  });

  t.test('revoked version: REVOKED, and revocation is final', async (t) => {
    const root = tempDir(t);
    const entry = await publishFixture(t, root);
    await signRelease(entry, publisher);
    await reviewRelease(entry, 'approved', reviewer);
    await reviewRelease(entry, 'revoked', reviewer, 'CVE-2026-1');
    const again = await catchError(() => reviewRelease(entry, 'approved', reviewer));
    t.equal(again.code, 'LPX_ERR_REGISTRY_REVIEW_INVALID');
    t.match(again.message, /revocation is final/);
    const r = await refusal(t, root, policy);
    t.equal(r.code, 'LPX_ERR_REGISTRY_REVOKED');
    t.match(r.message, /revoked by eth:0x[0-9a-f]{40} \(CVE-2026-1\)/);
    t.same(r.installed, []);
  });

  t.test('publisher key revoked in the registry: REVOKED; that key can no longer review', async (t) => {
    const root = tempDir(t);
    const entry = await publishFixture(t, root);
    await signRelease(entry, publisher);
    await reviewRelease(entry, 'approved', reviewer);
    await revokeKey(root, publisher.keyId, 'leaked');
    const r = await refusal(t, root, policy);
    t.equal(r.code, 'LPX_ERR_REGISTRY_REVOKED');
    t.match(r.message, /signed only by revoked key/);
    t.same(r.installed, []);
    const review = await catchError(() => reviewRelease(entry, 'approved', publisher));
    t.equal(review.code, 'LPX_ERR_REGISTRY_REVIEW_INVALID');
  });

  t.test('a review state that is not a decision: REVIEW_INVALID', async (t) => {
    const root = tempDir(t);
    const entry = await publishFixture(t, root);
    t.equal((await catchError(() => reviewRelease(entry, 'pending', reviewer))).code, 'LPX_ERR_REGISTRY_REVIEW_INVALID');
  });
  t.end();
});

t.test('the highest acceptable version in the range wins: a pending or revoked newer one is skipped', async (t) => {
  const root = tempDir(t);
  const old = await publishFixture(t, root);
  const newer = await publishFixture(t, root, { version: '1.1.0' });
  const newest = await publishFixture(t, root, { version: '1.2.0' });
  for (const entry of [old, newer, newest]) await signRelease(entry, publisher);
  await reviewRelease(old, 'approved', reviewer);
  await reviewRelease(newer, 'approved', reviewer);
  await reviewRelease(newer, 'revoked', reviewer);
  const warnings: string[] = [];
  const [installed] = await resolvePluginsForNode(root, request, tempDir(t), { trust: policy, warn: (w) => warnings.push(w) });
  t.equal(installed!.version, '1.0.0');
  t.match(warnings, [/using 1\.0\.0 because 1\.2\.0 was refused \(.*is pending/]);
});

t.test('policy options: states, requireSignature false, whole key records', async (t) => {
  const root = tempDir(t);
  const entry = await publishFixture(t, root);
  t.same(await evaluateTrust(entry, { publishers: [publisher.keyId], requireSignature: false, states: ['pending'] }), {
    state: 'pending',
    signedBy: [],
    warnings: ['plugin "hello-world"@1.0.0 has no signature by a trusted publisher; accepted because registry.trust.requireSignature is false'],
  });
  await signRelease(entry, publisher);
  const { privateKey: _secret, ...record } = publisher;
  t.match(await evaluateTrust(entry, { publishers: [record], states: ['pending'] }), { state: 'pending', signedBy: [publisher.keyId] });
  const forged = await catchError(() => evaluateTrust(entry, { publishers: [{ ...record, keyId: stranger.keyId }] }));
  t.equal(forged.code, 'LPX_ERR_REGISTRY_KEY_INVALID', 'a trusted key record whose id is not its key is a config error');
});

t.test('dev mode (no policy): unsigned accepted with a warning, but a revocation is still honoured', async (t) => {
  const root = tempDir(t);
  const entry = await publishFixture(t, root);
  const warnings: string[] = [];
  const install = tempDir(t);
  const [installed] = await resolvePluginsForNode(root, request, install, { warn: (w) => warnings.push(w) });
  t.match(installed, { version: '1.0.0', trust: { state: 'pending', signedBy: [] } });
  t.match(warnings, [/is unsigned; accepted because registry.trust is not configured \(dev mode\)/]);
  await reviewRelease(entry, 'revoked', stranger, 'malware');
  const r = await refusal(t, root, undefined);
  t.equal(r.code, 'LPX_ERR_REGISTRY_REVOKED');
});

t.test('a secp256k1 publisher revoked by its checksummed (mixed-case) address: still REVOKED', async (t) => {
  // Explorers and wallets show EIP-55 checksummed addresses; signatures carry the lowercase id.
  const ethPublisher = generateKey('secp256k1', 'eth publisher');
  const checksummed = `eth:0x${ethPublisher.keyId.slice('eth:0x'.length).toUpperCase()}`;
  const ethPolicy: TrustPolicy = { publishers: [ethPublisher.keyId], reviewers: [reviewer.keyId] };

  t.test('revoked with revokeKey', async (t) => {
    const root = tempDir(t);
    const entry = await publishFixture(t, root);
    await signRelease(entry, ethPublisher);
    await reviewRelease(entry, 'approved', reviewer);
    t.equal((await revokeKey(root, checksummed, 'leaked')).keyId, ethPublisher.keyId, 'stored in the contract form');
    t.equal((await refusal(t, root, ethPolicy)).code, 'LPX_ERR_REGISTRY_REVOKED');
  });

  t.test('revoked by a revoked-keys.json written by hand (or mirrored)', async (t) => {
    const root = tempDir(t);
    const entry = await publishFixture(t, root);
    await signRelease(entry, ethPublisher);
    await reviewRelease(entry, 'approved', reviewer);
    await writeFile(join(root, 'revoked-keys.json'), JSON.stringify([{ keyId: checksummed, reason: 'leaked', at: 'now' }]));
    t.equal((await refusal(t, root, ethPolicy)).code, 'LPX_ERR_REGISTRY_REVOKED');
    t.equal((await catchError(() => reviewRelease(entry, 'approved', ethPublisher))).code, 'LPX_ERR_REGISTRY_REVIEW_INVALID', 'nor can that key review');
  });
  t.end();
});
