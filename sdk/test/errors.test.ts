import t from 'tap';
import { errors, isLpxError, listErrorCodes, LpxError } from '../src/index.js';

t.test('every code is unique, well-formed and documented', async (t) => {
  const codes = listErrorCodes();
  t.ok(codes.length > 30);
  t.equal(new Set(codes.map((c) => c.code)).size, codes.length, 'no duplicates');
  for (const c of codes) {
    t.match(c.code, /^LPX_ERR_[A-Z]+_[A-Z0-9_]+$/, c.code);
    t.ok(c.description.length > 10, `${c.code} has a description`);
    t.ok(c.status >= 400 && c.status < 600, `${c.code} has an HTTP status`);
  }
});

t.test('created errors carry code, status, details and cause', async (t) => {
  const cause = new Error('root');
  const error = errors.config.UNKNOWN_KEY.create('unknown key "x"', { cause, details: { path: 'x' } });
  t.ok(error instanceof LpxError);
  t.ok(isLpxError(error));
  t.equal(error.code, 'LPX_ERR_CONFIG_UNKNOWN_KEY');
  t.equal(error.cause, cause);
  t.same(error.toJSON(), { code: 'LPX_ERR_CONFIG_UNKNOWN_KEY', message: 'unknown key "x"', details: { path: 'x' } });
  t.ok(errors.config.UNKNOWN_KEY.is(error));
  t.notOk(errors.config.INVALID.is(error));
  t.notOk(isLpxError(new Error('plain')));
  t.notOk(isLpxError(Object.assign(new Error('x'), { code: 'ENOENT' })));
});

t.test('docs/errors.md lists every code', async (t) => {
  const { readFileSync } = await import('node:fs');
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  for (const c of listErrorCodes()) t.ok(doc.includes(c.code), `${c.code} is documented (run: node --import tsx scripts/generate-error-docs.ts)`);
});
