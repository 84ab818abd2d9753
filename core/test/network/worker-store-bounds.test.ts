// The orchestrator's in-memory store for remote AI workers holds at most its byte budget
// and its entry count, however many objects arrive and however small (the remote
// transcoders' source store is tested in plugins/transcode-remote).
import t from 'tap';
import { FileStore, MAX_FILE_NAME_LENGTH } from '../../src/network/remote-ai/file-store.js';

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
