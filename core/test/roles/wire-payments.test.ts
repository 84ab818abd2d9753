// orchestratorWire.payments without a chain, and the facade's life cycle:
// before the role starts nothing is challenged or accepted; offchain a request
// without credentials is free and credited to nobody, credentials are still
// verified (403 with go-livepeer's text), and internalUri() prefers
// orchestrator.runnerAddr. The paid path runs on the dev chain in
// test/plugins/live-runner/paid-sessions.test.ts.
import t from 'tap';
import { AuthTokenIssuer } from '../../src/network/index.js';
import { emptySegData, encodeSegDataHeader } from '../../src/network/segment/index.js';
import { PluginWire } from '../../src/roles/orchestrator/plugin-wire.js';
import { createWirePayments } from '../../src/roles/orchestrator/wire-payments.js';
import { emptyLivepeerCapabilities } from '../../src/capabilities/index.js';

function offchain(authTokens = new AuthTokenIssuer()) {
  return createWirePayments({
    authTokens,
    info: { build: async () => ({ transcoder: 'https://o:1', address: new Uint8Array(20), hardware: [], storage: [], capabilitiesPrices: [], nodes: [] }) },
    serviceUri: () => 'https://o:1',
    address: new Uint8Array(20),
    orchestratorCapabilities: () => emptyLivepeerCapabilities(),
  });
}

t.test('before the role starts, plugins hold a facade that refuses challenges', async (t) => {
  const wire = new PluginWire({ enabled: true, secret: () => undefined, runnerAddr: () => 'http://runners.internal:8936' });
  const facade = wire.facadeFor('p');
  t.equal(facade.payments.enabled, false);
  await t.rejects(facade.payments.challenge({ sender: '0x0000000000000000000000000000000000000001', price: { pricePerUnit: 1n, pixelsPerUnit: 1n } }), { code: 'LPX_ERR_PAYMENTS_NOT_CONFIGURED' });
  t.equal(facade.internalUri(), undefined, 'nothing before the door opens');
  wire.setPayments(offchain());
  wire.opened({ serviceUri: 'https://o:1', address: '0x0' });
  t.equal(facade.payments.enabled, false, 'the same facade now answers for the offchain implementation');
  t.equal(facade.internalUri(), 'http://runners.internal:8936', 'runnerAddr wins over the service URI');
  t.equal(new PluginWire({ enabled: true, secret: () => undefined }).facadeFor('q').internalUri(), undefined);
});

t.test('offchain: free without credentials, credentials still verified, nothing credited', async (t) => {
  const authTokens = new AuthTokenIssuer();
  const payments = offchain(authTokens);
  const free = await payments.accept({});
  t.same({ sender: free.sender, manifestId: free.manifestId, credited: free.credited }, { sender: '0x0000000000000000000000000000000000000000', manifestId: '', credited: '0' });
  await t.rejects(payments.challenge({ sender: '0x0000000000000000000000000000000000000001', price: { pricePerUnit: 1n, pixelsPerUnit: 1n } }), { code: 'LPX_ERR_PAYMENTS_NOT_CONFIGURED' });

  const token = authTokens.issueFor('abcd1234');
  t.equal(token.sessionId, 'abcd1234');
  const segment = encodeSegDataHeader({ ...emptySegData(), manifestId: 'abcd1234', authToken: token });
  const verified: string[] = [];
  const receipt = await payments.accept({ segment }, { verify: (check) => void verified.push(`${check.manifestId}/${check.authSessionId}`) });
  t.same(verified, ['abcd1234/abcd1234'], 'verify saw the checked credentials');
  t.equal(receipt.manifestId, 'abcd1234');
  t.equal(receipt.credited, '0');

  const foreign = encodeSegDataHeader({ ...emptySegData(), manifestId: 'abcd1234', authToken: new AuthTokenIssuer().issueFor('abcd1234') });
  await t.rejects(payments.accept({ segment: foreign }), { status: 403, message: 'invalid auth token' });
  await t.rejects(
    payments.accept({ segment }, { verify: () => { throw Object.assign(new Error('no'), {}); } }),
    { message: 'no' },
    'a verify that throws refuses the payment',
  );
  t.equal(await payments.balance({ sender: '0x0000000000000000000000000000000000000001', manifestId: 'x' }), undefined);
  t.equal(await payments.debit({ sender: '0x0000000000000000000000000000000000000001', manifestId: 'x', units: 5n, price: { pricePerUnit: 1n, pixelsPerUnit: 1n } }), '0');
});
