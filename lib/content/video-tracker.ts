import { OCR_FRAMES_PER_VIDEO } from '../analysis/watermark/ocr-budget';
import { videoContentRect, visiblePart } from '../core/geometry';
import type { FramePath } from '../core/report';
import type { UnavailableReason } from '../core/signals';
import { type MessageKey, t } from '../present/i18n';
import type {
  CanvasFrame,
  ContentProtocol,
  PlatformReadingData,
  FrameOutcome,
  Priority,
  RemoteFrameRequest,
  TabCaptureRequest,
  VerdictSummary,
  VideoAnnouncement,
} from '../messaging/protocol';
import { FrameCanvas, grabFrame, TaintedCanvasError } from './frame-grabber';
import { isVideoOnTop } from './occlusion';
import { isAnalysableSize, SAMPLING, shouldSample } from './sampling-policy';
import type { Pace } from './work-pacer';

/** The background calls a tracker may make. */
export interface TrackerPort {
  videoSeen: (a: VideoAnnouncement) => Promise<VerdictSummary>;
  videoUnavailable: (d: Parameters<ContentProtocol['videoUnavailable']>[0]) => Promise<VerdictSummary>;
  analyseFrame: (f: CanvasFrame) => Promise<FrameOutcome>;
  captureTabFrame: (r: TabCaptureRequest) => Promise<FrameOutcome>;
  fetchVideoFrame: (r: RemoteFrameRequest) => Promise<FrameOutcome>;
  platformReading: (d: { id: string; reading: PlatformReadingData }) => Promise<VerdictSummary>;
}

/** What the badge side offers a tracker. */
export interface TrackerView {
  show: (video: HTMLVideoElement, summary: VerdictSummary, onHide: () => void) => Promise<void>;
  update: (video: HTMLVideoElement, summary: VerdictSummary) => void;
  suppress: (video: HTMLVideoElement) => () => void;
  isOwn: (element: Element) => boolean;
}

/** Everything a tracker needs from its surroundings. */
export interface TrackerDeps {
  port: TrackerPort;
  view: TrackerView;
  isTopFrame: boolean;
  pageVisible: () => boolean;
  /** The site adapter's reading for a video, or null where no adapter knows the page. */
  readPlatform: (video: HTMLVideoElement) => PlatformReadingData | null;
  /** Called once the background knows the video (its source may have stream segments waiting). */
  onAnnounced?: (tracker: VideoTracker) => void;
  /**
   * Gives each step (announcement, label reading, frame grab) a task of its own, shared by
   * every tracker in the frame, so many videos found at once never make one long task.
   * Without it steps run at once.
   */
  pace?: Pace;
  /** Resolves when the page is quiet enough for a frame grab (see page-busy.ts); without it grabs never wait. */
  settle?: () => Promise<void>;
}

/** `MediaError.code` in words (the reason is shown to the user, in their language). */
const MEDIA_ERRORS: Record<number, MessageKey> = {
  1: 'mediaErrorAborted',
  2: 'mediaErrorNetwork',
  3: 'mediaErrorDecode',
  4: 'mediaErrorFormat',
};

/** When to read the site's label after a video is announced. */
const PLATFORM_READ_DELAYS_MS = [0, 1500, 5000];

/** Failures in a row after which frames are declared unreadable. */
const MAX_FAILURES = 3;
/** Share of the picture that must be on screen for a screenshot crop. */
const MIN_VISIBLE_SHARE_FOR_CAPTURE = 0.6;

function nextFrames(n: number): Promise<void> {
  return new Promise((resolve) => {
    let left = n;
    const step = () => (--left <= 0 ? resolve() : requestAnimationFrame(step));
    requestAnimationFrame(step);
  });
}

function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * A random id for a video. Not `crypto.randomUUID()`: pages served over
 * plain `http:` from a public host are not secure contexts, where it does
 * not exist, and the content script would stop at the first video.
 */
function newVideoId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Follows one `<video>`: decides when it is worth analysing, samples frames
 * over its playback by the best path available (its own canvas, a crop of a
 * tab screenshot, or the file fetched by the analysis host), reports what
 * cannot be read, and keeps its badge up to date. Nothing here throws into
 * the page: every failure becomes a reason on the badge.
 */
