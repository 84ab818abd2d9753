/** One utterance pocketsphinx_continuous printed: its hypothesis and (with `-time yes`) word segments. */
export interface Utterance {
  readonly text: string;
  readonly words: { readonly word: string; readonly start: number; readonly end: number }[];
}

const SEGMENT = /^(\S+)\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+(-?[\d.]+(?:e-?\d+)?)$/;

/** Sentence markers, silence and noise fillers: not words of the transcript. */
function isFiller(word: string): boolean {
  return /^(<s>|<\/s>|<sil>|\[.*\]|\+\+.*\+\+)$/.test(word);
}

/** Alternate pronunciations are printed as `word(2)`. */
function plain(word: string): string {
  return word.replace(/\(\d+\)$/, '');
}

/**
 * Reads pocketsphinx 0.8's `-time yes` output: each utterance is a hypothesis
 * line followed by `word start end probability` lines.
 */
export function parsePocketsphinx(output: string): Utterance[] {
  const utterances: { text: string; words: Utterance['words'] }[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const segment = SEGMENT.exec(line);
    if (segment) {
      const current = utterances[utterances.length - 1];
      const word = segment[1]!;
      if (current && !isFiller(word)) current.words.push({ word: plain(word), start: Number(segment[2]), end: Number(segment[3]) });
      continue;
    }
    utterances.push({ text: line, words: [] });
  }
  return utterances.filter((u) => u.text.length > 0);
}

/** The runner's chunks: per utterance (sentence), per word, or none when timestamps are off. */
export function toChunks(utterances: readonly Utterance[], timestamps: boolean | string): { text: string; timestamp: [number, number] }[] {
  if (timestamps === false) return [];
  if (timestamps === 'word') return utterances.flatMap((u) => u.words.map((w) => ({ text: ` ${w.word}`, timestamp: [w.start, w.end] as [number, number] })));
  return utterances.map((u) => {
    const first = u.words[0];
    const last = u.words[u.words.length - 1];
    return { text: ` ${u.text}`, timestamp: [first?.start ?? 0, last?.end ?? 0] as [number, number] };
  });
}
