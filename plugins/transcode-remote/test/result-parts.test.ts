// Result parts read the way go-livepeer reads a transcoder's multipart
// result (the reader itself is @lpx/sdk/wire-kit's), and a malformed body is
// the transcoder area's RESULT_INVALID.
import t from 'tap';
import { parseInt64, resultFromMultipart } from '../src/index.js';

const crlf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1'));
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

t.test("result parts: Pixels per rendition, a hash part attaches to the one before, Go's int64 parsing", async (t) => {
  const body = crlf('--b\nPixels: 5\n\nr1\n--b\nContent-Type: application/octet-stream\n\nhash1\n--b\nContent-Type: text/plain\n\nignored\n--b\nPixels: +7\n\nr2\n--b--\n');
  const result = resultFromMultipart(body, 'multipart/mixed; boundary=b', 99n);
  t.same(result.renditions.map((r) => [text(r.data), r.pixels, r.perceptualHash && text(r.perceptualHash)]), [['r1', 5n, 'hash1'], ['r2', 7n, undefined]]);
  t.equal(result.decodedPixels, 99n);
  t.throws(() => resultFromMultipart(crlf('--b\nContent-Type: application/octet-stream\n\nh\n--b--\n'), 'multipart/mixed; boundary=b', 0n), { message: 'Unknown perceptual hash' });
  t.throws(() => resultFromMultipart(crlf('--b\nPixels: 1e3\n\nr\n--b--\n'), 'multipart/mixed; boundary=b', 0n), { message: /strconv.ParseInt: parsing "1e3": invalid syntax/ });
  t.throws(() => resultFromMultipart(crlf('--b\nno colon\n\nr\n--b--\n'), 'multipart/mixed; boundary=b', 0n), { code: 'LPX_ERR_TRANSCODER_RESULT_INVALID', message: /malformed multipart part header line/ });
  t.same([parseInt64('9223372036854775807'), parseInt64('9223372036854775808'), parseInt64('-0'), parseInt64(' 1'), parseInt64(undefined)], [9223372036854775807n, undefined, 0n, undefined, undefined]);
});