export class VideoTracker {
  readonly id = newVideoId();
  private announcedSrc: string | null = null;
  /** What the last announcement said the page itself loaded (see {@link fetchable}). */
  private announcedFetchable: string | null = null;
  private announcing: Promise<void> | null = null;
  private visibleRatio = 0;
  /** Whether the video has been on screen with a picture: from then on it is followed to its first verdict. */
  private seenOnScreen = false;
  private renderedSize = { width: 0, height: 0 };
  private framesTaken = 0;
  /** Whether the verdict is decided by a signal more frames cannot change (an AI declaration, mark or label). */
  private decided = false;
  /**
   * The background waits for frames the user sees to confirm a file's credentials (`VerdictSummary.seeWanted`):
   * a canvas frame is what the element decoded, which page script can cover, so screenshot crops are sent instead.
   */
  private seeWanted = false;
  /**
   * The watermark reader takes no more frames of this video (`FrameOutcome.ocrDone`): its larger copy, a second
   * video draw and encode on the page's main thread, is no longer made.
   */
  private ocrDone = false;
  private blankFrames = 0;
  private failures = 0;
  private lastMediaTime: number | null = null;
  private lastWallTime: number | null = null;
  private inFlight = false;
  private path: FramePath | null = null;
  private firstActivityAt: number | null = null;
  private loadTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped: UnavailableReason | null = null;
  private disposed = false;
  private readonly listeners: Array<[string, EventListener]> = [];
  private readonly canvas = new FrameCanvas();
  private readonly ocrCanvas = new FrameCanvas();
  private platformTimers: Array<ReturnType<typeof setTimeout>> = [];
  private lastPlatform: string | null = null;

  constructor(
    readonly video: HTMLVideoElement,
    private readonly deps: TrackerDeps,
  ) {
    const on = (type: string, handler: () => void) => {
      const listener = () => {
        try {
          handler();
        } catch (error) {
          console.debug('[provenance-lens] tracker error', error);
        }
      };
      video.addEventListener(type, listener);
      this.listeners.push([type, listener]);
    };
    on('playing', () => {
      this.firstActivityAt ??= performance.now();
      this.tick();
    });
    on('loadedmetadata', () => this.tick());
    on('loadeddata', () => {
      clearTimeout(this.loadTimer);
      this.tick();
    });
    on('timeupdate', () => this.tick());
    on('seeked', () => this.tick());
    on('error', () => this.tick());
    on('encrypted', () => this.tick());
    on('emptied', () => this.onSourceChange());
    on('loadstart', () => this.onSourceChange());
    if (!video.paused) this.firstActivityAt = performance.now();
  }

  /** Called by the shared IntersectionObserver. */
  onIntersection(entry: IntersectionObserverEntry): void {
    this.visibleRatio = entry.isIntersecting ? entry.intersectionRatio : 0;
    this.renderedSize = { width: entry.boundingClientRect.width, height: entry.boundingClientRect.height };
    this.tick();
  }

  /** Re-evaluates what to do now: announce, wait for data, sample, or report. */
  tick(): void {
    if (this.disposed || !this.video.isConnected) return;
    if (!isAnalysableSize(this.renderedSize.width, this.renderedSize.height)) return;
    if (this.announcedSrc !== this.source() || JSON.stringify(this.fetchable()) !== this.announcedFetchable) {
      this.announce();
      return;
    }
    if (this.announcing || this.stopped) return;
    if (this.video.error) {
      this.onMediaError();
      return;
    }
    if (this.video.mediaKeys) {
      this.reportUnavailable('drm', t('unavailableDrm'));
      return;
    }
    const hasData = this.video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && this.video.videoWidth > 0;
    if (!hasData && this.visibleRatio > 0) this.armLoadTimer();
    if (hasData && this.visibleRatio > 0) this.seenOnScreen = true;
    const now = performance.now();
    const sample = shouldSample({
      framesTaken: this.framesTaken,
      blankFrames: this.blankFrames,
      lastMediaTime: this.lastMediaTime,
      lastWallTime: this.lastWallTime,
      mediaTime: this.video.currentTime,
      duration: this.video.duration,
      now,
      inFlight: this.inFlight,
      visible: this.visibleRatio > 0,
      seenOnScreen: this.seenOnScreen,
      // Before the first frame the path is unknown; the canvas comes first and works off screen, and a tainted one
      // falls back to a fetched copy there. A screenshot is only taken of what is on screen: off screen such a video
      // is read from a fetched copy of the file the page loaded, where it has an address to fetch.
      readableOffScreen: this.path !== 'tab-capture' || /^https?:/i.test(this.source()),
      pageVisible: this.deps.pageVisible(),
      hasData,
    });
    // Early exit: once an AI declaration, mark or label decides the verdict, frames past the first verdict's (kept
    // so the detail view still shows what the classifier saw) would cost CPU and change nothing.
    if (this.decided && this.framesTaken >= SAMPLING.firstVerdictFrames) return;
    if (sample) void this.sample();
  }

