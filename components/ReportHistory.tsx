import { useCallback, useEffect, useState } from 'react';
import { downloadBytes, reportFileName } from '../lib/detail/download';
import { type ReportDestination, ReportHistory, type StoredReport } from '../lib/reporting/history';
import { zipReport, zipReports } from '../lib/reporting/zip';
import { plural, t } from '../lib/present/i18n';
import { reportReasonText } from '../lib/present/report-words';
import { mediaTimeText, verdictWithScore } from '../lib/present/words';

const history = new ReportHistory();

function destinationText(d: ReportDestination): string {
  const when = new Date(d.at).toLocaleString();
  switch (d.kind) {
    case 'kept':
      return t('historyKept', [when]);
    case 'exported':
      return t('historyExported', [when]);
    case 'platform':
      return t('historyPlatform', [new URL(d.url).hostname, when]);
    case 'endpoint':
      return d.ok
        ? t('historySent', [d.url, String(d.status), when])
        : plural('historyFailed', d.attempts, [d.url, d.detail, when]);
  }
}

function urlBytes(frame: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < frame.length; i += 0x8000) binary += String.fromCharCode(...frame.subarray(i, i + 0x8000));
  return `data:image/jpeg;base64,${btoa(binary)}`;
}

function HistoryItem({
  report,
  open,
  onToggle,
  onChanged,
}: {
  report: StoredReport;
  open: boolean;
  onToggle: () => void;
  onChanged: () => void;
}) {
  const b = report.bundle;
  const reason = reportReasonText(b.reason);
  const headingId = `report-${report.id}`;
  return (
    <li className="history-item" data-report-id={report.id} aria-labelledby={headingId}>
      <h2 id={headingId} className="history-title">
        {reason} · {new Date(b.createdAt).toLocaleString()}
      </h2>
      <p className="muted page-line" title={b.page.url}>
        {b.page.title ? `${b.page.title} · ` : ''}
        {b.page.url}
      </p>
      <p>{t('historyVerdictThen', [verdictWithScore(b.verdict.level, b.verdict.score)])}</p>
      <ul className="destinations" aria-label={t('historyDestinations')}>
        {report.destinations.map((d, i) => (
          <li key={`${d.kind}-${i}`} data-kind={d.kind}>
            {destinationText(d)}
          </li>
        ))}
      </ul>
      <div className="buttons">
        <button type="button" aria-expanded={open} onClick={onToggle}>
          {open ? t('close') : t('open')}
        </button>
        <button
          type="button"
          onClick={() => {
            downloadBytes(zipReport(report), reportFileName(b));
            void history.record(report.id, { kind: 'exported', at: new Date().toISOString() }).then(onChanged);
          }}
        >
          {t('historyExport')}
        </button>
        <button type="button" className="danger" onClick={() => void history.delete(report.id).then(onChanged)}>
          {t('historyDelete')}
        </button>
      </div>
      {open && (
        <div className="history-detail">
          {b.notes && <p>{t('historyNotes', [b.notes])}</p>}
          <ol className="reasons">
            {b.verdict.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ol>
          {b.frames.length > 0 && (
            <ol className="strip" aria-label={t('historyFrames')}>
              {b.frames.map((f, i) => (
                <li key={f.file}>
                  <img src={urlBytes(report.frames[i]!)} alt={t('frameAt', [mediaTimeText(f.mediaTime)])} />
                  <span className="time">{mediaTimeText(f.mediaTime)}</span>
                  <code className="hash" title={f.sha256}>
                    {f.sha256.slice(0, 12)}…
                  </code>
                </li>
              ))}
            </ol>
          )}
          <details>
            <summary>{t('historyManifest')}</summary>
            <pre className="summary-text">{JSON.stringify(b, null, 2)}</pre>
          </details>
        </div>
      )}
    </li>
  );
}

/** The local report history: list, open, delete, export one or all. */
export function ReportHistoryView() {
  const [reports, setReports] = useState<StoredReport[] | null>(null);
  const [openId, setOpenId] = useState<string | null>(() => new URLSearchParams(location.search).get('report'));
  const [error, setError] = useState('');
  const reload = useCallback(() => {
    history
      .all()
      .then(setReports)
      .catch((e: unknown) => setError(t('historyReadError', [e instanceof Error ? e.message : String(e)])));
  }, []);
  useEffect(reload, [reload]);

  return (
    <main className="detail history">
      <header className="page-header">
        <h1>{t('reportHistory')}</h1>
        <p className="muted">{t('historyAbout')}</p>
      </header>
      {error && <p className="error">{error}</p>}
      {reports === null && !error && <p className="muted">{t('loading')}</p>}
      {reports?.length === 0 && <p className="muted">{t('historyNone')}</p>}
      {reports && reports.length > 0 && (
        <>
          <div className="buttons">
            <button
              type="button"
              onClick={() => {
                downloadBytes(
                  zipReports(reports),
                  `provenance-lens-reports-${new Date().toISOString().slice(0, 10)}.zip`,
                );
              }}
            >
              {t('historyExportAll', [reports.length])}
            </button>
          </div>
          <ul className="history-list" aria-label={t('historyList')}>
            {reports.map((r) => (
              <HistoryItem
                key={r.id}
                report={r}
                open={openId === r.id}
                onToggle={() => setOpenId(openId === r.id ? null : r.id)}
                onChanged={reload}
              />
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
