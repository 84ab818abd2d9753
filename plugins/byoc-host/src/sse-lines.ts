import type { JobStream } from '@lpx/sdk';

/**
 * Streams an app's `text/event-stream` body into the job's stream, one entry
 * per line (the line end dropped, a trailing `\r` too, as Go's line scanner
 * the go-livepeer orchestrator reads with), so each line reaches the gateway
 * as soon as the app wrote it.
 */
export async function streamLines(body: ReadableStream<Uint8Array> | null, stream: JobStream): Promise<void> {
  const decoder = new TextDecoder();
  let partial = '';
  const flush = async (text: string): Promise<void> => {
    partial += text;
    let end: number;
    while ((end = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, end);
      partial = partial.slice(end + 1);
      await stream.write(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
  };
  if (body !== null) {
    for await (const chunk of body) await flush(decoder.decode(chunk, { stream: true }));
  }
  await flush(decoder.decode());
  if (partial !== '') await stream.write(partial);
  await stream.end();
}