  /** Stops following the video (it left the page). */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.loadTimer);
    clearTimeout(this.retryTimer);
    for (const timer of this.platformTimers) clearTimeout(timer);
    for (const [type, listener] of this.listeners) this.video.removeEventListener(type, listener);
  }

  /** The source the background knows this video by, or null before it was announced. */
  get announcedSource(): string | null {
    return this.announcedSrc;
  }

  private source(): string {
    return this.video.currentSrc || this.video.src || '';
  }

  /**
   * What the page itself loaded, the only addresses the extension may fetch
   * again: the media file once the element has its metadata from it
   * (`currentSrc`), and the poster only when the browser fetched that image
   * for this document (it is in the page's resource timing). A `src` or
   * `poster` the page names but never loads is not fetched.
   */
  private fetchable(): { loaded: boolean; poster: string | undefined } {
    const v = this.video;
    const loaded = v.readyState >= HTMLMediaElement.HAVE_METADATA && v.currentSrc !== '' && !v.error;
    const poster = v.poster && performance.getEntriesByName(v.poster, 'resource').length > 0 ? v.poster : undefined;
    return { loaded, poster };
  }

  private announce(): void {
    if (this.announcing) return;
    this.announcing = (async () => {
      try {
        await this.turn();
        if (this.disposed) return;
        const src = this.source();
        const fetchable = this.fetchable();
        const summary = await this.deps.port.videoSeen({
          id: this.id,
          src,
          loaded: fetchable.loaded,
          ...(fetchable.poster ? { poster: fetchable.poster } : {}),
          pageUrl: location.href,
          width: Math.round(this.renderedSize.width),
          height: Math.round(this.renderedSize.height),
        });
        this.announcedSrc = src;
        this.announcedFetchable = JSON.stringify(fetchable);
        this.lastPlatform = null;
        await this.deps.view.show(this.video, summary, () => undefined);
        this.schedulePlatformReads();
        this.deps.onAnnounced?.(this);
      } catch (error) {
        console.debug('[provenance-lens] could not announce video', error);
      } finally {
        this.announcing = null;
      }
    })();
    void this.announcing.then(() => this.tick());
  }

  /**
   * Reads the platform's label now and again a little later: sites render
   * labels and captions after the player. Only changes are sent.
   */
  schedulePlatformReads(): void {
    for (const timer of this.platformTimers) clearTimeout(timer);
    this.platformTimers = PLATFORM_READ_DELAYS_MS.map((ms) => setTimeout(() => void this.readPlatform(), ms));
  }

  /** Reads the site adapter for this video and reports it when it changed (also after in-page navigation). */
  async readPlatform(): Promise<void> {
    if (this.disposed || this.announcedSrc === null) return;
    await this.turn();
    if (this.disposed) return;
    let reading: PlatformReadingData | null;
    try {
      reading = this.deps.readPlatform(this.video);
    } catch {
      reading = null;
    }
    if (!reading) return;
    const key = JSON.stringify(reading);
    if (key === this.lastPlatform) return;
    this.lastPlatform = key;
    try {
      const summary = await this.deps.port.platformReading({ id: this.id, reading });
      this.deps.view.update(this.video, summary);
    } catch (error) {
      console.debug('[provenance-lens] could not report platform label', error);
    }
  }

  private onSourceChange(): void {
    if (this.source() === this.announcedSrc) return;
    // A new source is a new clip: start counting again.
    this.framesTaken = 0;
    this.decided = false;
    this.ocrDone = false;
    this.blankFrames = 0;
    this.failures = 0;
    this.lastMediaTime = null;
    this.lastWallTime = null;
    this.path = null;
    this.stopped = null;
    clearTimeout(this.loadTimer);
    this.loadTimer = undefined;
    this.tick();
  }

  private armLoadTimer(): void {
    if (this.loadTimer !== undefined) return;
    this.loadTimer = setTimeout(() => {
      const v = this.video;
      if (this.disposed || v.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA || v.error) return;
      void this.report('never-loaded', t('unavailableNeverLoaded', [SAMPLING.loadTimeoutMs / 1000]));
    }, SAMPLING.loadTimeoutMs);
  }

  private onMediaError(): void {
    const error = this.video.error;
    if (!error) return;
    clearTimeout(this.loadTimer);
    this.reportUnavailable(
      'load-error',
      t('unavailableLoadError', [
        MEDIA_ERRORS[error.code] ? t(MEDIA_ERRORS[error.code]!) : t('mediaErrorCode', [error.code]),
      ]),
    );
  }

  /** Reports a reason that ends sampling for this source. */
  private reportUnavailable(reason: UnavailableReason, detail: string): void {
    if (this.stopped) return;
    this.stopped = reason;
    void this.report(reason, detail);
  }

  private async report(reason: UnavailableReason, detail: string): Promise<void> {
    try {
      const summary = await this.deps.port.videoUnavailable({ id: this.id, reason, detail });
      this.deps.view.update(this.video, summary);
    } catch (error) {
      console.debug('[provenance-lens] could not report video', error);
    }
  }

  /** Waits for this tracker's next step to have a task of its own; a video on screen goes first. */
  private turn(): Promise<void> {
    return this.deps.pace?.(this.visibleRatio > 0) ?? Promise.resolve();
  }

  private priority(): Priority {
    return this.visibleRatio >= 0.5 ? 'visible' : 'background';
  }

  private sincePlaying(): number {
    this.firstActivityAt ??= performance.now();
    return performance.now() - this.firstActivityAt;
  }

  private async sample(): Promise<void> {
    this.inFlight = true;
    await this.deps.settle?.();
    await this.turn();
    if (this.disposed) {
      this.inFlight = false;
      return;
    }
    const mediaTime = this.video.currentTime;
    try {
      const outcome = await this.sampleByBestPath();
      this.handle(outcome, mediaTime);
    } catch (error) {
      this.handle({ status: 'failed', error: error instanceof Error ? error.message : String(error) }, mediaTime);
    } finally {
      this.inFlight = false;
    }
  }

  /** Takes note of the video's verdict as the background sent it outside the frame pipeline. */
  noteVerdict(verdict: VerdictSummary): void {
    this.seeWanted = verdict.seeWanted === true;
  }

  private async sampleByBestPath(): Promise<FrameOutcome> {
    if ((this.path === null || this.path === 'canvas') && this.seeWanted && this.deps.isTopFrame) {
      // What the screen shows, while the video is visible; otherwise the canvas, as usual.
      const seen = await this.viaTabCapture();
      if (seen) return seen;
    }
    if (this.path === null || this.path === 'canvas') {
      try {
        const outcome = await this.viaCanvas();
        this.path = 'canvas';
        return outcome;
      } catch (error) {
        if (!(error instanceof TaintedCanvasError)) throw error;
        this.path = this.deps.isTopFrame ? 'tab-capture' : 'offscreen-fetch';
      }
    }
    if (this.path === 'tab-capture') {
      const outcome = await this.viaTabCapture();
      if (outcome) return outcome;
    }
    return this.viaFetch();
  }

  private async viaCanvas(): Promise<FrameOutcome> {
    // The first few frames also go out larger, for the watermark reader.
    const wantOcr = this.framesTaken < OCR_FRAMES_PER_VIDEO && !this.ocrDone;
    const frame = await grabFrame(this.video, this.canvas, wantOcr ? this.ocrCanvas : undefined, () => this.turn());
    const payload: CanvasFrame = {
      videoId: this.id,
      mediaTime: frame.mediaTime,
      jpeg: frame.jpeg,
      ...(frame.ocrJpeg ? { ocrJpeg: frame.ocrJpeg } : {}),
      timings: frame.timings,
      priority: this.priority(),
      sentAt: 0,
      sincePlaying: this.sincePlaying(),
    };
    // Runtime messaging serialises the message as JSON on this thread: count that cost too.
    const t0 = performance.now();
    JSON.stringify(payload);
    payload.timings.mainThread += performance.now() - t0;
    payload.sentAt = epochNow();
    return this.deps.port.analyseFrame(payload);
  }

  /** A crop of a tab screenshot, when the video is what the screen shows. Null when not possible. */
  private async viaTabCapture(): Promise<FrameOutcome | null> {
    const v = this.video;
    const style = getComputedStyle(v);
    const box = v.getBoundingClientRect();
    const content = videoContentRect(
      { x: box.left, y: box.top, width: box.width, height: box.height },
      v.videoWidth,
      v.videoHeight,
      style.objectFit,
    );
    const viewport = { width: innerWidth, height: innerHeight };
    const shown = visiblePart(content, viewport);
    const share = shown ? (shown.width * shown.height) / (content.width * content.height) : 0;
    if (!shown || share < MIN_VISIBLE_SHARE_FOR_CAPTURE || !isVideoOnTop(v, this.deps.view.isOwn)) return null;
    const release = this.deps.view.suppress(v);
    try {
      // Let the hidden badge leave the screen before the screenshot.
      await nextFrames(2);
      const outcome = await this.deps.port.captureTabFrame({
        videoId: this.id,
        mediaTime: v.currentTime,
        rect: shown,
        viewport,
        priority: this.priority(),
        sentAt: epochNow(),
        sincePlaying: this.sincePlaying(),
      });
      return outcome.status === 'failed' ? null : outcome;
    } finally {
      release();
    }
  }

  private async viaFetch(): Promise<FrameOutcome> {
    const src = this.source();
    if (!/^https?:/i.test(src)) {
      this.reportUnavailable('unreadable', t('unavailableNotFetchable'));
      return { status: 'failed', error: 'unreadable' };
    }
    this.path = 'offscreen-fetch';
    return this.deps.port.fetchVideoFrame({
      videoId: this.id,
      src,
      mediaTime: this.video.currentTime,
      priority: this.priority(),
      sentAt: epochNow(),
      sincePlaying: this.sincePlaying(),
    });
  }

  private handle(outcome: FrameOutcome, mediaTime: number): void {
    const now = performance.now();
    switch (outcome.status) {
      case 'analysed':
        this.failures = 0;
        this.framesTaken++;
        this.decided = outcome.verdict.level === 'ai';
        this.seeWanted = outcome.verdict.seeWanted === true;
        // The background's latest word: the reader may take this video's frames again (a restored judgement taken back).
        this.ocrDone = outcome.ocrDone === true;
        // No more larger copies for this video (unless a taken-back judgement asks again): let their canvas go.
        if (this.ocrDone || this.framesTaken >= OCR_FRAMES_PER_VIDEO) this.ocrCanvas.release();
        if (outcome.blank) this.blankFrames++;
        this.lastMediaTime = mediaTime;
        this.lastWallTime = now;
        this.deps.view.update(this.video, outcome.verdict);
        if (outcome.blank) this.scheduleRetry(SAMPLING.blankRetryMs);
        break;
      case 'dropped':
        if (outcome.reason === 'budget') this.framesTaken = SAMPLING.framesPerVideo;
        else if (outcome.reason === 'unknown-video') this.announcedSrc = null;
        else {
          this.lastWallTime = now;
          this.scheduleRetry(SAMPLING.minWallGapMs);
        }
        break;
      case 'failed':
        if (this.stopped) break;
        this.failures++;
        this.lastWallTime = now;
        if (this.failures >= MAX_FAILURES) {
          this.reportUnavailable('unreadable', t('unavailableUnreadable', [outcome.error]));
        } else {
          this.scheduleRetry(SAMPLING.minWallGapMs * 2);
        }
        break;
    }
  }

  private scheduleRetry(ms: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.tick(), ms);
  }
}
