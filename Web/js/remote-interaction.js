// `/remote-interaction?uri=…`, the address WebFinger gives other instances (the OStatus subscribe template): someone
// who found a video elsewhere comes here to act on it as a user of this instance. Logged in, the video is looked up
// (fetched from its instance when this one does not have it yet) and its watch page opens; otherwise the login page
// comes first and brings them back.
import { api, el, loggedIn } from './api.js';
import { layout, message } from './layout.js';

const { main } = await layout('Interact');
const status = main.querySelector('.status');
const uri = new URLSearchParams(location.search).get('uri') || '';
if (!/^https?:\/\//i.test(uri)) {
  status.remove();
  message(main, 'This address names nothing to interact with: it needs ?uri= with the address of a video.');
} else if (!loggedIn()) {
  status.replaceChildren('Log in to comment on it, rate it or keep it: ',
    el('a', { href: `/login?next=${encodeURIComponent(location.pathname + location.search)}` }, 'log in'), '.');
} else {
  try {
    const found = await api(`/api/v1/search/videos?${new URLSearchParams({ search: uri })}`);
    const video = found.data?.[0];
    if (video) {
      location.replace(`/videos/watch/${video.uuid}`);
    } else {
      status.remove();
      message(main, 'No video was found at this address.');
      main.append(el('p', {}, el('a', { href: uri, rel: 'noopener' }, uri)));
    }
  } catch (error) {
    status.remove();
    message(main, error.message);
  }
}
