import { useEffect, useState } from 'react';
import type { TabResults, VideoReport } from '../lib/core/report';
import { browser } from 'wxt/browser';
import { HISTORY_PAGE, videoPageUrl } from '../lib/detail/detail-url';
import { summariseFaces } from '../lib/analysis/faces/face-summary';
import { resolveTabId, watchTabResults } from '../lib/popup/tab-results';
import { plural, t } from '../lib/present/i18n';
import { reasonTexts, signalLines, srcLabel } from '../lib/present/evidence';
import { framePathText, percent, verdictWithScore } from '../lib/present/words';
import { SiteControls } from './SiteControls';
import { VERDICT_STYLE } from './verdict-style';

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

/** Which faces were checked on the sampled frames, with their scores; evidence only, not part of the verdict. */
function FacesChecked({ video }: { video: VideoReport }) {
  const summary = summariseFaces(video.frames);
  if (!summary) return null;
  if (summary.facesFound === 0) {
    return <p className="faces-none">{plural('popupNoFaces', summary.framesChecked)}</p>;
  }
  return (
    <div className="faces">
      <p className="faces-title">
        {plural('popupFacesChecked', summary.facesFound, [summary.framesWithFaces, summary.framesChecked])}
      </p>
      <ul className="face-list" aria-label={t('facesChecked')}>
        {summary.shown.map((f, i) => (
          <li key={`${f.mediaTime}-${i}`}>
            {f.crop ? <img className="face-crop" src={f.crop} alt="" /> : null}
            <span>
              {t('popupFace', [f.mediaTime.toFixed(1), percent(f.detectorScore)])} ·{' '}
              {f.aiScore === null ? t('faceTooSmall') : t('popupFaceScore', [percent(f.aiScore)])}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function VideoRow({ video, tabId }: { video: VideoReport; tabId: number }) {
  const style = VERDICT_STYLE[video.verdict];
  const pending = video.verdict === 'pending';
  const reasons = reasonTexts(video);
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
          {pending ? t('popupNotAnalysed') : verdictWithScore(video.verdict, video.score)}
        </p>
        <p className="reason">{pending ? t('popupWaiting') : reasons[0]}</p>
        {!pending && (
          <details className="detail">
            <summary>{t('popupDetails')}</summary>
            <ul className="all-reasons" aria-label={t('popupReasons')}>
              {reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
            <ul className="signals" aria-label={t('popupEvidence')}>
              {signalLines(video).map((line, i) => (
                <li key={`${i}-${line}`}>{line}</li>
              ))}
            </ul>
            <FacesChecked video={video} />
            {video.platform?.reportUrl && (
              <p className="report-link">
                <a href={video.platform.reportUrl} target="_blank" rel="noreferrer">
                  {t('popupOpenPost', [video.platform.platform])}
                </a>
              </p>
            )}
          </details>
        )}
        <p className="open-detail">
          <button
            type="button"
            className="link-button"
            aria-label={t('popupOpenDetailsOf', [srcLabel(video.src)])}
            onClick={() => openExtensionPage(videoPageUrl(tabId, video.id))}
          >
            {t('popupOpenDetails')}
          </button>
        </p>
        <p className="meta" title={video.src}>
          {srcLabel(video.src)}
          {video.framesAnalysed > 0 &&
            ` · ${
              video.framePath
                ? plural('popupFramesVia', video.framesAnalysed, [framePathText(video.framePath, 'short')])
                : plural('frames', video.framesAnalysed)
            }`}
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
        <h1>{t('extName')}</h1>
        <p className="privacy">{t('popupPrivacy')}</p>
      </header>
      {tabId !== null && <SiteControls tabId={tabId} />}
      {state.phase === 'loading' && <p className="status">{t('loading')}</p>}
      {state.phase === 'no-tab' && <p className="status">{t('popupNoTab')}</p>}
      {state.phase === 'ready' && videos.length === 0 && <p className="status empty-state">{t('popupEmpty')}</p>}
      {videos.length > 0 && (
        <>
          <h2 className="count">{plural('popupCount', videos.length)}</h2>
          <ul className="videos" aria-label={t('popupVideos')}>
            {videos.map((video) => (
              <VideoRow key={video.id} video={video} tabId={state.phase === 'ready' ? state.tabId : -1} />
            ))}
          </ul>
        </>
      )}
      <footer className="popup-footer">
        <button type="button" className="link-button" onClick={() => openExtensionPage(HISTORY_PAGE)}>
          {t('reportHistory')}
        </button>
      </footer>
    </main>
  );
}
