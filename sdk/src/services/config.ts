/** A plugin's own validated config slice (`plugins.<id>.config` in the node config). */
export interface ConfigService {
  /** The slice, already validated against the manifest's config schema with defaults applied. */
  get<T = Record<string, unknown>>(): T;
  /** Where the node keeps its data; plugins get their own subfolder. */
  readonly dataDir: string;
  /** The roles this node runs (gateway, orchestrator, worker, redeemer). */
  readonly roles: readonly string[];
}
