/**
 * A test double of coreServices.gateway at the boundary these tests cannot
 * reach: GPU runners behind orchestrators. It answers each pipeline with
 * go-livepeer's response shapes (what the kernel's gateway.ai returns) made
 * from the request itself — the LLM echoes the last user message word by
 * word, text-to-speech returns a real WAV tone, audio-to-text a transcript
 * with timestamps — records every call, and can be told to fail. The kernel
 * routing itself is covered end to end in test/plugins/gateway-openai.
 */
import { errors, type AIGatewayMedia, type AIGatewayModel, type AIGatewayRequest, type AIGatewayResult, type GatewayService } from '@lpx/sdk';

/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** 0.5 s of a 440 Hz tone, 16 kHz mono 16-bit: what Parler-TTS's WAV looks like to ffmpeg. */
export function toneWav(ms = 500, rate = 16_000): Buffer {
  const samples = Math.floor((rate * ms) / 1000);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return wav;
}

export const DEFAULT_MODELS: AIGatewayModel[] = [
  { pipeline: 'llm', modelId: 'meta-llama/Meta-Llama-3.1-8B-Instruct', orchestrators: 2, warm: true, lowestPrice: '3/2' },
  { pipeline: 'text-to-image', modelId: 'ByteDance/SDXL-Lightning', orchestrators: 1, warm: true, lowestPrice: '4768371/1000000' },
  { pipeline: 'text-to-speech', modelId: 'parler-tts/parler-tts-large-v1', orchestrators: 1, warm: false },
  { pipeline: 'audio-to-text', modelId: 'openai/whisper-large-v3', orchestrators: 1, warm: true, lowestPrice: '12' },
];

export const TRANSCRIPT = [
  { text: ' Hello there.', timestamp: [0, 1.5] },
  { text: ' General Kenobi.', timestamp: [1.5, null] },
];

export class PipelineGatewayDouble implements GatewayService {
  readonly enabled = true;
  readonly calls: AIGatewayRequest[] = [];
  models: AIGatewayModel[] = [...DEFAULT_MODELS];
  /** Bearer key → tenant; empty = an open gateway. */
  readonly keys = new Map<string, string>();
  /** The next ai() call throws this. */
  failNext: Error | undefined;
  /** The LLM stream fails with a runner `{error}` event after this many words. */
  streamFailsAfter: number | undefined;
  /** The LLM stream stalls after its first word until the request is aborted (an app hanging up mid-answer). */
  streamStalls = false;
  /** Calls whose signal aborted. */
  readonly aborted: AIGatewayRequest[] = [];

  async transcodeSegment(): Promise<never> {
    throw new Error('the OpenAI double does not transcode');
  }

  async endStream(): Promise<void> {}

  async aiModels(): Promise<readonly AIGatewayModel[]> {
    return this.models;
  }

  async authenticate(authorization: string | undefined): Promise<string | undefined> {
    if (this.keys.size === 0) return undefined;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    if (match === null) throw errors.gateway.API_KEY_REQUIRED.create('this gateway needs an API key: send `Authorization: Bearer <key>`');
    const tenant = this.keys.get(match[1]!);
    if (tenant === undefined) throw errors.gateway.API_KEY_INVALID.create('the API key is not valid for this gateway');
    return tenant;
  }

  async ai(request: AIGatewayRequest): Promise<AIGatewayResult> {
    this.calls.push(request);
    request.signal?.addEventListener('abort', () => this.aborted.push(request), { once: true });
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure !== undefined) throw failure;
    const json = request.body.kind === 'json' ? request.body.json : {};
    const modelId = String(json.model ?? json.model_id ?? (request.body.kind === 'multipart' ? request.body.fields.model_id : ''));
    const done = { orchestrator: 'https://o.example:8935', modelId, attempts: 1 };
    switch (request.pipeline) {
      case 'llm':
        return json.stream === true ? { kind: 'stream', events: this.#llmEvents(json, modelId, request.signal), ...done } : { kind: 'json', json: this.#llmJson(json, modelId), media: [], ...done };
      case 'text-to-image': {
        const n = Number(json.num_images_per_prompt ?? 1);
        const media: AIGatewayMedia[] = Array.from({ length: n }, (_, i) => ({ url: `/v1/ai/media/req-1/${i}.png`, contentType: 'image/png', data: PNG }));
        return { kind: 'json', json: { images: media.map((m, i) => ({ url: m.url, seed: 42 + i, nsfw: false })) }, media, ...done };
      }
      case 'text-to-speech': {
        const audio = { url: '/v1/ai/media/req-2/audio.wav', contentType: 'audio/wav', data: toneWav() };
        return { kind: 'json', json: { audio: { url: audio.url } }, media: [audio], ...done };
      }
      case 'audio-to-text': {
        const timestamps = request.body.kind === 'multipart' ? request.body.fields.return_timestamps : 'false';
        return { kind: 'json', json: { text: TRANSCRIPT.map((c) => c.text).join(''), chunks: timestamps === 'false' ? [] : TRANSCRIPT }, media: [], ...done };
      }
      default:
        throw errors.ai.PIPELINE_UNKNOWN.create(`the double has no ${request.pipeline}`);
    }
  }

  /** The words the LLM answers with, capped at max_tokens (one word = one token here). */
  #words(json: Readonly<Record<string, unknown>>): { words: string[]; prompt: number } {
    const messages = json.messages as { role: string; content: string }[];
    const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const all = `You said: ${last}`.split(' ');
    const prompt = messages.reduce((sum, m) => sum + m.content.split(' ').length, 0);
    return { words: all.slice(0, Number(json.max_tokens)), prompt };
  }

  #llmJson(json: Readonly<Record<string, unknown>>, modelId: string) {
    const { words, prompt } = this.#words(json);
    return {
      id: 'req-llm-1',
      model: modelId,
      created: 1_700_000_000,
      usage: { prompt_tokens: prompt, completion_tokens: words.length, total_tokens: prompt + words.length },
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: words.join(' ') }, delta: null }],
    };
  }

  async *#llmEvents(json: Readonly<Record<string, unknown>>, modelId: string, signal: AbortSignal | undefined): AsyncGenerator<Readonly<Record<string, unknown>>> {
    const { words, prompt } = this.#words(json);
    const base = { id: 'req-llm-2', model: modelId, created: 1_700_000_001 };
    for (let i = 0; i < words.length; i++) {
      if (signal?.aborted) return;
      if (this.streamFailsAfter === i) {
        yield { error: 'CUDA out of memory' };
        return;
      }
      yield { ...base, usage: { prompt_tokens: prompt, completion_tokens: i + 1, total_tokens: prompt + i + 1 }, choices: [{ index: 0, finish_reason: '', delta: { role: 'assistant', content: i === 0 ? words[i] : ` ${words[i]}` } }] };
      if (this.streamStalls && signal !== undefined) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    }
    yield { ...base, usage: { prompt_tokens: prompt, completion_tokens: words.length, total_tokens: prompt + words.length }, choices: [{ index: 0, finish_reason: 'stop', delta: { role: 'assistant', content: '' } }] };
  }
}
