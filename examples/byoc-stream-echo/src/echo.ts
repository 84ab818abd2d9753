/**
 * What the worker does to one stream segment: the segment back with a header
 * line naming its index and the stream's current params, and one JSON line for
 * the data channel. A real app would run its model here.
 */
export interface EchoOutput {
  readonly segment: Buffer;
  readonly dataLine: string;
}

export function echoSegment(seq: number, input: Buffer, params: unknown): EchoOutput {
  const header = `echo seq=${seq} params=${JSON.stringify(params ?? {})}\n`;
  return {
    segment: Buffer.concat([Buffer.from(header, 'utf8'), input]),
    dataLine: `${JSON.stringify({ seq, bytes: input.length, params: params ?? {} })}\n`,
  };
}
