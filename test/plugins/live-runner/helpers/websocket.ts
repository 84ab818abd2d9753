// Just enough RFC 6455 for tests on both ends of the proxy: the handshake
// key/accept, and single-frame text messages (masked from the client,
// unmasked from the server). The proxy itself never parses frames.
import { createHash, randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

export function encodeFrame(text: string, mask: boolean): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header: number[] = [0x81];
  const maskBit = mask ? 0x80 : 0;
  if (payload.length < 126) header.push(maskBit | payload.length);
  else header.push(maskBit | 126, payload.length >> 8, payload.length & 255);
  if (!mask) return Buffer.concat([Buffer.from(header), payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(header), key, masked]);
}

/** Reads text frames from a socket; `next()` resolves with the next message, or undefined when it closed. */
export class FrameReader {
  #buffer = Buffer.alloc(0);
  readonly #messages: string[] = [];
  readonly #waiting: ((value: string | undefined) => void)[] = [];
  #closed = false;

  constructor(socket: Duplex, initial?: Buffer) {
    if (initial !== undefined && initial.length > 0) this.#push(initial);
    socket.on('data', (chunk: Buffer) => this.#push(chunk));
    socket.on('close', () => {
      this.#closed = true;
      for (const resolve of this.#waiting.splice(0)) resolve(undefined);
    });
  }

  #push(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      if (this.#buffer.length < 2) return;
      const masked = (this.#buffer[1]! & 0x80) !== 0;
      let length = this.#buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.#buffer.length < 4) return;
        length = this.#buffer.readUInt16BE(2);
        offset = 4;
      }
      const total = offset + (masked ? 4 : 0) + length;
      if (this.#buffer.length < total) return;
      let payload = this.#buffer.subarray(offset + (masked ? 4 : 0), total);
      if (masked) {
        const key = this.#buffer.subarray(offset, offset + 4);
        payload = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]!));
      }
      this.#buffer = this.#buffer.subarray(total);
      const text = payload.toString('utf8');
      const waiter = this.#waiting.shift();
      if (waiter !== undefined) waiter(text);
      else this.#messages.push(text);
    }
  }

  next(): Promise<string | undefined> {
    const message = this.#messages.shift();
    if (message !== undefined) return Promise.resolve(message);
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

export interface ClientSocket {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly socket: Duplex | undefined;
  readonly frames: FrameReader | undefined;
  readonly body: string;
  send(text: string): void;
}

/** Opens a WebSocket to an https URL (the front door's self-signed certificate is accepted). */
export function connectWebSocket(url: string, headers: Record<string, string> = {}): Promise<ClientSocket> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, {
      rejectUnauthorized: false,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': key, ...headers },
    });
    req.on('upgrade', (res, socket, head) => {
      if (res.headers['sec-websocket-accept'] !== acceptKey(key)) reject(new Error('bad sec-websocket-accept'));
      resolve({ status: 101, headers: res.headers, socket, frames: new FrameReader(socket, head), body: '', send: (text) => socket.write(encodeFrame(text, true)) });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, socket: undefined, frames: undefined, body, send: () => undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}
