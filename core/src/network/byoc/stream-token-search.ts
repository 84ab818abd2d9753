/**
 * go-livepeer's BYOC orchestrator search (byoc/job_gateway.go): `GET
 * {O}/process/token` to every known orchestrator at once, in random order,
 * each within 500 ms, the whole search within 1 s; include/exclude compare
 * the pool's URL strings. Tokens with free capacity are kept in the order they
 * arrive: that order is the failover order. And its token refresh: up to 3
 * tries with a doubling pause from 100 ms, all within 3 s.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import type { JobSender } from './eth-address-header.js';
import { fetchJobToken } from './job-client.js';
import type { JobToken } from './job-token.js';

export const TOKEN_SEARCH_WINDOW_MS = 1_000;
export const TOKEN_SEARCH_RESPONSE_MS = 500;
export const TOKEN_REFRESH_MS = 3_000;

export interface TokenSearch {
  readonly candidates: readonly string[];
  readonly capability: string;
  readonly sender: JobSender;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly windowMs?: number;
  readonly responseMs?: number;
  readonly dispatcher?: Dispatcher;
}

/** A token and the pool URL it was asked at (the token's service_addr is where the stream goes). */
export interface FoundToken {
  readonly uri: string;
  readonly token: JobToken;
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function searchStreamTokens(search: TokenSearch): Promise<FoundToken[]> {
  const asked = shuffled(search.candidates).filter((uri) => !(search.exclude ?? []).includes(uri) && ((search.include ?? []).length === 0 || search.include!.includes(uri)));
  const found: FoundToken[] = [];
  const window = new AbortController();
  const calls = asked.map(async (uri) => {
    try {
      const token = await fetchJobToken({
        serviceUri: uri,
        capability: search.capability,
        sender: search.sender,
        timeoutMs: search.responseMs ?? TOKEN_SEARCH_RESPONSE_MS,
        signal: window.signal,
        ...(search.dispatcher ? { dispatcher: search.dispatcher } : {}),
      });
      // A token after the window closed is ignored, as go-livepeer returns what it has by then.
      if (!window.signal.aborted && token.availableCapacity > 0n) found.push({ uri, token });
    } catch {
      // An orchestrator that refuses or does not answer is simply not a candidate.
    }
  });
  const timer = setTimeout(() => window.abort(), search.windowMs ?? TOKEN_SEARCH_WINDOW_MS);
  try {
    await Promise.all(calls);
  } finally {
    clearTimeout(timer);
    window.abort();
  }
  return found;
}

export interface TokenRefresh {
  readonly serviceAddr: string;
  readonly capability: string;
  readonly sender: JobSender;
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
}

/** A fresh token from one orchestrator; rejects with the last failure when every try failed. */
export async function refreshStreamToken(refresh: TokenRefresh): Promise<JobToken> {
  const budget = refresh.deadlineMs ?? TOKEN_REFRESH_MS;
  const deadline = Date.now() + budget;
  let pause = 100;
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await fetchJobToken({
        serviceUri: refresh.serviceAddr,
        capability: refresh.capability,
        sender: refresh.sender,
        timeoutMs: Math.max(1, deadline - Date.now()),
        ...(refresh.signal ? { signal: refresh.signal } : {}),
        ...(refresh.dispatcher ? { dispatcher: refresh.dispatcher } : {}),
      });
    } catch (error) {
      last = error;
    }
    if (attempt === 2 || Date.now() + pause >= deadline) break;
    await sleep(pause);
    pause *= 2;
  }
  throw last;
}
