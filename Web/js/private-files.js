// The files of private, internal and password-protected videos (PeerTube's private static files): the page asks
// for a short-lived file token and plays with it; the server carries the token on to every file a playlist names
// (reinjectVideoFileToken), so the player needs nothing else.
import { api } from './api.js';

export const PASSWORD_HEADER = 'x-peertube-video-password';

/** Whether the video's files need a token (privacy 3, 4 and 5). */
export function filesArePrivate(details) { return [3, 4, 5].includes(details.privacy?.id); }

/** The video's playlist and file URLs, with a file token when its files are private. */
export async function playableUrls(details, password) {
  const playlist = details.streamingPlaylists?.[0];
  const urls = { playlistUrl: playlist?.playlistUrl, fileUrl: details.files?.[0]?.fileUrl };
  if (!filesArePrivate(details)) return urls;
  const headers = password ? { [PASSWORD_HEADER]: password } : {};
  const { files } = await api(`/api/v1/videos/${details.uuid}/token`, { method: 'POST', headers });
  const token = encodeURIComponent(files.token);
  if (urls.playlistUrl) urls.playlistUrl += `?videoFileToken=${token}&reinjectVideoFileToken=true`;
  if (urls.fileUrl) urls.fileUrl += `?videoFileToken=${token}`;
  return urls;
}

/**
 * The video's details; for a password-protected video, asks for its password in `container` first (again after a
 * wrong one). Resolves with `{ details, password }`.
 */
export async function videoDetails(uuid, container) {
  let password;
  for (;;) {
    try {
      const headers = password ? { [PASSWORD_HEADER]: password } : {};
      return { details: await api(`/api/v1/videos/${uuid}`, { headers }), password };
    } catch (error) {
      if (error.code !== 'video_requires_password' && error.code !== 'incorrect_video_password') throw error;
      password = await askPassword(container, error.code === 'incorrect_video_password');
    }
  }
}

function askPassword(container, wrong) {
  return new Promise((resolve) => {
    const form = document.createElement('form');
    form.className = 'stack password-form';
    form.innerHTML = `<p>${wrong ? 'That password is not right.' : 'This video is protected by a password.'}</p>
      <label>Password <input type="password" name="password" required autocomplete="off"></label>
      <button type="submit">Watch</button>`;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = form.elements.password.value;
      form.remove();
      resolve(value);
    });
    container.prepend(form);
    form.elements.password.focus();
  });
}
