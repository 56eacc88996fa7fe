import type {
  CacheOrigin,
  FaceRecord,
  FramePath,
  FrameRecord,
  StageTimings,
  TabResults,
  VideoReport,
} from '../core/report';
import { tabResultsKey } from '../core/report';
import type { FileFrameHash, ProvenanceSignal, Signal, UnavailableReason } from '../core/signals';
import { compareShown, needsShownCheck } from '../core/frame-match';
import type { ComputeDevice } from '../core/compute';
import { declaredAi, evaluateVerdict, isFlagged } from '../core/verdict';
import type { ClassifierConfig } from '../core/classifier-calibration';
import { STANDARD_FRAME_BUDGET } from '../core/frame-budget';
import { frameModelOf, judgeFrames } from '../core/frame-signals';
import { CLASSIFIER_CONFIG } from '../analysis/classifier/config';
import { FIRST_OCR_ROOM } from '../analysis/watermark/ocr-budget';
import type { WatermarkFrame } from '../core/watermark-tracker';
import type { OcrRoom, PlatformReadingData, VerdictSummary, VideoAnnouncement } from '../messaging/protocol';
import type { TabAllowance } from '../settings/frame-budget';
import { FrameBucket } from './frame-bucket';
import { reasonTexts } from '../present/evidence';
import { t } from '../present/i18n';
import { isStoredWhole } from './stored-urls';
import { type CachedFrame, type CachedJudgement, mediaSignals } from './verdict-cache';

/** Frames the page takes of each video by default: a judgement is settled then. */
const SAMPLING_FRAMES_PER_VIDEO = STANDARD_FRAME_BUDGET.framesPerVideo;
/**
 * Frames of a first verdict: the page stops there when the verdict reads "AI-generated", so a clip whose own
 * evidence decides it is settled then.
 */
const DECIDED_AFTER_FRAMES = STANDARD_FRAME_BUDGET.firstVerdictFrames;
/** Most frames analysed for one video; the content script's own budget is smaller. */
export const MAX_FRAMES_PER_VIDEO = STANDARD_FRAME_BUDGET.maxFramesPerVideo;
/** Frames one tab may have analysed (see {@link STANDARD_FRAME_BUDGET}). */
export const TAB_ALLOWANCE: TabAllowance = { ...STANDARD_FRAME_BUDGET.tab };
/** Frame records kept per video for the detail view; the classifier signal is computed from their logits. */
const FRAME_LOG_LIMIT = STANDARD_FRAME_BUDGET.frameLogLimit;
/**
 * Videos one tab may have in its results; later ones are not tracked. A
 * page that adds thousands of videos must not fill `storage.session`.
 */
export const MAX_VIDEOS_PER_TAB = 200;
/**
 * Most bytes (as JSON) of one tab's stored results. Past it, the stored
 * copy loses frame logs and thumbnails, the videos written longest ago
 * first, then the certificate descriptions of Content Credentials signatures; verdicts and signals stay.
 */
export const MAX_TAB_RESULT_BYTES = 1024 * 1024;
/**
 * Longest a change waits in memory before the tab's results are written to `storage.session`. Every write copies
 * the whole tab (up to {@link MAX_TAB_RESULT_BYTES}) from the service worker into the browser process; written after
 * every frame, watermark reading and credentials step, a scrolled feed spent several CPU-seconds on copies nobody
 * read in between. Badges get their verdicts in the frames' answers, not from storage, so only the popup, the
 * toolbar count and automation see this delay.
 */
export const RESULTS_WRITE_DELAY_MS = 250;

/** The part of `storage.session` the store uses. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/** A frame's analysis as the background records it. */
export interface FrameResultInput {
  mediaTime: number;
  framePath: FramePath;
  blank: boolean;
  timings: StageTimings;
  transferBytes: number;
  thumbnail: string | null;
  sincePlaying: number;
  aiLogit: number | null;
  /** Faces found on the frame; null or absent where the detector did not run. */
  faces?: FaceRecord[] | null;
  /** The frame's difference hash; null or absent for blank frames. */
  hash?: string | null;
  /** The video's OCR room as the host gave it with this frame (when the frame carried a watermark part). */
  ocr?: OcrRoom;
  /** It is what the user saw: a crop of a screenshot (see `FrameRecord.shown`). */
  shown?: boolean;
  /** Where the host's models ran for this frame. */
  compute?: ComputeDevice;
}

/** A video file's decisive credentials whose verified bytes must be decoded at these media times, to compare. */
export interface ShownFramesWanted {
  /** The file's address as fetched. */
  src: string;
  /** Which reading of the file the frames are for: they land only on that reading. */
  reading: number;
  /** The frames the page rendered whose moments the file must be decoded at, with their hashes. */
  shown: Array<{ mediaTime: number; hash: string }>;
}

/**
 * What the store says about a frame before it goes to the host, in one visit: refused (with the page's reason), a
 * restored judgement to compare the frame with, or go, with what the host should do besides analysing it.
 */
