import t from 'tap';
import { runCli } from '../../../test/helpers/cli.js';
import { createFixture } from '../payments/helpers/fixture.js';

t.test('lpx pm decode prints the payment as JSON with each ticket signer', async (t) => {
  const f = createFixture();
  const { header } = await f.pay(3);
  const run = await runCli('pm', 'decode', header);
  t.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { sender: string; tickets: { senderNonce: number; signer: string; signatureValid: boolean }[]; expectedPrice: unknown };
  t.match(out.sender, /^0x[0-9a-fA-F]{40}$/);
  t.same(out.tickets.map((x) => x.senderNonce), [1, 2, 3]);
  t.ok(out.tickets.every((x) => x.signatureValid && x.signer === out.sender));
  t.same(out.expectedPrice, { pricePerUnit: '3', pixelsPerUnit: '2' });
});

t.test('garbage is a coded refusal on stdout, exit 1', async (t) => {
  const run = await runCli('pm', 'decode', 'not base64 at all!');
  t.equal(run.code, 1);
  t.match(JSON.parse(run.stdout), { ok: false, error: { code: 'LPX_ERR_PAYMENTS_MALFORMED_HEADER' } });
  const proto = await runCli('pm', 'decode', Buffer.from([0xff, 0xff, 0xff]).toString('base64'));
  t.equal(proto.code, 1);
  t.match(JSON.parse(proto.stdout), { ok: false, error: { code: /^LPX_ERR_PAYMENTS_/ } });
});
