// Upload through PeerTube's resumable protocol: a session, then chunks with Content-Range. The session's address is
// kept per file, so a reload or a dropped network resumes where the server says it stands (`bytes */size` → 308 +
// Range). Then the video's transcoding progress is shown until it is published.
import { api, el, problem, token } from './api.js';
import { layout, message } from './layout.js';

const CHUNK = 8 * 1024 * 1024;
const { main, user } = await layout('Upload');
if (!user) location.href = '/login?next=/upload';
const form = document.getElementById('upload');
const select = form.elements.channelId;
for (const channel of user?.videoChannels || []) select.append(el('option', { value: channel.id }, channel.displayName));
const drop = document.getElementById('drop');
for (const type of ['dragenter', 'dragover']) drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  if (event.dataTransfer.files.length) form.elements.file.files = event.dataTransfer.files;
  fillName();
});
form.elements.file.addEventListener('change', fillName);
function fillName() {
  const file = form.elements.file.files[0];
  if (file && !form.elements.name.value) form.elements.name.value = file.name.replace(/\.[^.]+$/, '');
}

const stage = document.getElementById('stage');
const bar = document.getElementById('bar');
const figures = document.getElementById('figures');

function auth() { return { Authorization: `Bearer ${token().access_token}` }; }
const keyOf = (file) => `herd.upload:${file.name}:${file.size}:${file.lastModified}`;

async function session(file, fields) {
  const saved = localStorage.getItem(keyOf(file));
  if (saved) return saved;
  const response = await fetch('/api/v1/videos/upload-resumable', {
    method: 'POST',
    headers: { ...auth(), 'Content-Type': 'application/json', 'X-Upload-Content-Length': String(file.size),
      'X-Upload-Content-Type': file.type || 'video/mp4' },
    body: JSON.stringify({ ...fields, filename: file.name }),
  });
  if (!response.ok) throw new Error(await problem(response));
  const location = response.headers.get('Location');
  localStorage.setItem(keyOf(file), location);
  return location;
}

/** Where the server stands: the next byte it wants (308 + Range), or the finished video. */
async function position(address, file) {
  const response = await fetch(address, { method: 'PUT', headers: { ...auth(), 'Content-Range': `bytes */${file.size}` } });
  if (response.status === 308) {
    const range = response.headers.get('Range');
    return { next: range ? Number(range.split('-')[1]) + 1 : 0 };
  }
  if (response.ok) return { done: await response.json() };
  if (response.status === 404) return { gone: true };
  throw new Error(await problem(response));
}

async function send(file, address) {
  let state = await position(address, file);
  const started = performance.now();
  const from = state.next || 0;
  let failures = 0;
  while (!state.done) {
    if (state.gone) throw new Error('the upload session expired; start again');
    const start = state.next;
    const end = Math.min(start + CHUNK, file.size) - 1;
    try {
      const response = await fetch(address, {
        method: 'PUT', headers: { ...auth(), 'Content-Range': `bytes ${start}-${end}/${file.size}` },
        body: file.slice(start, end + 1),
      });
      if (response.status === 308) {
        const range = response.headers.get('Range');
        state = { next: range ? Number(range.split('-')[1]) + 1 : 0 };
      } else if (response.ok) {
        state = { done: await response.json() };
      } else if (response.status >= 500 || response.status === 429) {
        throw new Error(await problem(response));
      } else {
        throw Object.assign(new Error(await problem(response)), { fatal: true });
      }
      failures = 0;
    } catch (error) {
      if (error.fatal) throw error;
      failures += 1;
      stage.textContent = `Connection lost, retrying (${failures})…`;
      await new Promise((resolve) => setTimeout(resolve, Math.min(30000, 1000 * 2 ** failures)));
      state = await position(address, file).catch(() => ({ next: state.next }));
      continue;
    }
    const sent = state.done ? file.size : state.next;
    const seconds = (performance.now() - started) / 1000;
    const speed = (sent - from) / Math.max(seconds, 0.001);
    bar.value = (sent / file.size) * 100;
    stage.textContent = `Uploading: ${Math.floor(bar.value)}%`;
    figures.textContent = `${(speed / 1048576).toFixed(1)} MB/s · ${Math.ceil((file.size - sent) / Math.max(speed, 1))} s left`;
  }
  localStorage.removeItem(keyOf(file));
  return state.done.video;
}

async function watchTranscoding(video) {
  bar.value = 0;
  for (;;) {
    const current = await api(`/api/v1/videos/${video.uuid}`);
    if (current.state.id === 1) {
      stage.replaceChildren('Published: ', el('a', { href: `/videos/watch/${video.uuid}` }, current.name));
      bar.value = 100;
      figures.textContent = '';
      return;
    }
    if (current.state.id === 7 || current.state.id === 8) throw new Error(current.stateReason || current.state.label);
    const progress = current.transcodingProgress;
    // PeerTube's state labels ("To transcode") name a queue, not what the videographer waits for.
    stage.textContent = progress ? 'Transcoding…' : 'Waiting for the transcoder…';
    if (progress) {
      bar.value = progress.percent;
      figures.textContent = `${progress.percent.toFixed(0)}%${progress.fps ? ` · ${progress.fps.toFixed(0)} fps` : ''}${progress.eta ? ` · ${Math.ceil(progress.eta)} s left` : ''}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = form.elements.file.files[0];
  if (!file) return;
  document.getElementById('progress').hidden = false;
  form.querySelector('button').disabled = true;
  try {
    stage.textContent = 'Starting…';
    const address = await session(file, {
      name: form.elements.name.value, channelId: Number(select.value), privacy: Number(form.elements.privacy.value),
    });
    const video = await send(file, address);
    await watchTranscoding(video);
  } catch (error) {
    // The progress line says it too: a refused upload must not look as if it were still starting.
    stage.textContent = `Upload failed: ${error.message}`;
    bar.value = 0;
    figures.textContent = '';
    message(main, error.message);
  } finally {
    form.querySelector('button').disabled = false;
  }
});
