import { defineExtensionMessaging } from '@webext-core/messaging';
import type { FaceRecord, FramePath } from '../core/report';
import type { ComputeDevice } from '../core/compute';
import type {
  Box,
  FileFrameHash,
  FrameStats,
  PlatformLabelSignal,
  ProvenanceSignal,
  UnavailableReason,
} from '../core/signals';
import type { WatermarkFrame } from '../core/watermark-tracker';
import type { ReportVerdict } from '../core/verdict';
import type { FileCheck, ProvenanceClaims } from '../provenance/provenance-checker';
import type { TrustChoice } from '../provenance/trust';

/** Visible videos are analysed before those scrolled away. */
export type Priority = 'visible' | 'background';

/** A content script tells the background about a video worth analysing. */
export interface VideoAnnouncement {
  id: string;
  src: string;
  /**
   * Whether the element has loaded its metadata from `src` (its
   * `currentSrc`): only then may the extension fetch the file again. A video
   * announced before it loads is announced again once it has.
   */
  loaded?: boolean;
  /** The poster image, only when the page itself loaded it; its own Content Credentials are read too. */
  poster?: string;
  pageUrl: string;
  width: number;
  height: number;
}

/** Main-thread and encoding cost of a frame taken on the page. */
export interface PageTimings {
  capture: number;
  mainThread: number;
  encode: number;
}

/** A downscaled frame the content script read from a canvas it could read back. */
export interface CanvasFrame {
  videoId: string;
  mediaTime: number;
  /** JPEG as a data URL: runtime messaging carries JSON only. */
  jpeg: string;
  /** A larger JPEG of the same frame for the watermark reader, on the first few frames only. */
  ocrJpeg?: string;
  timings: PageTimings;
  priority: Priority;
  /** `performance.timeOrigin + performance.now()` when the content script sent it. */
  sentAt: number;
  /** Milliseconds since the video first played or had data, for the first-verdict figure. */
  sincePlaying: number;
}

/** The video's canvas is tainted: ask the background to crop a screenshot of the visible tab. */
export interface TabCaptureRequest {
  videoId: string;
  mediaTime: number;
  /** The video's visible rectangle in CSS pixels of the top frame's viewport. */
  rect: Box;
  viewport: { width: number; height: number };
  priority: Priority;
  sentAt: number;
  sincePlaying: number;
}

/** The video's canvas is tainted and a screenshot is not possible: fetch the file in the analysis host. */
export interface RemoteFrameRequest {
  videoId: string;
  src: string;
  mediaTime: number;
  priority: Priority;
  sentAt: number;
  sincePlaying: number;
}

/** What a badge needs to show. */
export interface VerdictSummary {
  level: ReportVerdict;
  score: number | null;
  reasons: string[];
  framesAnalysed: number;
  framePath: FramePath | null;
  /** Some evidence points towards AI (or altered credentials): "flagged only" badges show these. Absent: no. */
  flagged?: boolean;
  /**
   * The video file's credentials would decide the verdict once frames the user sees match the verified file: the
   * content script sends crops of screenshots (not canvas frames, which page script can cover) while the video is
   * on top and visible. Absent: no.
   */
  seeWanted?: boolean;
}

/** The answer to a frame sent for analysis. */
export type FrameOutcome =
  | {
      status: 'analysed';
      blank: boolean;
      verdict: VerdictSummary;
      /**
       * The watermark reader will read no more frames of this video: the page stops drawing the larger copy for it.
       * Absent when the background does not know (the page keeps sending the copy while it may be read).
       */
      ocrDone?: boolean;
    }
  | {
      status: 'dropped';
      /**
       * `budget`: the video has all its frames; `tab-budget`: the tab used its
       * frame allowance for now; `busy` and `rate-limited`: try again soon.
       */
      reason: 'busy' | 'budget' | 'tab-budget' | 'rate-limited' | 'unknown-video';
    }
  | { status: 'failed'; error: string };

/** A site adapter's reading of one video's post. */
export interface PlatformReadingData {
  adapter: string;
  platform: string;
  signals: PlatformLabelSignal[];
  reportUrl: string | null;
}

/**
 * One step of a stream (MSE) for its Content Credentials: a media segment with the stream's init segment
 * (data URLs; `index` counts the stream's media segments from 1, `skipped` those not handed over so far), or
 * the stream appending a different init segment after segment `index`.
 */
