import { gzipSync } from 'node:zlib';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { gunzipPackage, packageTar, unpackPackage } from '../src/tarball/package-tarball.js';
import { readTar } from '../src/tarball/tar-read.js';
import { FIELD, headerChecksum } from '../src/tarball/tar-format.js';
import { writeTar } from '../src/tarball/tar-write.js';
import { catchError } from './helpers/catch-error.js';

const file = (path: string, text = path, executable = false) => ({ path, content: Buffer.from(text), executable });

/** Rewrites one header field of the first entry and fixes its checksum, to craft archives our writer never makes. */
function withField(archive: Buffer, field: { offset: number; length: number }, value: string): Buffer {
  const copy = Buffer.from(archive);
  copy.fill(0, field.offset, field.offset + field.length);
  copy.write(value, field.offset, field.length, 'utf8');
  return fixChecksum(copy);
}

function fixChecksum(archive: Buffer): Buffer {
  archive.write(`${headerChecksum(archive.subarray(0, 512)).toString(8).padStart(6, '0')}\0 `, FIELD.checksum.offset, 8, 'utf8');
  return archive;
}

t.test('write then read round-trips paths, contents and the executable bit', async (t) => {
  const longPath = `package/${'deep/'.repeat(30)}file.mjs`;
  const entries = readTar(writeTar([file('package/a.txt', 'x'.repeat(1000)), file(longPath), file('package/bin/run', '#!/bin/sh', true), file('package/empty', '')]));
  t.same(entries.map((e) => [e.path, e.content.toString(), e.executable]), [
    ['package/a.txt', 'x'.repeat(1000), false],
    [longPath, longPath, false],
    ['package/bin/run', '#!/bin/sh', true],
    ['package/empty', '', false],
  ]);
});

t.test('packing is deterministic and sorted, whatever the input order', async (t) => {
  const a = packageTar([file('b.mjs'), file('a.mjs')]);
  const b = packageTar([file('a.mjs'), file('b.mjs')]);
  t.ok(a.equals(b));
  t.same(readTar(a).map((e) => e.path), ['package/a.mjs', 'package/b.mjs']);
});

t.test('a path too long for ustar is refused at pack time', async (t) => {
  const error = await catchError(() => writeTar([file(`package/${'x'.repeat(300)}`)]));
  t.ok(errors.registry.PACKAGE_INVALID.is(error));
  t.match(error.message, 'too long for a ustar archive');
});

t.test('pax and GNU long names are honoured when reading (npm tarballs use them)', async (t) => {
  const longName = `package/${'n'.repeat(180)}.js`;
  const paxRecord = (() => {
    const body = ` path=${longName}\n`;
    let length = body.length + 3;
    length = body.length + String(length).length;
    return `${length}${body}`;
  })();
  const pax = withField(writeTar([file('PaxHeader', paxRecord), file('package/short.js', 'code')]), FIELD.type, 'x');
  t.same(readTar(pax).map((e) => e.path), [longName]);
  const gnu = withField(writeTar([file('././@LongLink', `${longName}\0`), file('package/short.js', 'code')]), FIELD.type, 'L');
  t.same(readTar(gnu).map((e) => [e.path, e.content.toString()]), [[longName, 'code']]);
  const dirEntry = withField(writeTar([file('package/dir/', ''), file('package/dir/f.js')]), FIELD.type, '5');
  t.same(readTar(dirEntry).map((e) => e.path), ['package/dir/f.js'], 'directory entries are implied, not kept');
});

t.test('links and other special entries are refused', async (t) => {
  for (const type of ['1', '2', '3', '4', '6']) {
    const archive = withField(writeTar([file('package/link')]), FIELD.type, type);
    const error = await catchError(() => readTar(archive));
    t.ok(errors.registry.PACKAGE_INVALID.is(error), `type ${type} refused`);
    t.match(error.message, `has type "${type}"; only regular files and directories are allowed`);
  }
});

t.test('corrupt archives are refused', async (t) => {
  const good = writeTar([file('package/a.js', 'x'.repeat(600))]);
  const badChecksum = Buffer.from(good);
  badChecksum[0] = 0x41;
  t.match((await catchError(() => readTar(badChecksum))).message, 'header checksum mismatch');
  t.match((await catchError(() => readTar(good.subarray(0, 700)))).message, 'runs past the end of the archive');
  t.match((await catchError(() => readTar(good.subarray(0, 512 + 1024)))).message, 'no end-of-archive marker');
  t.match((await catchError(() => readTar(withField(good, FIELD.size, 'zz')))).message, 'bad numeric field');
  const huge = Buffer.from(good);
  huge[FIELD.size.offset] = 0x80;
  t.match((await catchError(() => readTar(fixChecksum(huge)))).message, 'base-256 sizes');
  t.ok(errors.registry.PACKAGE_INVALID.is(await catchError(() => gunzipPackage(Buffer.from('not gzip')))));
});

t.test('unpacking refuses paths that would escape the install folder', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['elsewhere/a.js', /is not under "package\/"/],
    ['package/../../etc/passwd', /escapes the package folder/],
    ['package/a\\b.js', /backslash or NUL/],
    ['package/', /names no file/],
  ];
  for (const [path, message] of cases) {
    const tgz = gzipSync(writeTar([file(path)]));
    const error = await catchError(() => unpackPackage(tgz));
    t.ok(errors.registry.PACKAGE_INVALID.is(error), `${path} refused`);
    t.match(error.message, message);
  }
  t.same(unpackPackage(gzipSync(writeTar([file('package/./x/../ok.js', 'ok')]))).map((f) => f.path), ['ok.js'], 'harmless dots normalise');
});

t.test('two entries for one path are refused', async (t) => {
  const tgz = gzipSync(writeTar([file('package/index.mjs', 'good'), file('package/index.mjs', 'evil')]));
  t.match((await catchError(() => unpackPackage(tgz))).message, 'two entries for "index.mjs"');
});
