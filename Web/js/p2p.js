// Peer sharing for HLS segments (issue 7): viewers of the same rung find each other through Herd's WebSocket
// tracker (the WebTorrent protocol: announces carry WebRTC offers, the tracker relays offers and answers), open
// RTCDataChannels and trade segments. A segment from a peer is played or shared only once its SHA-256 matches the
// origin's `segments-sha256.json`; a peer that is slow or wrong is skipped and the segment comes over HTTP (from the
// origin or a mirror). The swarm of a rung is PeerTube's: sha1("2" + masterPlaylistURL + "+V" + variantIndex).

const CHUNK = 64 * 1024;
const textEncoder = new TextEncoder();

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return '-HD0001-' + Array.from(bytes, (b) => String.fromCharCode(97 + (b % 26))).join('');
}

function binaryString(bytes) { return Array.from(bytes, (b) => String.fromCharCode(b)).join(''); }

async function digest(algorithm, bytes) {
  return new Uint8Array(await crypto.subtle.digest(algorithm, bytes));
}

function hex(bytes) { return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''); }

/** The WebSocket tracker's URL for a page of this instance. */
export function trackerURL(origin = location.origin) {
  return origin.replace(/^http/, 'ws') + '/tracker/socket';
}

/** Whether the video (as the API describes it) may be shared between viewers: public or unlisted. */
export function shareable(details) { return [1, 2].includes(details.privacy?.id); }

/**
 * The player's `p2p` option for a video as the API describes it: each call joins the swarm of one rung, or gives
 * null (sharing off, a private video, no segment hashes to check peers against, no WebRTC here).
 */
export function swarmsFor(details, { enabled = () => true, corrupt = false } = {}) {
  const playlist = details.streamingPlaylists?.[0];
  const tracker = (details.trackerUrls || []).find((u) => u.startsWith('ws')) || trackerURL();
  let hashes = null;
  return async ({ variantIndex, segments, http, ahead }) => {
    if (!playlist || !enabled() || !shareable(details)) return null;
    hashes ??= await fetch(playlist.segmentsSha256Url).then((r) => (r.ok ? r.json() : null)).catch(() => null);
    if (!hashes) return null;
    const swarm = new SegmentSwarm({
      tracker, masterUrl: playlist.playlistUrl, variantIndex, segments, hashes, http, ahead, corrupt,
    });
    return (await swarm.start()) ? swarm : null;
  };
}

/**
 * One rung's swarm. `segments` are the media playlist's segments ({uri, range}); `hashes` is the parsed
 * segments-sha256.json. `loader(index)` is what the player calls instead of an HTTP fetch.
 */
export class SegmentSwarm {
  constructor({
    tracker, masterUrl, variantIndex, segments, hashes, http, ahead = () => 0, peerTimeout = 2500, corrupt = false,
  }) {
    this.ahead = ahead; // seconds the player has buffered: while it is comfortable, a segment may wait for peers
    this.tracker = tracker;
    this.masterUrl = masterUrl;
    this.variantIndex = variantIndex;
    this.segments = segments;
    this.hashes = hashes;
    this.http = http;
    this.peerTimeout = peerTimeout;
    this.corrupt = corrupt; // test hook: act as a malicious peer (serve damaged bytes)
    this.peerId = randomId();
    this.peers = new Map(); // peer id → { channel, have: Set, pending: Map(index → {resolve, reject, parts, size}) }
    this.pendingOffers = new Map(); // offer id → RTCPeerConnection
    this.cache = new Map(); // index → Uint8Array
    this.stats = { peerBytes: 0, httpBytes: 0, peerSegments: 0, httpSegments: 0, rejected: 0, peerFailures: 0, firstPeerAt: null, served: 0, haveReceived: 0 };
    this.closed = false;
  }

  get peerCount() { return [...this.peers.values()].filter((p) => p.channel.readyState === 'open').length; }

  async start() {
    if (!window.RTCPeerConnection || !crypto.subtle) return false;
    const hash = await digest('SHA-1', textEncoder.encode(`2${this.masterUrl}+V${this.variantIndex}`));
    this.infoHash = binaryString(hash);
    this.started = performance.now();
    this.socket = new WebSocket(this.tracker);
    this.socket.addEventListener('message', (event) => this.onTrackerMessage(event.data));
    this.socket.addEventListener('open', () => this.announce('started'));
    this.timer = setInterval(() => { if (this.peerCount < 4) this.announce(); }, 15000);
    return true;
  }

  close() {
    this.closed = true;
    clearInterval(this.timer);
    // Closing a socket that is still connecting logs an error in the console: it is closed once open instead.
    if (this.socket?.readyState === WebSocket.CONNECTING) {
      this.socket.addEventListener('open', () => this.socket.close());
    } else {
      try { this.socket?.close(); } catch {}
    }
    for (const peer of this.peers.values()) peer.connection.close();
    for (const connection of this.pendingOffers.values()) connection.close();
  }

