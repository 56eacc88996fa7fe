import { findExactLabel, hostIs, resolveUrl, textOf, type SiteAdapter } from './types';

/**
 * Instagram web feed and post pages.
 *
 * Posts are `<article>` elements; the header holds the author, location/audio line and Meta's AI label; the caption is
 * the post's `<h1 dir="auto">`; comments sit in `<ul>` lists; the timestamp `<time>` links to the post's `/p/<code>/`
 * or `/reel/<code>/` permalink. Meta's label reads "AI info" (renamed from "Made with AI" in July 2024, per Meta's
 * announcements as reported by the press). The label is only looked for in the article's header, where no caption or
 * comment text is rendered, and only as an element whose whole text is the label.
 */

const LABELS = ['AI info', 'Made with AI'];
const PERMALINK = /^\/(?:[^/]+\/)?(p|reel|reels|tv)\/([A-Za-z0-9_-]{5,})\/?$/;

/** Instagram adapter. */
export const instagram: SiteAdapter = {
  id: 'instagram',
  platform: 'Instagram',

  matches(url) {
    return hostIs(url, 'instagram.com');
  },

  findPost(video) {
    const article = video.closest('article');
    // A post has its header; an <article> without one is some other layout.
    return article?.querySelector('header') ? article : null;
  },

  readPlatformLabel(post) {
    for (const header of Array.from(post.querySelectorAll('header'))) {
      if (header.closest('article') !== post) continue;
      const label = findExactLabel(header, LABELS);
      if (label) return label;
    }
    return null;
  },

  readPostText(post) {
    // The caption is the post's first <h1>; comments are <ul> items and never count.
    for (const h1 of Array.from(post.querySelectorAll('h1'))) {
      if (h1.closest('article') === post && !h1.closest('ul')) return textOf(h1) || null;
    }
    return null;
  },

  reportLink(post, _doc, url) {
    // Instagram has no public report URL; reporting is the post's "…" menu → Report. Return the post's permalink.
    const anchors = [
      ...Array.from(post.querySelectorAll('time')).map((t) => t.closest('a')),
      ...Array.from(post.querySelectorAll('a[href*="/p/"], a[href*="/reel/"]')),
    ];
    for (const a of anchors) {
      if (!a || a.closest('ul') || a.closest('article') !== post) continue;
      const m = PERMALINK.exec(resolveUrl(a.getAttribute('href'), url)?.pathname ?? '');
      if (m) return `https://www.instagram.com/${m[1] === 'reels' ? 'reel' : m[1]}/${m[2]}/`;
    }
    return null;
  },
};
