// The watch page: the player (HLS over MSE with failover to the mirrors the API lists, or the web MP4), quality
// choice, theater mode, keyboard controls, rating, and comment threads.
import { api as plainApi, el, loggedIn } from './api.js';
import { playHLS } from './hls-mse.js';
import { shareable, swarmsFor } from './p2p.js';
import { errorPage, layout, message } from './layout.js';
import { PASSWORD_HEADER, playableUrls, videoDetails } from './private-files.js';

const uuid = location.pathname.split('/').pop();
const { main, user } = await layout();
const video = document.getElementById('video');
let details;
let password;
try {
  ({ details, password } = await videoDetails(uuid, main));
} catch (error) {
  // A missing, private or refused video: an error page, not an empty player.
  errorPage(main, error);
}
if (details) await watch();

async function watch() {
  // Every later request about a password-protected video carries its password.
  const api = (path, options = {}) =>
    plainApi(path, { ...options, headers: { ...(options.headers || {}), ...(password ? { [PASSWORD_HEADER]: password } : {}) } });
  // Private, internal and password-protected videos play with a file token.
  const urls = await playableUrls(details, password);
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
  const privateVideo = !shareable(details);
  sharing.checked = localStorage.getItem('herd.p2p') !== 'off' && !privateVideo;
  sharing.disabled = privateVideo;
  let playing = null;
  let swarm = null;
  let controller = null;
  const join = swarmsFor(details, {
    enabled: () => sharing.checked, corrupt: new URLSearchParams(location.search).has('p2p-test-corrupt'),
  });
  async function p2p(rung) {
    swarm?.close();
    swarm = await join(rung);
    return swarm;
  }
  let control = null;
  function start() {
    controller?.abort();
    controller = new AbortController();
    const mirrors = (playlist.redundancies || []).map((r) => r.baseUrl);
    const chosen = Number(rung.value);
    playing = playHLS(video, urls.playlistUrl, chosen ? (variants) => variants.find((v) => v.height === chosen) : null, {
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
    video.src = urls.fileUrl;
  } else {
    message(main, 'This video has no playable file yet.', 'info');
  }
  reportViews();
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

  // Rating: each button shows whether it is on (aria-pressed); pressing the one that is on takes the rating back.
  const actions = document.getElementById('actions');
  const likes = el('button', { type: 'button', id: 'like', 'aria-pressed': 'false' });
  const dislikes = el('button', { type: 'button', id: 'dislike', 'aria-pressed': 'false' });
  let rating = 'none';
  function showRating(counts) {
    likes.textContent = `Like · ${counts.likes}`;
    dislikes.textContent = `Dislike · ${counts.dislikes}`;
    likes.setAttribute('aria-pressed', String(rating === 'like'));
    dislikes.setAttribute('aria-pressed', String(rating === 'dislike'));
  }
  showRating(details);
  if (user) {
    api(`/api/v1/users/me/videos/${details.id}/rating`).then((mine) => {
      rating = mine.rating || 'none';
      showRating(details);
    }, () => {});
  }
  async function rate(wanted) {
    if (!loggedIn()) { location.href = `/login?next=${encodeURIComponent(location.pathname)}`; return; }
    const next = rating === wanted ? 'none' : wanted;
    try {
      await api(`/api/v1/videos/${details.id}/rate`, { method: 'PUT', body: { rating: next } });
      rating = next;
      showRating(await api(`/api/v1/videos/${uuid}`));
    } catch (error) { message(main, error.message); }
  }
  likes.addEventListener('click', () => rate('like'));
  dislikes.addEventListener('click', () => rate('dislike'));
  async function report(target, what) {
    if (!loggedIn()) { location.href = `/login?next=${encodeURIComponent(location.pathname)}`; return; }
    const reason = await askReason(`Why should moderators look at this ${what}?`);
    if (!reason) return;
    try {
      await api('/api/v1/abuses', { method: 'POST', body: { reason, ...target } });
      message(main, 'Thank you: the moderators will look at it.', 'info');
    } catch (error) { message(main, error.message); }
  }
  actions.append(likes, dislikes,
    el('button', { type: 'button', onclick: () => report({ video: { id: details.id } }, 'video') }, 'Report'));
  if (details.support) {
    const text = el('p', { class: 'support', hidden: true }, details.support);
    actions.append(el('button', { type: 'button', onclick: () => { text.hidden = !text.hidden; } }, 'Support'));
    actions.after(text);
  }

  // Comments: threads with their replies.
  const threads = document.getElementById('threads');
  function comment(item, threadId = item.id) {
    const node = el('li', { class: 'comment' },
      el('p', { class: 'meta' }, item.account ? `${item.account.displayName || item.account.name}` : 'deleted',
        ` · ${new Date(item.createdAt).toLocaleString()}`),
      el('p', {}, item.isDeleted ? '[deleted]' : linkified(item.text)));
    if (!item.isDeleted && user && details.commentsEnabled !== false) {
      const reply = el('form', { class: 'stack', hidden: true, 'aria-label': 'Reply', onsubmit: async (event) => {
        event.preventDefault();
        try {
          await api(`/api/v1/videos/${details.id}/comments/${item.id}`, { method: 'POST', body: { text: reply.elements.text.value } });
          await loadComments(threadId);
        } catch (error) { message(main, error.message); }
      } }, el('textarea', { name: 'text', rows: 2, required: true, 'aria-label': 'Your reply' }), el('button', { type: 'submit' }, 'Reply'));
      node.append(el('p', { class: 'comment-actions' },
        el('button', { type: 'button', class: 'link', 'aria-expanded': 'false', onclick: (event) => {
          reply.hidden = !reply.hidden;
          event.target.setAttribute('aria-expanded', String(!reply.hidden));
          if (!reply.hidden) reply.elements.text.focus();
        } }, 'Reply'), ' ',
        el('button', { type: 'button', class: 'link', onclick: () => report({ comment: { id: item.id } }, 'comment') }, 'Report')), reply);
    }
    return node;
  }
  async function replies(thread, list) {
    const tree = await api(`/api/v1/videos/${details.id}/comment-threads/${thread.id}`);
    const flatten = (children) => children.flatMap((child) => [child.comment, ...flatten(child.children || [])]);
    list.replaceChildren(...flatten(tree.children).map((child) => comment(child, thread.id)));
  }
  async function loadComments(open = null) {
    try {
      const page = await api(`/api/v1/videos/${details.id}/comment-threads?count=50`);
      threads.replaceChildren(...page.data.map((thread) => {
        const node = comment(thread);
        const list = el('ol', { class: 'replies' });
        if (thread.totalReplies > 0 && thread.id !== open) {
          node.append(el('button', { type: 'button', class: 'link', onclick: async (event) => {
            event.target.remove();
            await replies(thread, list);
          } }, `${thread.totalReplies} ${thread.totalReplies === 1 ? 'reply' : 'replies'}`));
        }
        node.append(list);
        if (thread.id === open) replies(thread, list);
        return node;
      }));
      if (!page.data.length) threads.replaceChildren(el('li', { class: 'muted' }, 'No comments yet.'));
    } catch (error) {
      threads.replaceChildren(el('li', { class: 'muted' }, error.message));
    }
  }
  const form = document.getElementById('comment');
  if (details.commentsEnabled === false) {
    threads.before(el('p', { class: 'muted' }, 'Comments are turned off for this video.'));
  } else if (details.commentsPolicy?.id === 3) {
    form.before(el('p', { class: 'muted' }, 'Comments are shown once the video\'s owner approves them.'));
  }
  // Anyone may start a comment; a visitor who is not logged in is sent to log in with the text kept, and finds it
  // here again afterwards.
  const DRAFT_KEY = `herd.draft.${uuid}`;
  if (details.commentsEnabled !== false) {
    form.hidden = false;
    form.elements.text.value = sessionStorage.getItem(DRAFT_KEY) || '';
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!user) {
        sessionStorage.setItem(DRAFT_KEY, form.elements.text.value);
        location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
        return;
      }
      try {
        await api(`/api/v1/videos/${details.id}/comment-threads`, { method: 'POST', body: { text: form.elements.text.value } });
        sessionStorage.removeItem(DRAFT_KEY);
        form.reset();
        await loadComments();
      } catch (error) { message(main, error.message); }
    });
    if (!user) form.querySelector('button').textContent = 'Log in to comment';
  }
  loadComments();


  /** The viewer's session, kept by this browser: a reload is not a new viewer. */
  function viewerSession() {
    let session = localStorage.getItem('herd.viewer');
    if (!session) {
      session = crypto.randomUUID();
      localStorage.setItem('herd.viewer', session);
    }
    return session;
  }

  /** Reports the view and the watch position as PeerTube's player does: POST /api/v1/videos/{id}/views with
   * `currentTime` once playback starts, every 10 s of playing, on seeks (`viewEvent: 'seek'`) and at the end. */
  function reportViews() {
    const video = document.getElementById('video');
    const sessionId = viewerSession();
    let last = -Infinity;
    const send = (viewEvent) => {
      last = performance.now();
      api(`/api/v1/videos/${details.uuid}/views`, { method: 'POST',
        body: { currentTime: Math.max(0, Math.floor(video.currentTime || 0)), sessionId, ...(viewEvent ? { viewEvent } : {}) } })
        .catch(() => {});
    };
    video.addEventListener('playing', () => { if (last < 0) send(); });
    video.addEventListener('timeupdate', () => { if (!video.paused && performance.now() - last >= 10000) send(); });
    video.addEventListener('seeked', () => send('seek'));
    video.addEventListener('ended', () => send());
  }

  /** Text with its http(s) links as links (text nodes and anchors: nothing is parsed as HTML). */
  function linkified(text) {
    const parts = [];
    let rest = text;
    for (;;) {
      const match = /https?:\/\/[^\s<>"]+/.exec(rest);
      if (!match) break;
      const url = match[0].replace(/[.,;:!?)]+$/, '');
      parts.push(rest.slice(0, match.index), el('a', { href: url, rel: 'nofollow noopener ugc', target: '_blank' }, url));
      rest = rest.slice(match.index + url.length);
    }
    parts.push(rest);
    return parts;
  }

  /** A dialog asking for a report's reason: resolves with the text, or null when cancelled. */
  function askReason(question) {
    return new Promise((resolve) => {
      const reason = el('textarea', { name: 'reason', rows: 3, required: true, maxlength: 3000, 'aria-label': 'Reason' });
      const dialog = el('dialog', { 'aria-label': 'Report' },
        el('form', { method: 'dialog', class: 'stack' },
          el('label', {}, question, reason),
          el('p', { class: 'actions' },
            el('button', { type: 'submit', value: 'send' }, 'Send report'),
            el('button', { type: 'button', onclick: () => dialog.close('cancel') }, 'Cancel'))));
      dialog.addEventListener('close', () => {
        resolve(dialog.returnValue === 'send' && reason.value.trim() ? reason.value.trim() : null);
        dialog.remove();
      });
      document.body.append(dialog);
      dialog.showModal();
    });
  }
}
