import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { contentMessenger, pageMessenger } from '../messaging/protocol';
import { readPlatform } from '../adapters/registry';
import { blobToDataUrl } from '../analysis/image-io';
import { BadgeLayer } from './badge-layer';
import { StreamSegmentInbox } from './stream-segments';
import { VideoDiscovery } from './video-discovery';
import { type TrackerPort, VideoTracker } from './video-tracker';

const port: TrackerPort = {
  videoSeen: (a) => contentMessenger.sendMessage('videoSeen', a),
  videoUnavailable: (d) => contentMessenger.sendMessage('videoUnavailable', d),
  analyseFrame: (f) => contentMessenger.sendMessage('analyseFrame', f),
  captureTabFrame: (r) => contentMessenger.sendMessage('captureTabFrame', r),
  fetchVideoFrame: (r) => contentMessenger.sendMessage('fetchVideoFrame', r),
  platformReading: (d) => contentMessenger.sendMessage('platformReading', d),
};

function quietly(promise: Promise<unknown>): void {
  promise.catch((error: unknown) => console.debug('[provenance-lens]', error));
}

/**
 * The content script's whole job in one frame: find videos, follow each
 * with a tracker, show badges, and tell the background when the page or a
 * video goes away.
 */
export function startContentApp(ctx: ContentScriptContext): void {
  const isTopFrame = window === window.top;
  if (isTopFrame) {
    quietly(contentMessenger.sendMessage('pageStarted', { url: location.href, timeOrigin: performance.timeOrigin }));
  }
  const badges = new BadgeLayer(ctx, document, (video, view) => {
    const tracker = trackers.get(video);
    if (tracker) quietly(contentMessenger.sendMessage('openVideoPage', { id: tracker.id, view }));
  });
  const trackers = new Map<Element, VideoTracker>();
  const intersections = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) trackers.get(entry.target)?.onIntersection(entry);
    },
    { threshold: [0, 0.25, 0.5, 0.75, 1] },
  );
  const deps = {
    port,
    view: badges,
    isTopFrame,
    pageVisible: () => document.visibilityState === 'visible',
    readPlatform: (video: HTMLVideoElement) => readPlatform(video, document, new URL(location.href)),
    onAnnounced: (tracker: VideoTracker) => sendStream(tracker),
  };
  // Streams (MSE): the MAIN-world observer posts each stream's first segments; they go to the
  // background once the stream's video is known there, whichever comes first.
  const streams = new StreamSegmentInbox(window, (blobUrl) => {
    for (const tracker of trackers.values()) if (tracker.announcedSource === blobUrl) sendStream(tracker);
  });
  function sendStream(tracker: VideoTracker): void {
    const src = tracker.announcedSource;
    if (!src?.startsWith('blob:')) return;
    const segments = streams.take(src);
    if (!segments) return;
    void (async () => {
      const [init, fragment] = await Promise.all([
        blobToDataUrl(new Blob([segments.init])),
        blobToDataUrl(new Blob([segments.fragment])),
      ]);
      await contentMessenger.sendMessage('streamSegments', {
        id: tracker.id,
        mimeType: segments.mimeType,
        init,
        fragment,
      });
    })().catch((error: unknown) => console.debug('[provenance-lens] stream credentials', error));
  }
  const discovery = new VideoDiscovery(document, {
    added(video) {
      const tracker = new VideoTracker(video, deps);
      trackers.set(video, tracker);
      intersections.observe(video);
    },
    removed(video) {
      const tracker = trackers.get(video);
      if (!tracker) return;
      trackers.delete(video);
      tracker.dispose();
      intersections.unobserve(video);
      badges.remove(video);
      quietly(contentMessenger.sendMessage('videoGone', { id: tracker.id }));
    },
  });
  discovery.start();
  const stopListening = pageMessenger.onMessage('verdictUpdated', ({ data }) => {
    for (const tracker of trackers.values())
      if (tracker.id === data.videoId) badges.update(tracker.video, data.verdict);
  });

  ctx.addEventListener(document, 'visibilitychange', () => {
    for (const tracker of trackers.values()) tracker.tick();
  });
  ctx.addEventListener(window, 'wxt:locationchange', (event) => {
    // The event fires as navigation starts, before `location` changes: use its new URL.
    if (isTopFrame) quietly(contentMessenger.sendMessage('pageChanged', { url: event.newUrl.href }));
    discovery.sweep();
    // The same player often shows the next post after in-page navigation: read its label again.
    for (const tracker of trackers.values()) tracker.schedulePlatformReads();
  });
  ctx.onInvalidated(() => {
    stopListening();
    streams.stop();
    discovery.stop();
    intersections.disconnect();
    for (const tracker of trackers.values()) tracker.dispose();
    trackers.clear();
    badges.destroy();
  });
}
