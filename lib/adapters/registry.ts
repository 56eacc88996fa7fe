import type { PlatformLabelSignal } from '../core/signals';
import { findCreatorDeclaration } from './creator-text';
import { facebook } from './facebook';
import { instagram } from './instagram';
import { linkedin } from './linkedin';
import { reddit } from './reddit';
import { tiktok } from './tiktok';
import type { SiteAdapter } from './types';
import { x } from './x';
import { youtube } from './youtube';
import { youtubeShorts } from './youtube-shorts';

/** What one site's adapter read for one video. */
export interface PlatformReading {
  /** The adapter's id, e.g. 'youtube'. */
  adapter: string;
  /** The platform's display name, e.g. 'YouTube'. */
  platform: string;
  /** At most one platform label (source 'platform') and at most one creator declaration (source 'creator-text'). */
  signals: PlatformLabelSignal[];
  /** The platform's report flow for the post, or the post's canonical link; null when neither is known. */
  reportUrl: string | null;
}

/** Every adapter, most specific first (Shorts before the watch page; both match youtube.com). */
export const ADAPTERS: readonly SiteAdapter[] = [
  youtubeShorts,
  youtube,
  tiktok,
  instagram,
  facebook,
  x,
  reddit,
  linkedin,
];

/** The adapter that handles `url`, or null when no adapter does. */
export function adapterFor(url: URL): SiteAdapter | null {
  for (const adapter of ADAPTERS) {
    try {
      if (adapter.matches(url)) return adapter;
    } catch {
      // A broken matcher must not stop the others from being asked.
    }
  }
  return null;
}

/** Runs `read`, answering null where it throws: one unreadable part of a post must not cost the others. */
function guarded<T>(read: () => T | null): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** Runs the adapter for the page (if any) on one video; never throws (a broken layout yields null / no signals). */
export function readPlatform(video: HTMLVideoElement, doc: Document, url: URL): PlatformReading | null {
  const adapter = adapterFor(url);
  if (!adapter) return null;
  const post = guarded(() => adapter.findPost(video, doc, url));
  // An unrecognised layout gives no reading at all: no signal is better than one tied to the wrong post.
  if (!post) return null;

  const signals: PlatformLabelSignal[] = [];
  const label = guarded(() => adapter.readPlatformLabel(post, doc, url))?.trim();
  if (label) signals.push({ kind: 'platform-label', platform: adapter.platform, label, source: 'platform' });
  const declaration = guarded(() => findCreatorDeclaration(adapter.readPostText(post, doc, url)));
  if (declaration) {
    signals.push({ kind: 'platform-label', platform: adapter.platform, label: declaration, source: 'creator-text' });
  }
  return {
    adapter: adapter.id,
    platform: adapter.platform,
    signals,
    reportUrl: guarded(() => adapter.reportLink(post, doc, url)),
  };
}
