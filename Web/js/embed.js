// The embed page (/videos/embed/{uuid}): the player alone, for iframes on other sites (oEmbed, OpenGraph).
// Peer sharing as on the watch page; mirrors as fallbacks.
import { api } from './api.js';
import { playHLS } from './hls-mse.js';
import { SegmentSwarm, trackerURL } from './p2p.js';

const uuid = location.pathname.split('/').pop();
const video = document.getElementById('video');
const status = document.getElementById('status');
let swarm = null;
try {
  const details = await api(`/api/v1/videos/${uuid}`);
  document.title = details.name;
  const playlist = details.streamingPlaylists?.[0];
  if (playlist && window.MediaSource) {
    const sharing = [1, 2].includes(details.privacy?.id) && localStorage.getItem('herd.p2p') !== 'off';
    const tracker = (details.trackerUrls || []).find((u) => u.startsWith('ws')) || trackerURL();
    const hashes = sharing ? await fetch(playlist.segmentsSha256Url).then((r) => (r.ok ? r.json() : null)).catch(() => null) : null;
    await playHLS(video, playlist.playlistUrl, undefined, {
      mirrors: (playlist.redundancies || []).map((r) => r.baseUrl),
      p2p: async ({ variantIndex, segments, http, ahead }) => {
        if (!hashes) return null;
        const candidate = new SegmentSwarm({ tracker, masterUrl: playlist.playlistUrl, variantIndex, segments, hashes, http, ahead });
        swarm = (await candidate.start()) ? candidate : null;
        return swarm;
      },
    });
  } else if (details.files?.length) {
    video.src = details.files[0].fileUrl;
  } else {
    status.textContent = 'This video cannot be played yet.';
  }
} catch (error) {
  status.textContent = error.message;
}
window.herdPlayer = { video, get swarm() { return swarm; } };
