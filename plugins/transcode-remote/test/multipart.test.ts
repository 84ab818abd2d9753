// The plugin's own multipart/mixed reader (ADR 0023: no npm parser reads
// multipart/mixed with per-part headers) against what Go's mime/multipart
// writer and reader accept and refuse, and result parts read the way
// go-livepeer reads them.
import t from 'tap';
import { parseMultipart } from '../src/http/multipart.js';
import { parseInt64, resultFromMultipart } from '../src/index.js';

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

t.test('what Go refuses is RESULT_INVALID with the reason', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['--b\nA: 1\n\nx\n--b--\n', 'video/mp2t', /is not multipart/],
    ['--b\nA: 1\n\nx\n--b--\n', 'multipart/mixed; boundary=', /not a valid boundary/],
    ['--b\nno colon here\n\nx\n--b--\n', 'multipart/mixed; boundary=b', /malformed multipart part header line/],
    ['--b\nA: 1\nx\n--b--\n', 'multipart/mixed; boundary=b', /no blank line after its headers/],
  ];
  for (const [body, type, message] of cases) t.throws(() => parseMultipart(crlf(body), type), { code: 'LPX_ERR_TRANSCODER_RESULT_INVALID', message }, String(message));
  t.throws(() => parseMultipart(crlf('--b\n\n1\n--b\n\n2\n--b--\n'), 'multipart/mixed; boundary=b', { maxParts: 1 }), { message: /more than 1 parts/ });
});

t.test("result parts: Pixels per rendition, a hash part attaches to the one before, Go's int64 parsing", async (t) => {
  const body = crlf('--b\nPixels: 5\n\nr1\n--b\nContent-Type: application/octet-stream\n\nhash1\n--b\nContent-Type: text/plain\n\nignored\n--b\nPixels: +7\n\nr2\n--b--\n');
  const result = resultFromMultipart(body, 'multipart/mixed; boundary=b', 99n);
  t.same(result.renditions.map((r) => [text(r.data), r.pixels, r.perceptualHash && text(r.perceptualHash)]), [['r1', 5n, 'hash1'], ['r2', 7n, undefined]]);
  t.equal(result.decodedPixels, 99n);
  t.throws(() => resultFromMultipart(crlf('--b\nContent-Type: application/octet-stream\n\nh\n--b--\n'), 'multipart/mixed; boundary=b', 0n), { message: 'Unknown perceptual hash' });
  t.throws(() => resultFromMultipart(crlf('--b\nPixels: 1e3\n\nr\n--b--\n'), 'multipart/mixed; boundary=b', 0n), { message: /strconv.ParseInt: parsing "1e3": invalid syntax/ });
  t.same([parseInt64('9223372036854775807'), parseInt64('9223372036854775808'), parseInt64('-0'), parseInt64(' 1'), parseInt64(undefined)], [9223372036854775807n, undefined, 0n, undefined, undefined]);
});