export type FrameAdmission =
  | { status: 'refused'; reason: 'unknown-video' | 'budget' | 'tab-budget' }
  | { status: 'restored'; src: string; frames: CachedFrame[]; summary: VerdictSummary }
  | {
      status: 'ok';
      /** The video's source now: a watermark reading of this frame lands only while the video shows it. */
      src: string;
      /** The video still lacks a thumbnail. */
      wantThumbnail: boolean;
      /** The watermark reader has room for this video's frame: its larger copy may go with it. */
      readWatermark: boolean;
      /** The source to look up in the verdict cache before the host is asked (see `ResultsStore.cacheCandidate`). */
      cacheCandidate: string | null;
    };

/** A frame's analysis to land with {@link ResultsStore.landFrame}. */
export interface FrameLanding {
  tabId: number;
  videoId: string;
  frame: FrameResultInput;
  /** The verdict cache is in use: a judgement settled by this frame is taken for it in the same visit. */
  remember: boolean;
}

/** What landing a frame gives back: the new report and the verdict cache's next step. */
export interface FrameLanded {
  report: VideoReport;
  /** The source whose remembered frames this frame is compared with; null when there is nothing to compare. */
  lookUp: string | null;
  /** The judgement to remember, settled by this frame (taken once); null when none, or when `lookUp` comes first. */
  settled: SettledJudgement | null;
  /** For a frame the user saw: the verified file's frames to decode now (see `ResultsStore.shownFramesWanted`). */
  shownWanted: ShownFramesWanted | null;
  /**
   * The watermark reader takes no more frames of this video (its last word on the room, or a judgement restored from
   * the cache, whose frames are never read for marks): the page can stop drawing their larger copies.
   */
  ocrDone: boolean;
}

/** One tab in memory: its videos and its frame allowance (not stored: a restarted background starts it afresh). */
interface TabState {
  url: string;
  videos: Map<string, VideoState>;
  frames: FrameBucket;
  /** Videos announced past {@link MAX_VIDEOS_PER_TAB}, not tracked. */
  refused: Set<string>;
}

interface VideoState {
  report: VideoReport;
  blankFrames: number;
  unavailable: { reason: UnavailableReason; detail: string } | null;
  /**
   * The verdict cache's part in this video: `open` while a frame may still be compared with a remembered one,
   * `closed` once the cache had nothing, a frame showed other pixels, or the judgement was restored or remembered.
   */
  cache: 'open' | 'closed';
  /** Whether this viewing's judgement went into the cache already (it is remembered once). */
  remembered: boolean;
  /**
   * For a judgement restored from the cache: the remembered frames that later frames of this viewing are still
   * compared with, and the signals that came from the cache (taken back if a later frame shows other pixels).
   */
  restored: { frames: CachedFrame[]; signals: Signal[] } | null;
  /** How many more frames the host's watermark reader takes for this video, as the host last said. */
  ocr: OcrRoom;
  /** Counts the file credentials readings that landed, so that frames decoded for one never land on the next. */
  fileReading: number;
  /** The reading whose verified bytes the host no longer keeps: its frames are not asked for again. */
  bytesGone: number | null;
}

/** A settled video's judgement, ready for the verdict cache. */
export interface SettledJudgement {
  src: string;
  frames: CachedFrame[];
  judgement: CachedJudgement;
}

/** What a badge shows, cut from a report. */
export function summarise(report: VideoReport): VerdictSummary {
  return {
    level: report.verdict,
    score: report.score,
    // In the user's language: the badge shows these as they are.
    reasons: reasonTexts(report),
    framesAnalysed: report.framesAnalysed,
    framePath: report.framePath,
    flagged: isFlagged(report.verdict, report.signals),
    ...(awaitsSeenFrames(report) ? { seeWanted: true } : {}),
  };
}

/** Whether the video file's verified, decisive credentials wait for frames the user sees to be compared with. */
function awaitsSeenFrames(report: VideoReport): boolean {
  const p = fileCredentials(report);
  return !!p && decidesVerdict(p) && p.hashVerified === true && p.shown === 'unconfirmed';
}

/** A video whose verdict changed when the store re-read its evidence (new sensitivity). */
export interface Rejudged {
  id: string;
  frameId: number;
  summary: VerdictSummary;
}

/**
 * Keeps each tab's video reports and writes them to `storage.session` under
 * `tab:<tabId>`, at most once per {@link RESULTS_WRITE_DELAY_MS} per tab (changes in between are written together).
 * Updates to one tab run one after another, so concurrent frames never overwrite each other; a service worker that
 * restarts reads the tab back from storage.
 */
export class ResultsStore {
  private readonly tabs = new Map<number, TabState>();
  private readonly chains = new Map<number, Promise<unknown>>();
  /** Per tab, the timer of the write that will carry the changes made since the last one. */
  private readonly writeTimers = new Map<number, ReturnType<typeof setTimeout>>();
  /** Per tab, the write in progress or last made: writes of one tab go out one after another, in order. */
  private readonly writes = new Map<number, Promise<void>>();
  /** Per tab, the visits queued whose change has not run yet (see {@link admissionNow}). */
  private readonly waiting = new Map<number, number>();
  private limits = { perVideo: MAX_FRAMES_PER_VIDEO, tab: TAB_ALLOWANCE, settleAfter: SAMPLING_FRAMES_PER_VIDEO };

