import type { TranscodeBackendStatus, VideoCodec } from '@lpx/sdk';
import type { NetintOptions } from './config.js';
import { ffmpegList, testEncodeFailure, type Device } from '@lpx/sdk/transcode-kit';
import { netintTestEncodeArgs } from './netint-args.js';
import { FAMILIES, type NetintFamily } from './netint-family.js';
import { listNetintDevices, type NetintDevice } from './ni-rsrc-mon.js';

export interface NetintProbe {
  readonly status: TranscodeBackendStatus;
  readonly family: NetintFamily | undefined;
  /** The devices that passed their test encode. */
  readonly devices: readonly Device[];
}

function unavailable(reason: string, family?: NetintFamily): NetintProbe {
  return { status: { available: false, reason, capacity: 0, decode: [], encode: [], formats: [] }, family, devices: [] };
}

function testEncode(options: NetintOptions, encoder: string, device: string, signal: AbortSignal): Promise<string | undefined> {
  return testEncodeFailure(options.ffmpegPath, netintTestEncodeArgs(encoder, device), { label: `test encode with ${encoder} on device ${device}`, signal, timeoutMs: options.probeTimeoutMs });
}

/**
 * The probing rule (ADR 0025) for Netint: ffmpeg → a Netint family's H.264
 * encoder and decoder listed (Netint's ffmpeg build; stock ffmpeg lists none)
 * → Quadra's scaler and splitter listed → the devices (the resource monitor,
 * needed for `all`) → a one-frame test encode on every device (in parallel). The reason
 * names the first step that failed.
 */
export async function probeNetint(options: NetintOptions, signal: AbortSignal): Promise<NetintProbe> {
  const timeout = options.probeTimeoutMs;
  const encoders = await ffmpegList(options.ffmpegPath, 'encoders', signal, timeout);
  if ('reason' in encoders) return unavailable(encoders.reason);
  const candidates = options.family === 'auto' ? FAMILIES : FAMILIES.filter((f) => f.name === options.family);
  const family = candidates.find((f) => encoders.names.has(f.encoders.H264!));
  if (family === undefined) {
    const wanted = candidates.map((f) => f.encoders.H264!).join(', ');
    return unavailable(`no Netint encoder listed by ${options.ffmpegPath} -encoders (looked for ${wanted}): this ffmpeg is not Netint's build`);
  }
  const decoders = await ffmpegList(options.ffmpegPath, 'decoders', signal, timeout);
  if ('reason' in decoders) return unavailable(decoders.reason, family);
  if (!decoders.names.has(family.decoders.H264!)) return unavailable(`${family.decoders.H264!} not listed by ${options.ffmpegPath} -decoders`, family);
  if (family.name === 'quadra') {
    const filters = await ffmpegList(options.ffmpegPath, 'filters', signal, timeout);
    if ('reason' in filters) return unavailable(filters.reason, family);
    for (const filter of [family.scaler, family.splitter]) {
      if (!filters.names.has(filter)) return unavailable(`${filter} not listed by ${options.ffmpegPath} -filters`, family);
    }
  }

  const monitor = options.monitorPath ?? family.monitor;
  const notes: string[] = [];
  let cards: NetintDevice[];
  const listing = await listNetintDevices(monitor, family.name, signal, timeout);
  if (options.devices === 'all') {
    if ('reason' in listing) return unavailable(`${listing.reason} (with devices "all" the devices come from ${monitor}; list their indices in "devices" instead)`, family);
    cards = [...listing.devices];
  } else {
    // With an explicit list the monitor only names the devices; the test encode is what decides.
    const known = 'devices' in listing ? new Map(listing.devices.map((d) => [d.index, d])) : undefined;
    cards = [];
    for (const index of options.devices) {
      const card = known?.get(index);
      if (known !== undefined && card === undefined) notes.push(`device ${index} excluded: not listed by ${monitor}`);
      else cards.push(card ?? { index, device: `Netint device ${index}` });
    }
  }

  // In parallel: one short encode per card, so a many-card box probes in about the time of one.
  const failures = await Promise.all(cards.map((card) => testEncode(options, family.encoders.H264!, String(card.index), signal)));
  const devices: Device[] = [];
  for (const [i, card] of cards.entries()) {
    const failure = failures[i];
    if (failure === undefined) devices.push({ id: String(card.index), name: `Netint ${family.name} ${card.device}` });
    else notes.push(`device ${card.index} excluded: ${failure}`);
  }
  if (devices.length === 0) return unavailable(notes.join('; ') || 'no Netint device passed its test encode', family);

  const encode: VideoCodec[] = ['H264'];
  const hevcEncoder = family.encoders.HEVC!;
  if (encoders.names.has(hevcEncoder)) {
    const hevc = await testEncode(options, hevcEncoder, devices[0]!.id, signal);
    if (hevc === undefined) encode.push('HEVC');
    else notes.push(`HEVC off: ${hevc}`);
  }
  const decode: VideoCodec[] = ['H264'];
  if (decoders.names.has(family.decoders.HEVC!)) decode.push('HEVC');
  const status: TranscodeBackendStatus = {
    available: true,
    ...(notes.length > 0 ? { reason: notes.join('; ') } : {}),
    capacity: devices.length * options.sessionsPerDevice,
    decode,
    encode,
    formats: ['mpegts', 'mp4'],
    devices: devices.map((d) => ({ id: d.id, name: d.name, capacity: options.sessionsPerDevice, load: 0 })),
  };
  return { status, family, devices };
}
