import { browser } from 'wxt/browser';
import { contentMessenger, pageMessenger } from '../messaging/protocol';
import { startBackgroundSettings } from './background-settings';
import { readProvenanceMaxBytes } from '../settings/settings';
import { TrustSettingsStore } from '../settings/trust-settings';
import type { AnalysisClient } from './analysis-client';
import { videoPageUrl } from '../detail/detail-url';
import { FrameImageStore } from './frame-images';
import { createFrameService, type Origin } from './frame-service';
import { ResultsStore } from './results-store';
import { isOwnContentScript, requireSender, type Self } from '../messaging/sender-check';
import { ToolbarBadge } from './toolbar-badge';
import { IdbVerdictStore, VerdictCache } from './verdict-cache';
import { hashFrameJpeg } from './frame-hasher';

type Sender = { id?: string; tab?: { id?: number; windowId?: number; url?: string }; frameId?: number; url?: string };

/** The extension as senders are compared with it. */
const self = (): Self => ({ id: browser.runtime.id, origin: browser.runtime.getURL('/') });

/** Where a content script's message came from; throws for any other sender. */
function originOf(sender: Sender): Origin {
  requireSender(isOwnContentScript(sender, self()), 'from a content script');
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0) throw new Error('message did not come from a tab');
  return {
    tabId,
    frameId: sender.frameId ?? 0,
    windowId: sender.tab?.windowId ?? -1,
    frameUrl: sender.url ?? sender.tab?.url ?? '',
  };
}

/**
 * Wires the background: the results store in `storage.session` (closed to
 * content scripts), the frame service, and the analysis host for this
 * browser.
 */
export function startBackground(client: AnalysisClient): void {
  // Results stay with the extension's own pages: pages' scripts and content scripts cannot read them.
  void browser.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' });
  // Every write of a tab's results also sets the toolbar icon's count for that tab (a place pages cannot reach).
  const toolbar = new ToolbarBadge(browser.action);
  const store = new ResultsStore(toolbar.observe(browser.storage.session));
  // Read here first, so anchors imported before the trust store existed move out of storage.local at once.
  // Judgements of clips seen before, in the extension's own IndexedDB (the setting turns it on and off).
  const verdictCache = new VerdictCache(new IdbVerdictStore());
  const trustSettings = new TrustSettingsStore();
  void trustSettings.read().catch((error: unknown) => console.warn('trust settings could not be read', error));
  const service = createFrameService({
    store,
    client,
    captureVisibleTab: (windowId) => browser.tabs.captureVisibleTab(windowId, { format: 'jpeg', quality: 90 }),
    isTabActive: async (tabId) => (await browser.tabs.get(tabId)).active === true,
    provenanceSettings: async () => ({
      trust: await trustSettings.read(),
      maxBytes: await readProvenanceMaxBytes(),
    }),
    notify: (origin, videoId, verdict) =>
      pageMessenger.sendMessage(
        'verdictUpdated',
        { videoId, verdict },
        { tabId: origin.tabId, frameId: origin.frameId },
      ),
    frameImages: new FrameImageStore(browser.storage.session),
    verdictCache,
    hashFrame: hashFrameJpeg,
  });

  const settings = startBackgroundSettings({
    store,
    verdictCache,
    toolbar,
    notify: (tabId, frameId, videoId, verdict) =>
      pageMessenger.sendMessage('verdictUpdated', { videoId, verdict }, { tabId, frameId }),
  });

  contentMessenger.onMessage('pageStarted', async ({ data, sender }) => {
    const origin = originOf(sender);
    await settings.pageStarted(origin.tabId);
    await service.pageStarted(origin, data.url, data.timeOrigin);
  });
  contentMessenger.onMessage('tabState', async ({ sender }) => {
    const origin = originOf(sender);
    const url = sender.tab?.url;
    return { hostname: url ? new URL(url).hostname : '', scanRequested: await settings.scanRequested(origin.tabId) };
  });
  contentMessenger.onMessage('pageChanged', ({ data, sender }) => service.pageChanged(originOf(sender), data.url));
  contentMessenger.onMessage('videoSeen', ({ data, sender }) => service.videoSeen(originOf(sender), data));
  contentMessenger.onMessage('streamSegments', ({ data, sender }) => service.streamSegments(originOf(sender), data));
  contentMessenger.onMessage('platformReading', ({ data, sender }) =>
    service.platformReading(originOf(sender), data.id, data.reading),
  );
  contentMessenger.onMessage('videoGone', ({ data, sender }) => service.videoGone(originOf(sender), data.id));
  contentMessenger.onMessage('videoUnavailable', ({ data, sender }) =>
    service.videoUnavailable(originOf(sender), data.id, data.reason, data.detail),
  );
  contentMessenger.onMessage('analyseFrame', ({ data, sender }) => service.analyseFrame(originOf(sender), data));
  contentMessenger.onMessage('captureTabFrame', ({ data, sender }) => service.captureTabFrame(originOf(sender), data));
  contentMessenger.onMessage('fetchVideoFrame', ({ data, sender }) => service.fetchVideoFrame(originOf(sender), data));

  contentMessenger.onMessage('openVideoPage', async ({ data, sender }) => {
    const origin = originOf(sender);
    const url = browser.runtime.getURL(videoPageUrl(origin.tabId, data.id, data.view));
    // Open it beside the page it describes, so closing it returns the user there.
    const tab = await browser.tabs.get(origin.tabId);
    await browser.tabs.create({ url, windowId: tab.windowId, index: tab.index + 1, openerTabId: origin.tabId });
  });

  browser.tabs.onRemoved.addListener((tabId) => {
    void service.removeTab(tabId);
    void settings.tabRemoved(tabId);
  });
}
