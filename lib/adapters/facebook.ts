import { findExactLabel, hostIs, isInside, joinTexts, resolveUrl, type SiteAdapter } from './types';

/**
 * Facebook web feed, reels and video posts.
 *
 * Feed posts are `div[aria-posinset]` (inside `[role="feed"]`) or `div[role="article"]`; comments are also
 * `[role="article"]` but labelled "Comment by …" / "Reply by …"; the post's own text is
 * `[data-ad-rendering-role="story_message"]`, `[data-ad-preview="message"]` or `[data-ad-comet-preview="message"]`:
 * hooks used across public Facebook scrapers and feed filters. Meta's AI label reads "AI info" (formerly
 * "Made with AI"). It has no known stable hook, so it is matched as an element whose whole text is the label, outside
 * the message and comments, and belonging to this post rather than a post shared inside it.
 */

const POST = 'div[aria-posinset], div[role="article"]';
const COMMENT = '[role="article"][aria-label^="Comment"], [role="article"][aria-label^="Reply"]';
const MESSAGE =
  '[data-ad-rendering-role="story_message"], [data-ad-preview="message"], [data-ad-comet-preview="message"]';
const LABELS = ['AI info', 'Made with AI'];

/** The post container a node belongs to (the outermost post element, so a shared post's parts belong to the share). */
function postOf(el: Element): Element | null {
  const feedItem = el.closest('div[aria-posinset]');
  if (feedItem) return feedItem;
  let post: Element | null = null;
  for (let cur = el.closest(POST); cur; cur = cur.parentElement?.closest(POST) ?? null) {
    if (cur.matches(COMMENT)) return null;
    post = cur;
  }
  return post;
}

/** The canonical form of a Facebook video or post link, or null when it is not one. */
function canonical(href: string | null, base: URL): string | null {
  const u = resolveUrl(href, base);
  if (!u || !hostIs(u, 'facebook.com')) return null;
  const reel = /^\/reel\/(\d+)/.exec(u.pathname);
  if (reel) return `https://www.facebook.com/reel/${reel[1]}`;
  const v = u.searchParams.get('v');
  if (u.pathname.startsWith('/watch') && v && /^\d+$/.test(v)) return `https://www.facebook.com/watch/?v=${v}`;
  const path = /^\/[^/]+\/(?:videos|posts)\/[^/?#]+/.exec(u.pathname);
  if (path) return `https://www.facebook.com${path[0]}`;
  const story = u.searchParams.get('story_fbid');
  const id = u.searchParams.get('id');
  if (u.pathname === '/permalink.php' && story && id) {
    return `https://www.facebook.com/permalink.php?story_fbid=${encodeURIComponent(story)}&id=${encodeURIComponent(id)}`;
  }
  return null;
}

/** Facebook adapter. */
export const facebook: SiteAdapter = {
  id: 'facebook',
  platform: 'Facebook',

  matches(url) {
    return hostIs(url, 'facebook.com');
  },

  findPost(video) {
    // A video inside a comment is not the post's video; postOf answers null for it.
    return postOf(video);
  },

  readPlatformLabel(post) {
    // The label must belong to this post, not to a post shared inside it.
    return findExactLabel(post, LABELS, { exclude: `${MESSAGE}, ${COMMENT}`, accept: (el) => postOf(el) === post });
  },

  readPostText(post) {
    return joinTexts(post, MESSAGE, COMMENT);
  },

  reportLink(post, _doc, url) {
    // Facebook has no public report URL for a post; reporting is the post's "…" menu → Report. Return the post's or
    // video's own link.
    for (const a of Array.from(post.querySelectorAll('a[href]'))) {
      if (isInside(a, post, `${MESSAGE}, ${COMMENT}`)) continue;
      const link = canonical(a.getAttribute('href'), url);
      if (link) return link;
    }
    return canonical(url.href, url);
  },
};
