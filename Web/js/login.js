import { login } from './api.js';
import { layout, message } from './layout.js';

const { main } = await layout('Log in');
const form = document.getElementById('login');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  try {
    await login(data.get('username'), data.get('password'));
    location.href = localPath(new URLSearchParams(location.search).get('next'));
  } catch (error) {
    message(main, error.message);
  }
});

/** `next` when it is a path on this site (`/…`, not `//host` or `/\host`, no scheme); else the home page. */
function localPath(next) {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  const url = new URL(next, location.origin);
  return url.origin === location.origin ? url.pathname + url.search + url.hash : '/';
}
