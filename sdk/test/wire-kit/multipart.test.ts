// The wire kit's multipart/mixed reader (ADR 0023, moved to the sdk by ADR
// 0032: no npm parser reads multipart/mixed with per-part headers) against
// what Go's mime/multipart writer and reader accept and refuse.
import t from 'tap';
import { errors } from '@lpx/sdk';
import { parseMultipart } from '@lpx/sdk/wire-kit';

const crlf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1'));
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

t.test('parts, headers and bodies, CRLF or bare LF, preamble skipped', async (t) => {
  const body = 'preamble line\n--b\nContent-Type: video/mp2t\nPixels: 10\nX-A: 1\nX-A: 2\n\nfirst\n--b\n\nno headers\n--b--\nepilogue';
  for (const [name, bytes] of [['CRLF', crlf(body)], ['LF', new Uint8Array(Buffer.from(body, 'latin1'))]] as const) {
    const parts = parseMultipart(bytes, 'multipart/mixed; boundary="b"');
    t.same(parts.map((p) => [p.headers, text(p.body)]), [[{ 'content-type': 'video/mp2t', pixels: '10', 'x-a': '1, 2' }, 'first'], [{}, 'no headers']], name);
  }
  t.same(parseMultipart(crlf('--b--\n'), 'multipart/mixed; boundary=b'), [], 'no parts');
  t.same(text(parseMultipart(crlf('--b\nA: 1\n\n--bX inside\n--b--\n'), 'multipart/mixed; boundary=b')[0]!.body), '--bX inside', 'a delimiter lookalike stays in the body');
});

t.test("what Go refuses is MULTIPART_MALFORMED with the reason, or the caller's own code", async (t) => {
  const cases: [string, string, RegExp][] = [
    ['--b\nA: 1\n\nx\n--b--\n', 'video/mp2t', /is not multipart/],
    ['--b\nA: 1\n\nx\n--b--\n', 'multipart/mixed; boundary=', /not a valid boundary/],
    ['--b\nno colon here\n\nx\n--b--\n', 'multipart/mixed; boundary=b', /malformed multipart part header line/],
    ['--b\nA: 1\nx\n--b--\n', 'multipart/mixed; boundary=b', /no blank line after its headers/],
  ];
  for (const [body, type, message] of cases) t.throws(() => parseMultipart(crlf(body), type), { code: 'LPX_ERR_NETWORK_MULTIPART_MALFORMED', message }, String(message));
  t.throws(() => parseMultipart(crlf('--b\n\n1\n--b\n\n2\n--b--\n'), 'multipart/mixed; boundary=b', { maxParts: 1 }), { message: /more than 1 parts/ });
  const invalid = (message: string): Error => errors.aiWorker.RESULT_INVALID.create(message);
  t.throws(() => parseMultipart(crlf('--b\nA: 1\n\nx\n--b--\n'), 'text/plain', { invalid }), { code: 'LPX_ERR_AI_WORKER_RESULT_INVALID', message: /is not multipart/ }, 'the caller names the code');
});

