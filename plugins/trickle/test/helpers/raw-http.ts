// Plain node:http requests, to check the server's answers byte for byte
// without going through the kit's interpretation of them.
import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Interim (1xx) status codes received before the answer. */
  readonly interim: number[];
}

export function raw(method: string, url: string, options: { body?: string; headers?: Record<string, string>; beforeEnd?: Promise<unknown>; onInterim?: (status: number) => void } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const interim: number[] = [];
    const req = request(url, { method, headers: options.headers ?? {}, agent: false });
    req.on('information', (info) => {
      interim.push(info.statusCode);
      options.onInterim?.(info.statusCode);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), interim }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.beforeEnd === undefined) req.end(options.body);
    else {
      req.flushHeaders();
      void options.beforeEnd.then(() => req.end(options.body));
    }
  });
}
