/**
 * A gateway without tenants lets every caller spend its deposit, so it may
 * only listen where nobody else can reach it (ADR 0017): a loopback HTTP edge
 * starts with a warning, any other host refuses to start.
 */
import { isIP } from 'node:net';
import { errors } from '@lpx/sdk';

/** 127.0.0.0/8, ::1, their IPv4-mapped form and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export interface OpenGatewayCheck {
  readonly open: boolean;
  readonly httpEnabled: boolean;
  readonly httpHost: string;
  readonly warn: (message: string) => void;
}

/** Throws GATEWAY_OPEN_ON_PUBLIC_HOST, warns, or says nothing (tenants configured, or no HTTP edge at all). */
export function checkOpenGateway(check: OpenGatewayCheck): void {
  if (!check.open || !check.httpEnabled) return;
  if (!isLoopbackHost(check.httpHost)) {
    throw errors.gateway.OPEN_ON_PUBLIC_HOST.create(
      `the gateway has no tenants and http.host is ${check.httpHost}: anyone who reaches it could spend its deposit. ` +
        'Add a tenant (`lpx tenants add <name> --config <file>`, ADR 0017) or set http.host to 127.0.0.1',
    );
  }
  check.warn(`the gateway API is OPEN: no tenants are configured, so any local process may submit paid jobs on ${check.httpHost}. Add tenants (\`lpx tenants add\`) before exposing it`);
}
