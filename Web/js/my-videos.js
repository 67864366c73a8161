// The user's videos with their state and, while transcoding, its progress (refreshed every 2 s).
import { api, el } from './api.js';
import { layout, message } from './layout.js';

const { main, user } = await layout('My videos');
if (!user) location.href = '/login?next=/my-videos';
const rows = document.getElementById('rows');
async function refresh() {
  const page = await api('/api/v1/users/me/videos?count=100&sort=-createdAt');
  const pending = [];
  rows.replaceChildren(...await Promise.all(page.data.map(async (video) => {
    let state = video.state.label;
    if (video.state.id !== 1 && video.state.id !== 7) {
      const details = await api(`/api/v1/videos/${video.uuid}`).catch(() => null);
      const progress = details?.transcodingProgress;
      if (progress) state += ` (${progress.percent.toFixed(0)}%)`;
      pending.push(video);
    }
    return el('tr', {},
      el('td', {}, el('a', { href: `/videos/watch/${video.uuid}` }, video.name)),
      el('td', {}, state), el('td', {}, video.privacy.label),
      el('td', {}, new Date(video.publishedAt).toLocaleString()));
  })));
  if (!page.data.length) rows.replaceChildren(el('tr', {}, el('td', { colspan: 4 }, 'No videos yet: upload one.')));
  if (pending.length) setTimeout(refresh, 2000);
}
refresh().catch((error) => message(main, error.message));
