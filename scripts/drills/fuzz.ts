/**
 * The fuzz drill: seeded junk at every public edge of a local network — the
 * gateway's job API, each orchestrator's kernel HTTP edge, its TLS front door
 * (go-livepeer's paid routes) and its gRPC services. Counts crashes, 5xx and
 * errors without an LPX_ERR code, then checks a real job still works.
 */
import { connect as connectHttp2 } from 'node:http2';
import { Agent, request } from 'undici';
import { seededRandom } from '@lpx/sdk';
import { DrillClient } from './drill-client.js';
import { startDrillNetwork } from './drill-network.js';
import { gatewayJunk, grpcJunkFrame, GRPC_METHODS, orchestratorJunk, type JunkRequest } from './junk-requests.js';

export interface FuzzFigures {
  seed: number;
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  /** Error answers on the lpx HTTP edges that are not problem+json with an LPX_ERR_* code. */
  uncoded: number;
  uncodedSamples: string[];
  transportErrors: number;
  crashes: number;
  healthyAfter: boolean;
}

const insecure = new Agent({ connect: { rejectUnauthorized: false }, headersTimeout: 30_000, bodyTimeout: 30_000 });

async function send(base: string, junk: JunkRequest): Promise<{ status: number; contentType: string; body: string } | undefined> {
  try {
    const response = await request(`${base}${junk.path}`, { method: junk.method as 'GET', headers: junk.headers, body: junk.body, dispatcher: insecure });
    const body = junk.method === 'HEAD' ? '' : await response.body.text();
    return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), body };
  } catch {
    return undefined;
  }
}

function isCoded(answer: { contentType: string; body: string }): boolean {
  if (!answer.contentType.startsWith('application/problem+json')) return false;
  try {
    return /^LPX_ERR_[A-Z0-9_]+$/.test(String((JSON.parse(answer.body) as { code?: unknown }).code));
  } catch {
    return false;
  }
}

function grpcCall(serviceUri: string, path: string, frame: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const session = connectHttp2(serviceUri, { rejectUnauthorized: false });
    session.on('error', () => resolve('transport-error'));
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    let status = 'no-status';
    stream.on('response', (headers) => (status = String(headers['grpc-status'] ?? headers[':status'] ?? status)));
    stream.on('trailers', (trailers) => (status = String(trailers['grpc-status'] ?? status)));
    stream.on('error', () => undefined);
    stream.on('close', () => {
      session.close();
      resolve(`grpc-${status}`);
    });
    stream.setTimeout(10_000, () => stream.close());
    stream.resume();
    stream.end(frame);
  });
}

export async function runFuzz(options: { requests: number; seed: number; log: (line: string) => void }): Promise<FuzzFigures> {
  const net = await startDrillNetwork({ orchestrators: 1 });
  const random = seededRandom(options.seed);
  const figures: FuzzFigures = { seed: options.seed, requests: 0, byStatus: {}, serverErrors: 0, uncoded: 0, uncodedSamples: [], transportErrors: 0, crashes: 0, healthyAfter: false };
  const count = (status: string) => (figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1);
  const orchestrator = net.dev.orchestrators[0]!;
  const lpxEdges = [net.gatewayUrl, orchestrator.process.httpUrl];
  try {
    for (let i = 0; i < options.requests; i++) {
      if (i > 0 && i % 1000 === 0) options.log(`${i}/${options.requests} junk requests`);
      const kind = random();
      figures.requests++;
      if (kind < 0.15) {
        count(await grpcCall(orchestrator.serviceUri, GRPC_METHODS[Math.floor(random() * GRPC_METHODS.length)]!, grpcJunkFrame(random)));
        continue;
      }
      const toFrontDoor = kind < 0.45;
      const base = toFrontDoor ? orchestrator.serviceUri : lpxEdges[Math.floor(random() * lpxEdges.length)]!;
      const junk = toFrontDoor ? orchestratorJunk(random) : gatewayJunk(random, net.apiKey);
      const answer = await send(base, junk);
      if (answer === undefined) {
        figures.transportErrors++;
        count('transport-error');
        continue;
      }
      count(String(answer.status));
      if (answer.status >= 500) figures.serverErrors++;
      // go-livepeer's routes answer in go-livepeer's plain-text style on purpose; the lpx edges must be coded.
      if (!toFrontDoor && answer.status >= 400 && junk.method !== 'HEAD' && !isCoded(answer)) {
        figures.uncoded++;
        if (figures.uncodedSamples.length < 10) figures.uncodedSamples.push(`${junk.method} ${junk.path.slice(0, 80)} → ${answer.status} ${answer.contentType} ${answer.body.slice(0, 120)}`);
      }
    }
    figures.crashes = net.crashed().length;
    const check = await new DrillClient(net.gatewayUrl, net.apiKey).run({ text: 'still alive' });
    figures.healthyAfter = check.status === 200 && check.text === 'still alive';
  } finally {
    await net.stop();
  }
  return figures;
}
