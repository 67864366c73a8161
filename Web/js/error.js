// The page the server answers a browser with when an address has nothing (404) or is refused: the site's header,
// so the visitor can search or go home.
import { layout } from './layout.js';

await layout(document.querySelector('h1')?.textContent);
