import { useEffect, useState } from 'react';
import { CLASSIFIER_CONFIG } from '../lib/analysis/classifier/config';
import type { StoredFrameImage, TabResults } from '../lib/core/report';
import { pageOf, watchFrameImages, watchTabResults } from '../lib/detail/detail-data';
import { HISTORY_PAGE, parseDetailRoute } from '../lib/detail/detail-url';
import { analysedOnLine, fromCacheLine, uncheckedItems } from '../lib/detail/explain';
import { plural, t } from '../lib/present/i18n';
import { reasonTexts } from '../lib/present/evidence';
import { verdictLabel, verdictMeaning, verdictWithScore } from '../lib/present/words';
import { SignalCards } from './DetailSignals';
import { ReportForm } from './ReportForm';
import { ReportHistoryView } from './ReportHistory';
import { VERDICT_STYLE } from './verdict-style';
import { VerifySiteLink } from './VerifySiteLink';

type Loaded = { phase: 'loading' } | { phase: 'ready'; results: TabResults | null };

function srcText(src: string): string {
  if (!src) return t('detailNoAddress');
  if (src.startsWith('blob:')) return t('detailStreamAddress');
  return src;
}

/** One video's verdict, evidence and what could not be checked, updated live; its report form. */
function DetailView({ tabId, videoId, startWithReport }: { tabId: number; videoId: string; startWithReport: boolean }) {
  const [loaded, setLoaded] = useState<Loaded>({ phase: 'loading' });
  const [frames, setFrames] = useState<StoredFrameImage[]>([]);
  const [page, setPage] = useState<{ url: string; title: string }>({ url: '', title: '' });
  const [reporting, setReporting] = useState(startWithReport);

  useEffect(() => watchTabResults(tabId, (results) => setLoaded({ phase: 'ready', results })), [tabId]);
  useEffect(() => watchFrameImages(tabId, videoId, setFrames), [tabId, videoId]);
  const results = loaded.phase === 'ready' ? loaded.results : null;
  const resultsUrl = results?.url;
  useEffect(() => {
    void pageOf(tabId, resultsUrl === undefined ? null : { url: resultsUrl, videos: [] }).then(setPage);
  }, [tabId, resultsUrl]);

  const video = results?.videos.find((v) => v.id === videoId) ?? null;
  useEffect(() => {
    document.title = video ? t('detailTitleWithVerdict', [verdictLabel(video.verdict)]) : t('detailTitle');
  }, [video]);

  if (loaded.phase === 'loading') {
    return (
      <main className="detail">
        <p className="muted">{t('loading')}</p>
      </main>
    );
  }
  if (!video) {
    return (
      <main className="detail">
        <h1>{t('detailHeading')}</h1>
        <p>{t('detailGone')}</p>
        <p>
          <a href={HISTORY_PAGE}>{t('reportHistory')}</a>
        </p>
      </main>
    );
  }
  const style = VERDICT_STYLE[video.verdict];
  const unchecked = uncheckedItems(video, CLASSIFIER_CONFIG);
  const cacheLine = fromCacheLine(video);
  const computeLine = analysedOnLine(video);

  return (
    <main className="detail" data-video-id={video.id}>
      <header className="page-header">
        <p className="brand">{t('extName')}</p>
        <h1>{t('detailHeading')}</h1>
        <p className="muted page-line" title={page.url}>
          {page.title ? `${page.title} · ` : ''}
          {page.url}
        </p>
        <nav aria-label={t('detailPagesNav')}>
          <a href={HISTORY_PAGE}>{t('reportHistory')}</a>
        </nav>
      </header>

      <section
        className={`verdict-card ${style.className}`}
        aria-labelledby="verdict-heading"
        data-verdict={video.verdict}
      >
        {video.thumbnail && <img className="hero" src={video.thumbnail} alt={t('detailHeroAlt')} />}
        <div>
          <h2 id="verdict-heading">
            <span className="glyph" aria-hidden="true">
              {style.glyph}
            </span>{' '}
            {verdictWithScore(video.verdict, video.score)}
          </h2>
          <p className="meaning">{verdictMeaning(video.verdict)}</p>
          <h3>{t('detailWhy')}</h3>
          <ul className="reasons">
            {reasonTexts(video).map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          <p className="muted">{plural('detailVideoLine', video.framesAnalysed, [srcText(video.src)])}</p>
          {computeLine && <p className="muted analysed-on">{computeLine}</p>}
          {cacheLine && <p className="from-cache">{cacheLine}</p>}
          <div className="buttons">
            <button
              type="button"
              className="primary report-button"
              aria-expanded={reporting}
              onClick={() => setReporting(true)}
            >
              {t('detailReportButton')}
            </button>
          </div>
        </div>
      </section>

      {reporting && <ReportForm video={video} page={page} frames={frames} onClose={() => setReporting(false)} />}

      <section aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">{t('detailEvidenceHeading')}</h2>
        {video.signals.some((s) => s.kind !== 'unavailable') ? (
          <SignalCards video={video} frames={frames} config={CLASSIFIER_CONFIG} />
        ) : (
          <p className="muted">{t('detailNoCheckYet')}</p>
        )}
      </section>

      <VerifySiteLink src={video.src} />

      <section aria-labelledby="unchecked-heading" className="unchecked">
        <h2 id="unchecked-heading">{t('detailUncheckedHeading')}</h2>
        {unchecked.length === 0 ? (
          <p className="muted">{t('detailEveryCheckRan')}</p>
        ) : (
          <ul>
            {unchecked.map((u) => (
              <li key={u.what + u.why}>
                <strong>{u.what}</strong>: {u.why}.
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

/** The detail page: one video's detail and report form, or the report history. */
export function DetailApp() {
  const route = parseDetailRoute(location.search);
  useEffect(() => {
    if (route.view === 'history') document.title = t('historyTitle');
    else if (route.view === 'invalid') document.title = t('detailTitle');
  }, [route.view]);
  if (route.view === 'history') return <ReportHistoryView />;
  if (route.view === 'invalid') {
    return (
      <main className="detail">
        <h1>{t('detailHeading')}</h1>
        <p>{route.problem}</p>
      </main>
    );
  }
  return <DetailView tabId={route.tabId} videoId={route.videoId} startWithReport={route.view === 'report'} />;
}
