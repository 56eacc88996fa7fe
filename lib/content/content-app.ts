import { browser } from 'wxt/browser';
import { type CheckVideoOutcome, contentMessenger, pageMessenger } from '../messaging/protocol';
import { isOwnExtensionPage, requireSender } from '../messaging/sender-check';
import { ContextMenuTargets, videosToCheck } from './check-request';
import { readPlatform } from '../adapters/registry';
import { blobToDataUrl } from '../platform/image-io';
import { PREFERENCE_DEFAULTS, analysisWanted } from '../settings/preferences';
import { effectiveFrameBudget } from '../settings/frame-budget';
import { PolicyView } from './policy-view';
import { readPreferences, watchPreferences } from '../settings/settings';
import { BadgeLayer } from './badge-layer';
import type { ContentLifecycle } from './lifecycle';
import { setFramesPerVideo } from './sampling-policy';
import { msePort } from './mse-bridge';
import { type StreamState, StreamSegmentInbox } from './stream-segments';
import { VideoDiscovery } from './video-discovery';
import { type TrackerPort, VideoTracker } from './video-tracker';
import { PageBusy } from './page-busy';
import { WorkPacer } from './work-pacer';

const port: TrackerPort = {
  videoSeen: (a) => contentMessenger.sendMessage('videoSeen', a),
  videoUnavailable: (d) => contentMessenger.sendMessage('videoUnavailable', d),
  analyseFrame: (f) => contentMessenger.sendMessage('analyseFrame', f),
  captureTabFrame: (r) => contentMessenger.sendMessage('captureTabFrame', r),
  fetchVideoFrame: (r) => contentMessenger.sendMessage('fetchVideoFrame', r),
  platformReading: (d) => contentMessenger.sendMessage('platformReading', d),
};

/** How often videos checked from the context menu are looked at for having left the page. */
const CHECKED_SWEEP_MS = 4000;

function quietly(promise: Promise<unknown>): void {
  promise.catch((error: unknown) => console.debug('[provenance-lens]', error));
}

/**
 * The content script's whole job in one frame: find videos, follow each
 * with a tracker, show badges, and tell the background when the page or a
 * video goes away.
 */
