import { Value } from '@sinclair/typebox/value';
import { defineConformanceSuite, ConformanceFailure, type ConformanceAssert, type ConformanceSuite } from '../conformance.js';
import { PluginManifestSchema, type PluginManifest } from '../../manifest/schema.js';
import type { ByocAppSpec } from '../../byoc/app-spec.js';

/** A running BYOC app and the manifest it must keep. */
export interface ByocAppUnderTest {
  /** plugin.manifest.json as parsed (validated by the suite, so `unknown` is fine). */
  readonly manifest: unknown;
  /** Where the app answers, e.g. `http://127.0.0.1:49153` (the container's published port). */
  readonly baseUrl: string;
}

export interface ByocAppSuiteOptions {
  /** A request body the app must accept; default: generated from `inputSchema` (required fields, simple types). */
  readonly example?: unknown;
  /** A body the app must refuse with a 4xx; default: generated from `inputSchema` (a required field missing, or a wrong type). */
  readonly invalidExample?: unknown;
  /** Path the requests go to (what a client appends to `/process/request/`); default `/`. */
  readonly path?: string;
  /** How long the health check may take to pass (a fresh container); default the manifest's startTimeoutMs, else 30 s. */
  readonly readyTimeoutMs?: number;
  /** Bound on one request; default 30 s. */
  readonly requestTimeoutMs?: number;
}

/** A price per unit at or above this (1 ETH) is a typo, not a price. */
const INSANE_PRICE_WEI = 10n ** 18n;

/**
 * What every BYOC partner app must do for a node to host it: its manifest is
 * a valid lpx manifest with a sane `byoc` section, its health path answers
 * the declared status, a valid request succeeds in the declared interaction
 * mode, and input its schema forbids is refused with a 4xx. Runs against an
 * app already listening (`lpx plugin test` starts the container). The
 * request cases cover `request-response` and `sse`; `websocket` and
 * `live-stream` apps fail that case with a message saying so.
 */
