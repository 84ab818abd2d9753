/**
 * `POST /v1/audio/speech` ↔ go-livepeer's `text-to-speech`
 * (`{text, description}` → `{audio: {url}}`, WAV). OpenAI names voices;
 * Parler-TTS describes them in words, so a voice name maps to a description
 * (config `voices`), `instructions` win when given, and any other voice
 * value is taken as the description itself. Formats other than WAV, and
 * speed, are ffmpeg's job on the gateway (audio-convert.ts).
 */
import { errors, type AIGatewayMedia } from '@lpx/sdk';
import type { Body } from './request-fields.js';
import { invalid, onlyDefault, optionalEnum, optionalNumber, optionalString, refuseUnknown, requiredString } from './request-fields.js';

export const SPEECH_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
export type SpeechFormat = (typeof SPEECH_FORMATS)[number];

export const SPEECH_CONTENT_TYPES: Readonly<Record<SpeechFormat, string>> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

export interface SpeechRequest {
  readonly model: string;
  /** OpenAI's default is mp3. */
  readonly format: SpeechFormat;
  readonly speed: number;
  readonly body: Readonly<Record<string, unknown>>;
}

const KNOWN = new Set(['model', 'input', 'voice', 'instructions', 'response_format', 'speed', 'stream_format']);
/** OpenAI's own ceiling on input. */
const MAX_INPUT_CHARS = 4096;

export function parseSpeechRequest(body: Body, voices: Readonly<Record<string, string>>): SpeechRequest {
  refuseUnknown(body, KNOWN);
  const model = requiredString(body, 'model');
  const input = requiredString(body, 'input');
  if ([...input].length > MAX_INPUT_CHARS) throw invalid('input', `may be at most ${MAX_INPUT_CHARS} characters`);
  const voice = body.voice;
  if (typeof voice !== 'string' || voice === '') throw invalid('voice', typeof voice === 'object' && voice !== null ? 'custom voice objects are not supported; give a voice name or a description' : 'is required');
  const instructions = optionalString(body, 'instructions');
  const format = optionalEnum(body, 'response_format', SPEECH_FORMATS) ?? 'mp3';
  const speed = optionalNumber(body, 'speed', { min: 0.25, max: 4 }) ?? 1;
  onlyDefault(body, 'stream_format', (v) => v === 'audio', 'the text-to-speech pipeline returns the whole audio; server-sent events are not supported');
  const description = instructions !== undefined && instructions !== '' ? instructions : (voices[voice] ?? voice);
  return { model, format, speed, body: { text: input, description } };
}

/** The WAV bytes of a `{audio: {url}}` result (the gateway already downloaded them). */
export function speechAudio(json: unknown, media: readonly AIGatewayMedia[]): AIGatewayMedia {
  const url = (json as { audio?: { url?: unknown } } | null)?.audio?.url;
  if (typeof url !== 'string') throw errors.ai.RESULT_INVALID.create('the text-to-speech result has no audio url');
  const held = media.find((item) => item.url === url);
  if (held !== undefined) return held;
  const data = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(url);
  if (data !== null) return { url, contentType: data[1] || 'audio/wav', data: data[2] !== undefined ? Buffer.from(data[3]!, 'base64') : Buffer.from(decodeURIComponent(data[3]!)) };
  throw errors.ai.RESULT_INVALID.create(`the text-to-speech result names ${url}, which the gateway does not hold`);
}
