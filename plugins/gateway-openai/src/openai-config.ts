/** The plugin's config (plugin.manifest.json's schema, defaults applied). */
export interface OpenAIConfig {
  /** Model names apps send, mapped to Livepeer model ids. */
  readonly aliases: Readonly<Record<string, string>>;
  readonly defaultMaxTokens: number;
  readonly voices: Readonly<Record<string, string>>;
  readonly ffmpegPath: string;
  readonly maxAudioBytes: number;
  readonly conversionTimeoutMs: number;
}

/**
 * Parler-TTS (go-livepeer's default text-to-speech model) takes a voice as a
 * description in words, not a name. These are our own short descriptions for
 * OpenAI's voice names so apps that send `voice: "alloy"` get a steady,
 * distinct voice; operators override or add names with `voices`.
 */
export const DEFAULT_VOICES: Readonly<Record<string, string>> = {
  alloy: 'A neutral voice speaks clearly at a moderate pace, with very clear audio.',
  ash: 'A male speaker with a low, calm voice speaks at a moderate pace, with very clear audio.',
  ballad: 'A male speaker with a soft, warm voice speaks slowly and expressively, with very clear audio.',
  coral: 'A female speaker with a bright, friendly voice speaks at a moderate pace, with very clear audio.',
  echo: 'A male speaker with a clear, even voice speaks at a moderate pace, with very clear audio.',
  fable: 'A speaker with a lively, storytelling voice speaks expressively, with very clear audio.',
  onyx: 'A male speaker with a deep voice speaks slowly and calmly, with very clear audio.',
  nova: 'A female speaker with an energetic voice speaks quickly, with very clear audio.',
  sage: 'A female speaker with a calm, measured voice speaks slowly, with very clear audio.',
  shimmer: 'A female speaker with a light, gentle voice speaks softly, with very clear audio.',
  verse: 'A speaker with an expressive, varied voice speaks at a moderate pace, with very clear audio.',
};

export const DEFAULT_CONFIG: OpenAIConfig = {
  aliases: {},
  defaultMaxTokens: 256,
  voices: DEFAULT_VOICES,
  ffmpegPath: 'ffmpeg',
  maxAudioBytes: 25 * 1024 * 1024,
  conversionTimeoutMs: 60_000,
};

export function withDefaults(config: Partial<OpenAIConfig> = {}): OpenAIConfig {
  return { ...DEFAULT_CONFIG, ...config, voices: { ...DEFAULT_VOICES, ...(config.voices ?? {}) }, aliases: { ...(config.aliases ?? {}) } };
}
