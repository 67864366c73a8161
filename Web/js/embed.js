// The embed page (/videos/embed/{uuid}): the player alone, for iframes on other sites (oEmbed, OpenGraph).
// Peer sharing as on the watch page; mirrors as fallbacks.
import { playHLS } from './hls-mse.js';
import { swarmsFor } from './p2p.js';
import { playableUrls, videoDetails } from './private-files.js';

const uuid = location.pathname.split('/').pop();
const video = document.getElementById('video');
const status = document.getElementById('status');
let swarm = null;
try {
  const { details, password } = await videoDetails(uuid, document.body);
  document.title = details.name;
  const urls = await playableUrls(details, password);
  const playlist = details.streamingPlaylists?.[0];
  if (playlist && window.MediaSource) {
    const join = swarmsFor(details, { enabled: () => localStorage.getItem('herd.p2p') !== 'off' });
    await playHLS(video, urls.playlistUrl, undefined, {
      mirrors: (playlist.redundancies || []).map((r) => r.baseUrl),
      p2p: async (rung) => { swarm = await join(rung); return swarm; },
    });
  } else if (details.files?.length) {
    video.src = urls.fileUrl;
  } else {
    status.textContent = 'This video cannot be played yet.';
  }
} catch (error) {
  status.textContent = error.message;
}
window.herdPlayer = { video, get swarm() { return swarm; } };
