// Our multipart/mixed parser and builder: Go-writer layouts (CRLF, preamble,
// quoted boundary), bare-LF bodies, headerless and empty parts, and every
// refusal (missing boundary, no closing delimiter, too many parts, bad headers).
import t, { type Test } from 'tap';
import { errors } from '@lpx/sdk';
import { boundaryFromContentType, buildMultipart, parseMultipart, randomBoundary } from '../../src/network/multipart/index.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

function isMalformed(t: Test, fn: () => unknown, pattern: RegExp, name: string): void {
  try {
    fn();
    t.fail(`${name}: expected a throw`);
  } catch (error) {
    t.ok(errors.network.MULTIPART_MALFORMED.is(error), `${name}: coded MULTIPART_MALFORMED`);
    t.match((error as Error).message, pattern, name);
  }
}

t.test('parses a body laid out like Go mime/multipart writes it', async (t) => {
  const body = enc('--xyz\r\nContent-Type: video/mp2t\r\nContent-Length: 5\r\nPixels: 100\r\n\r\nhello\r\n--xyz\r\ncontent-type: video/mp2t\r\nPixels: 7\r\n\r\nwor\r\nld\r\n--xyz--\r\n');
  const parts = parseMultipart(body, 'multipart/mixed; boundary=xyz');
  t.equal(parts.length, 2);
  t.same(parts[0]!.headers, { 'content-type': 'video/mp2t', 'content-length': '5', pixels: '100' });
  t.equal(dec(parts[0]!.body), 'hello');
  t.equal(dec(parts[1]!.body), 'wor\r\nld', 'a CRLF inside a body is data');
  t.equal(parts[1]!.headers.pixels, '7');
});

t.test('quoted boundary, preamble, epilogue, look-alike delimiters', async (t) => {
  const body = enc('preamble line\r\n--a b\r\nX: 1\r\n\r\n--a bc is not a delimiter\r\n--a b  \r\n\r\nsecond\r\n--a b--\r\nepilogue');
  const parts = parseMultipart(body, 'Multipart/Mixed; charset=utf-8; boundary="a b"');
  t.equal(parts.length, 2);
  t.equal(dec(parts[0]!.body), '--a bc is not a delimiter');
  t.same(parts[1]!.headers, {}, 'a part that opens with a blank line has no headers');
  t.equal(dec(parts[1]!.body), 'second');
});

t.test('bare LF bodies, empty parts, repeated and folded headers', async (t) => {
  const lf = parseMultipart(enc('--b\nA: 1\nA: 2\nB: x\n  y\n\nbody\n--b\n\n--b--\n'), 'multipart/mixed; boundary=b');
  t.equal(lf.length, 2);
  t.same(lf[0]!.headers, { a: '1, 2', b: 'x y' });
  t.equal(dec(lf[0]!.body), 'body');
  t.equal(lf[1]!.body.length, 0);
  t.same(parseMultipart(enc('--b--\r\n'), 'multipart/mixed; boundary=b'), [], 'no parts at all');
  const empty = parseMultipart(enc('--b\r\nX: 1\r\n\r\n--b--'), 'multipart/mixed; boundary=b');
  t.equal(empty.length, 1);
  t.equal(empty[0]!.body.length, 0, 'a delimiter straight after the headers is an empty body');
});

t.test('round trips through the builder, binary bodies included', async (t) => {
  const binary = new Uint8Array(256).map((_, i) => i);
  const built = buildMultipart([
    { headers: { 'Content-Type': 'video/mp2t', Pixels: '42' }, body: binary },
    { headers: { 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(0) },
  ]);
  t.match(built.contentType, /^multipart\/mixed; boundary=[0-9a-f]{60}$/);
  const parts = parseMultipart(built.body, built.contentType);
  t.equal(parts.length, 2);
  t.same(Buffer.from(parts[0]!.body), Buffer.from(binary));
  t.equal(parts[0]!.headers.pixels, '42');
  t.equal(parts[1]!.body.length, 0);
  const fixed = buildMultipart([{ headers: { A: 'b' }, body: enc('x') }], 'fixed');
  t.equal(dec(fixed.body), '--fixed\r\nA: b\r\n\r\nx\r\n--fixed--\r\n', "Go writer's exact layout");
  t.equal(dec(buildMultipart([], 'e').body), '--e--\r\n');
  t.not(randomBoundary(), randomBoundary());
});

t.test('refuses malformed input with MULTIPART_MALFORMED', async (t) => {
  const ok = enc('--b\r\n\r\nx\r\n--b--\r\n');
  isMalformed(t, () => parseMultipart(ok, 'multipart/mixed'), /no boundary/, 'missing boundary');
  isMalformed(t, () => parseMultipart(ok, 'multipart/mixed; boundary='), /not a valid boundary/, 'empty boundary');
  isMalformed(t, () => parseMultipart(ok, 'multipart/mixed; boundary=' + 'x'.repeat(71)), /not a valid boundary/, 'boundary over 70 chars');
  isMalformed(t, () => parseMultipart(ok, 'video/mp2t; boundary=b'), /not multipart/, 'not multipart');
  isMalformed(t, () => parseMultipart(enc('nothing here'), 'multipart/mixed; boundary=b'), /no opening delimiter/, 'no opening delimiter');
  isMalformed(t, () => parseMultipart(enc('--b\r\nX: 1\r\n\r\ntruncated'), 'multipart/mixed; boundary=b'), /no closing delimiter/, 'no closing delimiter');
  isMalformed(t, () => parseMultipart(enc('--b\r\nX: 1\r\n--b--\r\n'), 'multipart/mixed; boundary=b'), /blank line|header/, 'headers without a blank line');
  isMalformed(t, () => parseMultipart(enc('--b\r\nno colon\r\n\r\nx\r\n--b--'), 'multipart/mixed; boundary=b'), /header line/, 'header without colon');
  const three = buildMultipart([1, 2, 3].map((n) => ({ headers: {}, body: enc(String(n)) })), 'b');
  t.equal(parseMultipart(three.body, three.contentType, { maxParts: 3 }).length, 3);
  isMalformed(t, () => parseMultipart(three.body, three.contentType, { maxParts: 2 }), /more than 2 parts/, 'part limit');
  const big = buildMultipart([{ headers: { X: 'y'.repeat(100) }, body: enc('z') }], 'b');
  isMalformed(t, () => parseMultipart(big.body, big.contentType, { maxHeaderBytes: 50 }), /exceed 50 bytes/, 'header size limit');
  isMalformed(t, () => buildMultipart([{ headers: { X: 'a\r\nInjected: 1' }, body: enc('') }]), /not a valid header/, 'header injection refused');
  isMalformed(t, () => buildMultipart([], 'bad\nboundary'), /not a valid boundary/, 'bad builder boundary');
});

t.test('boundaryFromContentType', async (t) => {
  t.same(boundaryFromContentType('Multipart/Mixed;boundary="with space";x="a;b"'), { mediaType: 'multipart/mixed', boundary: 'with space' });
  t.same(boundaryFromContentType('multipart/mixed; x="a;boundary=no"; BOUNDARY=yes'), { mediaType: 'multipart/mixed', boundary: 'yes' }, 'a quoted ; does not split');
});
