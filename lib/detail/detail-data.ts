import { browser } from 'wxt/browser';
import { type StoredFrameImage, frameImagesKey } from '../background/frame-images';
import type { TabResults } from '../core/report';
import { watchTabResults } from '../popup/tab-results';
import { watchSessionKey } from '../present/watch-session';

export { watchTabResults };

/** Reads a video's frame images and calls back on every later change; returns the unsubscribe function. */
export function watchFrameImages(
  tabId: number,
  videoId: string,
  onChange: (frames: StoredFrameImage[]) => void,
): () => void {
  return watchSessionKey<StoredFrameImage[]>(frameImagesKey(tabId, videoId), [], onChange);
}

/** The title and address of the tab a video was on; the results' URL when the tab is gone. */
export async function pageOf(tabId: number, results: TabResults | null): Promise<{ url: string; title: string }> {
  try {
    const tab = await browser.tabs.get(tabId);
    return { url: tab.url ?? results?.url ?? '', title: tab.title ?? '' };
  } catch {
    return { url: results?.url ?? '', title: '' };
  }
}
