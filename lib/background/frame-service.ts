import type { TrustChoice } from '../provenance/trust';
import type { FramePath, StageTimings, VideoReport } from '../core/report';
import type {
  CanvasFrame,
  FrameOutcome,
  HostFrameResult,
  HostRequest,
  WatermarkReading,
  PlatformReadingData,
  RemoteFrameRequest,
  StreamSegmentData,
  TabCaptureRequest,
  VerdictSummary,
  VideoAnnouncement,
} from '../messaging/protocol';
import type { ProvenanceSignal, UnavailableReason } from '../core/signals';
import { mergeStreamReading, streamSettled, withdrawStream } from '../core/stream-credentials';
import type { AnalysisClient } from './analysis-client';
import type { FrameImageStore } from './frame-images';
import { CaptureThrottle, RateLimitedError } from './capture-throttle';
import {
  type FrameAdmission,
  type ResultsStore,
  type SettledJudgement,
  type ShownFramesWanted,
  summarise,
} from './results-store';
import { isStoredWhole, storedUrl } from './stored-urls';
import { compareFrame, type VerdictCache } from './verdict-cache';
import { mayFetchFor } from '../provenance/fetch-policy';
import { t } from '../present/i18n';

/** Where a content-script message came from. */
export interface Origin {
  tabId: number;
  frameId: number;
  windowId: number;
  /** The sending frame's URL as the browser reports it (not as the page says); decides what may be fetched. */
  frameUrl: string;
}

/** Retries a call to the analysis host that failed outright (a host restarting), twice, with a short pause. */
async function withRetries<T>(call: () => Promise<T>, attempts = 3, pauseMs = 400): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, pauseMs * attempt));
    }
  }
}

/** What the service needs from the browser, so tests can pass their own. */
export interface FrameServiceDeps {
  store: ResultsStore;
  client: AnalysisClient;
  /** Screenshot of the window's visible tab as a JPEG data URL. */
  captureVisibleTab: (windowId: number) => Promise<string>;
  /** Whether the tab is the one shown in its window right now. */
  isTabActive: (tabId: number) => Promise<boolean>;
  throttle?: CaptureThrottle;
  /** Epoch milliseconds with sub-millisecond precision, same clock as the content script's `sentAt`. */
  clock?: () => number;
  /** The user's provenance settings. */
  provenanceSettings: () => Promise<{ trust: TrustChoice; maxBytes: number }>;
  /** Tells the frame that shows a video about its new verdict. */
  notify: (to: Pick<Origin, 'tabId' | 'frameId'>, videoId: string, verdict: VerdictSummary) => Promise<void>;
  /** Keeps each analysed frame's small JPEG for the detail view and reports. */
  frameImages?: FrameImageStore;
  /** Judgements of clips seen before (the "Remember verdicts" setting); without it every video is analysed in full. */
  verdictCache?: VerdictCache;
  /**
   * The difference hash of a page's frame JPEG, computed here before the host sees the frame (null: blank or not
   * decodable). With it, a canvas frame of a remembered clip gets its verdict without waiting for the models.
   */
  hashFrame?: (jpeg: string) => Promise<string | null>;
}

/** A file whose Content Credentials are read for a video: the video's file itself or its poster image. */
interface CredentialsFile {
  videoId: string;
  /** The video's source as stored: a reading lands only while the video still shows it. */
  src: string;
  /** The address fetched (the file, or the poster). */
  url: string;
  source: 'file' | 'image';
}

/** A frame the host answered, with what the background knows of its trip, to be recorded. */
interface FrameToFinish {
  origin: Origin;
  videoId: string;
  framePath: FramePath;
  /** The page's request: the frame's media time, when it was sent, and how long the video had played by then. */
  req: { mediaTime: number; sentAt: number; sincePlaying: number };
  /** The page's own stages (zero for frames the background takes itself). */
  pageTimings: { capture: number; mainThread: number; encode: number };
  /** When the background received the request (same clock as `req.sentAt`). */
  receivedAt: number;
  result: HostFrameResult;
  /** The frame's small JPEG to keep: the page's own for canvas frames, else the host's thumbnail. */
  image: { jpeg: string | null; thumbnailWanted: boolean };
  /** The frame is what the user saw (see `FrameRecord.shown`). */
  shown: boolean;
}

