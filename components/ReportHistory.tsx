import { useCallback, useEffect, useState } from 'react';
import { scoreText, VERDICT_LABELS } from '../lib/core/verdict';
import { downloadBytes, reportFileName } from '../lib/detail/download';
import { type ReportDestination, ReportHistory, type StoredReport } from '../lib/reporting/history';
import { REPORT_REASONS } from '../lib/reporting/schema';
import { zipReport, zipReports } from '../lib/reporting/zip';
import { mediaTimeText } from './DetailChart';

const history = new ReportHistory();

function destinationText(d: ReportDestination): string {
  const when = new Date(d.at).toLocaleString();
  switch (d.kind) {
    case 'kept':
      return `Kept on this device (${when})`;
    case 'exported':
      return `Saved as a .zip (${when})`;
    case 'platform':
      return `Opened the platform’s report page ${new URL(d.url).hostname} (${when})`;
    case 'endpoint':
      return d.ok
        ? `Sent to ${d.url} (answer ${d.status}, ${when})`
        : `Sending to ${d.url} failed after ${d.attempts} ${d.attempts === 1 ? 'try' : 'tries'}: ${d.detail} (${when})`;
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
  const reason = REPORT_REASONS.find((r) => r.value === b.reason)?.label ?? b.reason;
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
      <p>
        Verdict then: {VERDICT_LABELS[b.verdict.level]}
        {scoreText(b.verdict.level, b.verdict.score)}
      </p>
      <ul className="destinations" aria-label="Where this report went">
        {report.destinations.map((d, i) => (
          <li key={`${d.kind}-${i}`} data-kind={d.kind}>
            {destinationText(d)}
          </li>
        ))}
      </ul>
      <div className="buttons">
        <button type="button" aria-expanded={open} onClick={onToggle}>
          {open ? 'Close' : 'Open'}
        </button>
        <button
          type="button"
          onClick={() => {
            downloadBytes(zipReport(report), reportFileName(b));
            void history.record(report.id, { kind: 'exported', at: new Date().toISOString() }).then(onChanged);
          }}
        >
          Export .zip
        </button>
        <button type="button" className="danger" onClick={() => void history.delete(report.id).then(onChanged)}>
          Delete
        </button>
      </div>
      {open && (
        <div className="history-detail">
          {b.notes && <p>Notes: {b.notes}</p>}
          <ol className="reasons">
            {b.verdict.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ol>
          {b.frames.length > 0 && (
            <ol className="strip" aria-label="Frames in this report">
              {b.frames.map((f, i) => (
                <li key={f.file}>
                  <img src={urlBytes(report.frames[i]!)} alt={`Frame at ${mediaTimeText(f.mediaTime)}`} />
                  <span className="time">{mediaTimeText(f.mediaTime)}</span>
                  <code className="hash" title={f.sha256}>
                    {f.sha256.slice(0, 12)}…
                  </code>
                </li>
              ))}
            </ol>
          )}
          <details>
            <summary>Manifest (JSON)</summary>
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
      .catch((e: unknown) => setError(`Could not read the history: ${e instanceof Error ? e.message : String(e)}`));
  }, []);
  useEffect(reload, [reload]);

  return (
    <main className="detail history">
      <header className="page-header">
        <h1>Report history</h1>
        <p className="muted">Reports you kept, sent or saved. They stay on this device until you delete them.</p>
      </header>
      {error && <p className="error">{error}</p>}
      {reports === null && !error && <p className="muted">Loading…</p>}
      {reports?.length === 0 && <p className="muted">No reports yet.</p>}
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
              Export all ({reports.length}) as .zip
            </button>
          </div>
          <ul className="history-list" aria-label="Reports">
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
