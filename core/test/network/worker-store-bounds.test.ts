// The orchestrator's in-memory stores for remote workers hold at most their byte budget
// and their entry count, however many objects arrive and however small.
import t from 'tap';
import { FileStore, MAX_FILE_NAME_LENGTH } from '../../src/network/remote-ai/file-store.js';
import { DEFAULT_STORE_MAX_ENTRIES, SegmentStore } from '../../src/network/remote-transcoder/segment-store.js';

t.test('segment store: a flood of tiny objects stays within the entry cap, newest kept', async (t) => {
  const store = new SegmentStore({ maxEntries: 100 });
  for (let i = 0; i < 1_000; i++) store.put(`session-${i}`, ['source', `${i}.ts`], new Uint8Array(0), 'video/mp2t');
  t.equal(store.size, 100);
  t.ok(store.get('session-999/source/999.ts'), 'the newest is kept');
  t.equal(store.get('session-0/source/0.ts'), undefined, 'the oldest went');
});

t.test('segment store: bytes past the budget stay within it', async (t) => {
  const store = new SegmentStore({ maxBytes: 1_000_000 });
  let worst = 0;
  for (let i = 0; i < 200; i++) {
    store.put('s', [`${i}.ts`], new Uint8Array(30_000), 'video/mp2t');
    worst = Math.max(worst, store.bytes);
  }
  t.ok(worst <= 1_000_000, `worst ${worst}`);
  t.equal(DEFAULT_STORE_MAX_ENTRIES, 20_000);
});

t.test('file store: entry cap, byte budget, and long worker-chosen names cut', async (t) => {
  const store = new FileStore({ maxEntries: 50, maxBytes: 100_000 });
  let worst = 0;
  for (let i = 0; i < 500; i++) {
    store.put(`${'n'.repeat(5_000)}-${i}.png`, 'image/png', new Uint8Array(1_000));
    worst = Math.max(worst, store.totalBytes);
  }
  t.equal(store.size, 50, 'entry cap holds');
  t.ok(worst <= 100_000, `byte budget holds (worst ${worst})`);
  const stored = store.put('x'.repeat(10_000) + '.png', 'image/png', new Uint8Array(1));
  const name = decodeURIComponent(stored.path.split('/').pop()!);
  t.equal(name.length, MAX_FILE_NAME_LENGTH, 'the name is cut');
  t.match(name, /\.png$/, 'keeping its extension');
});
