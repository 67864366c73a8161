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

/** Index of the segment playing at `time` (by cumulative EXTINF durations). */
function segmentAt(segments, time) {
  let end = 0;
  for (let i = 0; i < segments.length; i++) {
    end += segments[i].duration;
    if (time < end) return i;
  }
  return segments.length;
}

function removeRange(buffer, start, end) {
  return new Promise((resolve, reject) => {
    if (end <= start) { resolve(); return; }
    buffer.addEventListener('updateend', resolve, { once: true });
    buffer.addEventListener('error', reject, { once: true });
    buffer.remove(start, end);
  });
}

/**
 * Plays `masterUrl` in `video`. The rung is chosen by measured bandwidth (the highest whose BANDWIDTH fits in 70%
 * of the throughput seen on HTTP segment fetches, lower when the buffer runs short), or fixed by `pick(variants)`
 * or `control.select(height)` (0 goes back to automatic). Rungs share one SourceBuffer: a switch appends the new
 * rung's init section and carries on at the same segment index (the ladder's segments are aligned); a manual switch
 * drops what was buffered ahead so the new rung shows at once.
 *
 * Options: `mirrors`, `timeout`, `onSwitch` (see `HLSSources`); `bufferAhead` (seconds kept ahead, 30);
 * `p2p({variantIndex, segments, http, ahead})`, which may return a loader whose `load(index)` replaces HTTP for the
 * rung's media segments (and `close()`); `onControl(control)` receives `{select(height), variants, current}`;
 * `onVariant(variant)` is told of each rung change; `signal` (AbortSignal) stops everything.
 * Resolves with the first rung once every segment has been appended; the player keeps serving switches after that.
 */
export async function playHLS(video, masterUrl, pick = null, options = {}) {
  const sources = new HLSSources(masterUrl, options.mirrors || [], options);
  const master = await sources.text(masterUrl);
  const variants = parseMaster(master, masterUrl); // highest bandwidth first
  let manual = pick ? pick(variants) : null;
  let current = manual || variants.find((v) => v.height <= 480) || variants[variants.length - 1];
  const first = current;
  const medias = new Map();
  const mediaOf = async (variant) => {
    if (!medias.has(variant)) medias.set(variant, parseMedia(await sources.text(variant.uri), variant.uri));
    return medias.get(variant);
  };
  const source = new MediaSource();
  video.src = URL.createObjectURL(source);
  await new Promise((resolve) => source.addEventListener('sourceopen', resolve, { once: true }));
  const mime = (variant) => `video/mp4; codecs="${variant.codecs}"`;
  const buffer = source.addSourceBuffer(mime(current));
  const ahead = options.bufferAhead ?? 30;
  let estimate = 0; // bits per second, from HTTP segment fetches
  let appended = null; // the rung whose init section is in the buffer
  let index = 0;
  let flushTo = null;
  let loader = null;
  let loaderVariant = null;
  const control = {
    variants,
    get current() { return current; },
    get estimate() { return estimate; },
    select(height) {
      manual = height ? variants.find((v) => v.height === Number(height)) || null : null;
      if (manual && manual !== current) {
        current = manual;
        flushTo = video.currentTime + 0.5;
      }
    },
  };
  options.onControl?.(control);
  const http = async (media, i) => {
    const started = performance.now();
    const bytes = await sources.fetch(media.segments[i].uri, media.segments[i].range);
    const seconds = (performance.now() - started) / 1000;
    if (seconds > 0.02) {
      const sample = (bytes.length * 8) / seconds;
      estimate = estimate ? 0.7 * estimate + 0.3 * sample : sample;
    }
    return bytes;
  };
  const automatic = () => {
    if (manual || !estimate) return current;
    const room = bufferedAhead(video);
    const budget = estimate * (room < 6 ? 0.4 : 0.7);
    return variants.find((v) => v.bandwidth <= budget) || variants[variants.length - 1];
  };
  const stopped = () => options.signal?.aborted;
  let resolveDone;
  let rejectDone;
  const done = new Promise((resolve, reject) => { resolveDone = resolve; rejectDone = reject; });
  let finished = false;
  (async () => {
    while (!stopped()) {
      if (flushTo !== null) {
        const from = flushTo;
        flushTo = null;
        if (buffer.updating) await new Promise((r) => buffer.addEventListener('updateend', r, { once: true }));
        await removeRange(buffer, from, Infinity);
        index = segmentAt((await mediaOf(current)).segments, from);
      }
      const media = await mediaOf(current);
      if (index >= media.segments.length) {
        if (source.readyState === 'open' && !buffer.updating) source.endOfStream();
        if (!finished) { finished = true; resolveDone(first); }
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      if (bufferedAhead(video) > ahead) { await new Promise((r) => setTimeout(r, 250)); continue; }
      const variant = current;
      if (appended !== variant) {
        if (appended && buffer.changeType) buffer.changeType(mime(variant));
        await append(buffer, await sources.fetch(media.init.uri, media.init.range));
        if (!appended) video.play().catch(() => {});
        appended = variant;
        options.onVariant?.(variant);
      }
      if (options.p2p && loaderVariant !== variant) {
        loader?.close?.();
        loaderVariant = variant;
        loader = await options.p2p({
          variantIndex: variant.index, segments: media.segments, http: (i) => http(media, i),
          ahead: () => bufferedAhead(video),
        });
      }
      const bytes = loader ? await loader.load(index) : await http(media, index);
      if (flushTo !== null || current !== variant) continue; // switched by hand meanwhile: not appended
      await append(buffer, bytes);
      index += 1;
      const next = automatic();
      if (next !== current) current = next;
    }
    loader?.close?.();
  })().catch((error) => {
    if (!finished) rejectDone(error);
    else options.onError?.(error);
  });
  return done;
}
