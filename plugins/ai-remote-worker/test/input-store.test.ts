// Inputs kept for workers to download: TTL, byte and entry budgets (oldest
// evicted first), and an input bigger than the store refused with a code.
import t from 'tap';
import { InputStore } from '../src/index.js';

t.test('TTL, byte budget, entry budget', async (t) => {
  let now = 1_000;
  const store = new InputStore({ ttlMs: 100, maxBytes: 10, maxEntries: 2, now: () => now });
  const token = (path: string) => path.split('/')[3]!;
  const a = store.put('image/png', new Uint8Array(4));
  t.match(a.path, /^\/ai-worker\/files\/[0-9a-f]{32}\/input\.tempfile$/);
  const b = store.put('image/png', new Uint8Array(4));
  const c = store.put('audio/wav', new Uint8Array(4));
  t.equal(store.get(token(a.path)), undefined, 'oldest evicted to stay in budget');
  t.equal(store.get(token(c.path))?.contentType, 'audio/wav');
  t.equal(store.totalBytes, 8);
  store.put('x/y', new Uint8Array(1));
  t.equal(store.get(token(b.path)), undefined, 'entry budget evicts too');
  t.equal(store.size, 2);
  now += 100;
  t.equal(store.get(token(c.path)), undefined, 'expired');
  t.throws(() => store.put('x', new Uint8Array(11)), { code: 'LPX_ERR_AI_LIMIT_EXCEEDED' });
  const d = store.put('x', new Uint8Array(2));
  store.delete(d.path);
  t.equal(store.get(token(d.path)), undefined, 'deleted by path');
});
