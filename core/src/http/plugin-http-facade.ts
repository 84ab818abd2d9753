import type { FastifyInstance, FastifyPluginAsync, RouteOptions, onRequestHookHandler } from 'fastify';
import { errors, type HttpService } from '@lpx/sdk';

type Recorded = { kind: 'route'; options: RouteOptions } | { kind: 'root-route'; options: RouteOptions } | { kind: 'register'; plugin: FastifyPluginAsync } | { kind: 'hook'; hook: onRequestHookHandler };

/** Paths the kernel serves on the HTTP edge; plugins cannot take them with rootRoute. */
export const RESERVED_ROOT_PATHS: readonly string[] = ['/v1', '/plugins', '/healthz', '/readyz', '/metrics', '/openapi.json', '/events', '/status', '/dashboard'];

/**
 * Namespaces under /v1 the kernel leaves to plugins: OpenAI's API paths, so
 * an OpenAI-compatible plugin answers at the base URL OpenAI clients expect
 * (ADR 0035). The kernel never serves these.
 */
export const PLUGIN_V1_PATHS: readonly string[] = ['/v1/models', '/v1/chat', '/v1/completions', '/v1/embeddings', '/v1/images', '/v1/audio', '/v1/moderations', '/v1/responses'];

function under(url: string, path: string): boolean {
  return url === path || url.startsWith(`${path}/`);
}

/**
 * Records what a plugin asks of HTTP during init and replays it later inside
 * an encapsulated fastify context under the plugin's prefix: the plugin gets
 * fastify's full power inside its box and nothing outside it.
 */
export class PluginHttpFacade implements HttpService {
  readonly prefix: string;
  readonly #pluginId: string;
  readonly #records: Recorded[] = [];
  #sealed = false;

  constructor(pluginId: string) {
    this.#pluginId = pluginId;
    this.prefix = `/plugins/${pluginId}`;
  }

  route(options: RouteOptions): void {
    this.#record({ kind: 'route', options });
  }

  register(plugin: FastifyPluginAsync): void {
    if ((plugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')]) {
      throw errors.plugin.ENCAPSULATION.create(`plugin ${this.#pluginId} registered a fastify-plugin wrapped function; that would escape its /plugins/${this.#pluginId} scope`);
    }
    this.#record({ kind: 'register', plugin });
  }

  addHook(_name: 'onRequest', hook: onRequestHookHandler): void {
    this.#record({ kind: 'hook', hook });
  }

  rootRoute(options: RouteOptions): void {
    const reserved = RESERVED_ROOT_PATHS.find((path) => under(options.url, path));
    if (reserved !== undefined && !PLUGIN_V1_PATHS.some((path) => under(options.url, path))) {
      throw errors.http.ROOT_ROUTE_RESERVED.create(`plugin ${this.#pluginId} asked for root route ${options.url}; ${reserved} belongs to the kernel`, { details: { plugin: this.#pluginId, url: options.url } });
    }
    this.#record({ kind: 'root-route', options });
  }

  /** Mounts the recorded calls; after this the facade refuses more. */
  mount(app: FastifyInstance): void {
    this.#sealed = true;
    if (this.#records.length === 0) return;
    const records = [...this.#records];
    app.register(
      async (scope) => {
        for (const record of records) {
          if (record.kind === 'hook') scope.addHook('onRequest', record.hook);
        }
        for (const record of records) {
          if (record.kind === 'route') scope.route(record.options);
          else if (record.kind === 'register') await scope.register(record.plugin);
        }
      },
      { prefix: this.prefix },
    );
    const rootRoutes = records.filter((record) => record.kind === 'root-route');
    if (rootRoutes.length === 0) return;
    // Same hooks, own encapsulated context, no prefix.
    app.register(async (scope) => {
      for (const record of records) {
        if (record.kind === 'hook') scope.addHook('onRequest', record.hook);
      }
      for (const record of rootRoutes) scope.route(record.options);
    });
  }

  #record(record: Recorded): void {
    if (this.#sealed) throw errors.plugin.REGISTER_INVALID.create(`plugin ${this.#pluginId}: HTTP routes must be added during init, before the edge starts listening`);
    this.#records.push(record);
  }
}