export function startContentApp(ctx: ContentLifecycle): void {
  const isTopFrame = window === window.top;
  if (isTopFrame) {
    quietly(contentMessenger.sendMessage('pageStarted', { url: location.href, timeOrigin: performance.timeOrigin }));
  }
  // One queue for every video's steps: a page that shows many videos at once gets many short tasks.
  const pacer = new WorkPacer();
  const pace = (urgent?: boolean) => pacer.turn(urgent);
  // Frame grabs wait while the page is busy (its long tasks), so the extension does not add to its jank.
  const busy = new PageBusy();
  const badges = new BadgeLayer(
    ctx,
    document,
    (video, view) => {
      const tracker = trackers.get(video);
      if (tracker) quietly(contentMessenger.sendMessage('openVideoPage', { id: tracker.id, view }));
    },
    pace,
  );
  const view = new PolicyView(badges);
  const trackers = new Map<HTMLVideoElement, VideoTracker>();
  const intersections = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) trackers.get(entry.target as HTMLVideoElement)?.onIntersection(entry);
    },
    { threshold: [0, 0.25, 0.5, 0.75, 1] },
  );
  const deps = {
    port,
    view,
    isTopFrame,
    pageVisible: () => document.visibilityState === 'visible',
    readPlatform: (video: HTMLVideoElement) => readPlatform(video, document, new URL(location.href)),
    onAnnounced: (tracker: VideoTracker) => sendStream(tracker),
    pace,
    settle: () => busy.settle(),
  };
  // Streams (MSE): the MAIN-world observer hands over each stream's init segment and then its media
  // segments through the port taken at document_start; they go to the background, in order, once the
  // stream's video is known there, whichever comes first.
  const streams = new StreamSegmentInbox(msePort(), (blobUrl) => {
    for (const tracker of trackers.values()) if (tracker.announcedSource === blobUrl) sendStream(tracker);
  });
  const streamQueues = new WeakMap<StreamState, Promise<unknown>>();
  const initUrls = new WeakMap<StreamState, Promise<string>>();
  function sendStream(tracker: VideoTracker): void {
    const src = tracker.announcedSource;
    if (!src?.startsWith('blob:')) return;
    const taken = streams.take(src);
    if (!taken) return;
    const { state, items } = taken;
    const previous = streamQueues.get(state) ?? Promise.resolve();
    const next = previous.then(async () => {
      for (const item of items) {
        try {
          if (item.kind === 'init-changed') {
            await contentMessenger.sendMessage('streamSegments', {
              kind: 'init-changed',
              id: tracker.id,
              index: item.index,
            });
            continue;
          }
          let init = initUrls.get(state);
          if (!init) initUrls.set(state, (init = blobToDataUrl(new Blob([state.init]))));
          const [initUrl, fragment] = await Promise.all([init, blobToDataUrl(new Blob([item.bytes]))]);
          await contentMessenger.sendMessage('streamSegments', {
            kind: 'segment',
            id: tracker.id,
            mimeType: state.mimeType,
            init: initUrl,
            fragment,
            index: item.index,
            skipped: item.skipped,
          });
        } catch (error: unknown) {
          console.debug('[provenance-lens] stream credentials', error);
        } finally {
          if (item.kind === 'segment') streams.settle(state.stream);
        }
      }
    });
    streamQueues.set(state, next);
  }
  const handlers = {
    added(video: HTMLVideoElement) {
      // A video the user checked from the context menu is already followed when discovery starts.
      if (trackers.has(video)) return;
      const tracker = new VideoTracker(video, deps);
      trackers.set(video, tracker);
      intersections.observe(video);
    },
    removed(video: HTMLVideoElement) {
      const tracker = trackers.get(video);
      if (!tracker) return;
      trackers.delete(video);
      tracker.dispose();
      intersections.unobserve(video);
      view.forget(video);
      quietly(contentMessenger.sendMessage('videoGone', { id: tracker.id }));
    },
  };
  // "Check this video" (the browser's context menu): the video the user right-clicked is analysed even where this
  // page is not (scanning on request, or the site turned off), until it leaves the page or analysis is turned off.
  const menuTargets = new ContextMenuTargets((handler) =>
    ctx.addEventListener(window, 'contextmenu', handler, { capture: true }),
  );
  const checked = new Set<HTMLVideoElement>();
  let checkedSweep: number | null = null;
  function followChecked(video: HTMLVideoElement): void {
    checked.add(video);
    // Without discovery nothing else notices a checked video leaving the page.
    checkedSweep ??= ctx.setInterval(() => {
      for (const v of [...checked]) {
        if (v.isConnected) continue;
        checked.delete(v);
        if (!discovery) handlers.removed(v);
      }
      if (checked.size === 0 && checkedSweep !== null) {
        clearInterval(checkedSweep);
        checkedSweep = null;
      }
    }, CHECKED_SWEEP_MS);
  }
  function checkVideo(srcUrl: string): CheckVideoOutcome {
    const candidates = discovery ? [...trackers.keys()] : findVideos();
    const chosen = videosToCheck(candidates, srcUrl, menuTargets.take());
    if (chosen.length === 0) return 'not-found';
    let started = false;
    for (const video of chosen) {
      view.request(video);
      if (trackers.has(video)) continue;
      handlers.added(video);
      followChecked(video);
      started = true;
    }
    return started ? 'started' : 'already';
  }
  /** Every video of the frame now, found as discovery finds them (shadow roots included), without watching. */
  function findVideos(): HTMLVideoElement[] {
    const found: HTMLVideoElement[] = [];
    const once = new VideoDiscovery(
      document,
      { added: (video) => found.push(video), removed: () => undefined },
      undefined,
      0,
      (element) => badges.isOwn(element),
    );
    once.start();
    once.stop();
    return found;
  }
  const stopCheckListener = pageMessenger.onMessage('checkVideo', ({ data, sender }) => {
    // Only the background's menu handler asks: a page cannot reach this listener, and no other sender may.
    requireSender(
      isOwnExtensionPage(sender, { id: browser.runtime.id, origin: browser.runtime.getURL('/') }),
      'checkVideo',
    );
    return checkVideo(typeof data?.srcUrl === 'string' ? data.srcUrl : '');
  });

  // Videos are found and followed only while the settings let this page be analysed (site on; automatic
  // scanning or "Scan this page"). Turning analysis off forgets every video here and in the background.
  let discovery: VideoDiscovery | null = null;
  let preferences = PREFERENCE_DEFAULTS;
  let tab: { hostname: string; scanRequested: boolean } | null = null;
  let onBattery = false;
  function applySettings(): void {
    setFramesPerVideo(effectiveFrameBudget(preferences.frameBudget, onBattery).framesPerVideo);
    view.setPolicy(preferences.badges);
    const wanted = tab !== null && analysisWanted(preferences, tab.hostname || location.hostname, tab.scanRequested);
    if (wanted && !discovery) {
      discovery = new VideoDiscovery(document, handlers, undefined, undefined, (element) => badges.isOwn(element));
      discovery.start();
    } else if (!wanted && discovery) {
      discovery.stop();
      discovery = null;
      checked.clear();
      for (const video of [...trackers.keys()]) handlers.removed(video);
    }
  }
  // On battery the page takes the battery saver's frames per video, whatever the setting (Chromium tells; Firefox
  // has no battery API, and nothing changes there).
  const nav = navigator as Navigator & {
    getBattery?: () => Promise<EventTarget & { charging: boolean }>;
  };
  void nav
    .getBattery?.()
    .then((battery) => {
      const update = () => {
        onBattery = !battery.charging;
        applySettings();
      };
      battery.addEventListener('chargingchange', update);
      update();
    })
    .catch(() => undefined);
  const stopWatching = watchPreferences((next) => {
    preferences = next;
    applySettings();
  });
  void Promise.all([readPreferences(), contentMessenger.sendMessage('tabState', null)])
    .then(([stored, state]) => {
      preferences = stored;
      tab = state;
      applySettings();
    })
    .catch((error: unknown) => {
      // Without an answer from the background the page's own host name and the stored settings decide.
      console.debug('[provenance-lens] settings', error);
      tab ??= { hostname: location.hostname, scanRequested: false };
      applySettings();
    });
  const stopScanListener = pageMessenger.onMessage('scanRequested', () => {
    if (tab) tab.scanRequested = true;
    else tab = { hostname: '', scanRequested: true };
    applySettings();
  });
  const stopListening = pageMessenger.onMessage('verdictUpdated', ({ data }) => {
    for (const tracker of trackers.values()) {
      if (tracker.id !== data.videoId) continue;
      tracker.noteVerdict(data.verdict);
      view.update(tracker.video, data.verdict);
    }
  });

  ctx.addEventListener(document, 'visibilitychange', () => {
    for (const tracker of trackers.values()) tracker.tick();
  });
  ctx.onLocationChange((newUrl) => {
    // Called as navigation starts, before `location` changes: use its new URL.
    if (isTopFrame) quietly(contentMessenger.sendMessage('pageChanged', { url: newUrl.href }));
    discovery?.sweep();
    // The same player often shows the next post after in-page navigation: read its label again.
    for (const tracker of trackers.values()) tracker.schedulePlatformReads();
  });
  ctx.onInvalidated(() => {
    stopListening();
    stopWatching();
    stopScanListener();
    stopCheckListener();
    streams.stop();
    discovery?.stop();
    intersections.disconnect();
    busy.dispose();
    for (const tracker of trackers.values()) tracker.dispose();
    trackers.clear();
    badges.destroy();
  });
}
