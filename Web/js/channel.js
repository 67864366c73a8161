// Channel (/c/{name}, /video-channels/{name}) and account (/a/{name}, /accounts/{name}) pages: who it is and its videos.
import { api, el } from './api.js';
import { card, errorPage, layout } from './layout.js';

const [, kind, name] = location.pathname.split('/');
const isChannel = kind === 'c' || kind === 'video-channels';
const { main } = await layout();
try {
  const actor = await api(isChannel ? `/api/v1/video-channels/${name}` : `/api/v1/accounts/${name}`);
  document.title = `${actor.displayName} · Herd`;
  document.getElementById('name').textContent = actor.displayName;
  document.getElementById('about').textContent =
    `@${actor.name}@${actor.host} · ${actor.followersCount ?? 0} followers${actor.description ? ` · ${actor.description}` : ''}`;
  const videos = await api(isChannel ? `/api/v1/video-channels/${name}/videos?count=30` : `/api/v1/accounts/${name}/videos?count=30`);
  main.querySelector('.grid').replaceChildren(...(videos.data.length ? videos.data.map(card) : [el('p', { class: 'muted' }, 'No videos yet.')]));
} catch (error) {
  errorPage(main, error);
}
