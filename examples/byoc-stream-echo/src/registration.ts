/**
 * go-livepeer's external worker registration: `POST {orchestrator}/capability/register`
 * with the orchestrator's secret as `Authorization` and the capability as JSON;
 * `/capability/unregister` with the name to leave. The orchestrator's door is TLS
 * with a self-signed certificate, so it is not verified (as go-livepeer's workers do).
 */
import { request } from 'node:https';

export interface Registration {
  readonly orchestrator: string;
  readonly secret: string;
  readonly name: string;
  readonly description: string;
  /** Where the orchestrator reaches this worker. */
  readonly url: string;
  readonly capacity: number;
  /** Wei per second of stream. */
  readonly pricePerUnit: number;
  readonly token: string;
}

function post(orchestrator: string, path: string, secret: string, body: string): Promise<{ status: number; text: string }> {
  const url = new URL(path, orchestrator);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', rejectUnauthorized: false, headers: { authorization: secret, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url.origin} did not answer within 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function register(r: Registration): Promise<void> {
  const body = JSON.stringify({ name: r.name, description: r.description, url: r.url, capacity: r.capacity, price_per_unit: r.pricePerUnit, price_scaling: 1, currency: '', token: r.token });
  const answer = await post(r.orchestrator, '/capability/register', r.secret, body);
  if (answer.status !== 200) throw new Error(`${r.orchestrator} refused the registration: ${answer.status} ${answer.text.trim()}`);
}

export async function unregister(r: Pick<Registration, 'orchestrator' | 'secret' | 'name'>): Promise<void> {
  const answer = await post(r.orchestrator, '/capability/unregister', r.secret, r.name);
  if (answer.status !== 200) throw new Error(`${r.orchestrator} refused to unregister ${r.name}: ${answer.status} ${answer.text.trim()}`);
}
