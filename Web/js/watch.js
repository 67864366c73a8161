// The watch page: the player (HLS over MSE with failover to the mirrors the API lists, or the web MP4), quality
// choice, theater mode, keyboard controls, rating, and comment threads.
import { api, el, loggedIn } from './api.js';
import { playHLS } from './hls-mse.js';
import { SegmentSwarm, trackerURL } from './p2p.js';
import { layout, message } from './layout.js';

const uuid = location.pathname.split('/').pop();
const { main, user } = await layout();
const video = document.getElementById('video');
let details;
try {
  details = await api(`/api/v1/videos/${uuid}`);
} catch (error) {
  message(main, error.message);
  throw error;
}
document.title = `${details.name} · Herd`;
document.getElementById('title').textContent = details.name;
document.getElementById('meta').replaceChildren(...[
  `${details.views} views · ${new Date(details.publishedAt).toLocaleDateString()} · `,
  el('span', {}, details.channel?.displayName || ''),
  details.isLocal === false ? el('span', { class: 'badge' }, details.account?.host) : null].filter(Boolean));
document.getElementById('description').textContent = details.description || '';

// Player: HLS when there is a playlist (with its mirrors to fail over to, and peer sharing unless turned off or the
// video is private), else the largest web MP4.
const playlist = details.streamingPlaylists?.[0];
const rung = document.getElementById('rung');
const source = document.getElementById('source');
const sharing = document.getElementById('sharing');
const peersLine = document.getElementById('peers');
const privateVideo = ![1, 2].includes(details.privacy?.id);
sharing.checked = localStorage.getItem('herd.p2p') !== 'off' && !privateVideo;
sharing.disabled = privateVideo;
let playing = null;
let swarm = null;
let controller = null;
let hashes = null;
const tracker = (details.trackerUrls || []).find((u) => u.startsWith('ws')) || trackerURL();
async function p2p({ variantIndex, segments, http, ahead }) {
  swarm?.close();
  swarm = null;
  if (!sharing.checked) return null;
  hashes ??= await fetch(playlist.segmentsSha256Url).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  if (!hashes) return null;
  const candidate = new SegmentSwarm({
    tracker, masterUrl: playlist.playlistUrl, variantIndex, segments, hashes, http, ahead,
    corrupt: new URLSearchParams(location.search).has('p2p-test-corrupt'),
  });
  swarm = (await candidate.start()) ? candidate : null;
  return swarm;
}
let control = null;
function start() {
  controller?.abort();
  controller = new AbortController();
  const mirrors = (playlist.redundancies || []).map((r) => r.baseUrl);
  const chosen = Number(rung.value);
  playing = playHLS(video, playlist.playlistUrl, chosen ? (variants) => variants.find((v) => v.height === chosen) : null, {
    mirrors, p2p, signal: controller.signal,
    onControl: (c) => { control = c; },
    onVariant: (v) => { quality.textContent = rung.value === '0' ? `Auto (${v.height}p)` : ''; },
    onSwitch: (s) => { source.textContent = `Playing from ${new URL(s.to).host}`; },
  });
  const mine = controller;
  playing.catch((error) => { if (!mine.signal.aborted) message(main, `Playback failed: ${error.message}`); });
}
sharing.addEventListener('change', () => {
  localStorage.setItem('herd.p2p', sharing.checked ? 'on' : 'off');
  if (!sharing.checked) { swarm?.close(); swarm = null; }
});
setInterval(() => {
  if (!swarm) { peersLine.textContent = sharing.checked ? '' : 'Sharing is off'; return; }
  const s = swarm.stats;
  const total = s.peerBytes + s.httpBytes;
  peersLine.textContent = `${swarm.peerCount} peers · ${total ? Math.round((100 * s.peerBytes) / total) : 0}% from peers`;
}, 1000);
const quality = el('span', { class: 'muted' });
rung.after(quality);
if (playlist && window.MediaSource) {
  const heights = playlist.files.map((f) => f.resolution.id).filter((h) => h > 0).sort((a, b) => b - a);
  rung.append(el('option', { value: 0 }, 'Auto'), ...heights.map((h) => el('option', { value: h }, `${h}p`)));
  rung.value = '0';
  rung.addEventListener('change', () => control?.select(Number(rung.value)));
  start();
} else if (details.files?.length) {
  rung.parentElement.hidden = true;
  video.src = details.files[0].fileUrl;
} else {
  message(main, 'This video has no playable file yet.', 'info');
}
window.herdPlayer = { video, get playing() { return playing; }, get swarm() { return swarm; } };

