import { runChecked, withWorkDir } from '../processes.js';

/**
 * The loading step of each engine: what a model load is for the real runner.
 * Each one runs the engine once, so a container whose engine cannot work says
 * ERROR on /health instead of failing its first request.
 */
export async function checkFfmpeg(): Promise<void> {
  await Promise.all([runChecked('ffmpeg', ['-hide_banner', '-version']), runChecked('ffprobe', ['-hide_banner', '-version'])]);
}

export async function checkEspeak(): Promise<void> {
  await Promise.all([checkFfmpeg(), runChecked('espeak-ng', ['--stdout', 'ready'], { timeoutMs: 30_000 })]);
}

async function tesseractHasEnglish(): Promise<void> {
  const langs = (await runChecked('tesseract', ['--list-langs'], { timeoutMs: 30_000 })).toString('utf8');
  if (!/^eng$/m.test(langs)) throw new Error('tesseract has no eng language data (install tesseract-ocr-eng)');
}

export async function checkTesseract(): Promise<void> {
  await Promise.all([checkFfmpeg(), tesseractHasEnglish()]);
}

/** The acoustic model pocketsphinx-en-us installs (pocketsphinx 0.8's default). */
export const POCKETSPHINX_MODEL = '/usr/share/pocketsphinx/model/en-us';

export async function checkPocketsphinx(): Promise<void> {
  await checkFfmpeg();
  // Decoding a moment of silence loads the acoustic model and the dictionary, as a first request would.
  await withWorkDir(async (dir) => {
    const wav = `${dir}/silence.wav`;
    await runChecked('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '0.5', '-c:a', 'pcm_s16le', wav]);
    await runChecked('pocketsphinx_continuous', pocketsphinxArgs(wav), { timeoutMs: 60_000 });
  });
}

export function pocketsphinxArgs(wav: string): string[] {
  return ['-infile', wav, '-time', 'yes', '-logfn', '/dev/null'];
}
