// Loaded by `lpx transcode probe --config` in the CLI test, as an operator's
// config loads a backend plugin: one real-ffmpeg backend and one that is
// unavailable here, with its reason.
import { testBackend, testBackendPlugin } from './ffmpeg-test-backend.js';

export default testBackendPlugin(
  'test-transcode-cli',
  testBackend({ name: 'test-ffmpeg', capacity: 2 }),
  testBackend({ name: 'test-gpu', probe: async () => ({ available: false, reason: 'no NVIDIA device: nvidia-smi not found', capacity: 0, decode: [], encode: [], formats: [] }) }),
);
