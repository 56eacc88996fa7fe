import { useEffect, useState } from 'react';
import type { TabResults, VideoReport } from '../lib/core/report';
import type { ProvenanceSignal } from '../lib/core/signals';
import { VERDICT_LABELS } from '../lib/core/verdict';
import { browser } from 'wxt/browser';
import { HISTORY_PAGE, videoPageUrl } from '../lib/detail/detail-url';
import { summariseFaces } from '../lib/analysis/faces/face-summary';
import { resolveTabId, watchTabResults } from '../lib/popup/tab-results';
import { SiteControls } from './SiteControls';
import { scoreText, VERDICT_STYLE } from './verdict-style';

const PATH_LABELS = {
  canvas: 'page canvas',
  'tab-capture': 'tab screenshot',
  'offscreen-fetch': 'fetched file',
} as const;

type State = { phase: 'loading' } | { phase: 'no-tab' } | { phase: 'ready'; tabId: number; results: TabResults | null };

/** Opens one of the extension's pages in a new tab (the popup closes as focus leaves it). */
function openExtensionPage(path: Parameters<typeof browser.runtime.getURL>[0]): void {
  void browser.tabs.create({ url: browser.runtime.getURL(path) });
}

/** Orders videos as a reader scans them: judged first, most worrying first. */
const ORDER: Record<VideoReport['verdict'], number> = {
  ai: 0,
  'likely-ai': 1,
  uncertain: 2,
  'verified-capture': 3,
  'no-signs': 4,
  unavailable: 5,
  pending: 6,
};

function srcLabel(src: string): string {
  if (!src) return 'video without a source';
  if (src.startsWith('blob:')) return 'streamed video';
  try {
    const url = new URL(src);
    return `${url.hostname}${url.pathname.length > 1 ? url.pathname : ''}`;
  } catch {
    return src;
  }
}

const PROVENANCE_STATES: Record<ProvenanceSignal['state'], string> = {
  valid: 'signature valid, signer verified',
  untrusted: 'signature valid, signer not verified',
  invalid: 'altered or broken after signing',
  absent: 'none found',
  error: 'could not be read',
};

/** One line per piece of evidence, in plain words. */
function signalLines(video: VideoReport): string[] {
  const lines: string[] = [];
  for (const s of video.signals) {
    switch (s.kind) {
      case 'provenance': {
        const where =
          s.source === 'image'
            ? 'Poster image credentials'
            : s.source === 'stream'
              ? 'Stream credentials'
              : 'Content Credentials';
        const parts = [PROVENANCE_STATES[s.state]];
        if (s.signer) parts.push(`signed by ${s.signer}`);
        if (s.signingTime) parts.push(`on ${s.signingTime.slice(0, 10)}`);
        if (s.generator) parts.push(`made with ${s.generator}`);
        if (s.digitalSourceTypes.length) parts.push(`source: ${s.digitalSourceTypes.join(', ')}`);
        if (s.failureCodes?.length && s.state === 'invalid') parts.push(`(${s.failureCodes.join(', ')})`);
        if (s.detail) parts.push(s.detail);
        lines.push(`${where}: ${parts.join('; ')}.`);
        for (const i of s.ingredients ?? []) {
          lines.push(
            `  Ingredient “${i.title}” (${i.relationship})${i.generator ? `, made with ${i.generator}` : ''}.`,
          );
        }
        break;
      }
      case 'platform-label':
        lines.push(s.source === 'platform' ? `${s.platform} label: “${s.label}”.` : `Post text: “${s.label}”.`);
        break;
      case 'watermark':
        lines.push(`Watermark: ${s.generator} (“${s.text}”) on ${s.frames} frames.`);
        break;
      case 'classifier':
        lines.push(`Classifier ${s.model}: ${Math.round(s.score * 100)}% AI over ${s.framesScored} frames.`);
        break;
      case 'frame-quality':
        lines.push(`Frames read: ${s.framesChecked}${s.blankFrames ? `, ${s.blankFrames} blank` : ''}.`);
        break;
      case 'unavailable':
        lines.push(`Could not check: ${s.detail}`);
        break;
    }
  }
  return lines;
}

const percent = (v: number) => `${Math.round(v * 100)}%`;