  constructor(
    private readonly area: SessionArea,
    private readonly now: () => number = Date.now,
    private classifierConfig: ClassifierConfig = CLASSIFIER_CONFIG,
  ) {}

  /** Writes every tab's pending changes to storage now, and waits for all writes under way. */
  async flush(): Promise<void> {
    for (const tabId of [...this.writeTimers.keys()]) void this.writeTab(tabId);
    await Promise.all([...this.writes.values()]);
  }

  /** Reads the classifier at other thresholds from now on (the sensitivity setting); see {@link rejudge}. */
  useClassifierConfig(config: ClassifierConfig): void {
    this.classifierConfig = config;
  }

  /**
   * Caps frames per video and per tab from now on (the frame budget setting). A video's judgement is settled once
   * `settleAfter` frames (the page's share per video) were analysed.
   */
  setFrameLimits(
    perVideo: number,
    tab: TabAllowance,
    settleAfter = Math.min(perVideo, SAMPLING_FRAMES_PER_VIDEO),
  ): void {
    this.limits = { perVideo, tab, settleAfter };
    for (const state of this.tabs.values()) state.frames.setAllowance(tab, this.now());
  }

  /** Re-runs the verdict of every video of a tab and returns those whose verdict changed. */
  rejudge(tabId: number): Promise<Rejudged[]> {
    return this.update(tabId, (tab) => {
      const changed: Rejudged[] = [];
      for (const v of tab.videos.values()) {
        const before = JSON.stringify(summarise(v.report));
        this.judge(v);
        const after = summarise(v.report);
        if (JSON.stringify(after) !== before)
          changed.push({ id: v.report.id, frameId: v.report.frameId, summary: after });
      }
      return changed;
    });
  }

  /** Forgets every tab (the user cleared all data); the caller clears the storage area itself. */
  async clearAll(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
    for (const timer of this.writeTimers.values()) clearTimeout(timer);
    this.writeTimers.clear();
    // A write under way would put a tab back after the caller cleared the area.
    await Promise.all([...this.writes.values()]);
    this.tabs.clear();
    this.chains.clear();
    this.writes.clear();
  }

  /** The top frame's new document started: forget videos from earlier documents. */
  pageStarted(tabId: number, url: string, timeOrigin: number): Promise<void> {
    return this.update(tabId, (tab) => {
      tab.url = url;
      for (const [id, v] of tab.videos) if (v.report.firstSeenAt < timeOrigin) tab.videos.delete(id);
    });
  }

  /** The top frame's URL changed in place. */
  pageChanged(tabId: number, url: string): Promise<void> {
    return this.update(tabId, (tab) => {
      tab.url = url;
    });
  }

  /** Registers a video (or refreshes its source and size) and returns its current verdict. */
  videoSeen(tabId: number, frameId: number, a: VideoAnnouncement): Promise<VerdictSummary> {
    return this.update(tabId, (tab) => {
      const existing = tab.videos.get(a.id);
      if (existing) {
        const sourceChanged = existing.report.src !== a.src;
        Object.assign(existing.report, { width: a.width, height: a.height, pageUrl: a.pageUrl });
        if (sourceChanged) tab.videos.set(a.id, this.fresh(frameId, a));
        return summarise(tab.videos.get(a.id)!.report);
      }
      if (tab.videos.size >= MAX_VIDEOS_PER_TAB) {
        tab.refused.add(a.id);
        return {
          level: 'unavailable',
          score: null,
          reasons: [t('reasonTooManyVideos', [MAX_VIDEOS_PER_TAB])],
          framesAnalysed: 0,
          framePath: null,
        };
      }
      const state = this.fresh(frameId, a);
      tab.videos.set(a.id, state);
      return summarise(state.report);
    });
  }

  /** Forgets a video that left the page. */
  videoGone(tabId: number, id: string): Promise<void> {
    return this.update(tabId, (tab) => {
      tab.videos.delete(id);
    });
  }

  /**
   * Whether another frame of this video may be analysed: `budget` when the
   * video has all the frames it gets, `tab-budget` when the tab used its
   * allowance for now (the page tries again later).
   */
  async budgetLeft(tabId: number, id: string): Promise<'ok' | 'unknown-video' | 'budget' | 'tab-budget'> {
    return this.update(tabId, (tab) => this.budgetOf(tab, id), false);
  }

  private budgetOf(tab: TabState, id: string): 'ok' | 'unknown-video' | 'budget' | 'tab-budget' {
    const v = tab.videos.get(id);
    // A video past the tab's limit has no frames to come: the page stops asking.
    if (!v) return tab.refused.has(id) ? 'budget' : 'unknown-video';
    // A restored judgement's frames are still compared with the remembered ones (in the background, no host work).
    if (v.restored) return 'ok';
    if (v.report.fromCache || v.report.framesAnalysed >= this.limits.perVideo) return 'budget';
    return tab.frames.has(this.now()) ? 'ok' : 'tab-budget';
  }

