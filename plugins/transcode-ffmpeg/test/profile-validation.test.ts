import t, { type Test } from 'tap';
import { errors, presetProfile, type TranscodeProfile } from '@lpx/sdk';
import { validateProfiles } from '../src/profile-validation.js';

const base = presetProfile('P360p30fps16x9')!;
const bad = (t: Test, overrides: Partial<TranscodeProfile>, why: RegExp, encode: TranscodeProfile['codec'][] = ['H264']): void => {
  try {
    validateProfiles([{ ...base, ...overrides }], encode);
    t.fail(`accepted ${JSON.stringify(overrides)}`);
  } catch (error) {
    t.ok(errors.transcode.PROFILE_INVALID.is(error), `${JSON.stringify(overrides)} is PROFILE_INVALID`);
    t.match((error as Error).message, why);
  }
};

t.test('accepts the presets and a quality-only profile', async (t) => {
  t.doesNotThrow(() => validateProfiles([base, presetProfile('P720p30fps16x9')!, { ...base, name: 'q', bitrate: 0, quality: 23 }], ['H264']));
});

t.test('refuses unusable profiles before any process starts', async (t) => {
  bad(t, { width: 641 }, /width must be even/);
  bad(t, { height: 0 }, /height must be a positive integer/);
  bad(t, { width: -2 }, /width must be a positive integer/);
  bad(t, { width: 8194 }, /above 8192/);
  bad(t, { bitrate: 0 }, /bitrate/);
  bad(t, { fps: 29.97 }, /fps must be/);
  bad(t, { fpsDen: 0 }, /fpsDen/);
  bad(t, { gopMs: -2 }, /gopMs/);
  bad(t, { quality: 60 }, /quality/);
  bad(t, { profile: 'extended' as never }, /encoder profile/);
  bad(t, { format: 'webm' as never }, /format/);
  bad(t, { codec: 'HEVC' }, /codec HEVC is not one this ffmpeg encodes/);
  bad(t, { codec: 'VP9' }, /VP9/, ['H264', 'HEVC']);
});

t.test('refuses an empty ladder and duplicate names', async (t) => {
  t.throws(() => validateProfiles([], ['H264']), { code: errors.transcode.PROFILE_INVALID.code });
  t.throws(() => validateProfiles([base, base], ['H264']), { code: errors.transcode.PROFILE_INVALID.code, message: /twice/ });
});
