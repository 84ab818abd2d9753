/**
 * Per-stream settings in go-livepeer's authWebhookResponse shape, which both
 * the auth webhook's answer and the `Livepeer-Transcode-Configuration` header
 * carry. Only the fields an lpx gateway acts on are read (manifestID,
 * presets, profiles); the rest (object stores, verification, ...) are ignored
 * as unknown JSON fields are by Go.
 */
import { errors, parseLadder, parseLadderEntries, type ErrorCode, type OutputFormat, type TranscodeProfile } from '@lpx/sdk';

export interface StreamSettings {
  readonly manifestId?: string;
  readonly presets?: readonly string[];
  /** Absent and `[]` differ: `[]` asks for no renditions at all (source only), as in go-livepeer. */
  readonly profiles?: readonly unknown[];
}

export const MANIFEST_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** The header's value; absent or empty = no settings. Throws LPX_ERR_INGEST_CONFIG_HEADER_INVALID. */
export function parseConfigHeader(value: string | undefined): StreamSettings | undefined {
  if (value === undefined || value === '') return undefined;
  return parseSettings(value, errors.ingest.CONFIG_HEADER_INVALID, 'Livepeer-Transcode-Configuration header');
}

/** A 200 answer's body; empty = accepted with defaults. Throws LPX_ERR_INGEST_AUTH_WEBHOOK_FAILED. */
export function parseWebhookAnswer(body: string): StreamSettings | undefined {
  if (body.trim() === '') return undefined;
  const settings = parseSettings(body, errors.ingest.AUTH_WEBHOOK_FAILED, 'auth webhook answer');
  // go-livepeer refuses a non-empty answer without a manifest id.
  if (settings.manifestId === undefined) throw errors.ingest.AUTH_WEBHOOK_FAILED.create('auth webhook answer has no manifestID');
  return settings;
}

function parseSettings(text: string, code: ErrorCode, what: string): StreamSettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw code.create(`${what} is not JSON: ${(error as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw code.create(`${what} must be a JSON object`);
  const { manifestID, presets, profiles } = json as Record<string, unknown>;
  if (manifestID !== undefined && manifestID !== null && manifestID !== '' && (typeof manifestID !== 'string' || !MANIFEST_ID_PATTERN.test(manifestID))) {
    throw code.create(`${what}: manifestID must be 1-128 of A-Z a-z 0-9 _ -, got ${JSON.stringify(manifestID)}`);
  }
  if (presets !== undefined && presets !== null && (!Array.isArray(presets) || presets.some((p) => typeof p !== 'string'))) throw code.create(`${what}: presets must be an array of preset names`);
  if (profiles !== undefined && profiles !== null && !Array.isArray(profiles)) throw code.create(`${what}: profiles must be an array of profile objects`);
  return {
    ...(typeof manifestID === 'string' && manifestID !== '' ? { manifestId: manifestID } : {}),
    ...(Array.isArray(presets) ? { presets: presets as string[] } : {}),
    ...(Array.isArray(profiles) ? { profiles } : {}),
  };
}

/** Presets then profiles, as go-livepeer appends them; neither given = the configured ladder. */
export function ladderOf(settings: StreamSettings | undefined, defaultLadder: string | readonly unknown[], format: OutputFormat): TranscodeProfile[] {
  const presets = settings?.presets ?? [];
  if (settings?.profiles === undefined && presets.length === 0) return parseLadder(defaultLadder, format);
  return parseLadderEntries([...presets, ...(settings?.profiles ?? [])], format);
}

/** go-livepeer compares only the profiles (as JSON) when both the webhook and the header set them. */
export function sameProfiles(a: StreamSettings, b: StreamSettings): boolean {
  return JSON.stringify(a.profiles ?? []) === JSON.stringify(b.profiles ?? []);
}