  /**
   * Everything the frame service needs to know before a frame goes to the host, in one visit: the budgets (see
   * {@link budgetLeft}), a restored judgement, whether a thumbnail is still wanted, and whether the watermark reader
   * has room (`withWatermark`: the page sent a larger copy). The room is the host's own last word: the frames of one
   * video come one after another, and each frame's answer brings the room back before the next is admitted.
   * {@link admissionNow} gives the same answer without a visit whenever it can.
   */
  admitFrame(tabId: number, id: string, withWatermark: boolean): Promise<FrameAdmission> {
    return this.update(tabId, (tab) => this.admission(tab, id, withWatermark), false);
  }

  /**
   * {@link admitFrame}'s answer read from memory, without queuing a visit to the tab: null when the tab is not in
   * memory yet (a restarted background reads it from storage) or a change to it is waiting its turn, where only a
   * visit after that change gives the answer {@link admitFrame} would. Otherwise nothing can come between the read and
   * the visit, so the answer is the same, and the frame's one visit is the one that records it ({@link landFrame}).
   */
  admissionNow(tabId: number, id: string, withWatermark: boolean): FrameAdmission | null {
    const tab = this.tabs.get(tabId);
    if (!tab || (this.waiting.get(tabId) ?? 0) > 0) return null;
    return this.admission(tab, id, withWatermark);
  }

  private admission(tab: TabState, id: string, withWatermark: boolean): FrameAdmission {
    const budget = this.budgetOf(tab, id);
    if (budget !== 'ok') return { status: 'refused', reason: budget };
    const v = tab.videos.get(id)!;
    if (v.restored)
      return { status: 'restored', src: v.report.src, frames: v.restored.frames, summary: summarise(v.report) };
    return {
      status: 'ok',
      src: v.report.src,
      wantThumbnail: v.report.thumbnail === null || v.blankFrames === v.report.framesAnalysed,
      readWatermark: withWatermark && !ocrFinished(v) && v.ocr.frames > 0,
      cacheCandidate: this.candidateOf(v),
    };
  }

  /** Records an analysed frame and re-evaluates the verdict. Undefined when the video is gone. */
  async recordFrame(tabId: number, id: string, f: FrameResultInput): Promise<VideoReport | undefined> {
    return (await this.landFrame({ tabId, videoId: id, frame: f, remember: false }))?.report;
  }

  /**
   * Lands an analysed frame in one visit: records it (as {@link recordFrame}) and says, from the same state, what the
   * verdict cache is to do next: the source to compare the frame with (see {@link cacheCandidate}; null when the
   * frame is blank, has no hash or the cache had its say), and, with `remember`, the settled judgement (see
   * {@link takeSettled}) unless that comparison comes first. Undefined when the video is gone.
   */
  landFrame({ tabId, videoId, frame: f, remember }: FrameLanding): Promise<FrameLanded | undefined> {
    return this.update(tabId, (tab) => {
      const v = tab.videos.get(videoId);
      if (!v) return undefined;
      const r = v.report;
      r.framesAnalysed++;
      tab.frames.take(this.now());
      if (f.blank) v.blankFrames++;
      r.framePath = f.framePath;
      // A blank frame makes a poor thumbnail: replace it once a frame with picture arrives.
      if (f.thumbnail && (r.thumbnail === null || !f.blank)) r.thumbnail = f.thumbnail;
      const record: FrameRecord = {
        mediaTime: f.mediaTime,
        framePath: f.framePath,
        blank: f.blank,
        aiLogit: f.aiLogit,
        timings: f.timings,
        transferBytes: f.transferBytes,
        analysedAt: this.now(),
        faces: f.faces ?? null,
        hash: f.blank ? null : (f.hash ?? null),
        shown: f.shown === true,
      };
      r.frames = [...r.frames, record].slice(-FRAME_LOG_LIMIT);
      // Once a frame with picture arrives, an earlier "could not read" no longer holds.
      if (!f.blank) v.unavailable = null;
      if (f.ocr) noteRoom(v, f.ocr);
      if (f.compute) r.analysedOn = f.compute;
      this.judge(v);
      if (r.firstVerdictMs === null && r.verdict !== 'pending' && !f.blank) r.firstVerdictMs = f.sincePlaying;
      const report = { ...r };
      // Only a frame with picture and a hash is compared with the cache's frames of its moment.
      const lookUp = f.blank || !f.hash ? null : this.candidateOf(v);
      // A comparison may restore the remembered judgement: the settled one is then taken after it, not before.
      const settled = remember && lookUp === null ? this.settledOf(v) : null;
      // A frame the user saw may be what the verified file's frames are compared with.
      const shownWanted = f.shown === true && !f.blank ? shownWantedOf(v) : null;
      return { report, lookUp, settled, shownWanted, ocrDone: ocrFinished(v) };
    });
  }

  /** Records that frames of a video cannot be read, with the reason. */
  markUnavailable(
    tabId: number,
    id: string,
    reason: UnavailableReason,
    detail: string,
  ): Promise<VerdictSummary | undefined> {
    return this.update(tabId, (tab) => {
      const v = tab.videos.get(id);
      if (!v) return undefined;
      v.unavailable = { reason, detail };
      this.judge(v);
      return summarise(v.report);
    });
  }