export type StreamSegmentData =
  | {
      kind: 'segment';
      id: string;
      mimeType: string;
      init: string;
      fragment: string;
      index: number;
      skipped: number;
    }
  | { kind: 'init-changed'; id: string; index: number };

/** Messages between content scripts (every frame) and the background. */
export interface ContentProtocol {
  /** The top frame's document started; videos announced before `timeOrigin` belonged to an earlier page. */
  pageStarted(data: { url: string; timeOrigin: number }): void;
  /** The top frame's URL changed without a new document (single-page apps). */
  pageChanged(data: { url: string }): void;
  videoSeen(data: VideoAnnouncement): VerdictSummary;
  videoGone(data: { id: string }): void;
  videoUnavailable(data: { id: string; reason: UnavailableReason; detail: string }): VerdictSummary;
  /** What the site's adapter read for a video: the platform's label, the post's own words, its report link. */
  platformReading(data: { id: string; reading: PlatformReadingData }): VerdictSummary;
  /** A stream's init segment with one of its media segments (data URLs), or news that its init segment changed. */
  streamSegments(data: StreamSegmentData): void;
  analyseFrame(data: CanvasFrame): FrameOutcome;
  captureTabFrame(data: TabCaptureRequest): FrameOutcome;
  fetchVideoFrame(data: RemoteFrameRequest): FrameOutcome;
  /** The user chose Details or Report in a badge's menu: open the extension's detail page for the video. */
  openVideoPage(data: { id: string; view: VideoPageView }): void;
  /** The tab's site (the top frame's host, also for iframes) and whether the user asked for it to be scanned. */
  tabState(data: null): { hostname: string; scanRequested: boolean };
}

/** Which part of the detail page a badge's menu opens. */
export type VideoPageView = 'detail' | 'report';

/** Host-side cost of analysing one frame, in milliseconds. */
export interface HostTimings {
  preprocess: number;
  inference: number;
  /** The AI-frame classifier, preprocessing included (0 when it did not run). */
  classify: number;
  /** Face detection and scoring of face crops (0 when it did not run). */
  faces?: number;
  /** The face detector alone (part of `faces`). */
  faceDetect?: number;
}

/** The analysis host's answer for one frame. */
export type HostFrameResult =
  | {
      status: 'analysed';
      stats: FrameStats;
      blank: boolean;
      /** The classifier's raw logit of "AI" for this frame; null for blank frames or without a classifier. */
      aiLogit: number | null;
      thumbnail: string | null;
      /** The frame's difference hash (16 hex digits, lib/core/frame-hash.ts); null or absent for blank frames. */
      frameHash?: string | null;
      /** Faces found on the frame; null or absent where the detector did not run. */
      faces?: FaceRecord[] | null;
      timings: HostTimings;
      /** Bytes of the image as it reached the host. */
      bytes: number;
      /** Where the frame carried a watermark part: the video's OCR room once that part joined the reader's queue. */
      ocr?: OcrRoom;
      /** Where the models ran (absent until the host knows). */
      compute?: ComputeDevice;
    }
  | { status: 'dropped'; reason: 'busy' }
  | { status: 'failed'; error: string };

/** Where a tab screenshot's video lies: its rectangle in CSS pixels of a viewport of the given size. */
export interface ViewportCrop {
  rect: Box;
  viewport: { width: number; height: number };
}

/**
 * Where a frame's watermark reading goes once it ends: the background's own note of the frame, which the host
 * carries back in its `watermarkRead` event without reading it.
 */
export interface WatermarkReturn {
  tabId: number;
  frameId: number;
  videoId: string;
  /** The video's source when the frame was sent: the reading lands only while the video still shows it. */
  src: string;
}

/**
 * How many more frames of a video the watermark reader takes now (what its per-video budget and its queue leave),
 * as the host last said: the background sends a frame's larger copy only while `frames` is above zero, so a frame
 * the reader would not read never crosses.
 */
export interface OcrRoom {
  frames: number;
  /** The reader takes no more frames of this video, whatever comes (final, unlike `frames` at zero). */
  done: boolean;
  /** Grows with every word the host gives: an earlier word arriving late does not replace a later one. */
  version: number;
}

