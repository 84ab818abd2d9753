import t, { type Test } from 'tap';
import { NetintBackend, netintOptions, type NetintConfig } from '../src/index.js';
import { LOGAN_CODECS, netintDoubles, type FakeNetintOptions, type NetintDoubles } from './hardware-doubles.js';

const probe = (config: NetintConfig) => new NetintBackend(netintOptions(config)).probe(new AbortController().signal);

async function doubles(t: Test, options: FakeNetintOptions = {}): Promise<NetintDoubles> {
  const d = await netintDoubles(options);
  t.teardown(() => d.cleanup());
  return d;
}

// ---- The real ffmpeg on this machine: Debian's build, no Netint codec. ----

t.test('REAL ffmpeg here: no Netint encoder is listed, and the reason says so', async (t) => {
  const status = await probe({});
  t.same(
    { available: status.available, capacity: status.capacity, reason: status.reason },
    { available: false, capacity: 0, reason: "no Netint encoder listed by ffmpeg -encoders (looked for h264_ni_quadra_enc, h264_ni_logan_enc): this ffmpeg is not Netint's build" },
  );
});

t.test('REAL ffmpeg here, family quadra: only the Quadra encoder is looked for', async (t) => {
  t.match((await probe({ family: 'quadra' })).reason, /looked for h264_ni_quadra_enc\)/);
});

t.test('a missing ffmpeg is the first thing named; an aborted probe resolves unavailable', async (t) => {
  t.equal((await probe({ ffmpegPath: '/nonexistent/ffmpeg' })).reason, 'ffmpeg not found at /nonexistent/ffmpeg');
  const controller = new AbortController();
  controller.abort();
  const status = await new NetintBackend(netintOptions({})).probe(controller.signal);
  t.equal(status.available, false);
  t.match(status.reason, /aborted/);
});

// ---- Paths this machine cannot reach, through the test doubles at the hardware boundary (hardware-doubles.ts). ----

t.test('DOUBLE: Quadra build, two cards in ni_rsrc_mon → available, capacity 2 × sessionsPerDevice, each card test-encoded', async (t) => {
  const d = await doubles(t);
  const status = await probe({ ffmpegPath: d.ffmpegPath, monitorPath: d.monitorPath, sessionsPerDevice: 5 });
  t.equal(status.available, true, status.reason ?? '');
  t.equal(status.capacity, 10);
  t.same(status.devices, [
    { id: '0', name: 'Netint quadra /dev/nvme0n1', capacity: 5, load: 0 },
    { id: '1', name: 'Netint quadra /dev/nvme1n1', capacity: 5, load: 0 },
  ]);
  t.same(status.encode, ['H264', 'HEVC']);
  t.same(status.decode, ['H264', 'HEVC']);
  const tests = (await d.calls()).filter((c) => c.includes('lavfi')).map((c) => `${c[c.indexOf('-c:v') + 1]}@${c[c.indexOf('-enc') + 1]}`);
  t.same(tests.sort(), ['h264_ni_quadra_enc@0', 'h264_ni_quadra_enc@1', 'h265_ni_quadra_enc@0']);
});

