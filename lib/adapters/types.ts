/**
 * The contract every site adapter fulfils, plus the few DOM helpers they share.
 *
 * An adapter reads what a platform itself shows about one video: its own AI disclosure, the post's own words, and a
 * link to report the post. Adapters are plain TypeScript over the standard DOM so they run unchanged in a content
 * script and in jsdom tests. They fail closed: when a layout is not recognised they answer null, never a guess.
 */

/** Reads one site's own AI disclosure, post text and report link for a video on that site. */
export interface SiteAdapter {
  /** Stable id, e.g. 'youtube'. */
  id: string;
  /** Display name used in reasons, e.g. 'YouTube'. */
  platform: string;
  /** Whether this adapter handles the page. */
  matches(url: URL): boolean;
  /** The post / watch-page container the video belongs to, or null when the layout is not recognised. */
  findPost(video: HTMLVideoElement, doc: Document, url: URL): Element | null;
  /** The platform's own AI disclosure text shown for this post (e.g. "Altered or synthetic content"), or null. */
  readPlatformLabel(post: Element, doc: Document, url: URL): string | null;
  /** Caption/title/hashtag text of the post (for creator-text matching), or null. */
  readPostText(post: Element, doc: Document, url: URL): string | null;
  /** The platform's own report flow URL for this video/post, or null. */
  reportLink(post: Element, doc: Document, url: URL): string | null;
}

/** Longest text a platform label element may carry; anything longer is prose, not a label. */
const MAX_LABEL_LENGTH = 80;

/** An element's text with runs of whitespace collapsed, or '' when it has none. */
export function textOf(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Whether a host name is `domain` itself or one of its subdomains (so `evilyoutube.com` does not match). */
export function hostIs(url: URL, domain: string): boolean {
  const host = url.hostname.toLowerCase();
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * Like `Element.closest`, but continues through shadow-root boundaries to the host element, because some sites
 * (Reddit's `shreddit-player`) render the `<video>` inside a shadow root.
 */
export function closestAcross(start: Element, selector: string): Element | null {
  let el: Element | null = start;
  while (el) {
    const found = el.closest(selector);
    if (found) return found;
    const root = el.getRootNode();
    // A ShadowRoot has a `host`; a Document does not. Checked structurally so it works across jsdom windows.
    el = 'host' in root ? ((root as ShadowRoot).host ?? null) : null;
  }
  return null;
}

/** Options for {@link findExactLabel}. */
export interface ExactLabelOptions {
  /** Elements inside any match of this selector (captions, comments, author names) are never labels. */
  exclude?: string;
  /** When given, a candidate counts only if this accepts it (e.g. it belongs to this post, not a nested one). */
  accept?: (el: Element) => boolean;
}

/**
 * Finds, inside `root`, an element whose whole text is exactly one of `labels` (case-insensitive) and returns the
 * text as displayed. Exact whole-element equality is deliberate: a caption that merely contains "AI info" is prose,
 * while the platform's label is a short standalone element. Candidates inside user-text regions are skipped.
 */
export function findExactLabel(
  root: Element,
  labels: readonly string[],
  options: ExactLabelOptions = {},
): string | null {
  const wanted = new Set(labels.map((l) => l.toLowerCase()));
  for (const el of Array.from(root.querySelectorAll('*'))) {
    const text = textOf(el);
    if (!text || text.length > MAX_LABEL_LENGTH || !wanted.has(text.toLowerCase())) continue;
    if (options.exclude && isInside(el, root, options.exclude)) continue;
    if (options.accept && !options.accept(el)) continue;
    return text;
  }
  return null;
}

/** Whether `el` lies inside (or is) a match of `selector` that is itself within `root`. */
export function isInside(el: Element, root: Element, selector: string): boolean {
  const hit = el.closest(selector);
  return hit !== null && hit !== root && root.contains(hit);
}

/** Text of every match of `selector` in `root` that is not inside `exclude`, joined by newlines, or null if none. */
export function joinTexts(root: Element, selector: string, exclude?: string): string | null {
  const taken: Element[] = [];
  const parts: string[] = [];
  for (const el of Array.from(root.querySelectorAll(selector))) {
    if (exclude && isInside(el, root, exclude)) continue;
    // Skip an element nested in one already taken, so its text is not counted twice.
    if (taken.some((t) => t.contains(el))) continue;
    const t = textOf(el);
    if (!t) continue;
    taken.push(el);
    parts.push(t);
  }
  return parts.length > 0 ? parts.join('\n') : null;
}

/** Resolves `href` against `base`, returning null for anything that is not a valid http(s) URL. */
export function resolveUrl(href: string | null | undefined, base: URL): URL | null {
  if (!href) return null;
  try {
    const u = new URL(href, base);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : null;
  } catch {
    return null;
  }
}
