/**
 * `POST /v1/audio/transcriptions` (multipart/form-data) → go-livepeer's
 * `audio-to-text` multipart: `audio` (the file), `model_id`,
 * `return_timestamps`. Whisper on the runner detects the language itself and
 * takes no prompt or temperature, so those hints are accepted and not
 * passed on (they never change what OpenAI returns in kind); streaming and
 * chunking strategies are refused.
 */
import { errors, type AIRequestBody } from '@lpx/sdk';
import { invalid, unsupported } from './request-fields.js';

export const TRANSCRIPTION_FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt'] as const;
export type TranscriptionFormat = (typeof TRANSCRIPTION_FORMATS)[number];

export interface TranscriptionRequest {
  readonly model: string;
  readonly format: TranscriptionFormat;
  readonly granularity: 'segment' | 'word';
  readonly language?: string;
  /** The go-livepeer body without `model_id`. */
  readonly body: AIRequestBody & { kind: 'multipart' };
}

const KNOWN = new Set(['file', 'model', 'response_format', 'timestamp_granularities[]', 'timestamp_granularities', 'language', 'prompt', 'temperature', 'stream', 'chunking_strategy', 'include[]', 'include']);

/** The multipart form, read with the platform's own parser (undici's FormData). */
export async function readForm(type: string, raw: Buffer): Promise<FormData> {
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw errors.http.UNSUPPORTED_MEDIA_TYPE.create(`a transcription request is multipart/form-data, got ${JSON.stringify(type.split(';', 1)[0] ?? '')}`);
  }
  try {
    return await new Response(raw, { headers: { 'content-type': type } }).formData();
  } catch (error) {
    throw errors.http.BODY_INVALID.create(`the multipart/form-data body cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

function text(form: FormData, param: string): string | undefined {
  const value = form.get(param);
  if (value === null) return undefined;
  if (typeof value !== 'string') throw invalid(param, 'must be a form field, not a file');
  return value;
}

export async function parseTranscriptionRequest(form: FormData): Promise<TranscriptionRequest> {
  for (const key of new Set(form.keys())) if (!KNOWN.has(key)) throw invalid(key, 'unknown parameter');
  const file = form.get('file');
  if (file === null || typeof file === 'string') throw invalid('file', 'is required (an audio file)');
  const model = text(form, 'model');
  if (model === undefined || model === '') throw invalid('model', 'is required');
  const rawFormat = text(form, 'response_format') ?? 'json';
  if (!(TRANSCRIPTION_FORMATS as readonly string[]).includes(rawFormat)) throw invalid('response_format', `must be one of ${TRANSCRIPTION_FORMATS.join(', ')}, got ${JSON.stringify(rawFormat)}`);
  const format = rawFormat as TranscriptionFormat;
  const granularities = [...form.getAll('timestamp_granularities[]'), ...form.getAll('timestamp_granularities')].map(String);
  for (const value of granularities) if (value !== 'segment' && value !== 'word') throw invalid('timestamp_granularities', `must be "segment" or "word", got ${JSON.stringify(value)}`);
  if (granularities.includes('word') && granularities.includes('segment')) throw unsupported('timestamp_granularities', 'the audio-to-text pipeline returns either segment or word timestamps, not both in one request');
  if (granularities.length > 0 && format !== 'verbose_json') throw invalid('timestamp_granularities', 'needs response_format verbose_json');
  if (['true', '1'].includes(text(form, 'stream') ?? 'false')) throw unsupported('stream', 'the audio-to-text pipeline returns the whole transcript at once');
  if (form.get('chunking_strategy') !== null) throw unsupported('chunking_strategy', 'the audio-to-text pipeline chunks audio itself');
  if (form.getAll('include[]').length + form.getAll('include').length > 0) throw unsupported('include', 'the audio-to-text pipeline returns no log probabilities');
  const temperature = text(form, 'temperature');
  if (temperature !== undefined && !(Number(temperature) >= 0 && Number(temperature) <= 1)) throw invalid('temperature', `must be from 0 to 1, got ${JSON.stringify(temperature)}`);
  const granularity = granularities.includes('word') ? 'word' : 'segment';
  // Timestamps cost nothing extra on the runner but are only asked for when the answer shows them.
  const timestamps = format === 'json' || format === 'text' ? 'false' : granularity === 'word' ? 'word' : 'true';
  const language = text(form, 'language');
  return {
    model,
    format,
    granularity,
    ...(language !== undefined && language !== '' ? { language } : {}),
    body: {
      kind: 'multipart',
      fields: { return_timestamps: timestamps },
      files: [{ field: 'audio', filename: file.name || 'audio', contentType: file.type || 'application/octet-stream', data: new Uint8Array(await file.arrayBuffer()) }],
    },
  };
}
