// A small HLS player over Media Source Extensions for PeerTube's layout: each rendition is one fragmented
// MP4 addressed by byte ranges (RFC 8216 §4.3.2.2 EXT-X-BYTERANGE, §4.3.2.5 EXT-X-MAP). Chromium's own HLS
// support does not take this layout; this module plays it with plain fetch + SourceBuffer.

/** Parses a master playlist (RFC 8216 §4.3.4.2) into its variants. */
export function parseMaster(text, baseUrl) {
  const lines = text.split(/\r?\n/);
  const variants = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('#EXT-X-STREAM-INF:')) continue;
    const index = variants.length; // position in the master playlist (the P2P swarm's variant index)
    const attributes = parseAttributes(lines[i].slice('#EXT-X-STREAM-INF:'.length));
    const uri = lines[i + 1];
    const [width, height] = (attributes.RESOLUTION || '0x0').split('x').map(Number);
    variants.push({
      index, uri: new URL(uri, baseUrl).href, bandwidth: Number(attributes.BANDWIDTH || 0), width, height,
      codecs: attributes.CODECS || 'avc1.64001f,mp4a.40.2', frameRate: Number(attributes['FRAME-RATE'] || 0),
    });
  }
  return variants.sort((a, b) => b.bandwidth - a.bandwidth);
}

/** Parses a media playlist into its init section and byte-range segments. */
export function parseMedia(text, baseUrl) {
  const lines = text.split(/\r?\n/);
  const segments = [];
  let init = null;
  let duration = null;
  let range = null;
  let nextOffset = 0;
  for (const line of lines) {
    if (line.startsWith('#EXT-X-MAP:')) {
      const attributes = parseAttributes(line.slice('#EXT-X-MAP:'.length));
      init = { uri: new URL(attributes.URI, baseUrl).href, range: attributes.BYTERANGE ? byteRange(attributes.BYTERANGE, 0) : null };
    } else if (line.startsWith('#EXTINF:')) {
      duration = parseFloat(line.slice('#EXTINF:'.length));
    } else if (line.startsWith('#EXT-X-BYTERANGE:')) {
      range = byteRange(line.slice('#EXT-X-BYTERANGE:'.length), nextOffset);
    } else if (line && !line.startsWith('#') && duration !== null) {
      segments.push({ uri: new URL(line, baseUrl).href, duration, range });
      if (range) nextOffset = range.end + 1;
      duration = null;
      range = null;
    }
  }
  return { init, segments };
}

function byteRange(spec, defaultOffset) {
  const [length, offset] = spec.split('@').map(Number);
  const start = Number.isFinite(offset) ? offset : defaultOffset;
  return { start, end: start + length - 1 };
}

function parseAttributes(text) {
  const attributes = {};
  const pattern = /([A-Z0-9-]+)=("[^"]*"|[^,]*)/g;
  let match;
  while ((match = pattern.exec(text))) attributes[match[1]] = match[2].replace(/^"|"$/g, '');
  return attributes;
}

async function fetchBytes(uri, range, timeout = 0) {
  const headers = range ? { Range: `bytes=${range.start}-${range.end}` } : {};
  const controller = new AbortController();
  const timer = timeout ? setTimeout(() => controller.abort(), timeout) : null;
  try {
    const response = await fetch(uri, { headers, signal: controller.signal });
    if (!response.ok) throw new Error(`${uri}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Where a video's HLS files can be fetched (issue 6): the origin's playlist folder first, then the mirrors that
 * the API lists in `streamingPlaylists[].redundancies[].baseUrl` (each holds the same file names). A request that
 * fails or takes longer than `timeout` ms moves to the next source, in both directions (origin ⇄ mirror).
 */
export class HLSSources {
  constructor(masterUrl, mirrors = [], { timeout = 2000, onSwitch = () => {} } = {}) {
    this.origin = masterUrl.slice(0, masterUrl.lastIndexOf('/'));
    this.bases = [this.origin, ...mirrors.map((m) => m.replace(/\/$/, ''))];
    this.current = 0;
    this.timeout = timeout;
    this.onSwitch = onSwitch;
  }

  /** The file's name below its playlist folder. */
  nameOf(uri) {
    return uri.startsWith(this.origin + '/') ? uri.slice(this.origin.length + 1) : uri.slice(uri.lastIndexOf('/') + 1);
  }

  async fetch(uri, range = null) {
    const name = this.nameOf(uri);
    let lastError = null;
    for (let attempt = 0; attempt < this.bases.length * 2; attempt++) {
      const base = this.bases[this.current];
      try {
        return await fetchBytes(`${base}/${name}`, range, this.timeout);
      } catch (error) {
        lastError = error;
        this.current = (this.current + 1) % this.bases.length;
        this.onSwitch({ from: base, to: this.bases[this.current], error: String(error) });
      }
    }
    throw lastError;
  }

  async text(uri) {
    return new TextDecoder().decode(await this.fetch(uri));
  }
}

function append(buffer, bytes) {
  return new Promise((resolve, reject) => {
    buffer.addEventListener('updateend', resolve, { once: true });
    buffer.addEventListener('error', reject, { once: true });
    buffer.appendBuffer(bytes);
  });
}

/** Seconds buffered ahead of the playhead. */
function bufferedAhead(video) {
  const t = video.currentTime;
  for (let i = 0; i < video.buffered.length; i++) {
    if (video.buffered.start(i) <= t + 0.5 && video.buffered.end(i) > t) return video.buffered.end(i) - t;
  }
  return 0;
}

/**
 * Plays `masterUrl` in `video`, choosing the variant with `pick(variants)` (default: the first one that fits
 * under 720 lines). Options: `mirrors` (copies to fail over to, see `HLSSources`), `timeout`, `onSwitch`,
 * `bufferAhead` (seconds kept ahead of the playhead, 30 by default), and `p2p({variantIndex, segments, http})`,
 * which may return a loader (`SegmentSwarm`) whose `load(index)` replaces HTTP for media segments.
 * Resolves once every segment is appended; `options.signal` (an AbortSignal) stops it.
 */
export async function playHLS(
  video, masterUrl, pick = (variants) => variants.find((v) => v.height <= 720) || variants[0], options = {},
) {
  const sources = new HLSSources(masterUrl, options.mirrors || [], options);
  const master = await sources.text(masterUrl);
  const variant = pick(parseMaster(master, masterUrl));
  const media = parseMedia(await sources.text(variant.uri), variant.uri);
  const source = new MediaSource();
  video.src = URL.createObjectURL(source);
  await new Promise((resolve) => source.addEventListener('sourceopen', resolve, { once: true }));
  const buffer = source.addSourceBuffer(`video/mp4; codecs="${variant.codecs}"`);
  await append(buffer, await sources.fetch(media.init.uri, media.init.range));
  video.play().catch(() => {});
  const http = (index) => sources.fetch(media.segments[index].uri, media.segments[index].range);
  const loader = options.p2p
    ? await options.p2p({ variantIndex: variant.index, segments: media.segments, http, ahead: () => bufferedAhead(video) })
    : null;
  const ahead = options.bufferAhead ?? 30;
  try {
    for (let index = 0; index < media.segments.length; index++) {
      while (bufferedAhead(video) > ahead && !options.signal?.aborted) await new Promise((r) => setTimeout(r, 250));
      if (options.signal?.aborted) return variant;
      await append(buffer, loader ? await loader.load(index) : await http(index));
    }
    source.endOfStream();
  } finally {
    if (options.signal?.aborted) loader?.close?.();
  }
  return variant;
}
