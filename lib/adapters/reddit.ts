import { closestAcross, hostIs, joinTexts, type SiteAdapter } from './types';

/**
 * Reddit (the current "shreddit" web app).
 *
 * A post is a `shreddit-post` element carrying `post-title`, `permalink` and `author` attributes; its title is
 * `[slot="title"]`, its body `[slot="text-body"]`, its flair `shreddit-post-flair`; the video plays in
 * `shreddit-player`, whose `<video>` lives in the player's shadow root; comments are `shreddit-comment` elements in a
 * separate comment tree: as used by public Reddit scrapers and feed filters.
 *
 * Reddit shows no platform-wide AI label, so `readPlatformLabel` always answers null. Flair ("AI Generated",
 * "AI Art") is chosen by the poster or the community's moderators, so it is treated as the post's own words and goes
 * to creator-text matching, never to the platform label.
 */

const POST = 'shreddit-post';
const TEXT = '[slot="title"], [slot="text-body"], shreddit-post-flair';

/** Reddit adapter. */
export const reddit: SiteAdapter = {
  id: 'reddit',
  platform: 'Reddit',

  matches(url) {
    return hostIs(url, 'reddit.com');
  },

  findPost(video) {
    return closestAcross(video, POST);
  },

  readPlatformLabel() {
    return null;
  },

  readPostText(post) {
    const parts: string[] = [];
    const title = post.getAttribute('post-title')?.trim();
    if (title) parts.push(title);
    // The title attribute and the title slot repeat each other; take the slots without the title when both exist.
    const slots = joinTexts(post, title ? '[slot="text-body"], shreddit-post-flair' : TEXT, 'shreddit-comment');
    if (slots) parts.push(slots);
    return parts.length > 0 ? parts.join('\n') : null;
  },

  reportLink(post) {
    // Reddit's report flow is the post's "…" menu → Report; the post's permalink leads there.
    const permalink = post.getAttribute('permalink') ?? '';
    return /^\/r\/[^/]+\/comments\/[a-z0-9]+\//i.test(permalink) ? `https://www.reddit.com${permalink}` : null;
  },
};