  /**
   * Adds or replaces a signal from a detector other than the frame pipeline (provenance, labels, …).
   * With `forSrc`, the signal is dropped if the video has changed source since the reading began.
   */
  addSignal(tabId: number, id: string, signal: Signal, forSrc?: string): Promise<VideoReport | undefined> {
    return this.update(tabId, (tab) => {
      const v = tab.videos.get(id);
      if (!v || (forSrc !== undefined && v.report.src !== forSrc)) return undefined;
      if (signal.kind === 'provenance' && needsShownCheck(signal)) v.fileReading++;
      v.report.signals = [...v.report.signals.filter((s) => !replaces(signal, s)), signal];
      this.judge(v);
      return { ...v.report };
    });
  }

  /**
   * The media times at which the video file's verified bytes must be decoded to tell whether they are what the page
   * shows; null when there is nothing to compare: no decisive, hash-checked credentials of the file, already
   * decided, no new frame the user saw, or bytes the host no longer keeps.
   */
  shownFramesWanted(tabId: number, id: string): Promise<ShownFramesWanted | null> {
    return this.readVideo(tabId, id, shownWantedOf);
  }

  /**
   * Adds the verified file's frame hashes to the reading they were decoded for, and re-judges: the credentials
   * decide once enough frames match (`lib/core/frame-match.ts`). `null` frames say the host no longer keeps the
   * bytes. Undefined when the video is gone or a newer reading landed meanwhile.
   */
  addFileFrames(
    tabId: number,
    id: string,
    reading: number,
    decoded: { frames: FileFrameHash[]; ms: number } | null,
  ): Promise<VideoReport | undefined> {
    return this.update(tabId, (tab) => {
      const v = tab.videos.get(id);
      const p = v && fileCredentials(v.report);
      if (!v || !p || v.fileReading !== reading) return undefined;
      if (decoded === null) {
        v.bytesGone = reading;
        return undefined;
      }
      const { frames, ms } = decoded;
      const known = (p.fileFrames ?? []).filter((f) => !frames.some((g) => g.mediaTime === f.mediaTime));
      const updated: ProvenanceSignal = {
        ...p,
        fileFrames: [...known, ...frames],
        fileFramesMs: Math.round((p.fileFramesMs ?? 0) + ms),
      };
      v.report.signals = v.report.signals.map((s) => (s === p ? updated : s));
      this.judge(v);
      return { ...v.report };
    });
  }

  /** The source the video has now, or undefined for a video the tab does not have. */
  sourceOf(tabId: number, id: string): Promise<string | undefined> {
    return this.update(tabId, (tab) => tab.videos.get(id)?.report.src, false);
  }

  /**
   * Lands one frame's watermark reading from the host: the host's new room for the video is noted, and the frame's
   * sightings join the video's watermark frames, from which the frame-signal builder makes its watermark signals.
   * Nothing lands on a video that changed source since the frame was sent, nor on a restored judgement (it carries
   * its own watermark readings). Undefined when the verdict did not change.
   */
  recordWatermark(
    tabId: number,
    id: string,
    reading: { frame: WatermarkFrame | null; room: OcrRoom },
    forSrc: string,
  ): Promise<VideoReport | undefined> {
    const { frame } = reading;
    // A frame given up changes only the room, which is not stored.
    return this.update(
      tabId,
      (tab) => {
        const v = tab.videos.get(id);
        if (!v || v.report.src !== forSrc) return undefined;
        noteRoom(v, reading.room);
        if (!frame || v.restored || v.report.fromCache) return undefined;
        const r = v.report;
        const before = JSON.stringify(summarise(r));
        // The host reads a handful per video; a host started again reads afresh, still within the frame log's size.
        r.watermarkFrames = [...(r.watermarkFrames ?? []), frame].slice(-FRAME_LOG_LIMIT);
        this.judge(v);
        return JSON.stringify(summarise(r)) === before ? undefined : { ...r };
      },
      frame !== null,
    );
  }

  /** Replaces the platform readings of a video (label, post text, report link). */
  setPlatform(tabId: number, id: string, reading: PlatformReadingData): Promise<VerdictSummary | undefined> {
    return this.update(tabId, (tab) => {
      const v = tab.videos.get(id);
      if (!v) return undefined;
      v.report.platform = { adapter: reading.adapter, platform: reading.platform, reportUrl: reading.reportUrl };
      v.report.signals = [...v.report.signals.filter((s) => s.kind !== 'platform-label'), ...reading.signals];
      this.judge(v);
      return summarise(v.report);
    });
  }

  /** Drops everything kept for a closed tab. */
  async removeTab(tabId: number): Promise<void> {
    await this.chains.get(tabId);
    clearTimeout(this.writeTimers.get(tabId));
    this.writeTimers.delete(tabId);
    await this.writes.get(tabId);
    this.tabs.delete(tabId);
    this.chains.delete(tabId);
    this.writes.delete(tabId);
    await this.area.remove(tabResultsKey(tabId));
  }

  /** The tab's results as stored. */
  async read(tabId: number): Promise<TabResults> {
    return this.update(tabId, (tab) => toResults(tab), false);
  }

  /** The frame classifier whose logits frame logs hold now (`name@version`). */
  frameModel(): string {
    return frameModelOf(this.classifierConfig);
  }