t.test('DOUBLE: Logan build → the Logan family, its own monitor name by default', async (t) => {
  const d = await doubles(t, { ...LOGAN_CODECS });
  const status = await probe({ ffmpegPath: d.ffmpegPath, monitorPath: d.monitorPath });
  t.equal(status.available, true, status.reason ?? '');
  t.match(status.devices?.[0]?.name, /^Netint logan /);
  const viaDefaultMonitor = await probe({ ffmpegPath: d.ffmpegPath });
  t.match(viaDefaultMonitor.reason, /^ni_rsrc_mon_logan not found: Netint's libxcoder tools are not installed/);
});

t.test('DOUBLE: encoder listed but its decoder or Quadra scaler is not → named', async (t) => {
  const noDecoder = await doubles(t, { decoders: ['h264'] });
  t.match((await probe({ ffmpegPath: noDecoder.ffmpegPath, monitorPath: noDecoder.monitorPath })).reason, /^h264_ni_quadra_dec not listed by .* -decoders/);
  const noScaler = await doubles(t, { filters: ['scale', 'split', 'ni_quadra_split'] });
  t.match((await probe({ ffmpegPath: noScaler.ffmpegPath, monitorPath: noScaler.monitorPath })).reason, /^ni_quadra_scale not listed by .* -filters/);
});

t.test('DOUBLE: encoder listed, test encode fails on every card → unavailable with the encoder’s line', async (t) => {
  const d = await doubles(t, {
    failTestEncodeOn: ['0', '1'],
    testEncodeStderr: '[h264_ni_quadra_enc @ 0x55] Error: ni_device_session_open() failure! (no available resource)\nConversion failed!',
  });
  const status = await probe({ ffmpegPath: d.ffmpegPath, monitorPath: d.monitorPath });
  t.equal(status.available, false);
  t.equal(status.reason, 'device 0 excluded: test encode with h264_ni_quadra_enc on device 0 failed: Error: ni_device_session_open() failure! (no available resource); device 1 excluded: test encode with h264_ni_quadra_enc on device 1 failed: Error: ni_device_session_open() failure! (no available resource)');
});

t.test('DOUBLE: one card failing its test encode is left out; the other serves', async (t) => {
  const d = await doubles(t, { failTestEncodeOn: ['1'], testEncodeStderr: 'boom' });
  const status = await probe({ ffmpegPath: d.ffmpegPath, monitorPath: d.monitorPath, sessionsPerDevice: 2 });
  t.equal(status.available, true);
  t.equal(status.capacity, 2);
  t.match(status.reason, /device 1 excluded: .*boom/);
});

t.test('DOUBLE: devices "all" needs the monitor: absent, failing, or listing none → unavailable, said so', async (t) => {
  const d = await doubles(t);
  t.match((await probe({ ffmpegPath: d.ffmpegPath, monitorPath: '/nonexistent/ni_rsrc_mon' })).reason, /^\/nonexistent\/ni_rsrc_mon not found: Netint's libxcoder tools are not installed .*list their indices in "devices"/);
  const failing = await doubles(t, { monitorFails: 'ERROR: Failed to get available xcoder for any device' });
  t.match((await probe({ ffmpegPath: failing.ffmpegPath, monitorPath: failing.monitorPath })).reason, /ni_rsrc_mon failed: ERROR: Failed to get available xcoder/);
  const none = await doubles(t, { monitorOutput: 'Num decoders: 0' });
  t.match((await probe({ ffmpegPath: none.ffmpegPath, monitorPath: none.monitorPath })).reason, /lists no Netint encoder/);
});

t.test('DOUBLE: explicit devices without the monitor → the test encodes decide; one the monitor does not list is left out', async (t) => {
  const d = await doubles(t);
  const status = await probe({ ffmpegPath: d.ffmpegPath, monitorPath: '/nonexistent/ni_rsrc_mon', devices: [0], sessionsPerDevice: 3 });
  t.equal(status.available, true);
  t.same(status.devices, [{ id: '0', name: 'Netint quadra Netint device 0', capacity: 3, load: 0 }]);
  const listed = await probe({ ffmpegPath: d.ffmpegPath, monitorPath: d.monitorPath, devices: '1,4' });
  t.same(listed.devices?.map((x) => x.id), ['1']);
  t.match(listed.reason, /device 4 excluded: not listed by/);
});

t.test('config refusals', async (t) => {
  t.throws(() => netintOptions({ devices: 'GUID-abc' }), { code: 'LPX_ERR_CONFIG_INVALID' });
  t.throws(() => netintOptions({ family: 'other' as never }), { code: 'LPX_ERR_CONFIG_INVALID' });
  t.throws(() => netintOptions({ sessionsPerDevice: 0 }), { code: 'LPX_ERR_CONFIG_INVALID' });
  t.same(netintOptions({ devices: '0, 1' }).devices, [0, 1]);
});
