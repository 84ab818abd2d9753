/**
 * ffmpeg's closing lines are generic ("Conversion failed!", "Error while
 * opening encoder ... maybe incorrect parameters"); the cause is the line a
 * library component logged before, tagged `[h264_nvenc @ 0x...]`,
 * `[AVHWDeviceContext @ 0x...]` or `[h264_ni_quadra_enc @ 0x...]`. An operator
 * needs the cause: "Cannot load libcuda.so.1" says "no driver", "Conversion
 * failed!" says nothing.
 */
const GENERIC = [
  /^Conversion failed!?$/i,
  /^Error initializing output stream/i,
  /^Error while opening encoder/i,
  /^Error parsing global options/i,
  /^Error opening output files?/i,
  /^Failed to set value /i,
  /^Exiting normally/i,
];
const COMPONENT = /^\[[^\]]+ @ 0x[0-9a-f]+\]\s*/i;

/** The one line of an ffmpeg/ffprobe stderr worth putting in a status reason or an error message. */
export function stderrReason(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  const component = lines.find((line) => COMPONENT.test(line));
  if (component !== undefined) return component.replace(COMPONENT, '');
  const specific = lines.filter((line) => !GENERIC.some((re) => re.test(line)));
  return specific.at(-1) ?? lines.at(-1) ?? 'no output on stderr';
}
