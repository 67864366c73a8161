// Home and search: recent, trending, local and federated lists; /search?search=… uses the search API.
import { api, el } from './api.js';
import { card, layout, message } from './layout.js';

const lists = [
  { id: 'recent', label: 'Recent', query: 'sort=-publishedAt' },
  { id: 'trending', label: 'Trending', query: 'sort=-views' },
  { id: 'local', label: 'Local', query: 'sort=-publishedAt&isLocal=true' },
  { id: 'federated', label: 'Federated', query: 'sort=-publishedAt&isLocal=false' },
];

async function show(grid, path) {
  grid.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  const page = await api(path);
  grid.replaceChildren(...(page.data.length ? page.data.map(card) : [el('p', { class: 'muted' }, 'No videos yet.')]));
}

const { main } = await layout();
const tabs = main.querySelector('.tabs');
const grid = main.querySelector('.grid');
const params = new URLSearchParams(location.search);
try {
  if (location.pathname === '/search') {
    const search = params.get('search') || '';
    document.title = `${search} · Herd`;
    tabs.replaceChildren(el('h1', {}, `Results for “${search}”`));
    const query = new URLSearchParams({ search, count: '30' });
    for (const name of ['durationMin', 'durationMax', 'startDate', 'endDate', 'host']) {
      if (params.get(name)) query.set(name, params.get(name));
    }
    await show(grid, `/api/v1/search/videos?${query}`);
  } else {
    const current = lists.find((list) => list.id === params.get('list')) || lists[0];
    tabs.replaceChildren(...lists.map((list) => el('a', {
      href: `/?list=${list.id}`, 'aria-current': list === current ? 'page' : null,
    }, list.label)));
    await show(grid, `/api/v1/videos?count=30&${current.query}`);
  }
} catch (error) {
  message(main, error.message);
}
