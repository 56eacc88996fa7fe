import { findExactLabel, hostIs, isInside, resolveUrl, textOf, type SiteAdapter } from './types';

/**
 * X (Twitter) web.
 *
 * Posts are `article[data-testid="tweet"]`; the post's text is `[data-testid="tweetText"]`; the author block is
 * `[data-testid="User-Name"]`; the post's `<time>` sits in the link to `/<user>/status/<id>`; a quoted post is a
 * nested `div[role="link"]` carrying its own User-Name and text: hooks used across public X userscripts and scrapers.
 * X rolled out a creator-applied "Made with AI" label in March 2026 (press reports of the post composer's toggle);
 * its markup is not documented publicly, so it is matched as an element whose whole text is the label, outside the
 * post text, author block and any quoted post.
 */

const POST = 'article[data-testid="tweet"]';
const QUOTE = 'div[role="link"]';
const USER_TEXT = `[data-testid="tweetText"], [data-testid="User-Name"], [data-testid="card.wrapper"], ${QUOTE}`;
const LABELS = ['Made with AI'];
const STATUS = /^\/([A-Za-z0-9_]{1,15})\/status\/(\d{5,25})/;

/** Whether `el` sits in a quoted post inside `post` (its own author block marks a quote card). */
function inQuote(el: Element, post: Element): boolean {
  const quote = el.closest(QUOTE);
  return quote !== null && post.contains(quote) && quote.querySelector('[data-testid="User-Name"]') !== null;
}

/** X adapter. */
export const x: SiteAdapter = {
  id: 'x',
  platform: 'X',

  matches(url) {
    return hostIs(url, 'x.com') || hostIs(url, 'twitter.com');
  },

  findPost(video) {
    const post = video.closest(POST);
    // A video in a quoted post belongs to that quoted post, whose label and text we cannot tie to it: fail closed.
    if (!post || inQuote(video, post)) return null;
    return post;
  },

  readPlatformLabel(post) {
    return findExactLabel(post, LABELS, { exclude: USER_TEXT });
  },

  readPostText(post) {
    for (const el of Array.from(post.querySelectorAll('[data-testid="tweetText"]'))) {
      if (!inQuote(el, post) && el.closest(POST) === post) return textOf(el) || null;
    }
    return null;
  },

  reportLink(post, _doc, url) {
    // X's report flow is the post's "…" menu → Report post; no public per-post report URL is established, so this
    // is the post's canonical link.
    for (const time of Array.from(post.querySelectorAll('time'))) {
      const a = time.closest('a');
      if (!a || isInside(a, post, QUOTE)) continue;
      const m = STATUS.exec(resolveUrl(a.getAttribute('href'), url)?.pathname ?? '');
      if (m) return `https://x.com/${m[1]}/status/${m[2]}`;
    }
    return null;
  },
};
