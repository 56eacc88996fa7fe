import { isYouTubeHost, readYouTubeDisclosure, VIDEO_ID } from './youtube';
import { joinTexts, type SiteAdapter } from './types';

/**
 * YouTube Shorts (`/shorts/<id>`).
 *
 * The Shorts page stacks one `ytd-reel-video-renderer` per short inside `ytd-shorts`; the single player is moved into
 * the active one (`is-active`). The title is `yt-shorts-video-title-view-model` /
 * `h2.ytShortsVideoTitleViewModelShortsVideoTitle`. The AI disclosure is read the same way as on the watch page (a
 * "How this content was made" section or an "AI: …" badge) but only inside the short's own renderer, so a label on
 * one short never leaks to its neighbour. Selectors as used by public extensions and scrapers of the Shorts page.
 */

const RENDERER = 'ytd-reel-video-renderer';
const TITLE = 'yt-shorts-video-title-view-model, h2.ytShortsVideoTitleViewModelShortsVideoTitle';

/** The short's id from a `/shorts/<id>` path, or null. */
function shortsId(pathname: string): string | null {
  const id = /^\/shorts\/([^/?#]+)/.exec(pathname)?.[1] ?? '';
  return VIDEO_ID.test(id) ? id : null;
}

/** YouTube Shorts adapter. */
export const youtubeShorts: SiteAdapter = {
  id: 'youtube-shorts',
  platform: 'YouTube',

  matches(url) {
    return isYouTubeHost(url) && shortsId(url.pathname) !== null;
  },

  findPost(video) {
    const renderer = video.closest(RENDERER);
    return renderer?.closest('ytd-shorts') ? renderer : null;
  },

  readPlatformLabel(post) {
    return readYouTubeDisclosure(post);
  },

  readPostText(post) {
    return joinTexts(post, TITLE);
  },

  reportLink(post, _doc, url) {
    // No per-video report URL exists (reporting is the short's "…" menu → Report), so this is the short's own URL.
    // Only the active renderer is known to show the page's short; for the others the id is not in the markup we
    // know of, and a neighbour's link would be worse than none.
    const id = post.hasAttribute('is-active') ? shortsId(url.pathname) : null;
    return id ? `https://www.youtube.com/shorts/${id}` : null;
  },
};