/** Which faces were checked on the sampled frames, with their scores; evidence only, not part of the verdict. */
function FacesChecked({ video }: { video: VideoReport }) {
  const summary = summariseFaces(video.frames);
  if (!summary) return null;
  if (summary.facesFound === 0) {
    return (
      <p className="faces-none">
        No faces found on {summary.framesChecked} checked frame{summary.framesChecked === 1 ? '' : 's'}.
      </p>
    );
  }
  return (
    <div className="faces">
      <p className="faces-title">
        Faces checked: {summary.facesFound} face{summary.facesFound === 1 ? '' : 's'} on {summary.framesWithFaces} of{' '}
        {summary.framesChecked} frames. Face scores are shown as evidence and do not change the verdict.
      </p>
      <ul className="face-list" aria-label="Faces checked">
        {summary.shown.map((f, i) => (
          <li key={`${f.mediaTime}-${i}`}>
            {f.crop ? <img className="face-crop" src={f.crop} alt="" /> : null}
            <span>
              {f.mediaTime.toFixed(1)} s · face {percent(f.detectorScore)} ·{' '}
              {f.aiScore === null ? 'too small to score' : `looks generated ${percent(f.aiScore)}`}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function VideoRow({ video, tabId }: { video: VideoReport; tabId: number }) {
  const style = VERDICT_STYLE[video.verdict];
  const label = VERDICT_LABELS[video.verdict];
  const pending = video.verdict === 'pending';
  return (
    <li className={`video ${style.className}`} data-verdict={video.verdict} data-video-id={video.id}>
      {video.thumbnail ? (
        <img className="thumb" src={video.thumbnail} alt="" />
      ) : (
        <div className="thumb empty" aria-hidden="true">
          {style.glyph}
        </div>
      )}
      <div className="body">
        <p className="verdict">
          <span className="glyph" aria-hidden="true">
            {style.glyph}
          </span>{' '}
          {pending ? 'Not analysed yet' : `${label}${scoreText(video.verdict, video.score)}`}
        </p>
        <p className="reason">{pending ? 'Waiting for the video to play or come into view.' : video.reasons[0]}</p>
        {!pending && (
          <details className="detail">
            <summary>Details</summary>
            <ul className="all-reasons" aria-label="Reasons">
              {video.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
            <ul className="signals" aria-label="Evidence">
              {signalLines(video).map((line, i) => (
                <li key={`${i}-${line}`}>{line}</li>
              ))}
            </ul>
            <FacesChecked video={video} />
            {video.platform?.reportUrl && (
              <p className="report-link">
                <a href={video.platform.reportUrl} target="_blank" rel="noreferrer">
                  Open this post on {video.platform.platform}
                </a>
              </p>
            )}
          </details>
        )}
        <p className="open-detail">
          <button
            type="button"
            className="link-button"
            aria-label={`Open full details of ${srcLabel(video.src)}`}
            onClick={() => openExtensionPage(videoPageUrl(tabId, video.id))}
          >
            Open full details
          </button>
        </p>
        <p className="meta" title={video.src}>
          {srcLabel(video.src)}
          {video.framesAnalysed > 0 &&
            ` · ${video.framesAnalysed} frame${video.framesAnalysed === 1 ? '' : 's'}` +
              (video.framePath ? ` via ${PATH_LABELS[video.framePath]}` : '')}
        </p>
      </div>
    </li>
  );
}

/** The toolbar popup: every video on the current tab with its verdict and top reason. */
export function Popup() {
  const [state, setState] = useState<State>({ phase: 'loading' });
  const [tabId, setTabId] = useState<number | null>(null);

  useEffect(() => {
    let unsubscribe: (() => void) | undefined;
    let cancelled = false;
    void resolveTabId(location.search).then((tabId) => {
      if (cancelled) return;
      if (tabId === null) {
        setState({ phase: 'no-tab' });
        return;
      }
      setTabId(tabId);
      unsubscribe = watchTabResults(tabId, (results) => setState({ phase: 'ready', tabId, results }));
    });
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, []);

  const videos =
    state.phase === 'ready'
      ? [...(state.results?.videos ?? [])].sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict])
      : [];

  return (
    <main className="popup">
      <header>
        <h1>Provenance Lens</h1>
        <p className="privacy">Analysed on this device. Nothing is sent anywhere.</p>
      </header>
      {tabId !== null && <SiteControls tabId={tabId} />}
      {state.phase === 'loading' && <p className="status">Loading…</p>}
      {state.phase === 'no-tab' && <p className="status">No tab to describe.</p>}
      {state.phase === 'ready' && videos.length === 0 && (
        <p className="status empty-state">
          No videos found on this page yet. Videos appear here once they are on screen.
        </p>
      )}
      {videos.length > 0 && (
        <>
          <h2 className="count">
            {videos.length} video{videos.length === 1 ? '' : 's'} on this page
          </h2>
          <ul className="videos" aria-label="Videos on this page">
            {videos.map((video) => (
              <VideoRow key={video.id} video={video} tabId={state.phase === 'ready' ? state.tabId : -1} />
            ))}
          </ul>
        </>
      )}
      <footer className="popup-footer">
        <button type="button" className="link-button" onClick={() => openExtensionPage(HISTORY_PAGE)}>
          Report history
        </button>
      </footer>
    </main>
  );
}