/** Which file's Content Credentials to read: the checker's request, with the user's trust choice. */
export type ProvenanceRequest = FileCheck<TrustChoice>;

/**
 * The analysis host's calls, each with its one request object and its answer. This is the host's interface,
 * written once: the background's client (`AnalysisClient`), the host's implementation and the adapters that
 * carry the calls (offscreen messaging, in process) are all derived from it.
 */
export interface HostCalls {
  /**
   * Analyses one frame. With `watermark`, the same call hands the frame to the watermark reader too: that part waits
   * in the reader's queue while the frame's own answer comes back at once, and its reading comes later, as the
   * host's `watermarkRead` event.
   */
  analyseImage(data: {
    image: string;
    /** For tab screenshots: where the video lies on the screenshot. */
    crop: ViewportCrop | null;
    wantThumbnail: boolean;
    priority: Priority;
    watermark?: {
      /** A larger copy of the frame to read (canvas frames); absent: `image` itself, cropped the same way. */
      image?: string;
      reply: WatermarkReturn;
    };
  }): HostFrameResult;
  analyseRemote(data: {
    videoId: string;
    src: string;
    mediaTime: number;
    wantThumbnail: boolean;
    priority: Priority;
  }): HostFrameResult;
  /** Releases what the host keeps for a video that left the page. */
  forget(data: { videoId: string }): void;
  /** Reads the Content Credentials of a stream from its init and first media segment (data URLs). */
  readStreamProvenance(data: {
    mimeType: string;
    init: string;
    fragment: string;
    trust: TrustChoice;
  }): ProvenanceSignal;
  /** Reads what a video file's Content Credentials claim from its metadata boxes (Range requests); null: read it whole. */
  readProvenanceClaims(data: ProvenanceRequest): ProvenanceClaims | null;
  /** Reads the Content Credentials of a video file. */
  readProvenance(data: ProvenanceRequest): ProvenanceSignal;
  /**
   * Hashes frames of a video file around the media times of frames the page rendered (`shown`, with their hashes,
   * so that decoding stops at a match), decoded from the bytes `readProvenance` verified for the same request;
   * null when the host keeps no such bytes.
   */
  hashVerifiedFrames(
    data: ProvenanceRequest & { shown: Array<{ mediaTime: number; hash: string }> },
  ): { frames: FileFrameHash[]; ms: number } | null;
}

/** The name of one host call. */
export type HostCall = keyof HostCalls;

/** A host call's request object. */
export type HostRequest<K extends HostCall> = Parameters<HostCalls[K]>[0];

/** A host call's answer. */
export type HostAnswer<K extends HostCall> = ReturnType<HostCalls[K]>;

/**
 * How an adapter treats a call while no host runs: `start` starts one, `skip` answers nothing (only for calls
 * without an answer, such as releasing what a host that is not there would keep).
 */
type WhenIdle<K extends HostCall> = HostAnswer<K> extends void ? 'start' | 'skip' : 'start';

/**
 * Every host call, with what an adapter does with it while no host runs. The adapters loop over this record; the
 * type makes it name every call of `HostCalls` and no other.
 */
export const HOST_CALLS: { readonly [K in HostCall]: WhenIdle<K> } = {
  analyseImage: 'start',
  analyseRemote: 'start',
  forget: 'skip',
  readStreamProvenance: 'start',
  readProvenanceClaims: 'start',
  readProvenance: 'start',
  hashVerifiedFrames: 'start',
};

/** What answers the host calls where the host runs (the analysis host itself): each call, sync or async. */
export type HostHandlers = {
  [K in HostCall]: (req: HostRequest<K>) => HostAnswer<K> | Promise<HostAnswer<K>>;
};

/** The host calls, in the order of `HOST_CALLS`. */
export const HOST_CALL_NAMES = Object.keys(HOST_CALLS) as HostCall[];

/** A host call's message name: prefixed, so that no other messenger's listener shares it. */
export type HostMessage<K extends HostCall> = `host${Capitalize<K>}`;

/** The message that carries a host call between the background and the offscreen document. */
export function hostMessage<K extends HostCall>(call: K): HostMessage<K> {
  return `host${call.charAt(0).toUpperCase()}${call.slice(1)}` as HostMessage<K>;
}