  /**
   * The source to look up in the verdict cache for this video, while a lookup may still help; null when the cache
   * already had its say, or the source is not a whole address (a cut one names another file).
   */
  cacheCandidate(tabId: number, id: string): Promise<string | null> {
    return this.readVideo(tabId, id, (v) => this.candidateOf(v));
  }

  private candidateOf(v: VideoState): string | null {
    if (v.cache === 'closed' || !isStoredWhole(v.report.src)) return null;
    return v.report.src;
  }

  /** Ends cache lookups for the video while it keeps source `forSrc` (nothing to reuse: analyse in full). */
  closeCache(tabId: number, id: string, forSrc: string): Promise<void> {
    return this.update(
      tabId,
      (tab) => {
        const v = tab.videos.get(id);
        if (v && v.report.src === forSrc) v.cache = 'closed';
      },
      false,
    );
  }

  /**
   * Puts a judgement from the verdict cache in place of this viewing's media evidence, if the video still has
   * source `forSrc`: its frame log, frame counts and media signals. What this page said (platform labels) and
   * readings already made on this viewing stay, and the engine fuses them with the restored evidence.
   */
  restore(
    tabId: number,
    id: string,
    judgement: CachedJudgement,
    origin: CacheOrigin,
    forSrc: string,
    shown = false,
  ): Promise<VideoReport | undefined> {
    return this.update(tabId, (tab) => {
      const v = tab.videos.get(id);
      if (!v || v.report.src !== forSrc || v.cache === 'closed') return undefined;
      const r = v.report;
      // A reading made on this viewing is as new as it gets; the cache fills in only what has not come yet.
      const restored = judgement.signals
        .filter(
          (c) =>
            !r.signals.some(
              (s) => s.kind === c.kind && (s.kind !== 'provenance' || c.kind !== 'provenance' || s.source === c.source),
            ),
        )
        .map((c) => (shown ? c : withoutShownMatch(c)));
      r.signals = [...r.signals, ...restored];
      v.restored = {
        frames: judgement.frames.flatMap((f) =>
          !f.blank && typeof f.hash === 'string' ? [{ mediaTime: f.mediaTime, hash: f.hash }] : [],
        ),
        signals: restored,
      };
      // The remembered frames were what another viewing showed, not this one: they confirm no file here.
      r.frames = judgement.frames.slice(-FRAME_LOG_LIMIT).map((f) => ({ ...f, shown: false }));
      r.framesAnalysed = judgement.framesAnalysed;
      v.blankFrames = judgement.blankFrames;
      v.unavailable = null;
      r.thumbnail = r.thumbnail ?? judgement.thumbnail;
      r.fromCache = { ...origin };
      // This viewing's first verdict is the restored one when no frame of it was judged before.
      r.firstVerdictMs ??= origin.restoredMs;
      v.cache = 'closed';
      v.remembered = true;
      this.judge(v);
      return { ...r };
    });
  }

  /**
   * Takes back a restored judgement (a later frame showed other pixels than the remembered one of its moment): the
   * cache's evidence goes, this viewing's own readings and the page's signals stay, and the video is analysed in
   * full from its next frame. Undefined when the video is gone, changed source, or was not restored.
   */
  revoke(tabId: number, id: string, forSrc: string): Promise<VideoReport | undefined> {
    return this.update(tabId, (tab) => {
      const v = tab.videos.get(id);
      if (!v?.restored || v.report.src !== forSrc) return undefined;
      const r = v.report;
      const fromCache = new Set<Signal>(v.restored.signals);
      r.signals = r.signals.filter((s) => !fromCache.has(s));
      r.frames = [];
      r.framesAnalysed = 0;
      r.thumbnail = null;
      v.blankFrames = 0;
      v.restored = null;
      v.remembered = false;
      delete r.fromCache;
      this.judge(v);
      return { ...r };
    });
  }

  /**
   * The video's judgement for the verdict cache, once and only once it is settled: the page's share of frames
   * analysed, at least one of them with picture, on this viewing (not restored). Null otherwise.
   */
  takeSettled(tabId: number, id: string): Promise<SettledJudgement | null> {
    return this.readVideo(tabId, id, (v) => this.settledOf(v));
  }

  private settledOf(v: VideoState): SettledJudgement | null {
    if (v.remembered || v.report.fromCache) return null;
    const r = v.report;
    // Decided by the clip's own evidence (a declaration, a mark), not by what this page said about it.
    const decided =
      r.framesAnalysed >= Math.min(DECIDED_AFTER_FRAMES, this.limits.settleAfter) &&
      evaluateVerdict(mediaSignals(r.signals)).level === 'ai';
    if (r.framesAnalysed < this.limits.settleAfter && !decided) return null;
    const frames = r.frames.flatMap((f) =>
      !f.blank && typeof f.hash === 'string' ? [{ mediaTime: f.mediaTime, hash: f.hash }] : [],
    );
    if (frames.length === 0 || r.verdict === 'pending' || !isStoredWhole(r.src)) return null;
    v.remembered = true;
    v.cache = 'closed';
    return {
      src: r.src,
      frames,
      judgement: {
        signals: r.signals,
        frames: r.frames,
        framesAnalysed: r.framesAnalysed,
        blankFrames: v.blankFrames,
        thumbnail: r.thumbnail,
        frameModel: this.frameModel(),
      },
    };
  }

