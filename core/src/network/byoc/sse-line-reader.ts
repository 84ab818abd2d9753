/**
 * Lines of an HTTP body as they arrive: split on `\n`, a trailing `\r`
 * dropped, a last line without its end yielded at the end — what Go's line
 * scanner gives go-livepeer's BYOC relays, so lines cross lpx the same way.
 */
export async function* readLines(body: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder();
  let partial = '';
  for await (const chunk of body) {
    partial += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, end);
      partial = partial.slice(end + 1);
      yield line.endsWith('\r') ? line.slice(0, -1) : line;
    }
  }
  partial += decoder.decode();
  if (partial !== '') yield partial.endsWith('\r') ? partial.slice(0, -1) : partial;
}
