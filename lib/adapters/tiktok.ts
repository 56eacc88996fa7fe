import { findExactLabel, hostIs, joinTexts, resolveUrl, type SiteAdapter } from './types';

/**
 * TikTok web (For You feed and `/@user/video/<id>` pages).
 *
 * Feed items are `[data-e2e="recommend-list-item-container"]` (often an `<article>`), the caption is
 * `[data-e2e="video-desc"]` (feed) or `[data-e2e="browse-video-desc"]` (video page), authors are
 * `[data-e2e="video-author-uniqueid"]` / `[data-e2e="browse-username"]`, and the player wrapper's id is
 * `xgwrapper-<n>-<videoId>`: `data-e2e` hooks used across public TikTok userscripts and scrapers. TikTok's label
 * texts are "Creator labeled as AI-generated" (the creator's toggle, `is_aigc` in the Content Posting API docs) and
 * "Contains AI-generated media" / "AI-generated" (TikTok's own auto-label). The label element has no known stable
 * hook, so it is matched by its exact whole text, outside the caption, author, music and comment regions.
 */

const ITEM = '[data-e2e="recommend-list-item-container"]';
const CAPTION = '[data-e2e="video-desc"], [data-e2e="browse-video-desc"]';
/** Regions whose text users write: never a platform label. */
const USER_TEXT = [
  CAPTION,
  '[data-e2e="video-author-uniqueid"]',
  '[data-e2e="video-author-nickname"]',
  '[data-e2e="browse-username"]',
  '[data-e2e="browse-user-avatar"]',
  '[data-e2e="video-music"]',
  '[data-e2e="browse-music"]',
  '[data-e2e^="comment"]',
  '[data-e2e="search-comment-container"]',
  'a[href*="/tag/"]',
].join(', ');
const LABELS = ['Creator labeled as AI-generated', 'Contains AI-generated media', 'AI-generated'];
const VIDEO_PATH = /^\/@([^/]+)\/video\/(\d{6,25})\/?$/;

/** TikTok adapter. */
export const tiktok: SiteAdapter = {
  id: 'tiktok',
  platform: 'TikTok',

  matches(url) {
    return hostIs(url, 'tiktok.com');
  },

  findPost(video, _doc, url) {
    const item = video.closest(ITEM);
    if (item) return item;
    // Video page: the player sits in `[data-e2e="browse-video"]`; its post is the nearest ancestor (a few levels up,
    // never the whole page) that also holds the page's caption.
    if (!VIDEO_PATH.test(url.pathname)) return null;
    let el = video.closest('[data-e2e="browse-video"]');
    for (let depth = 0; el && depth < 6; depth++, el = el.parentElement) {
      if (el.tagName === 'BODY' || el.tagName === 'MAIN') return null;
      if (el.querySelector('[data-e2e="browse-video-desc"]')) return el;
    }
    return null;
  },

  readPlatformLabel(post) {
    return findExactLabel(post, LABELS, { exclude: USER_TEXT });
  },

  readPostText(post) {
    return joinTexts(post, CAPTION);
  },

  reportLink(post, _doc, url) {
    // TikTok has no public per-video report URL (reporting is the share menu → Report), so this is the video's
    // canonical URL.
    for (const a of Array.from(post.querySelectorAll('a[href*="/video/"]'))) {
      const m = VIDEO_PATH.exec(resolveUrl(a.getAttribute('href'), url)?.pathname ?? '');
      if (m) return `https://www.tiktok.com/@${m[1]}/video/${m[2]}`;
    }
    const videoId = /^xgwrapper-\d+-(\d{6,25})$/.exec(post.querySelector('[id^="xgwrapper-"]')?.id ?? '')?.[1];
    const author = /^\/@([^/?#]+)\/?$/.exec(
      resolveUrl(post.querySelector('a[href^="/@"]')?.getAttribute('href'), url)?.pathname ?? '',
    )?.[1];
    if (videoId && author) return `https://www.tiktok.com/@${author}/video/${videoId}`;
    const page = VIDEO_PATH.exec(url.pathname);
    return page && post.querySelector('[data-e2e="browse-video-desc"]')
      ? `https://www.tiktok.com/@${page[1]}/video/${page[2]}`
      : null;
  },
};
