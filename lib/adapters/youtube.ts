import { hostIs, joinTexts, textOf, type SiteAdapter } from './types';

/**
 * YouTube watch page (`/watch?v=…`).
 *
 * The AI disclosure is the "How this content was made" section of the expanded description, rendered as
 * `how-this-was-made-section-view-model` with its header in `.ytwHowThisWasMadeSectionViewModelBodyHeader` (selectors
 * as used by public extensions and scrapers, and YouTube Help answer 15447836, "Understanding 'How this content was
 * made' disclosures on YouTube"). The same section type also carries "Captured with a camera" (answer 15446725) and
 * auto-dubbing notes (answer 15569972), so the section's kind is decided by its Help Center link where present, which
 * is the same in every language, and only then by the English header text.
 */

/** YouTube Help answer linked from the "Altered or synthetic content" section. */
const ANSWER_SYNTHETIC = '15447836';
/** Help answers linked from sections that are not AI disclosures (camera capture, auto-dubbing). */
const ANSWERS_NOT_AI = ['15446725', '15569972'];

/** English headers of the AI disclosure, for sections rendered without a Help link. */
const SYNTHETIC_HEADER = /^(?:altered or synthetic content|synthetic content|made with ai|content was made with ai)$/i;

const SECTION = 'how-this-was-made-section-view-model';
const SECTION_HEADER = '.ytwHowThisWasMadeSectionViewModelBodyHeader, [role="heading"]';
/** Badges such as `aria-label="AI: Altered or synthetic content"` shown next to titles. */
const AI_BADGE = /^AI\s*[:：]\s*(.{3,80})$/;

/** A YouTube video id: 11 characters of the URL-safe base64 alphabet. */
export const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

/** Whether a URL is on YouTube proper (not youtube-nocookie embeds, which carry no disclosure). */
export function isYouTubeHost(url: URL): boolean {
  return hostIs(url, 'youtube.com');
}

/**
 * Reads YouTube's own AI disclosure inside `scope`: a "How this content was made" section of the synthetic kind, or an
 * "AI: …" badge. Returns the label text as shown, or null. Shared with the Shorts adapter.
 */
export function readYouTubeDisclosure(scope: Element): string | null {
  for (const section of Array.from(scope.querySelectorAll(SECTION))) {
    const header = textOf(section.querySelector(SECTION_HEADER));
    const links = Array.from(section.querySelectorAll('a[href]')).map((a) => a.getAttribute('href') ?? '');
    const answer = links.map((h) => /support\.google\.com\/youtube\/answer\/(\d+)/.exec(h)?.[1]).find(Boolean);
    if (answer && ANSWERS_NOT_AI.includes(answer)) continue;
    if (answer === ANSWER_SYNTHETIC) return header || 'Altered or synthetic content';
    if (!answer && SYNTHETIC_HEADER.test(header)) return header;
  }
  for (const badge of Array.from(scope.querySelectorAll('badge-shape[aria-label]'))) {
    const m = AI_BADGE.exec((badge.getAttribute('aria-label') ?? '').trim());
    if (m?.[1]) return m[1].trim();
  }
  return null;
}

/** YouTube watch page adapter. */
export const youtube: SiteAdapter = {
  id: 'youtube',
  platform: 'YouTube',

  matches(url) {
    return isYouTubeHost(url) && url.pathname === '/watch' && VIDEO_ID.test(url.searchParams.get('v') ?? '');
  },

  findPost(video) {
    // Only the main player counts: hover previews and thumbnails play other videos than the one on the page.
    if (video.closest('ytd-video-preview, ytd-thumbnail, ytd-rich-item-renderer, ytd-compact-video-renderer')) {
      return null;
    }
    if (!video.closest('#movie_player, ytd-player')) return null;
    const flexy = video.closest('ytd-watch-flexy');
    // Without the metadata block there is nowhere to read a disclosure from, so the layout is not one we know.
    return flexy?.querySelector('ytd-watch-metadata') ? flexy : null;
  },

  readPlatformLabel(post) {
    const metadata = post.querySelector('ytd-watch-metadata');
    return metadata ? readYouTubeDisclosure(metadata) : null;
  },

  readPostText(post) {
    const metadata = post.querySelector('ytd-watch-metadata');
    if (!metadata) return null;
    // Title plus the description's own text; the structured sections (disclosures, chapters) and the comments,
    // which live in `ytd-comments` outside the metadata block, are not the uploader's words.
    return joinTexts(
      metadata,
      'h1, ytd-text-inline-expander yt-attributed-string, #description-inline-expander',
      SECTION,
    );
  },

  reportLink(_post, _doc, url) {
    // YouTube has no per-video report URL: reporting is the watch page's "…" menu → Report. The canonical watch URL
    // takes the user there; https://www.youtube.com/reportabuse is a general form, not tied to this video.
    const id = url.searchParams.get('v') ?? '';
    return VIDEO_ID.test(id) ? `https://www.youtube.com/watch?v=${id}` : null;
  },
};
