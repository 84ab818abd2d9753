/**
 * ffmpeg's own end-of-run statistics (printed at `-loglevel verbose`):
 *   Input stream #0:0 (video): 60 packets read (3896627 bytes); 60 frames decoded;
 *   Output stream #1:0 (video): 30 frames encoded; 30 packets muxed (50503 bytes);
 * The packets muxed into each output are the frames in that file (one packet
 * per frame for H.264/HEVC), so the pixel count needs no second process.
 * The stream ids carry the output index; the `[out#1/mpegts @ …]` prefix newer
 * ffmpeg versions add is ignored.
 */
export interface FinalStats {
  /** Video packets muxed per output index (undefined where the line is missing). */
  readonly outputVideoPackets: readonly (number | undefined)[];
  /** Frames decoded from the first video stream of input 0. */
  readonly decodedFrames: number | undefined;
}

const OUTPUT = /Output stream #(\d+):\d+ \(video\): \d+ frames encoded; (\d+) packets muxed/;
const INPUT = /Input stream #0:\d+ \(video\): \d+ packets read \(\d+ bytes\); (\d+) frames decoded/;

export function parseFinalStats(log: readonly string[], outputs: number): FinalStats {
  const outputVideoPackets: (number | undefined)[] = Array.from({ length: outputs }, () => undefined);
  let decodedFrames: number | undefined;
  for (const line of log) {
    const out = OUTPUT.exec(line);
    if (out) {
      const index = Number(out[1]);
      // The first video stream of each output is the rendition (one per output).
      if (index < outputs && outputVideoPackets[index] === undefined) outputVideoPackets[index] = Number(out[2]);
      continue;
    }
    const input = INPUT.exec(line);
    if (input && decodedFrames === undefined) decodedFrames = Number(input[1]);
  }
  return { outputVideoPackets, decodedFrames };
}
