// The sdk's transcode backend conformance suite on the remote backend, each
// case with a fresh plugin on a real front door and a go-livepeer-style
// transcoder that really transcodes with ffmpeg, running as a separate
// process (as on another machine) and registering over the door.
import t from 'tap';
import { runConformanceSuite, transcodeBackendSuite } from '@lpx/sdk/testing';
import { startFfmpegTranscoder, type ExternalTranscoder } from './helpers/ffmpeg-transcoder.js';
import { SECRET, startRemoteNode, until } from './helpers/remote-node.js';

t.test('the remote backend passes the transcode backend conformance suite', async (t) => {
  let previous: { transcoder: ExternalTranscoder; close: () => Promise<void> } | undefined;
  t.teardown(() => previous?.transcoder.stop());
  const report = await runConformanceSuite(transcodeBackendSuite({ expect: 'available' }), async () => {
    await previous?.close();
    const closers: (() => unknown)[] = [];
    const node = await startRemoteNode({ teardown: (fn: () => unknown) => void closers.push(fn) } as never);
    const transcoder = await startFfmpegTranscoder(node.orchAddr, SECRET, 2);
    previous = { transcoder, close: async () => { transcoder.stop(); for (const fn of closers.reverse()) await fn(); } };
    await until(() => node.backend.status().available, 'the ffmpeg transcoder registering', 30_000);
    return node.backend;
  });
  await previous?.close();
  t.same(report.failed, [], 'no case failed');
  t.ok(report.passed.length >= 10, `${report.passed.length} cases passed`);
});
