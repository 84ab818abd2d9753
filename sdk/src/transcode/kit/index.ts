/**
 * `@lpx/sdk/transcode-kit`: the parts every ffmpeg-driving transcode backend
 * needs and should not write again (docs/adr/0025-hardware-transcode-backends.md).
 * The NVENC and Netint plugins are built on it; hardware specifics (encoder
 * names, size limits, device enumeration, command lines) stay in the backend
 * and come in as parameters.
 *
 * - runProcess: spawn in its own process group; abort/timeout kill the group; stderr tail; never throws.
 * - stderrReason: the line of ffmpeg's stderr that names the cause.
 * - ffmpegList / parseFfmpegList: `ffmpeg -encoders|-decoders|-filters|-hwaccels`, for probes.
 * - probeSource / probeRendition / readRenditions: ffprobe the input (INPUT_INVALID) and the outputs (RESULT_INVALID).
 * - checkProfiles: a ladder the encoder cannot produce is PROFILE_INVALID before any process starts.
 * - DeviceBalancer / sessionCost: go-livepeer's least-loaded device choice, rotating ties, sticky sessions, per-device caps, idle expiry.
 * - testEncodeFailure: a probe's one-frame test encode, as a reason or undefined.
 * - transcodeProcessError: a finished transcode process as CANCELLED / FAILED with the encoder's line.
 *
 * A subpath of its own, not the main entry: it spawns processes and reads
 * files, which the main entry (types, refs, errors) does not, and only
 * transcode backends need it.
 */
export { DeviceBalancer, sessionCost, type BalancerOptions, type Device, type DeviceLoad } from './device-balancer.js';
export { ffmpegList, parseFfmpegList, type FfmpegListKind, type FfmpegListResult } from './ffmpeg-lists.js';
export { probeRendition, probeSource, readRenditions, renditionFileName, type RenditionVideo, type SourceVideo } from './media-probe.js';
export { transcodeProcessError, type ProcessErrorContext } from './process-error.js';
export { checkProfiles, type EncoderSizeLimits, type SizeLimits } from './profile-check.js';
export { runProcess, type ProcessResult, type RunProcessOptions } from './run-process.js';
export { stderrReason } from './stderr-reason.js';
export { testEncodeFailure, type TestEncodeOptions } from './test-encode.js';