// Theater mode and keyboard controls (space/k play-pause, ←/→ 5 s, f full screen, m mute, t theater).
const theater = document.getElementById('theater');
theater.addEventListener('click', () => {
  const on = main.classList.toggle('theater');
  theater.setAttribute('aria-pressed', String(on));
});
document.addEventListener('keydown', (event) => {
  if (event.target.closest('input, textarea, select')) return;
  const keys = {
    ' ': () => (video.paused ? video.play() : video.pause()), k: () => (video.paused ? video.play() : video.pause()),
    ArrowLeft: () => { video.currentTime = Math.max(0, video.currentTime - 5); },
    ArrowRight: () => { video.currentTime += 5; },
    f: () => (document.fullscreenElement ? document.exitFullscreen() : video.requestFullscreen()),
    m: () => { video.muted = !video.muted; }, t: () => theater.click(),
  };
  if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
});

// Rating.
const actions = document.getElementById('actions');
const likes = el('button', { type: 'button' }, `Like · ${details.likes}`);
const dislikes = el('button', { type: 'button' }, `Dislike · ${details.dislikes}`);
async function rate(rating) {
  if (!loggedIn()) { location.href = `/login?next=${encodeURIComponent(location.pathname)}`; return; }
  try {
    await api(`/api/v1/videos/${details.id}/rate`, { method: 'PUT', body: { rating } });
    const fresh = await api(`/api/v1/videos/${uuid}`);
    likes.textContent = `Like · ${fresh.likes}`;
    dislikes.textContent = `Dislike · ${fresh.dislikes}`;
  } catch (error) { message(main, error.message); }
}
likes.addEventListener('click', () => rate('like'));
dislikes.addEventListener('click', () => rate('dislike'));
actions.append(likes, dislikes);
if (details.support) actions.append(el('span', { class: 'support' }, details.support));

// Comments: threads with their replies.
const threads = document.getElementById('threads');
function comment(item) {
  return el('li', { class: 'comment' },
    el('p', { class: 'meta' }, item.account ? `${item.account.displayName || item.account.name}` : 'deleted',
      ` · ${new Date(item.createdAt).toLocaleString()}`),
    el('p', {}, item.isDeleted ? '[deleted]' : item.text));
}
async function loadComments() {
  try {
    const page = await api(`/api/v1/videos/${details.id}/comment-threads?count=50`);
    threads.replaceChildren(...page.data.map((thread) => {
      const node = comment(thread);
      if (thread.totalReplies > 0) {
        const replies = el('ol', { class: 'replies' });
        node.append(el('button', { type: 'button', class: 'link', onclick: async (event) => {
          event.target.remove();
          const tree = await api(`/api/v1/videos/${details.id}/comment-threads/${thread.id}`);
          replies.replaceChildren(...tree.children.map((child) => comment(child.comment)));
        } }, `${thread.totalReplies} replies`), replies);
      }
      return node;
    }));
    if (!page.data.length) threads.replaceChildren(el('li', { class: 'muted' }, 'No comments yet.'));
  } catch (error) {
    threads.replaceChildren(el('li', { class: 'muted' }, error.message));
  }
}
const form = document.getElementById('comment');
if (user && details.commentsEnabled !== false) {
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api(`/api/v1/videos/${details.id}/comment-threads`, { method: 'POST', body: { text: form.elements.text.value } });
      form.reset();
      await loadComments();
    } catch (error) { message(main, error.message); }
  });
}
loadComments();
