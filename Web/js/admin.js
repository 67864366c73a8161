// Administration through the public API: users (roles, quotas), instance follows and followers, mirrors
// (redundancy) and background jobs.
import { api, el } from './api.js';
import { errorPage, layout, message } from './layout.js';

const { main, user } = await layout('Administration');
if (!user) {
  location.href = '/login?next=/admin';
} else if (user.role?.id !== 0) {
  // Only administrators see the sections (and the API refuses the rest anyway).
  errorPage(main, { status: 403, message: 'Only administrators can open the administration pages.' });
} else {
  administer();
}

function administer() {
  const tabs = main.querySelector('.tabs');
  const panel = document.getElementById('panel');
  const sections = { users, instance, follows, redundancy, jobs };
  const current = new URLSearchParams(location.search).get('section') || 'users';
  tabs.append(...Object.keys(sections).map((name) => el('a', {
    href: `/admin?section=${name}`, 'aria-current': name === current ? 'page' : null,
  }, name[0].toUpperCase() + name.slice(1))));

  const roles = [[0, 'Administrator'], [1, 'Moderator'], [2, 'User']];
  const act = (fn) => async (event) => {
    event.preventDefault?.();
    try {
      const said = await fn(event);
      if (said === false) return; // cancelled (a declined confirmation)
      await render();
      message(main, typeof said === 'string' ? said : 'Saved.', 'info');
    } catch (error) { message(main, error.message); }
  };
  function table(headers, rows) {
    // Wide tables scroll sideways on a phone: no column (Delete, …) is ever hidden.
    return el('div', { class: 'table-scroll' }, el('table', { class: 'list' },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows.length ? rows : [el('tr', {}, el('td', { colspan: headers.length, class: 'muted' }, 'Nothing here.'))])));
  }

  async function users() {
    const page = await api('/api/v1/users?count=100');
    const form = el('form', { class: 'inline', 'aria-label': 'Create a user', onsubmit: act(async (event) => {
      const data = new FormData(event.target);
      await api('/api/v1/users', { method: 'POST', body: {
        username: data.get('username'), password: data.get('password'), email: data.get('email'),
        role: Number(data.get('role')), videoQuota: Number(data.get('quota')) * 1073741824 || -1,
      } });
    }) },
    el('input', { name: 'username', placeholder: 'Username', required: true, 'aria-label': 'Username' }),
    el('input', { name: 'email', type: 'email', placeholder: 'Email', required: true, 'aria-label': 'Email' }),
    el('input', { name: 'password', type: 'password', placeholder: 'Password', required: true, 'aria-label': 'Password' }),
    el('select', { name: 'role', 'aria-label': 'Role' }, roles.map(([id, label]) => el('option', { value: id, selected: id === 2 }, label))),
    el('input', { name: 'quota', type: 'number', min: '0', step: '0.5', placeholder: 'Quota (GiB)', 'aria-label': 'Quota in GiB' }),
    el('button', { type: 'submit' }, 'Create user'));
    return [form, table(['User', 'Role', 'Quota (GiB)', ''], page.data.map((u) => el('tr', {},
      el('td', {}, u.username),
      el('td', {}, el('select', { 'aria-label': `Role of ${u.username}`, onchange: act((e) => api(`/api/v1/users/${u.id}`,
        { method: 'PUT', body: { role: Number(e.target.value) } })) },
      roles.map(([id, label]) => el('option', { value: id, selected: u.role?.id === id }, label)))),
      el('td', {}, el('input', { type: 'number', min: '-1', step: '0.5', class: 'quota', 'aria-label': `Quota of ${u.username} in GiB (-1: unlimited)`,
        value: u.videoQuota < 0 ? -1 : (u.videoQuota / 1073741824).toFixed(1),
        onchange: act((e) => api(`/api/v1/users/${u.id}`, { method: 'PUT',
          body: { videoQuota: Number(e.target.value) < 0 ? -1 : Math.round(Number(e.target.value) * 1073741824) } })) })),
      el('td', {}, u.username === user.username ? '' : el('button', { type: 'button', class: 'link',
        onclick: act(() => confirm(`Delete ${u.username}?`) && api(`/api/v1/users/${u.id}`, { method: 'DELETE' })) }, 'Delete')))))];
  }

  async function instance() {
    const custom = await api('/api/v1/config/custom');
    return [
      el('h2', {}, 'Sign-up'),
      el('label', {}, el('input', { type: 'checkbox', id: 'signup', checked: custom.signup?.enabled,
        onchange: act((e) => api('/api/v1/config/custom', { method: 'PUT', body: { signup: { enabled: e.target.checked } } })) }),
      ' Anyone may create an account'),
    ];
  }

  async function follows() {
    const following = await api('/api/v1/server/following?count=100');
    const followers = await api('/api/v1/server/followers?count=100');
    const form = el('form', { class: 'inline', 'aria-label': 'Follow an instance', onsubmit: act(async (event) => {
      const host = new FormData(event.target).get('host').trim();
      await api('/api/v1/server/following', { method: 'POST', body: { hosts: [host] } });
    }) },
    el('input', { name: 'host', placeholder: 'videos.example.org', required: true, 'aria-label': 'Instance host' }),
    el('button', { type: 'submit' }, 'Follow'));
    const host = (f) => f.following?.host || '';
    return [
      el('h2', {}, 'Following'), form,
      table(['Instance', 'State', 'Mirror its videos', ''], following.data.map((f) => el('tr', {},
        el('td', {}, host(f)), el('td', {}, f.state),
        el('td', {}, el('input', { type: 'checkbox', checked: f.following?.hostRedundancyAllowed, 'aria-label': `Mirror ${host(f)}`,
          onchange: act((e) => api(`/api/v1/server/redundancy/${host(f)}`, { method: 'PUT', body: { redundancyAllowed: e.target.checked } })) })),
        el('td', {}, el('button', { type: 'button', class: 'link',
          onclick: act(() => api(`/api/v1/server/following/${host(f)}`, { method: 'DELETE' })) }, 'Unfollow'))))),
      el('h2', {}, 'Followers'),
      table(['Instance', 'State', ''], followers.data.map((f) => {
        const handle = `${f.follower?.name}@${f.follower?.host}`;
        return el('tr', {}, el('td', {}, handle), el('td', {}, f.state), el('td', {},
          f.state === 'pending' ? el('button', { type: 'button', class: 'link',
            onclick: act(() => api(`/api/v1/server/followers/${handle}/accept`, { method: 'POST' })) }, 'Accept') : '',
          ' ', el('button', { type: 'button', class: 'link',
            onclick: act(() => api(`/api/v1/server/followers/${handle}`, { method: 'DELETE' })) }, 'Remove')));
      })),
    ];
  }

  async function redundancy() {
    const mine = await api('/api/v1/server/redundancy/videos?target=remote-videos&count=100');
    const others = await api('/api/v1/server/redundancy/videos?target=my-videos&count=100');
    // A video by its address (a watch URL here or on its origin) or UUID, as any page shows it.
    const form = el('form', { class: 'inline', 'aria-label': 'Mirror a video', onsubmit: act(async (event) => {
      const given = new FormData(event.target).get('video').trim();
      const uuid = given.split(/[/?#]/).filter(Boolean).pop() || '';
      const video = await api(`/api/v1/videos/${encodeURIComponent(uuid)}`);
      await api('/api/v1/server/redundancy/videos', { method: 'POST', body: { videoId: video.id } });
      return `Mirroring “${video.name}”.`;
    }) },
    el('input', { name: 'video', placeholder: 'Video address or UUID', required: true, 'aria-label': 'Video address or UUID' }),
    el('button', { type: 'submit' }, 'Mirror'));
    return [
      el('h2', {}, 'Copies held here'), form,
      table(['Video', 'Strategy', 'State', 'Size', 'Expires', ''], mine.data.map((v) => {
        const copy = v.redundancies.streamingPlaylists[0];
        return el('tr', {}, el('td', {}, el('a', { href: `/videos/watch/${v.uuid}` }, v.name)), el('td', {}, copy.strategy),
          el('td', {}, copy.state), el('td', {}, `${(copy.size / 1048576).toFixed(1)} MiB`),
          el('td', {}, copy.expiresOn ? new Date(copy.expiresOn).toLocaleString() : ''),
          el('td', {}, el('button', { type: 'button', class: 'link',
            onclick: act(() => api(`/api/v1/server/redundancy/videos/${copy.id}`, { method: 'DELETE' })) }, 'Remove')));
      })),
      el('h2', {}, 'Local videos mirrored elsewhere'),
      table(['Video', 'Mirrors'], others.data.map((v) => el('tr', {},
        el('td', {}, el('a', { href: `/videos/watch/${v.uuid}` }, v.name)),
        el('td', {}, v.redundancies.streamingPlaylists.map((m) => new URL(m.fileUrl).host).join(', '))))),
    ];
  }

  async function jobs() {
    const state = new URLSearchParams(location.search).get('state') || 'active';
    const page = await api(`/api/v1/jobs/${state}?count=50`);
    return [
      el('nav', { class: 'tabs', 'aria-label': 'Job states' }, ['active', 'waiting', 'completed', 'failed'].map((s) =>
        el('a', { href: `/admin?section=jobs&state=${s}`, 'aria-current': s === state ? 'page' : null }, s))),
      table(['Job', 'Type', 'Video', 'Progress', 'Created', 'Error'], page.data.map((j) => el('tr', {},
        el('td', {}, String(j.id)), el('td', {}, j.type),
        el('td', {}, j.video ? el('a', { href: `/videos/watch/${j.video.uuid}` }, j.video.name) : (j.data?.videoUUID ? 'deleted video' : '')),
        el('td', {}, j.progress === null || j.progress === undefined ? '' : `${Math.round(j.progress)}%`),
        el('td', {}, new Date(j.createdAt).toLocaleString()), el('td', {}, j.error || '')))),
    ];
  }

  async function render() {
    panel.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    try {
      panel.replaceChildren(...await sections[current]());
    } catch (error) {
      panel.replaceChildren();
      message(main, error.message);
    }
  }
  render();
}