/** Messages from the background to the analysis host (the offscreen document): a ping, then every host call. */
export type HostProtocol = { hostPing(data: null): 'ready' } & {
  [K in HostCall as HostMessage<K>]: HostCalls[K];
};

/** A frame's watermark reading that ended, as the host reports it to the background. */
export interface WatermarkReading {
  reply: WatermarkReturn;
  /** The marks seen on the frame; null when it was not read (a newer frame took its place, the reader failed). */
  frame: WatermarkFrame | null;
  /** The video's OCR room now. */
  room: OcrRoom;
  /** How long the reading took (0 when not read). */
  ms: number;
}

/**
 * What the analysis host tells the background unasked, each event with its one data object: the later halves of
 * calls whose first answer could not wait. Declared once, like `HostCalls`; the adapters loop over `HOST_EVENTS`.
 */
export interface HostEvents {
  /** A frame's watermark part (asked for in `analyseImage`) was read or given up. */
  watermarkRead(data: WatermarkReading): void;
}

/** The name of one host event. */
export type HostEvent = keyof HostEvents;

/** A host event's data. */
export type HostEventData<K extends HostEvent> = Parameters<HostEvents[K]>[0];

/** Every host event; the type makes the record name each event of `HostEvents` and no other. */
export const HOST_EVENTS: { readonly [K in HostEvent]: true } = { watermarkRead: true };

/** The host events, in the order of `HOST_EVENTS`. */
export const HOST_EVENT_NAMES = Object.keys(HOST_EVENTS) as HostEvent[];

/** Where the host sends an event: the adapter that carries it to the background. */
export type HostEventSink = <K extends HostEvent>(event: K, data: HostEventData<K>) => void;

/** What the background does with each host event. */
export type HostEventHandlers = { [K in HostEvent]: (data: HostEventData<K>) => void | Promise<void> };

/** A host event's message name: apart from the host calls' names. */
export type HostEventMessage<K extends HostEvent> = `hostEvent${Capitalize<K>}`;

/** The message that carries a host event from the offscreen document to the background. */
export function hostEventMessage<K extends HostEvent>(event: K): HostEventMessage<K> {
  return `hostEvent${event.charAt(0).toUpperCase()}${event.slice(1)}` as HostEventMessage<K>;
}

/** Messages from the analysis host (the offscreen document) to the background: every host event. */
export type HostEventProtocol = { [K in HostEvent as HostEventMessage<K>]: HostEvents[K] };

/** Content scripts ⇄ background. */
export const contentMessenger = defineExtensionMessaging<ContentProtocol>();

/** Background ⇄ analysis host. */
export const hostMessenger = defineExtensionMessaging<HostProtocol>();

/** Analysis host → background. */
export const hostEventMessenger = defineExtensionMessaging<HostEventProtocol>();

/** Messages from the background to content scripts. */
export interface PageProtocol {
  /** A video's verdict changed outside the frame pipeline (provenance, labels, watermarks). */
  verdictUpdated(data: { videoId: string; verdict: VerdictSummary }): void;
  /** The user pressed "Scan this page" in the popup (scan mode "on request"). */
  scanRequested(data: null): void;
  /**
   * The user chose "Check this video" in the browser's own context menu on a video of this frame (`srcUrl`: the
   * address the browser gave for the video under the pointer). Sent only by the background's menu handler.
   */
  checkVideo(data: { srcUrl: string }): CheckVideoOutcome;
}

/**
 * What a frame did with "Check this video": `started` (the video is now analysed), `already` (it was being
 * analysed; its badge is shown again), or `not-found` (no video of the frame has that address).
 */
export type CheckVideoOutcome = 'started' | 'already' | 'not-found';

/** Background → content scripts (sent to one tab and frame). */
export const pageMessenger = defineExtensionMessaging<PageProtocol>();

/** Messages from the extension's own pages (popup, options) to the background. */
export interface SettingsProtocol {
  /** Scans the tab now (scan mode "on request"); lasts until the tab loads another page. */
  scanTab(data: { tabId: number }): void;
  /** Whether the user asked for the tab's current page to be scanned. */
  scanState(data: { tabId: number }): boolean;
  /** Deletes every tab's results and the report history; with `resetSettings`, the settings too. */
  clearAllData(data: { resetSettings: boolean }): void;
}

/** Popup and options page → background. */
export const settingsMessenger = defineExtensionMessaging<SettingsProtocol>();