  private fresh(frameId: number, a: VideoAnnouncement): VideoState {
    const now = this.now();
    return {
      blankFrames: 0,
      unavailable: null,
      cache: 'open',
      remembered: false,
      restored: null,
      ocr: { frames: FIRST_OCR_ROOM, done: false, version: 0 },
      fileReading: 0,
      bytesGone: null,
      report: {
        id: a.id,
        src: a.src,
        frameId,
        pageUrl: a.pageUrl,
        verdict: 'pending',
        score: null,
        reasons: ['Not analysed yet.'],
        signals: [],
        framesAnalysed: 0,
        framePath: null,
        thumbnail: null,
        frames: [],
        firstVerdictMs: null,
        platform: null,
        width: a.width,
        height: a.height,
        firstSeenAt: now,
        updatedAt: now,
      },
    };
  }

  /** Rebuilds the frame-pipeline signals from the frame log, keeps the others, and re-runs the engine. */
  private judge(v: VideoState): void {
    const r = v.report;
    markShown(r);
    const { signals, verdict } = judgeFrames(
      {
        frames: r.frames,
        framesAnalysed: r.framesAnalysed,
        blankFrames: v.blankFrames,
        unavailable: v.unavailable,
        classifier: this.classifierConfig,
        watermarks: r.watermarkFrames ?? [],
      },
      r.signals,
    );
    r.signals = signals;
    r.verdict = verdict.level;
    r.score = verdict.score;
    r.reasons = verdict.reasons;
    r.updatedAt = this.now();
  }

  private async load(tabId: number) {
    let tab = this.tabs.get(tabId);
    if (tab) return tab;
    const key = tabResultsKey(tabId);
    const stored = (await this.area.get(key))[key] as TabResults | undefined;
    tab = {
      url: stored?.url ?? '',
      videos: new Map(),
      frames: new FrameBucket(this.limits.tab, this.now()),
      refused: new Set(),
    };
    for (const report of stored?.videos ?? []) {
      // The frame log is capped; the frame-quality signal keeps the full count.
      const quality = report.signals.find((s) => s.kind === 'frame-quality');
      const blankFrames = quality?.kind === 'frame-quality' ? quality.blankFrames : 0;
      const unavailable = report.signals.find((s) => s.kind === 'unavailable');
      tab.videos.set(report.id, {
        report,
        blankFrames,
        unavailable: unavailable ? { reason: unavailable.reason, detail: unavailable.detail } : null,
        // A restarted background does not know what the cache did: a video with frames is past its lookups.
        cache: report.framesAnalysed > 0 || report.fromCache ? 'closed' : 'open',
        remembered: !!report.fromCache || report.framesAnalysed >= this.limits.settleAfter,
        // Nothing is compared after a restart: a restored judgement is then kept as restored.
        restored: null,
        // The host's word on the room was not stored: its first answer after the restart brings it back.
        ocr: { frames: FIRST_OCR_ROOM, done: false, version: 0 },
        fileReading: 0,
        bytesGone: null,
      });
    }
    this.tabs.set(tabId, tab);
    return tab;
  }

  /**
   * A visit to one video of a tab that writes nothing to storage (what it changes lives in memory only); null for a
   * video the tab does not have.
   */
  private readVideo<T>(tabId: number, id: string, read: (v: VideoState) => T | null): Promise<T | null> {
    return this.update(
      tabId,
      (tab) => {
        const v = tab.videos.get(id);
        return v ? read(v) : null;
      },
      false,
    );
  }

  private update<T>(tabId: number, change: (tab: TabState) => T, write = true): Promise<T> {
    const previous = this.chains.get(tabId) ?? Promise.resolve();
    this.waiting.set(tabId, (this.waiting.get(tabId) ?? 0) + 1);
    const applied = () => {
      const left = (this.waiting.get(tabId) ?? 1) - 1;
      if (left > 0) this.waiting.set(tabId, left);
      else this.waiting.delete(tabId);
    };
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        let tab: TabState;
        let result: T;
        try {
          tab = await this.load(tabId);
          result = change(tab);
        } finally {
          applied();
        }
        // The change is in memory now: reads from memory see it at once, storage with the tab's next write.
        if (write) this.scheduleWrite(tabId);
        return result;
      });
    this.chains.set(tabId, next);
    return next;
  }

  /** Makes sure a write of the tab follows within {@link RESULTS_WRITE_DELAY_MS}; one already due carries this change. */
  private scheduleWrite(tabId: number): void {
    if (this.writeTimers.has(tabId)) return;
    this.writeTimers.set(
      tabId,
      setTimeout(() => void this.writeTab(tabId), RESULTS_WRITE_DELAY_MS),
    );
  }

  /** Writes the tab as it is in memory now, after any write of it still under way. */
  private writeTab(tabId: number): Promise<void> {
    clearTimeout(this.writeTimers.get(tabId));
    this.writeTimers.delete(tabId);
    const next = (this.writes.get(tabId) ?? Promise.resolve()).then(async () => {
      const tab = this.tabs.get(tabId);
      if (!tab) return;
      try {
        await this.area.set({ [tabResultsKey(tabId)]: withinBytes(toResults(tab)) });
      } catch (error) {
        // The results stay in memory and the next change writes them again; a failed copy must not stop the tab.
        console.warn('[provenance-lens] could not write the tab results', error);
      }
    });
    this.writes.set(tabId, next);
    return next;
  }
}

