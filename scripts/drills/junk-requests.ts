/**
 * Reproducible junk for the fuzz drill: requests an attacker or a broken
 * client would send to a gateway's job API, an orchestrator's paid routes
 * and its gRPC services. A seed makes every run repeatable.
 */
import { randomBytes } from 'node:crypto';

export interface JunkRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function junkBytes(random: Random, max: number): Buffer {
  const length = Math.floor(random() * max);
  return length === 0 ? Buffer.alloc(0) : randomBytes(length);
}

function junkText(random: Random): string {
  return pick(random, [
    '', '{', '}', '[]', 'null', '1e999', '"', '{"text":', '{"text":"hi","delayMs":-1}', '{"text":"hi","delayMs":1e12}',
    `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, JSON.stringify({ text: 'x'.repeat(200_000) }), '\u0000\u0001\u0002', '{"__proto__":{"polluted":1}}',
    junkBytes(random, 64).toString('latin1'),
  ]);
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
const CONTENT_TYPES = ['application/json', 'text/plain', 'multipart/mixed; boundary=x', 'multipart/form-data', 'application/octet-stream', 'application/json; charset=utf-16', 'application/grpc', '', 'x/y; a'];

/** `apiKey`: a valid tenant key, sent with half the requests so the junk also reaches past authentication. */
export function gatewayJunk(random: Random, apiKey?: string): JunkRequest {
  const capability = pick(random, ['byoc/echo', 'byoc/nope', 'BYOC/ECHO', 'byoc', 'a/b/c', 'ai/text-to-image', `x/${'y'.repeat(300)}`, 'byoc/%00', `byoc/${random().toString(36).slice(2)}`]);
  const query = pick(random, ['', '?async=true', '?timeoutMs=99999999999', '?timeoutMs=-5', '?timeoutMs=abc', '?webhook=http://127.0.0.1:1/x', '?webhook=file:///etc/passwd', '?webhook=http://169.254.169.254/', '?async=true&webhook=javascript:alert(1)']);
  const stream = pick(random, ['cam', 'cam/../..', `s${random().toString(36).slice(2)}`, '%00', 'x'.repeat(300), '.m3u8']);
  const seq = pick(random, ['0', '1', '-1', '99999999999999999999', 'abc', '0.5', '']);
  const path = pick(random, [`/v1/jobs/${capability}${query}`, `/live/${stream}/${seq}.ts`, `/live/${stream}/${seq}.mp4`, `/live/${stream}/${seq}`, `/stream/${stream}.m3u8`, `/stream/${stream}/P240p30fps16x9.m3u8`, `/stream/${stream}/source/${seq}.ts`, '/v1/transcode/backends', `/v1/blobs/${random().toString(36).slice(2)}?token=x`, `/v1/jobs/${capability}/1`, `/v1/jobs/${capability}/${random().toString(36).slice(2)}`, '/v1/jobs', '/v1', '/metrics', '/readyz', '/healthz', `/${'a'.repeat(5000)}`, '/v1/jobs/byoc/echo/../../../etc/passwd', '/plugins/example-echo/echo']);
  const headers: Record<string, string> = {};
  const contentType = pick(random, CONTENT_TYPES);
  if (contentType !== '') headers['content-type'] = contentType;
  if (apiKey !== undefined && random() < 0.5) headers['authorization'] = `Bearer ${apiKey}`;
  else if (random() < 0.5) headers['authorization'] = pick(random, ['Bearer ', 'Bearer x', 'Basic YTpi', `Bearer ${'k'.repeat(10_000)}`, 'bearer lpx_00000000']);
  if (random() < 0.2) headers['prefer'] = 'respond-async';
  if (random() < 0.1) headers['lpx-webhook'] = pick(random, ['http://10.0.0.1/', 'http://[::1]/', 'http://2130706433/', 'notaurl']);
  if (random() < 0.3) headers['content-duration'] = pick(random, ['2000', '0', '-5', '1e9', 'abc', '99999999999999999999']);
  if (random() < 0.2) headers['livepeer-transcode-configuration'] = pick(random, ['{', '{"presets":["P9000p"]}', '{"profiles":[{"width":3,"height":0}]}', '{"presets":"P240p30fps16x9"}', '[]', `{"profiles":[${'{}, '.repeat(2_000)}{}]}`, '{"presets":["P240p30fps16x9","P240p30fps16x9"]}']);
  if (random() < 0.2) headers['accept'] = 'multipart/mixed';
  const method = pick(random, METHODS);
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(junkText(random), 'latin1');
  return { method, path, headers, body };
}

const FRONT_DOOR_PATHS = ['/process/token', '/process/request/echo', '/process/request/', '/segment', '/payment', '/transcodeResults', '/aiResults', '/stream/x/y/z.ts', '/ai-worker/files/t/n', '/live/video-to-video', '/text-to-image', '/'];
const BASE64_JUNK = () => randomBytes(48).toString('base64');

export function orchestratorJunk(random: Random): JunkRequest {
  const headers: Record<string, string> = {};
  const contentType = pick(random, CONTENT_TYPES);
  if (contentType !== '') headers['content-type'] = contentType;
  for (const name of ['livepeer-payment', 'livepeer-segment', 'livepeer', 'livepeer-eth-address', 'credentials', 'authorization', 'taskid', 'pixels']) {
    if (random() < 0.3) headers[name] = pick(random, [BASE64_JUNK(), '', 'not base64 !!', '0', '-1', '99999999999999999999', Buffer.from(JSON.stringify({ addr: '0x0', sig: '0x' })).toString('base64')]);
  }
  const method = pick(random, ['GET', 'POST', 'POST', 'POST', 'PUT']);
  return { method, path: pick(random, FRONT_DOOR_PATHS), headers, body: method === 'GET' ? undefined : junkBytes(random, 4096) };
}

export const GRPC_METHODS = [
  '/net.Orchestrator/GetOrchestrator',
  '/net.Orchestrator/EndTranscodingSession',
  '/net.Orchestrator/Ping',
  '/net.Transcoder/RegisterTranscoder',
  '/net.AIWorker/RegisterAIWorker',
  '/net.Nope/Nothing',
];

/** A gRPC frame: 1 flag byte, 4-byte length (sometimes a lie), then junk. */
export function grpcJunkFrame(random: Random): Buffer {
  const payload = junkBytes(random, 2048);
  const header = Buffer.alloc(5);
  header[0] = random() < 0.9 ? 0 : Math.floor(random() * 256);
  header.writeUInt32BE(random() < 0.8 ? payload.length : Math.floor(random() * 2 ** 32), 1);
  return Buffer.concat([header, payload]);
}
