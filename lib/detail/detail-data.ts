import { browser } from 'wxt/browser';
import { frameImagesKey, type StoredFrameImage, type TabResults } from '../core/report';
import { watchSessionKey } from '../platform/session-watch';
import { watchTabResults } from '../popup/tab-results';

export { watchTabResults };

/** Reads a video's frame images and calls back on every later change; returns the unsubscribe function. */
export function watchFrameImages(
  tabId: number,
  videoId: string,
  onChange: (frames: StoredFrameImage[]) => void,
): () => void {
  return watchSessionKey<StoredFrameImage[]>(frameImagesKey(tabId, videoId), (frames) => onChange(frames ?? []));
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
