/**
 * The two /aiResults headers go-livepeer parses with Go library functions,
 * parsed with the same acceptance rules so the same requests pass and fail:
 * Content-Type through mime.ParseMediaType (its error text is the 415 body),
 * TaskId through strconv.ParseInt(s, 10, 64).
 */

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

function consumeToken(value: string): [token: string, rest: string] {
  let end = 0;
  while (end < value.length && TOKEN_CHAR.test(value[end]!)) end++;
  return [value.slice(0, end), value.slice(end)];
}

/** The lower-cased media type, or Go's error text for a value mime.ParseMediaType rejects (a lone token passes, as in Go). */
export function parseWorkerMediaType(contentType: string): { mediaType: string } | { error: string } {
  const base = contentType.split(';', 1)[0]!.trim().toLowerCase();
  const [type, rest] = consumeToken(base);
  if (type === '') return { error: 'mime: no media type' };
  if (rest === '') return { mediaType: base };
  if (!rest.startsWith('/')) return { error: 'mime: expected slash after first token' };
  const [subtype, after] = consumeToken(rest.slice(1));
  if (subtype === '') return { error: 'mime: expected token after slash' };
  if (after !== '') return { error: 'mime: unexpected content after media subtype' };
  return { mediaType: base };
}

export function parseTaskId(value: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(value)) return undefined;
  const id = BigInt(value);
  return id < INT64_MIN || id > INT64_MAX ? undefined : id;
}
