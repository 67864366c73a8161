// The frame every page shares: the header (search, upload, login state), night mode, and the main element.
import { el, loggedIn, logout, me } from './api.js';

const NIGHT_KEY = 'herd.night';

export function applyNightMode() {
  const stored = localStorage.getItem(NIGHT_KEY);
  const night = stored === null ? matchMedia('(prefers-color-scheme: dark)').matches : stored === 'true';
  document.documentElement.classList.toggle('night', night);
}

export async function layout(title) {
  applyNightMode();
  document.title = title ? `${title} · Herd` : 'Herd';
  const params = new URLSearchParams(location.search);
  const search = el('form', { class: 'search', role: 'search', action: '/search' },
    el('input', { type: 'search', name: 'search', placeholder: 'Search videos', 'aria-label': 'Search videos',
      value: params.get('search') || '' }));
  const night = el('button', { type: 'button', class: 'icon', 'aria-label': 'Night mode', title: 'Night mode',
    'aria-pressed': String(document.documentElement.classList.contains('night')),
    onclick: () => {
      const on = !document.documentElement.classList.contains('night');
      localStorage.setItem(NIGHT_KEY, String(on));
      applyNightMode();
      night.setAttribute('aria-pressed', String(on));
    } }, '◐');
  const account = el('nav', { class: 'account', 'aria-label': 'Account' });
  const header = el('header', { class: 'top' },
    el('a', { href: '/', class: 'brand' }, 'Herd'), search, night, account);
  // A skip link first, so keyboard users reach the page's content in one Tab.
  document.body.prepend(el('a', { href: '#main', class: 'skip' }, 'Skip to content'), header);
  const user = await me();
  if (user) {
    account.append(...[
      el('a', { href: '/upload', class: 'button' }, 'Upload'),
      el('a', { href: '/my-videos' }, 'My videos'),
      user.role?.id === 0 ? el('a', { href: '/admin' }, 'Admin') : null,
      el('span', { class: 'who' }, user.username),
      el('button', { type: 'button', class: 'link', onclick: () => { logout(); location.href = '/'; } }, 'Log out'),
    ].filter(Boolean));
  } else if (!loggedIn()) {
    account.append(el('a', { href: '/login', class: 'button' }, 'Log in'), el('a', { href: '/signup' }, 'Sign up'));
  }
  return { user, main: document.querySelector('main') };
}

/** A video card for lists. */
export function card(video) {
  const thumbnail = video.thumbnailPath ? el('img', { src: video.thumbnailPath, alt: '', loading: 'lazy' }) : null;
  const minutes = Math.floor(video.duration / 60);
  const seconds = String(video.duration % 60).padStart(2, '0');
  return el('article', { class: 'card' },
    el('a', { href: `/videos/watch/${video.uuid}`, class: 'thumb' }, thumbnail,
      el('span', { class: 'duration' }, `${minutes}:${seconds}`)),
    el('h3', {}, el('a', { href: `/videos/watch/${video.uuid}` }, video.name)),
    el('p', { class: 'meta' }, video.channel ? el('a', {
      href: video.isLocal === false ? video.channel.url : `/c/${video.channel.name}`,
    }, video.channel.displayName) : '',
      ` · ${video.views} views`,
      video.isLocal === false ? el('span', { class: 'badge' }, video.account?.host || 'remote') : null));
}

/** Says what just happened at the top of the page (the latest news replaces the previous one). */
export function message(main, text, kind = 'error') {
  main.querySelectorAll(':scope > .notice').forEach((old) => old.remove());
  const node = el('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
  main.prepend(node);
  return node;
}

/** Replaces the page's content with an error page (a missing video, a refused page, a failed load): what happened,
 * and a way on (the home page; logging in when it may help). */
export function errorPage(main, error) {
  const status = error.status || 0;
  const titles = { 401: 'Log in to see this', 403: 'You cannot see this', 404: 'Page not found' };
  const title = titles[status] || 'Something went wrong';
  document.title = `${title} · Herd`;
  const next = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
  main.className = '';
  main.replaceChildren(el('section', { class: 'error-page', role: 'alert' },
    status ? el('p', { class: 'status' }, String(status)) : null,
    el('h1', {}, title),
    el('p', {}, error.message),
    el('p', {}, el('a', { href: '/' }, 'Back to the home page'),
      (status === 401 || status === 403) && !loggedIn() ? [' · ', el('a', { href: next }, 'Log in')] : null)));
}
