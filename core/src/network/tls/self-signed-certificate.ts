/**
 * The orchestrator's TLS certificate, made fresh at every start as go-livepeer
 * does: self-signed, ECDSA P-256, random 128-bit serial, valid one year, CA
 * flag + digitalSignature/keyCertSign, serverAuth, SAN = the service host.
 * No peer verifies it (every go-livepeer client skips verification); it only
 * has to make TLS and ALPN h2 happen. Node can make keys but not X.509
 * certificates, so we run the system `openssl` (ADR 0011).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networkErrors } from '../network-errors.js';

export interface TlsKeyPair {
  /** PEM `CERTIFICATE`. */
  readonly cert: string;
  /** PEM private key (PKCS#8). */
  readonly key: string;
}

export interface SelfSignedOptions {
  /** The service URI's host; names the certificate (SAN). */
  readonly hostname?: string;
  readonly validDays?: number;
  /** The openssl binary; `openssl` on PATH by default. */
  readonly openssl?: string;
}

const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

function subjectAltName(hostname: string): string {
  const names = new Set([`DNS:localhost`, 'IP:127.0.0.1']);
  if (isIP(hostname) !== 0) names.add(`IP:${hostname}`);
  else names.add(`DNS:${hostname}`);
  return `subjectAltName=${[...names].join(',')}`;
}

function run(binary: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: 15_000 }, (error, _stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr: String(stderr).trim() }));
      else resolve();
    });
  });
}

export async function generateSelfSignedCertificate(options: SelfSignedOptions = {}): Promise<TlsKeyPair> {
  const requested = options.hostname ?? 'localhost';
  // The name goes into openssl arguments: anything odd becomes localhost rather than an argument.
  const hostname = HOSTNAME.test(requested) || isIP(requested) !== 0 ? requested : 'localhost';
  const binary = options.openssl ?? 'openssl';
  const dir = await mkdtemp(join(tmpdir(), 'lpx-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  try {
    await run(binary, [
      'req', '-x509', '-batch', '-nodes',
      '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
      '-keyout', keyPath, '-out', certPath,
      '-days', String(options.validDays ?? 365),
      '-set_serial', `0x${randomBytes(16).toString('hex')}`,
      '-subj', `/O=lpx/CN=${hostname}`,
      '-addext', subjectAltName(hostname),
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,digitalSignature,keyCertSign',
      '-addext', 'extendedKeyUsage=serverAuth',
    ]);
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
  } catch (cause) {
    const detail = (cause as { code?: unknown }).code === 'ENOENT' ? `${binary} is not installed` : ((cause as { stderr?: string }).stderr ?? String(cause));
    throw networkErrors.TLS_CERTIFICATE.create(`cannot generate the self-signed TLS certificate: ${detail}`, { cause, details: { hostname } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