export function byocAppSuite(options: ByocAppSuiteOptions = {}): ConformanceSuite<ByocAppUnderTest> {
  const path = options.path ?? '/';
  const requestMs = options.requestTimeoutMs ?? 30_000;
  const post = (baseUrl: string, body: unknown) =>
    fetch(new URL(path, baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(requestMs) });
  return defineConformanceSuite<ByocAppUnderTest>({
    extensionPoint: 'byoc.apps',
    cases: [
      {
        name: 'the manifest is a valid lpx manifest with a byoc section',
        run({ manifest }, assert) {
          appSpec(manifest, assert);
        },
      },
      {
        name: 'price and capacity are sane',
        run({ manifest }, assert) {
          const spec = appSpec(manifest, assert);
          const price = BigInt(spec.price.pricePerUnit);
          assert.ok(price < INSANE_PRICE_WEI, `byoc.price.pricePerUnit ${spec.price.pricePerUnit} wei per ${spec.price.unit} is 1 ETH or more: a typo?`);
          assert.ok(spec.price.pixelsPerUnit === undefined || spec.price.unit === '720p-pixel-second', `byoc.price.pixelsPerUnit only applies to the 720p-pixel-second unit, not ${spec.price.unit}`);
          assert.ok(spec.capacity >= 1 && spec.capacity <= 10_000, `byoc.capacity ${spec.capacity} is outside 1..10000`);
        },
      },
      {
        name: 'the health path answers the declared status',
        async run({ manifest, baseUrl }, assert) {
          const spec = appSpec(manifest, assert);
          const { path: healthPath, status } = { path: spec.health?.path ?? '/health', status: spec.health?.status ?? 200 };
          const timeoutMs = options.readyTimeoutMs ?? spec.health?.startTimeoutMs ?? 30_000;
          const deadline = Date.now() + timeoutMs;
          let last = 'no answer';
          for (;;) {
            try {
              const response = await fetch(new URL(healthPath, baseUrl), { signal: AbortSignal.timeout(requestMs) });
              await response.arrayBuffer();
              if (response.status === status) return;
              last = `status ${response.status}`;
            } catch (error) {
              last = (error as Error).message;
            }
            assert.ok(Date.now() < deadline, `GET ${healthPath} must answer ${status} within ${timeoutMs} ms; last: ${last}`);
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        },
      },
      {
        name: 'a valid request succeeds in the declared mode',
        async run({ manifest, baseUrl }, assert) {
          const spec = appSpec(manifest, assert);
          const body = options.example !== undefined ? options.example : byocExampleInput(spec.inputSchema);
          const response = await post(baseUrl, body);
          const text = await response.text();
          const type = response.headers.get('content-type') ?? '';
          assert.ok(response.status >= 200 && response.status < 300, `POST ${path} ${JSON.stringify(body)} must succeed; got ${response.status}: ${text.slice(0, 200)}`);
          if (spec.mode === 'request-response') {
            assert.ok(/^application\/([a-z.+-]*\+)?json/i.test(type), `a request-response app answers JSON; got content-type "${type}"`);
            assert.ok(parses(text), `the answer must be JSON; got ${text.slice(0, 200)}`);
          } else if (spec.mode === 'sse') {
            assert.ok(/^text\/event-stream/i.test(type), `an sse app answers text/event-stream; got content-type "${type}"`);
            assert.ok(/^data:/m.test(text), `the event stream must carry at least one "data:" event; got ${text.slice(0, 200)}`);
          } else {
            throw new ConformanceFailure(`mode ${spec.mode}: this suite checks request-response and sse apps; test ${spec.mode} apps with their own tests`);
          }
        },
      },
      {
        name: 'input the schema forbids is refused with a 4xx',
        async run({ manifest, baseUrl }, assert) {
          const spec = appSpec(manifest, assert);
          // No schema, nothing the app promised to refuse.
          if (spec.inputSchema === undefined && options.invalidExample === undefined) return;
          const body = options.invalidExample !== undefined ? options.invalidExample : byocInvalidInput(spec.inputSchema!);
          const response = await post(baseUrl, body);
          const text = await response.text();
          assert.ok(response.status >= 400 && response.status < 500, `POST ${path} ${JSON.stringify(body)} breaks the input schema and must be refused with a 4xx; got ${response.status}: ${text.slice(0, 200)}`);
        },
      },
    ],
  });
}

/** The manifest's byoc section once the manifest is valid; a failure names every problem found. */
function appSpec(manifest: unknown, assert: ConformanceAssert): ByocAppSpec {
  const problems = [...Value.Errors(PluginManifestSchema, manifest)].slice(0, 10).map((e) => `${e.path || '/'}: ${e.message}`);
  assert.ok(problems.length === 0, `plugin.manifest.json is invalid: ${problems.join('; ')}`);
  const valid = manifest as PluginManifest;
  const spec = valid.byoc;
  assert.ok(spec !== undefined, `plugin "${valid.id}" has no "byoc" section`);
  const app = spec!;
  assert.ok((app.container === undefined) !== (app.external === undefined), 'byoc needs exactly one of "container" and "external"');
  if (app.container !== undefined) assert.ok(valid.permissions?.includes('docker') === true, 'a byoc container app must declare the "docker" permission');
  if (app.external !== undefined) assert.ok(valid.permissions?.includes('network') === true, 'a byoc external app must declare the "network" permission');
  if ((app.resources?.gpu ?? 0) > 0) assert.ok(valid.permissions?.includes('gpu') === true, 'byoc.resources.gpu needs the "gpu" permission');
  return app;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

type Schema = Record<string, unknown>;

/** A value the schema accepts, from its simple keywords; a schema it cannot satisfy asks for options.example. */
export function byocExampleInput(schema: Schema | undefined): unknown {
  if (schema === undefined) return {};
  if (Array.isArray(schema['examples']) && schema['examples'].length > 0) return schema['examples'][0];
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  switch (schema['type']) {
    case 'object': {
      const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
      const required = (schema['required'] ?? []) as string[];
      return Object.fromEntries(required.map((key) => [key, byocExampleInput(properties[key] ?? {})]));
    }
    case 'string': {
      const min = Number(schema['minLength'] ?? 0);
      const max = Number(schema['maxLength'] ?? Number.MAX_SAFE_INTEGER);
      if (schema['pattern'] !== undefined || schema['format'] !== undefined) throw new ConformanceFailure(`cannot make up a string matching ${JSON.stringify(schema['pattern'] ?? schema['format'])}: pass an example`);
      return 'lpx conformance'.padEnd(min, 'x').slice(0, Math.max(min, Math.min(max, 15)));
    }
    case 'integer':
    case 'number':
      return Number(schema['minimum'] ?? (schema['exclusiveMinimum'] !== undefined ? Number(schema['exclusiveMinimum']) + 1 : 1));
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Number(schema['minItems'] ?? 0) }, () => byocExampleInput((schema['items'] ?? {}) as Schema));
    case 'null':
      return null;
    default:
      throw new ConformanceFailure(`cannot make up a value for schema ${JSON.stringify(schema).slice(0, 120)}: pass an example`);
  }
}

/** A value the schema refuses: a required field missing, else a property of the wrong type, else the wrong top-level type. */
export function byocInvalidInput(schema: Schema): unknown {
  const required = (schema['required'] ?? []) as string[];
  if (schema['type'] === 'object' && required.length > 0) return {};
  const properties = Object.entries((schema['properties'] ?? {}) as Record<string, Schema>).filter(([, p]) => typeof p['type'] === 'string');
  if (schema['type'] === 'object' && properties.length > 0) {
    const [key, property] = properties[0]!;
    return { ...(byocExampleInput(schema) as object), [key]: property['type'] === 'string' ? 12345 : 'not a ' + String(property['type']) };
  }
  return schema['type'] === 'string' ? 12345 : 'not of type ' + String(schema['type']);
}