  connection() {
    return new RTCPeerConnection({ iceServers: [] });
  }

  async announce(event) {
    if (this.closed || this.socket.readyState !== WebSocket.OPEN) return;
    // Four offers, gathered side by side (each waits for its ICE candidates, a second at most).
    const offers = await Promise.all([0, 1, 2, 3].map(async () => {
      const connection = this.connection();
      const channel = connection.createDataChannel('herd-segments');
      const offerId = binaryString(crypto.getRandomValues(new Uint8Array(20)));
      this.pendingOffers.set(offerId, connection);
      connection.herdChannel = channel;
      await connection.setLocalDescription(await connection.createOffer());
      await this.iceDone(connection);
      return { offer_id: offerId, offer: { type: 'offer', sdp: connection.localDescription.sdp } };
    }));
    const left = this.segments.length - this.cache.size;
    this.toTracker({
      action: 'announce', info_hash: this.infoHash, peer_id: this.peerId, numwant: offers.length, uploaded: 0,
      downloaded: 0, left, offers, ...(event ? { event } : {}),
    });
  }

  /** Sends to the tracker unless the socket closed meanwhile (offers take a second to gather: the page may have
   * left, or the tracker gone). */
  toTracker(message) {
    if (!this.closed && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Waits for ICE gathering (no trickle over the tracker), a second at most. */
  iceDone(connection) {
    if (connection.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { if (connection.iceGatheringState === 'complete') resolve(); };
      connection.addEventListener('icegatheringstatechange', done);
      setTimeout(resolve, 1000);
    });
  }

  async onTrackerMessage(text) {
    let message;
    try { message = JSON.parse(text); } catch { return; }
    if (message.info_hash !== this.infoHash) return;
    if (message.interval !== undefined && message.complete !== undefined) {
      // The tracker's answer to an announce: how many viewers the swarm has (this one included).
      this.swarmSize = (message.complete || 0) + (message.incomplete || 0);
      return;
    }
    if (!message.peer_id || message.peer_id === this.peerId) return;
    if (message.offer) {
      const connection = this.connection();
      connection.addEventListener('datachannel', (event) => this.adopt(message.peer_id, connection, event.channel, false));
      await connection.setRemoteDescription(message.offer);
      await connection.setLocalDescription(await connection.createAnswer());
      await this.iceDone(connection);
      this.toTracker({
        action: 'announce', info_hash: this.infoHash, peer_id: this.peerId, to_peer_id: message.peer_id,
        offer_id: message.offer_id, answer: { type: 'answer', sdp: connection.localDescription.sdp },
      });
    } else if (message.answer) {
      const connection = this.pendingOffers.get(message.offer_id);
      if (!connection) return;
      this.pendingOffers.delete(message.offer_id);
      await connection.setRemoteDescription(message.answer);
      this.adopt(message.peer_id, connection, connection.herdChannel, true);
    }
  }

  /**
   * Takes a connection to `peerId`. Two viewers may connect to each other both ways at once (each answering the
   * other's offer); both keep the one offered by the smaller peer id, so they end up on the same connection.
   */
  adopt(peerId, connection, channel, offeredByMe) {
    const existing = this.peers.get(peerId);
    if (existing) {
      const offererOfNew = offeredByMe ? this.peerId : peerId;
      const keepNew = offererOfNew === (this.peerId < peerId ? this.peerId : peerId) && !existing.offeredBySmaller;
      if (!keepNew) { connection.close(); return; }
      this.peers.delete(peerId);
      existing.replaced = true;
      existing.connection.close();
    }
    channel.binaryType = 'arraybuffer';
    const offerer = offeredByMe ? this.peerId : peerId;
    const peer = {
      connection, channel, have: new Set(), pending: new Map(), receiving: null,
      offeredBySmaller: offerer === (this.peerId < peerId ? this.peerId : peerId),
    };
    this.peers.set(peerId, peer);
    const hello = () => {
      this.stats.firstPeerAt ??= Math.round(performance.now() - this.started);
      channel.send(JSON.stringify({ t: 'have', i: [...this.cache.keys()] }));
    };
    if (channel.readyState === 'open') hello(); else channel.addEventListener('open', hello);
    channel.addEventListener('message', (event) => this.onPeerMessage(peer, event.data));
    const drop = () => {
      if (this.peers.get(peerId) === peer) this.peers.delete(peerId);
      for (const request of peer.pending.values()) request.reject(new Error('peer left'));
    };
    channel.addEventListener('close', drop);
    connection.addEventListener('connectionstatechange', () => {
      if (['failed', 'closed'].includes(connection.connectionState)) drop();
    });
  }

  onPeerMessage(peer, data) {
    if (typeof data === 'string') {
      let message;
      try { message = JSON.parse(data); } catch { return; }
      if (message.t === 'have') {
        for (const index of message.i) peer.have.add(index);
        this.stats.haveReceived += message.i.length;
      }
      else if (message.t === 'get') this.serve(peer, message.i);
      else if (message.t === 'data') {
        const request = peer.pending.get(message.i);
        if (request) { request.size = message.size; request.parts = []; request.received = 0; peer.receiving = message.i; }
      } else if (message.t === 'none') {
        peer.pending.get(message.i)?.reject(new Error('peer does not have it'));
      }
      return;
    }
    const request = peer.pending.get(peer.receiving);
    if (!request || !request.parts) return;
    request.parts.push(new Uint8Array(data));
    request.received += data.byteLength;
    if (request.received >= request.size) {
      const bytes = new Uint8Array(request.size);
      let offset = 0;
      for (const part of request.parts) { bytes.set(part.subarray(0, request.size - offset), offset); offset += part.length; }
      peer.receiving = null;
      request.resolve(bytes);
    }
  }

  serve(peer, index) {
    const bytes = this.cache.get(index);
    if (peer.channel.readyState !== 'open') return;
    if (!bytes) {
      peer.channel.send(JSON.stringify({ t: 'none', i: index }));
      return;
    }
    this.stats.served += 1;
    let out = bytes;
    if (this.corrupt) { out = bytes.slice(); out[out.length >> 1] ^= 0xff; }
    peer.channel.send(JSON.stringify({ t: 'data', i: index, size: out.length }));
    for (let offset = 0; offset < out.length; offset += CHUNK) peer.channel.send(out.subarray(offset, offset + CHUNK));
  }

  fromPeer(peer, index) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { peer.pending.delete(index); reject(new Error('peer too slow')); }, this.peerTimeout);
      peer.pending.set(index, {
        resolve: (bytes) => { clearTimeout(timer); peer.pending.delete(index); resolve(bytes); },
        reject: (error) => { clearTimeout(timer); peer.pending.delete(index); reject(error); },
      });
      peer.channel.send(JSON.stringify({ t: 'get', i: index }));
    });
  }

  /** Whether `bytes` are segment `index` as the origin published it (segments-sha256.json). */
  async verify(index, bytes) {
    const segment = this.segments[index];
    const file = segment.uri.slice(segment.uri.lastIndexOf('/') + 1);
    const expected = this.hashes?.[file]?.[`${segment.range.start}-${segment.range.end}`];
    return Boolean(expected) && hex(await digest('SHA-256', bytes)) === expected;
  }

  /**
   * Segment `index`: from a peer that has it when one does (checked), else over HTTP. While the player has more than
   * 4 s buffered and the tracker says others watch this rung, a segment no peer has offered yet waits for them to
   * connect and say what they hold (20 s after joining at most); alone in the swarm, nothing waits.
   */
  async load(index) {
    const someoneHas = () => [...this.peers.values()].some((p) => p.channel.readyState === 'open' && p.have.has(index));
    const othersMayHaveIt = () => this.swarmSize === undefined || this.swarmSize > 1 || this.peers.size > 0;
    const someoneOpen = () => [...this.peers.values()].some((p) => p.channel.readyState === 'open' && !p.liar);
    while (!someoneHas() && !someoneOpen() && this.ahead() > 4 && othersMayHaveIt() && performance.now() - this.started < 20000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Peers that said they have it; failing that, peers that have not said anything yet (they answer `none` at once
    // if they do not have it).
    const open = [...this.peers.values()].filter((p) => p.channel.readyState === 'open');
    let candidates = open.filter((p) => p.have.has(index));
    if (!candidates.length) candidates = open.filter((p) => p.have.size === 0 && !p.liar);
    for (const peer of candidates.slice(0, 2)) {
      try {
        const bytes = await this.fromPeer(peer, index);
        if (await this.verify(index, bytes)) {
          this.stats.peerBytes += bytes.length;
          this.stats.peerSegments += 1;
          return this.keep(index, bytes);
        }
        this.stats.rejected += 1;
        peer.have.clear(); // it lied once: not asked again
        peer.liar = true;
      } catch {
        this.stats.peerFailures += 1;
      }
    }
    const bytes = await this.http(index);
    this.stats.httpBytes += bytes.length;
    this.stats.httpSegments += 1;
    return this.keep(index, bytes);
  }

  keep(index, bytes) {
    this.cache.set(index, bytes);
    for (const peer of this.peers.values()) {
      if (peer.channel.readyState === 'open') peer.channel.send(JSON.stringify({ t: 'have', i: [index] }));
    }
    return bytes;
  }
}
