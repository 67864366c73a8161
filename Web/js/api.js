// The public API (/api/v1) as the pages use it: OAuth password login (PeerTube's local client), bearer requests,
// problem+json errors turned into Error messages. Tokens live in localStorage.

const TOKEN_KEY = 'herd.token';

export function token() {
  try { return JSON.parse(localStorage.getItem(TOKEN_KEY) || 'null'); } catch { return null; }
}

export function loggedIn() { return token() !== null; }

export function logout() { localStorage.removeItem(TOKEN_KEY); }

/** Fetches `path` (JSON unless `raw`), with the bearer token when logged in; throws with the server's message. */
export async function api(path, { method = 'GET', body, headers = {}, raw = false, form = false } = {}) {
  const saved = token();
  const init = { method, headers: { ...headers } };
  if (saved) init.headers.Authorization = `Bearer ${saved.access_token}`;
  if (body !== undefined) {
    if (form) {
      init.body = new URLSearchParams(body);
    } else if (body instanceof Blob || body instanceof FormData) {
      init.body = body;
    } else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  const response = await fetch(path, init);
  if (raw) return response;
  if (response.status === 401 && saved) logout();
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return null;
  return response.json();
}

/** The message of an RFC 7807 problem (or the status line). */
export async function problem(response) {
  return (await failure(response)).message;
}

/** An RFC 7807 problem as an Error, with PeerTube's machine-readable `code` when there is one. */
async function failure(response) {
  let body = {};
  try { body = await response.json(); } catch { /* not JSON: the status line says it */ }
  const error = new Error(body.detail || body.error || body.title || `HTTP ${response.status}`);
  error.code = body.code;
  error.status = response.status;
  return error;
}

/** Logs in with PeerTube's password grant and keeps the token. */
export async function login(username, password) {
  const client = await api('/api/v1/oauth-clients/local');
  const saved = await api('/api/v1/users/token', {
    method: 'POST', form: true,
    body: { client_id: client.client_id, client_secret: client.client_secret, grant_type: 'password', username, password },
  });
  localStorage.setItem(TOKEN_KEY, JSON.stringify(saved));
  return saved;
}

export async function me() {
  return loggedIn() ? api('/api/v1/users/me').catch(() => null) : null;
}

/** Text for a duration in seconds: 1:05, 1:02:03. */
export function duration(seconds) {
  const s = Math.floor(seconds % 60).toString().padStart(2, '0');
  const m = Math.floor(seconds / 60) % 60;
  const h = Math.floor(seconds / 3600);
  return h ? `${h}:${m.toString().padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Creates an element: el('a', { href: '/' }, 'Home'). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}