type FrameService = ReturnType<typeof createFrameService>;

/**
 * The background's side of the frame pipeline: checks budgets, hands each
 * frame to the analysis host by the path the content script could use,
 * records the result and answers with the new verdict.
 */
export function createFrameService(deps: FrameServiceDeps) {
  const throttle = deps.throttle ?? new CaptureThrottle();
  const clock = deps.clock ?? (() => performance.timeOrigin + performance.now());

  async function finish({
    origin,
    videoId,
    framePath,
    req,
    pageTimings,
    receivedAt,
    result,
    image,
    shown,
  }: FrameToFinish): Promise<FrameOutcome> {
    if (result.status === 'dropped') return { status: 'dropped', reason: result.reason };
    if (result.status === 'failed') return { status: 'failed', error: result.error };
    const done = clock();
    // Everything the host did with the frame is its own stage; "transfer" is only the messaging around it.
    const hostWork =
      result.timings.preprocess + result.timings.inference + result.timings.classify + (result.timings.faces ?? 0);
    const timings: StageTimings = {
      ...pageTimings,
      transfer: Math.max(0, receivedAt - req.sentAt) + Math.max(0, done - receivedAt - hostWork),
      preprocess: result.timings.preprocess,
      inference: result.timings.inference,
      classify: result.timings.classify,
      faces: result.timings.faces ?? 0,
      faceDetect: result.timings.faceDetect ?? 0,
    };
    // The frame's one visit to the store: its record (with the watermark reader's room, when its copy rode along)
    // and, from the same state, the verdict cache's next step.
    const landed = await deps.store.landFrame({
      tabId: origin.tabId,
      videoId,
      frame: {
        mediaTime: req.mediaTime,
        framePath,
        blank: result.blank,
        timings,
        transferBytes: result.bytes,
        thumbnail: image.thumbnailWanted ? result.thumbnail : null,
        aiLogit: result.aiLogit,
        faces: result.faces ?? null,
        hash: result.frameHash ?? null,
        shown,
        sincePlaying: req.sincePlaying + (done - req.sentAt),
        ...(result.ocr ? { ocr: result.ocr } : {}),
        ...(result.compute ? { compute: result.compute } : {}),
      },
      remember: !!deps.verdictCache,
    });
    if (!landed) return { status: 'dropped', reason: 'unknown-video' };
    const { report, lookUp, settled, shownWanted, ocrDone } = landed;
    if (shownWanted) void confirmShown(origin, videoId, shownWanted);
    const jpeg = image.jpeg ?? result.thumbnail;
    if (jpeg && deps.frameImages) {
      deps.frameImages
        .add(origin.tabId, videoId, { mediaTime: req.mediaTime, jpeg })
        .catch((error: unknown) => console.warn('[provenance-lens] frame image not kept', error));
    }
    if (lookUp === null || !result.frameHash) {
      if (settled) void remember(settled);
      return { status: 'analysed', blank: result.blank, verdict: summarise(report), ocrDone };
    }
    const restored = await recallJudgement(origin, videoId, req, lookUp, result.frameHash, shown);
    if (!restored) void rememberIfSettled(origin, videoId);
    // A restored judgement's frames are never read for marks.
    return {
      status: 'analysed',
      blank: result.blank,
      verdict: summarise(restored ?? report),
      ocrDone: ocrDone || !!restored,
    };
  }

  /**
   * Compares a frame with the verdict cache's frames of the same clip and moment (`src`, as the frame's landing
   * named it) and, when it shows the same picture, restores the judgement made then; undefined when nothing was
   * restored. A frame of the same moment with other pixels (the address now serves other content) ends the lookups:
   * the video is analysed in full.
   */
  async function recallJudgement(
    origin: Origin,
    videoId: string,
    req: { mediaTime: number; sentAt: number; sincePlaying: number },
    src: string,
    hash: string,
    shown: boolean,
  ): Promise<VideoReport | undefined> {
    const { mediaTime } = req;
    const cache = deps.verdictCache;
    if (!cache) return undefined;
    try {
      const found = await cache.recall(src, { mediaTime, hash }, deps.store.frameModel());
      // No remembered frame of this moment: a later frame may still be compared.
      if (found.status === 'other-moment') return undefined;
      if (found.status !== 'hit') {
        await deps.store.closeCache(origin.tabId, videoId, src);
        return undefined;
      }
      const now = clock();
      const from = {
        judgedAt: found.judgedAt,
        matchedAt: mediaTime,
        restoredAt: Date.now(),
        restoredMs: req.sincePlaying + (now - req.sentAt),
      };
      // A file's match with what an earlier viewing showed carries over only through a frame the user sees now.
      return await deps.store.restore(origin.tabId, videoId, found.judgement, from, src, shown);
    } catch (error) {
      console.warn('[provenance-lens] verdict cache not read', error);
      return undefined;
    }
  }

  /**
   * The fast path for a canvas frame: hashed here, and when it matches a remembered frame of the same moment the
   * judgement is restored before the host is asked anything (`src`: the admission's cache candidate). Only a match
   * acts here; a frame that differs is left to the host's own reading (which knows a blank frame from a changed clip).
   */
  async function restoreBeforeHost(origin: Origin, f: CanvasFrame, src: string | null): Promise<FrameOutcome | null> {
    const cache = deps.verdictCache;
    if (!cache || !deps.hashFrame || src === null) return null;
    try {
      // A clip the cache does not know costs its first frame one database read, not a decode.
      if ((await cache.peek(src, deps.store.frameModel())) !== 'some') {
        await deps.store.closeCache(origin.tabId, f.videoId, src);
        return null;
      }
      const hash = await deps.hashFrame(f.jpeg);
      if (hash === null) return null;
      const found = await cache.recall(src, { mediaTime: f.mediaTime, hash }, deps.store.frameModel());
      if (found.status !== 'hit') return null;
      const from = {
        judgedAt: found.judgedAt,
        matchedAt: f.mediaTime,
        restoredAt: Date.now(),
        restoredMs: f.sincePlaying + (clock() - f.sentAt),
      };
      // A canvas frame is not what the user saw: a file's match with an earlier viewing does not carry over.
      const report = await deps.store.restore(origin.tabId, f.videoId, found.judgement, from, src, false);
      if (!report) return null;
      // The frame that matched is the one this viewing shows in the detail page.
      deps.frameImages
        ?.add(origin.tabId, f.videoId, { mediaTime: f.mediaTime, jpeg: f.jpeg })
        .catch((error: unknown) => console.warn('[provenance-lens] frame image not kept', error));
      return { status: 'analysed', blank: false, verdict: summarise(report) };
    } catch (error) {
      console.warn('[provenance-lens] verdict cache not read', error);
      return null;
    }
  }

  /**
   * Later canvas frames of a restored video are still compared, in the background, with the remembered frames of
   * their moment: a page that swaps the clip after its first frame takes the restored judgement back (and the
   * remembered one is forgotten), and the video is analysed in full from this frame. Returns the outcome while the
   * restored judgement (as the store's admission gave it) stands; null when it was just taken back.
   */
  async function verifyRestored(
    origin: Origin,
    frame: CanvasFrame,
    restored: Extract<FrameAdmission, { status: 'restored' }>,
  ): Promise<FrameOutcome | null> {
    const hash = deps.hashFrame ? await deps.hashFrame(frame.jpeg).catch(() => null) : null;
    if (hash !== null && compareFrame(restored.frames, { mediaTime: frame.mediaTime, hash }) === 'mismatch') {
      await deps.store.revoke(origin.tabId, frame.videoId, restored.src);
      await deps.verdictCache
        ?.forget(restored.src)
        .catch((error: unknown) => console.warn('[provenance-lens] verdict not forgotten', error));
      return null;
    }
    // The frames this viewing showed are the ones its detail page shows.
    deps.frameImages
      ?.add(origin.tabId, frame.videoId, { mediaTime: frame.mediaTime, jpeg: frame.jpeg })
      .catch((error: unknown) => console.warn('[provenance-lens] frame image not kept', error));
    return { status: 'analysed', blank: false, verdict: restored.summary };
  }

  /** Opens the verdict cache and reads the video's entry while the video loads, so its first frame does not wait. */
  async function warmCache(origin: Origin, videoId: string): Promise<void> {
    const cache = deps.verdictCache;
    if (!cache) return;
    try {
      const src = await deps.store.cacheCandidate(origin.tabId, videoId);
      if (src !== null) await cache.peek(src, deps.store.frameModel());
    } catch (error) {
      console.warn('[provenance-lens] verdict cache not read', error);
    }
  }

  /** Hands a video's judgement to the verdict cache once it is settled (once per viewing). */
  async function rememberIfSettled(origin: Origin, videoId: string): Promise<void> {
    if (!deps.verdictCache) return;
    try {
      const settled = await deps.store.takeSettled(origin.tabId, videoId);
      if (settled) await remember(settled);
    } catch (error) {
      console.warn('[provenance-lens] verdict not remembered', error);
    }
  }

  /** Hands a settled judgement, taken from the store, to the verdict cache. */
  async function remember(settled: SettledJudgement): Promise<void> {
    try {
      await deps.verdictCache?.remember(settled.src, settled.frames, settled.judgement);
    } catch (error) {
      console.warn('[provenance-lens] verdict not remembered', error);
    }
  }

  /**
   * The store's word on a frame before it goes to the host: read from the store's memory when nothing is waiting
   * there (no visit; the frame's one visit is its landing), else in a visit after what waits.
   */
  function admit(tabId: number, videoId: string, withWatermark: boolean): Promise<FrameAdmission> | FrameAdmission {
    return (
      deps.store.admissionNow(tabId, videoId, withWatermark) ?? deps.store.admitFrame(tabId, videoId, withWatermark)
    );
  }

  /** Videos whose verified file is being compared with what the page shows now, by tab and video. */
  const shownChecks = new Set<string>();

  /**
   * Compares the frames the user saw (screenshot crops) with frames the host decodes from the very
   * bytes whose credentials it verified, at the same media times, until the store can say whether the file is what
   * plays. One comparison per video at a time; frames that arrive meanwhile are taken in the next round. `first`:
   * what the store said, in the visit that landed a frame, is wanted for the first round.
   */
  async function confirmShown(origin: Origin, videoId: string, first?: ShownFramesWanted): Promise<void> {
    const key = `${origin.tabId}\n${videoId}`;
    if (shownChecks.has(key)) return;
    shownChecks.add(key);
    try {
      // Each round decodes the file at the page's new frames; a few rounds decide (three frames at most).
      for (let round = 0; round < 4; round++) {
        const want = round === 0 && first ? first : await deps.store.shownFramesWanted(origin.tabId, videoId);
        if (!want) return;
        const { trust, maxBytes } = await deps.provenanceSettings();
        const answer = await deps.client.hashVerifiedFrames({
          videoId,
          src: want.src,
          trust,
          maxBytes,
          source: 'file',
          shown: want.shown,
        });
        const report = await deps.store.addFileFrames(origin.tabId, videoId, want.reading, answer);
        if (report) await deps.notify(origin, videoId, summarise(report));
        if (!answer) return;
      }
    } catch (error) {
      console.warn('[provenance-lens] frames of the verified file not compared', error);
    } finally {
      shownChecks.delete(key);
    }
  }

  /** Folds one provenance reading into the verdict, unless it was cancelled or says nothing. */
  async function landProvenance(
    origin: Origin,
    { videoId, src, source }: CredentialsFile,
    signal: ProvenanceSignal,
  ): Promise<void> {
    if (signal.state === 'error' && signal.detail === 'cancelled') return;
    // A poster without credentials adds nothing; its errors are not the video's either.
    if (source === 'image' && (signal.state === 'absent' || signal.state === 'error')) return;
    // The video may have changed source meanwhile: a reading of the old file must not land on the new one.
    const report = await deps.store.addSignal(origin.tabId, videoId, signal, src);
    if (report) await deps.notify(origin, videoId, summarise(report));
    // Credentials that would decide the verdict count only once the file is shown to be what plays.
    if (report && source === 'file') void confirmShown(origin, videoId);
  }

  /**
   * Reads the file's Content Credentials in the host: first what the
   * manifest claims, from the file's metadata boxes (shown at once), then,
   * for a file under the size cap, the whole file with its content hash,
   * whose reading replaces the first.
   */
  async function checkProvenance(origin: Origin, file: CredentialsFile): Promise<void> {
    const { videoId, url, source } = file;
    try {
      const { trust, maxBytes } = await deps.provenanceSettings();
      const req = { videoId, src: url, trust, maxBytes, source };
      const claims = await withRetries(() => deps.client.readProvenanceClaims(req));
      if (claims) {
        if (claims.signal.state === 'error' && claims.signal.detail === 'cancelled') return;
        await landProvenance(origin, file, claims.signal);
        if (claims.final) return;
      }
      const signal = await withRetries(() => deps.client.readProvenance(req));
      // A failed download does not take back what the manifest was seen to claim.
      const kept =
        signal.state === 'error' && signal.detail !== 'cancelled' && claims && claims.signal.state !== 'absent'
          ? { ...claims.signal, detail: `hash not verified: ${signal.detail ?? 'the file could not be read'}` }
          : signal;
      await landProvenance(origin, file, kept);
    } catch (error) {
      console.warn('[provenance-lens] provenance check failed', error);
    }
  }

  /**
   * Lands a frame's watermark reading, which the host reports after the frame's own answer went back (the frame's
   * larger copy rode with the frame in its one host call).
   */
  async function landWatermark(reading: WatermarkReading): Promise<void> {
    const { reply } = reading;
    const report = await deps.store.recordWatermark(reply.tabId, reply.videoId, reading, reply.src);
    if (report) await deps.notify({ tabId: reply.tabId, frameId: reply.frameId }, reply.videoId, summarise(report));
  }
  deps.client.listen({
    watermarkRead: (reading) =>
      landWatermark(reading).catch((error: unknown) =>
        console.warn('[provenance-lens] watermark reading not recorded', error),
      ),
  });

  /** The watermark part of a frame's host call, when the store said the reader has room for the video. */
  function watermarkPart(
    origin: Origin,
    videoId: string,
    admitted: Extract<FrameAdmission, { status: 'ok' }>,
    image?: string,
  ): Pick<HostRequest<'analyseImage'>, 'watermark'> {
    if (!admitted.readWatermark) return {};
    const reply = { tabId: origin.tabId, frameId: origin.frameId, videoId, src: admitted.src };
    return { watermark: image ? { image, reply } : { reply } };
  }

  /** Cancels the host's downloads and readings for videos that are gone. */
  function forgetInHost(ids: string[]): void {
    for (const id of ids) void deps.client.forget({ videoId: id }).catch(() => undefined);
  }

  /** Per video, the stream segment being folded in, so that readings land in the order of the segments. */
  const streamChains = new Map<string, Promise<void>>();

  async function streamStep(origin: Origin, data: StreamSegmentData): Promise<void> {
    const { videos } = await deps.store.read(origin.tabId);
    const previous = videos
      .find((v) => v.id === data.id)
      ?.signals.find((s): s is ProvenanceSignal => s.kind === 'provenance' && s.source === 'stream');
    let signal: ProvenanceSignal | undefined;
    if (data.kind === 'init-changed') {
      signal = withdrawStream(previous, data.index);
    } else if (previous && streamSettled(previous)) {
      signal = mergeStreamReading(previous, previous, data.index, data.skipped);
    } else {
      const { trust } = await deps.provenanceSettings();
      const req = { mimeType: data.mimeType, init: data.init, fragment: data.fragment, trust };
      const reading = await withRetries(() => deps.client.readStreamProvenance(req));
      signal = mergeStreamReading(previous, reading, data.index, data.skipped);
    }
    if (!signal) return;
    const report = await deps.store.addSignal(origin.tabId, data.id, signal);
    if (report) await deps.notify(origin, data.id, summarise(report));
  }

  return {
    async pageStarted(origin: Origin, url: string, timeOrigin: number): Promise<void> {
      const before = (await deps.store.read(origin.tabId)).videos.map((v) => v.id);
      await deps.store.pageStarted(origin.tabId, url, timeOrigin);
      const kept = (await deps.store.read(origin.tabId)).videos.map((v) => v.id);
      // The earlier document's videos are gone from the results: their frame images go too.
      await deps.frameImages?.forgetTab(origin.tabId, kept);
      // And their downloads in the host stop: work for a page that is gone is not done.
      forgetInHost(before.filter((id) => !kept.includes(id)));
    },

    pageChanged: (origin: Origin, url: string) => deps.store.pageChanged(origin.tabId, url),

    async videoSeen(origin: Origin, a: VideoAnnouncement): Promise<VerdictSummary> {
      // Start the analysis host while the video buffers, so its first frame does not wait for it.
      deps.client.prepare().catch((error: unknown) => console.warn('[provenance-lens] analysis host', error));
      // The page chose these addresses: kept short (data: URLs hashed) so no tab can fill the session store.
      const [src, pageUrl, poster] = await Promise.all([
        storedUrl(a.src),
        storedUrl(a.pageUrl),
        a.poster ? storedUrl(a.poster) : undefined,
      ]);
      const summary = await deps.store.videoSeen(origin.tabId, origin.frameId, {
        ...a,
        src,
        pageUrl,
        ...(poster ? { poster } : {}),
      });
      // Only what the page itself loaded is fetched again, and nothing in the user's own network for a public page.
      const fetchable = (url: string) => isStoredWhole(url) && mayFetchFor(url, origin.frameUrl);
      // A video past the tab's limit is not tracked, nor fetched.
      if ((await deps.store.sourceOf(origin.tabId, a.id)) === undefined) return summary;
      void warmCache(origin, a.id);
      if (a.loaded && fetchable(a.src))
        void checkProvenance(origin, { videoId: a.id, src, url: a.src, source: 'file' });
      // Poster images of the same post can carry credentials of their own: cheap to read.
      if (a.poster && fetchable(a.poster))
        void checkProvenance(origin, { videoId: a.id, src, url: a.poster, source: 'image' });
      return summary;
    },

    /**
     * Checks one media segment of a stream against its init segment and folds the result into the stream's
     * credentials (`lib/core/stream-credentials.ts`), one segment after another per video.
     */
    streamSegments(origin: Origin, data: StreamSegmentData): Promise<void> {
      const key = `${origin.tabId}\n${data.id}`;
      const next = (streamChains.get(key) ?? Promise.resolve()).then(() => streamStep(origin, data));
      const settled = next.catch((error: unknown) => console.warn('[provenance-lens] stream credentials', error));
      streamChains.set(key, settled);
      void settled.then(() => streamChains.get(key) === settled && streamChains.delete(key));
      return next;
    },

    async platformReading(origin: Origin, id: string, reading: PlatformReadingData): Promise<VerdictSummary> {
      const summary = await deps.store.setPlatform(origin.tabId, id, reading);
      return (
        summary ?? {
          level: 'pending',
          score: null,
          reasons: [t('reasonNotAnalysed')],
          framesAnalysed: 0,
          framePath: null,
        }
      );
    },

    async videoGone(origin: Origin, id: string): Promise<void> {
      await deps.store.videoGone(origin.tabId, id);
      await deps.frameImages?.forgetVideo(origin.tabId, id);
      await deps.client.forget({ videoId: id }).catch(() => undefined);
    },

    async videoUnavailable(
      origin: Origin,
      id: string,
      reason: UnavailableReason,
      detail: string,
    ): Promise<VerdictSummary> {
      const summary = await deps.store.markUnavailable(origin.tabId, id, reason, detail);
      return summary ?? { level: 'unavailable', score: null, reasons: [detail], framesAnalysed: 0, framePath: null };
    },

    async analyseFrame(origin: Origin, frame: CanvasFrame): Promise<FrameOutcome> {
      const receivedAt = clock();
      let admitted = await admit(origin.tabId, frame.videoId, !!frame.ocrJpeg);
      if (admitted.status === 'restored') {
        const verified = await verifyRestored(origin, frame, admitted);
        if (verified) return verified;
        // The restored judgement was just taken back: the video is analysed in full from this frame.
        admitted = await admit(origin.tabId, frame.videoId, !!frame.ocrJpeg);
      }
      if (admitted.status === 'refused') return { status: 'dropped', reason: admitted.reason };
      if (admitted.status === 'restored') return { status: 'analysed', blank: false, verdict: admitted.summary };
      const early = await restoreBeforeHost(origin, frame, admitted.cacheCandidate);
      if (early) return early;
      // One host call: the frame, and its larger copy for the watermark reader while the reader has room.
      const result = await deps.client.analyseImage({
        image: frame.jpeg,
        crop: null,
        wantThumbnail: admitted.wantThumbnail,
        priority: frame.priority,
        ...watermarkPart(origin, frame.videoId, admitted, frame.ocrJpeg),
      });
      return finish({
        origin,
        videoId: frame.videoId,
        framePath: 'canvas',
        req: frame,
        pageTimings: frame.timings,
        receivedAt,
        result,
        image: { jpeg: frame.jpeg, thumbnailWanted: admitted.wantThumbnail },
        // What the element decoded, drawn by the page's content script: page script can lay anything over it.
        shown: false,
      });
    },

    async captureTabFrame(origin: Origin, req: TabCaptureRequest): Promise<FrameOutcome> {
      const receivedAt = clock();
      if (origin.frameId !== 0) return { status: 'failed', error: 'screenshots are taken for the top frame only' };
      const admitted = await admit(origin.tabId, req.videoId, true);
      if (admitted.status === 'refused') return { status: 'dropped', reason: admitted.reason };
      // Only canvas frames can be compared without the host: a restored judgement gets no more frames by this path,
      // unless its file's credentials wait for frames the user sees (a canvas frame restored it: see `restore`).
      if (admitted.status === 'restored' && !admitted.summary.seeWanted) return { status: 'dropped', reason: 'budget' };
      let shot: string;
      try {
        shot = await throttle.run(origin.windowId, async () => {
          // The screenshot shows whichever tab is in front: never crop another tab's pixels.
          if (!(await deps.isTabActive(origin.tabId))) throw new Error('the tab is not in front');
          return deps.captureVisibleTab(origin.windowId);
        });
      } catch (error) {
        if (error instanceof RateLimitedError) return { status: 'dropped', reason: 'rate-limited' };
        return {
          status: 'failed',
          error: `screenshot failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      // A restored judgement keeps its thumbnail and carries its watermark readings: this frame only confirms the file.
      const wantThumbnail = admitted.status === 'ok' && admitted.wantThumbnail;
      // The host's thumbnail of the crop is the frame image kept for this path; the screenshot is full resolution
      // already, so the watermark reader reads the same crop of it, in the same call.
      const result = await deps.client.analyseImage({
        image: shot,
        crop: { rect: req.rect, viewport: req.viewport },
        wantThumbnail: wantThumbnail || !!deps.frameImages,
        priority: req.priority,
        ...(admitted.status === 'ok' ? watermarkPart(origin, req.videoId, admitted) : {}),
      });
      return finish({
        origin,
        videoId: req.videoId,
        framePath: 'tab-capture',
        req,
        pageTimings: { capture: 0, mainThread: 0, encode: 0 },
        receivedAt,
        result,
        image: { jpeg: null, thumbnailWanted: wantThumbnail },
        // A crop of what the screen showed where the video is: what the user saw, whatever covered the video.
        shown: true,
      });
    },

    async fetchVideoFrame(origin: Origin, req: RemoteFrameRequest): Promise<FrameOutcome> {
      const receivedAt = clock();
      if (!isStoredWhole(req.src) || !mayFetchFor(req.src, origin.frameUrl))
        return { status: 'failed', error: 'this file is not fetched by the extension' };
      const admitted = await admit(origin.tabId, req.videoId, false);
      if (admitted.status === 'refused') return { status: 'dropped', reason: admitted.reason };
      // Only canvas frames can be compared without the host: a restored judgement gets no more frames by this path.
      if (admitted.status === 'restored') return { status: 'dropped', reason: 'budget' };
      const { wantThumbnail } = admitted;
      const result = await deps.client.analyseRemote({
        videoId: req.videoId,
        src: req.src,
        mediaTime: req.mediaTime,
        wantThumbnail: wantThumbnail || !!deps.frameImages,
        priority: req.priority,
      });
      return finish({
        origin,
        videoId: req.videoId,
        framePath: 'offscreen-fetch',
        req,
        pageTimings: { capture: 0, mainThread: 0, encode: 0 },
        receivedAt,
        result,
        image: { jpeg: null, thumbnailWanted: wantThumbnail },
        // Decoded from the extension's own download: it says nothing of what the page shows.
        shown: false,
      });
    },

    async removeTab(tabId: number): Promise<void> {
      const ids = (await deps.store.read(tabId)).videos.map((v) => v.id);
      await deps.store.removeTab(tabId);
      await deps.frameImages?.forgetTab(tabId);
      // A closed tab's downloads and readings are cancelled, not left to run on.
      forgetInHost(ids);
    },
  };
}

export type { FrameService };
