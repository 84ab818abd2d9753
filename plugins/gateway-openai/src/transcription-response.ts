/**
 * go-livepeer's `{text, chunks: [{text, timestamp: [start, end]}]}` in the
 * five shapes OpenAI answers transcriptions with. verbose_json carries what
 * the runner knows (segments or words with times, the duration up to the
 * last timestamp); Whisper's per-segment statistics (avg_logprob,
 * no_speech_prob...) are not reported by the runner and left out rather
 * than invented.
 */
import { errors } from '@lpx/sdk';
import type { TranscriptionFormat } from './transcription-request.js';

export interface TimedText {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

function seconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function transcriptOf(json: unknown): { text: string; chunks: TimedText[] } {
  const result = json as { text?: unknown; chunks?: unknown } | null;
  if (typeof result?.text !== 'string') throw errors.ai.RESULT_INVALID.create('the audio-to-text result has no text');
  const raw = Array.isArray(result.chunks) ? (result.chunks as { text?: unknown; timestamp?: unknown }[]) : [];
  const chunks: TimedText[] = [];
  for (const chunk of raw) {
    const [start, end] = Array.isArray(chunk?.timestamp) ? chunk.timestamp : [];
    const from = seconds(start);
    if (typeof chunk?.text !== 'string' || from === undefined) continue;
    // Whisper leaves the last chunk's end open (null) when the audio ends mid-phrase.
    chunks.push({ text: chunk.text, start: from, end: Math.max(from, seconds(end) ?? from) });
  }
  return { text: result.text, chunks };
}

function clock(value: number, separator: ',' | '.'): string {
  const ms = Math.round(value * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

export function srt(chunks: readonly TimedText[]): string {
  return chunks.map((chunk, index) => `${index + 1}\n${clock(chunk.start, ',')} --> ${clock(chunk.end, ',')}\n${chunk.text.trim()}\n`).join('\n');
}

export function vtt(chunks: readonly TimedText[]): string {
  return `WEBVTT\n\n${chunks.map((chunk) => `${clock(chunk.start, '.')} --> ${clock(chunk.end, '.')}\n${chunk.text.trim()}\n`).join('\n')}`;
}

export interface TranscriptionAnswer {
  readonly contentType: string;
  readonly body: string | Record<string, unknown>;
}

export function transcriptionAnswer(json: unknown, format: TranscriptionFormat, granularity: 'segment' | 'word', language: string | undefined): TranscriptionAnswer {
  const { text, chunks } = transcriptOf(json);
  switch (format) {
    case 'json':
      return { contentType: 'application/json', body: { text } };
    case 'text':
      return { contentType: 'text/plain; charset=utf-8', body: `${text}\n` };
    case 'srt':
      return { contentType: 'text/plain; charset=utf-8', body: srt(chunks) };
    case 'vtt':
      return { contentType: 'text/vtt; charset=utf-8', body: vtt(chunks) };
    case 'verbose_json': {
      const duration = chunks.reduce((end, chunk) => Math.max(end, chunk.end), 0);
      const timed =
        granularity === 'word'
          ? { words: chunks.map((chunk) => ({ word: chunk.text.trim(), start: chunk.start, end: chunk.end })) }
          : { segments: chunks.map((chunk, id) => ({ id, seek: 0, start: chunk.start, end: chunk.end, text: chunk.text, tokens: [] })) };
      // The runner does not report the language it detected; the one asked for is echoed, else "unknown".
      return { contentType: 'application/json', body: { task: 'transcribe', language: language ?? 'unknown', duration, text, ...timed } };
    }
  }
}
