import { useEffect, useState } from 'react';
import type { TabResults, VideoReport } from '../lib/core/report';
import { VERDICT_LABELS } from '../lib/core/verdict';
import { resolveTabId, watchTabResults } from '../lib/popup/tab-results';
import { scoreText, VERDICT_STYLE } from './verdict-style';

const PATH_LABELS = {
  canvas: 'page canvas',
  'tab-capture': 'tab screenshot',
  'offscreen-fetch': 'fetched file',
} as const;

type State = { phase: 'loading' } | { phase: 'no-tab' } | { phase: 'ready'; results: TabResults | null };

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

function VideoRow({ video }: { video: VideoReport }) {
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
          {pending ? 'Not analysed yet' : `${label}${scoreText(video.score)}`}
        </p>
        <p className="reason">{pending ? 'Waiting for the video to play or come into view.' : video.reasons[0]}</p>
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

  useEffect(() => {
    let unsubscribe: (() => void) | undefined;
    let cancelled = false;
    void resolveTabId(location.search).then((tabId) => {
      if (cancelled) return;
      if (tabId === null) {
        setState({ phase: 'no-tab' });
        return;
      }
      unsubscribe = watchTabResults(tabId, (results) => setState({ phase: 'ready', results }));
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
              <VideoRow key={video.id} video={video} />
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
