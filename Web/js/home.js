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
    const filter = (name, label, type, extra = {}) => el('label', {}, label,
      el('input', { name, type, value: params.get(name) || '', ...extra }));
    tabs.replaceChildren(el('h1', {}, `Results for “${search}”`),
      el('form', { class: 'inline filters', action: '/search', 'aria-label': 'Search filters' },
        el('input', { type: 'hidden', name: 'search', value: search }),
        filter('durationMin', 'Min. seconds', 'number', { min: '0' }),
        filter('durationMax', 'Max. seconds', 'number', { min: '0' }),
        filter('startDate', 'From', 'date'), filter('endDate', 'Until', 'date'),
        filter('host', 'Instance', 'text', { placeholder: 'videos.example.org' }),
        el('button', { type: 'submit' }, 'Filter')));
    const query = new URLSearchParams({ search, count: '30' });
    for (const name of ['durationMin', 'durationMax', 'host']) {
      if (params.get(name)) query.set(name, params.get(name));
    }
    // Dates from the form (YYYY-MM-DD) as ISO 8601 instants.
    if (params.get('startDate')) query.set('startDate', new Date(params.get('startDate')).toISOString());
    if (params.get('endDate')) query.set('endDate', new Date(`${params.get('endDate')}T23:59:59`).toISOString());
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
