/** One body part of a multipart/mixed message. */
export interface MultipartPart {
  /** Header names are lower-case; a repeated header's values are joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export interface MultipartLimits {
  /** Default 1,000: a rendition ladder never comes close, a hostile body might. */
  readonly maxParts?: number;
  /** Bytes of header block per part; default 65,536. */
  readonly maxHeaderBytes?: number;
}

export const DEFAULT_MAX_PARTS = 1_000;
export const DEFAULT_MAX_HEADER_BYTES = 65_536;
