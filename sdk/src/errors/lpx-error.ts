/**
 * Every error lpx raises on purpose is an LpxError with a stable code from the
 * catalogue, so operators can grep logs and callers can branch on `code`.
 */
export interface ErrorDefinition {
  /** `LPX_ERR_<AREA>_<DETAIL>` */
  readonly code: string;
  /** HTTP status the edge answers with when this error escapes a request. */
  readonly status: number;
  /** One sentence for the catalogue docs. */
  readonly description: string;
}

export interface LpxErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
  /**
   * The HTTP status when it is not the code's own: an upstream's 4xx relayed
   * as it was (a BYOC app's 404 or 413 keeps its status under one code).
   */
  status?: number;
}

export class LpxError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(definition: ErrorDefinition, message: string, options: LpxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LpxError';
    this.code = definition.code;
    this.status = options.status ?? definition.status;
    this.details = options.details;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/** A code plus a factory, so call sites read `errors.CONFIG_UNKNOWN_KEY.create('...')`. */
export interface ErrorCode extends ErrorDefinition {
  create(message: string, options?: LpxErrorOptions): LpxError;
  is(error: unknown): error is LpxError;
}

export function defineErrors<K extends string>(
  area: string,
  entries: Record<K, { status: number; description: string }>,
): Record<K, ErrorCode> {
  const out = {} as Record<K, ErrorCode>;
  for (const key of Object.keys(entries) as K[]) {
    const entry = entries[key];
    const definition: ErrorDefinition = { code: `LPX_ERR_${area}_${key}`, status: entry.status, description: entry.description };
    out[key] = {
      ...definition,
      create: (message, options) => new LpxError(definition, message, options),
      is: (error: unknown): error is LpxError => error instanceof Error && (error as Partial<LpxError>).code === definition.code,
    };
  }
  return out;
}

export function isLpxError(error: unknown): error is LpxError {
  return error instanceof Error && typeof (error as Partial<LpxError>).code === 'string' && (error as Partial<LpxError>).code!.startsWith('LPX_ERR_');
}