/** See {@link ResultsStore.shownFramesWanted}. */
function shownWantedOf(v: VideoState): ShownFramesWanted | null {
  const p = fileCredentials(v.report);
  if (!p || !isStoredWhole(v.report.src) || v.bytesGone === v.fileReading) return null;
  if (!decidesVerdict(p) || p.hashVerified !== true || p.shown === 'matched' || p.shown === 'differs') return null;
  const { wanted } = compareShown(v.report.frames, p.fileFrames ?? []);
  return wanted.length ? { src: v.report.src, reading: v.fileReading, shown: wanted } : null;
}

/**
 * Whether no more frames of a video go to the watermark reader: the reader said so, the judgement was restored from
 * the cache (its frames are never read for marks), or a declaration already made the verdict `ai` (a mark could add
 * nothing to it).
 */
function ocrFinished(v: VideoState): boolean {
  return v.ocr.done || !!v.report.fromCache || declaredAi(v.report.signals);
}

/** Keeps the host's latest word on a video's OCR room: one given earlier but arriving later does not count. */
function noteRoom(v: VideoState, room: OcrRoom): void {
  if (room.version > v.ocr.version) v.ocr = { ...room };
}

/** The video file's own credentials (not a stream's, not the poster's), where read. */
function fileCredentials(r: VideoReport): ProvenanceSignal | undefined {
  return r.signals.find((s): s is ProvenanceSignal => s.kind === 'provenance' && needsShownCheck(s));
}

/** Credentials that would decide the verdict if they are the video's own: a capture or an AI declaration. */
function decidesVerdict(p: ProvenanceSignal): boolean {
  return (p.state === 'valid' || p.state === 'untrusted') && (p.captureDevice || p.declaresAi);
}

/**
 * Says on the video file's credentials whether they are the video's own (`ProvenanceSignal.shown`), from the frames
 * the page rendered and the verified file's frames; a decision, once made for a reading, stands (later frames roll
 * the log, they do not reopen it). Credentials that decide nothing are left as they are.
 */
function markShown(r: VideoReport): void {
  const p = fileCredentials(r);
  if (!p || !decidesVerdict(p) || p.shown === 'matched' || p.shown === 'differs') return;
  const { state } = compareShown(r.frames, p.fileFrames ?? []);
  if (p.shown !== state) r.signals = r.signals.map((s) => (s === p ? { ...p, shown: state } : s));
}

/**
 * A remembered file reading without its comparison with what an earlier viewing showed: restored by a frame the
 * user did not see (covered, or decoded by the extension), it must not vouch for what plays now.
 */
function withoutShownMatch(signal: Signal): Signal {
  if (signal.kind !== 'provenance' || !needsShownCheck(signal) || signal.shown === undefined) return signal;
  const rest: ProvenanceSignal = { ...signal, shown: 'unconfirmed' };
  delete rest.fileFrames;
  delete rest.fileFramesMs;
  return rest;
}

/** Classifier readings come one per video, provenance one per source: a newer reading replaces the older. */
function replaces(incoming: Signal, existing: Signal): boolean {
  if (incoming.kind !== existing.kind) return false;
  if (incoming.kind === 'classifier') return true;
  // A file's and its poster image's credentials are separate readings of the same post.
  if (incoming.kind === 'provenance' && existing.kind === 'provenance') return incoming.source === existing.source;
  return false;
}

/**
 * The stored copy of a tab's results under {@link MAX_TAB_RESULT_BYTES}:
 * frame logs and thumbnails go first, from the videos updated longest ago.
 */
export function withinBytes(results: TabResults, limit = MAX_TAB_RESULT_BYTES): TabResults {
  let size = JSON.stringify(results).length;
  if (size <= limit) return results;
  const videos = [...results.videos];
  const order = videos.map((v, i) => ({ i, at: v.updatedAt })).sort((a, b) => a.at - b.at);
  for (const { i } of order) {
    const v = videos[i]!;
    const before = JSON.stringify(v).length;
    videos[i] = { ...v, thumbnail: null, frames: [] };
    size -= before - JSON.stringify(videos[i]).length;
    if (size <= limit) break;
  }
  // Then the certificates behind Content Credentials signatures (a description for the detail page, several
  // kilobytes where a page shows many signed videos); the signals' verdict-bearing fields stay.
  for (const { i } of size <= limit ? [] : order) {
    const v = videos[i]!;
    if (!v.signals.some((s) => s.kind === 'provenance' && s.signature)) continue;
    const before = JSON.stringify(v).length;
    videos[i] = {
      ...v,
      signals: v.signals.map((s) => (s.kind === 'provenance' && s.signature ? { ...s, signature: undefined } : s)),
    };
    size -= before - JSON.stringify(videos[i]).length;
    if (size <= limit) break;
  }
  return { ...results, videos };
}

function toResults(tab: { url: string; videos: Map<string, VideoState> }): TabResults {
  return { url: tab.url, videos: [...tab.videos.values()].map((v) => v.report) };
}
