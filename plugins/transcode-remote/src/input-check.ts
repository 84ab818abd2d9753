/**
 * Cheap checks before a segment occupies a remote transcoder: the source has
 * a video stream and every profile has a size an encoder accepts. go-livepeer
 * leaves both to the transcoder, which then reports an lpms error text after
 * a download and a failed decode; checking here costs a scan of the PAT/PMT
 * (or the MP4 handler boxes) and gives the caller INPUT_INVALID /
 * PROFILE_INVALID like every other backend. No ffmpeg is needed on the
 * orchestrator, which is the point of remote transcoders.
 */
import { errors, type OutputFormat, type TranscodeProfile } from '@lpx/sdk';

const PACKET = 188;
const SYNC = 0x47;
/** MPEG-1/2 video, MPEG-4 part 2, H.264, HEVC, AVS, Dirac, VC-1. */
const VIDEO_STREAM_TYPES = new Set([0x01, 0x02, 0x10, 0x1b, 0x24, 0x42, 0xd1, 0xea]);

function invalid(message: string): Error {
  return errors.transcode.INPUT_INVALID.create(message);
}

/** The start of a PSI section in a packet that starts one, else undefined. */
function sectionOf(packet: Buffer): Buffer | undefined {
  if ((packet[1]! & 0x40) === 0) return undefined;
  const control = (packet[3]! >> 4) & 0x3;
  if (control === 0 || control === 2) return undefined;
  const payload = control === 3 ? 5 + packet[4]! : 4;
  if (payload >= PACKET) return undefined;
  const start = payload + 1 + packet[payload]!;
  return start < PACKET ? packet.subarray(start) : undefined;
}

/** Entries of a PAT or PMT section: [start, end) of the loop after the fixed header. */
function loop(section: Buffer, headerBytes: number): [number, number] {
  const length = ((section[1]! & 0x0f) << 8) | section[2]!;
  return [headerBytes, Math.min(section.length, 3 + length - 4)];
}

/** Video streams declared by the first program map tables; throws INPUT_INVALID for anything that is not MPEG-TS. */
function checkMpegTs(data: Buffer): void {
  if (data.length < PACKET) throw invalid(`the segment is ${data.length} bytes, less than one MPEG-TS packet`);
  const pmtPids = new Set<number>();
  let sawPmt = false;
  for (let at = 0; at + PACKET <= data.length; at += PACKET) {
    const packet = data.subarray(at, at + PACKET);
    if (packet[0] !== SYNC) throw invalid(`not MPEG-TS: no sync byte at offset ${at}`);
    const pid = ((packet[1]! & 0x1f) << 8) | packet[2]!;
    const section = pid === 0 || pmtPids.has(pid) ? sectionOf(packet) : undefined;
    if (section === undefined || section.length < 12) continue;
    if (pid === 0 && section[0] === 0x00) {
      const [from, to] = loop(section, 8);
      for (let i = from; i + 4 <= to; i += 4) if (((section[i]! << 8) | section[i + 1]!) !== 0) pmtPids.add(((section[i + 2]! & 0x1f) << 8) | section[i + 3]!);
    } else if (section[0] === 0x02) {
      sawPmt = true;
      const infoLength = ((section[10]! & 0x0f) << 8) | section[11]!;
      const [from, to] = loop(section, 12 + infoLength);
      for (let i = from; i + 5 <= to; i += 5 + (((section[i + 3]! & 0x0f) << 8) | section[i + 4]!)) {
        if (VIDEO_STREAM_TYPES.has(section[i]!)) return;
      }
    }
  }
  throw invalid(sawPmt ? 'the segment has no video stream' : 'the segment has no program map table (not MPEG-TS, or truncated)');
}

/** An MP4 with a video track has a `hdlr` box of handler type `vide`. */
function checkMp4(data: Buffer): void {
  if (data.length < 8 || data.toString('latin1', 4, 8) !== 'ftyp') throw invalid('not MP4: no ftyp box first');
  for (let at = data.indexOf('hdlr', 0, 'latin1'); at >= 0; at = data.indexOf('hdlr', at + 4, 'latin1')) {
    if (data.toString('latin1', at + 12, at + 16) === 'vide') return;
  }
  throw invalid('the segment has no video track');
}

export function checkInput(data: Buffer, format: OutputFormat): void {
  if (data.length === 0) throw invalid('the segment is empty');
  if (format === 'mp4') checkMp4(data);
  else checkMpegTs(data);
}

/** Sizes the H.264/HEVC encoders behind go-livepeer take for 4:2:0 output: positive and even. */
export function checkProfiles(profiles: readonly TranscodeProfile[]): void {
  if (profiles.length === 0) throw errors.transcode.PROFILE_INVALID.create('no output profiles');
  for (const p of profiles) {
    for (const [what, value] of [['width', p.width], ['height', p.height]] as const) {
      if (!Number.isInteger(value) || value <= 0 || value % 2 !== 0) {
        throw errors.transcode.PROFILE_INVALID.create(`profile ${p.name}: ${what} ${value} is not a positive even number`, { details: { profile: p.name, [what]: value } });
      }
    }
  }
}
