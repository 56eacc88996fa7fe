import { hostIs, isInside, joinTexts, textOf, type SiteAdapter } from './types';

/**
 * LinkedIn feed.
 *
 * Feed updates are `div.feed-shared-update-v2` carrying `data-urn="urn:li:activity:<id>"`; the post's text is
 * `.update-components-text` (older `.feed-shared-update-v2__description`); comments are `.comments-comment-item` /
 * `article.comments-comment-entity` in `.comments-comments-list`: hooks used across public LinkedIn scrapers.
 * The permalink of an update is `/feed/update/<urn>/`.
 *
 * LinkedIn's only platform AI disclosure is the Content Credentials ("Cr") icon on media signed with C2PA (LinkedIn
 * Help a6282984 "Content credentials"). The icon alone is not an AI claim (camera captures carry it too), so a label is
 * reported only when the credentials element's own accessible text says the media was made with AI. Its markup is not
 * public; an element is taken as the credentials control when its `aria-label` or `title` names "Content Credentials".
 */

const POST = '.feed-shared-update-v2, [data-urn^="urn:li:activity:"]';
const COMMENTS = '.comments-comments-list, .comments-comment-item, .comments-comment-entity';
const TEXT = '.update-components-text, .feed-shared-update-v2__description';
const CREDENTIALS = '[aria-label*="Content Credentials" i], [title*="Content Credentials" i]';
/** Wording by which the credentials say the media is AI-made. */
const AI_WORDING = /\bAI[- ]generated\b|\b(?:generated|created|made)\s+(?:with|by|using)\s+(?:generative\s+)?AI\b/i;
const URN = /^urn:li:activity:\d{6,25}$/;

/** The activity URN of a post element, from itself or its nearest ancestor or descendant that carries one. */
function urnOf(post: Element): string | null {
  const own = post.getAttribute('data-urn') ?? post.closest('[data-urn]')?.getAttribute('data-urn') ?? '';
  if (URN.test(own)) return own;
  const inner = post.querySelector('[data-urn^="urn:li:activity:"]')?.getAttribute('data-urn') ?? '';
  return URN.test(inner) ? inner : null;
}

/** LinkedIn adapter. */
export const linkedin: SiteAdapter = {
  id: 'linkedin',
  platform: 'LinkedIn',

  matches(url) {
    return hostIs(url, 'linkedin.com');
  },

  findPost(video) {
    const post = video.closest(POST);
    return post && !isInside(video, post, COMMENTS) ? post : null;
  },

  readPlatformLabel(post) {
    for (const el of Array.from(post.querySelectorAll(CREDENTIALS))) {
      if (isInside(el, post, `${COMMENTS}, ${TEXT}`)) continue;
      for (const text of [el.getAttribute('aria-label'), el.getAttribute('title'), textOf(el)]) {
        const t = (text ?? '').replace(/\s+/g, ' ').trim();
        if (t && t.length <= 120 && AI_WORDING.test(t)) return t;
      }
    }
    return null;
  },

  readPostText(post) {
    return joinTexts(post, TEXT, COMMENTS);
  },

  reportLink(post) {
    // LinkedIn's report flow is the post's "…" menu → Report post; the update's permalink leads there.
    const urn = urnOf(post);
    return urn ? `https://www.linkedin.com/feed/update/${urn}/` : null;
  },
};
