import t from 'tap';
import { presetProfile, type TranscodeProfile } from '@lpx/sdk';
import { checkProfiles, type EncoderSizeLimits } from '@lpx/sdk/transcode-kit';

const code = 'LPX_ERR_TRANSCODE_PROFILE_INVALID';
const ok = presetProfile('P240p30fps16x9')!;
const limits: EncoderSizeLimits = { H264: { minWidth: 146, minHeight: 50, maxWidth: 4096, maxHeight: 4096 } };
const check = (p: Partial<TranscodeProfile>): void => checkProfiles([{ ...ok, ...p }], ['H264'], limits);

t.test('a sane ladder passes; the limits come from the backend', async (t) => {
  t.doesNotThrow(() => checkProfiles([ok, presetProfile('P360p30fps16x9')!], ['H264'], limits));
  t.doesNotThrow(() => checkProfiles([{ ...ok, width: 64, height: 36 }], ['H264']), 'no limits given: no size range');
});

t.test('refusals, each naming the rule', async (t) => {
  t.throws(() => checkProfiles([], ['H264']), { code, message: /empty/ });
  t.throws(() => checkProfiles([ok, ok], ['H264']), { code, message: /twice/ });
  t.throws(() => check({ name: '' }), { code, message: /no name/ });
  t.throws(() => check({ width: 0 }), { code, message: /not positive/ });
  t.throws(() => check({ width: 427 }), { code, message: /odd/ });
  t.throws(() => check({ width: 128, height: 72 }), { code, message: /outside the encoder's H264 range 146x50\.\.4096x4096/ });
  t.throws(() => check({ codec: 'HEVC' }), { code, message: /HEVC is not encoded by this backend \(encodes H264\)/ });
  t.throws(() => check({ bitrate: 0, quality: 0 }), { code, message: /bitrate/ });
  t.doesNotThrow(() => check({ bitrate: 0, quality: 23 }), 'a quality instead of a bitrate');
  t.throws(() => check({ fpsDen: 0 }), { code, message: /frame rate/ });
  t.throws(() => check({ gopMs: -2 }), { code, message: /gop/ });
  t.throws(() => check({ quality: -1 }), { code, message: /quality/ });
  t.throws(() => check({ profile: 'extreme' as TranscodeProfile['profile'] }), { code, message: /encoder profile/ });
  t.throws(() => check({ format: 'webm' as TranscodeProfile['format'] }), { code, message: /format/ });
});
