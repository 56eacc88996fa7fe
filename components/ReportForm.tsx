import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { browser } from 'wxt/browser';
import type { StoredFrameImage, VideoReport } from '../lib/core/report';
import { buildBundle } from '../lib/reporting/bundle';
import { dataUrlBytes } from '../lib/reporting/hash';
import { ReportHistory } from '../lib/reporting/history';
import { readReportSettings, saveReportSettings } from '../lib/reporting/report-settings';
import { REPORT_REASONS, type ReportReason } from '../lib/reporting/schema';
import { originPattern, parseEndpoint, parseToken, sendBundle } from '../lib/reporting/sender';
import { softwareVersions } from '../lib/reporting/versions';
import type { ReportFiles } from '../lib/reporting/zip';
import { zipReport } from '../lib/reporting/zip';
import { downloadBytes, reportFileName } from '../lib/detail/download';
import { HISTORY_PAGE } from '../lib/detail/detail-url';
import { plural, t } from '../lib/present/i18n';
import { reportReasonText, reportSummary } from '../lib/present/report-words';

/** Props of {@link ReportForm}. */
export interface ReportFormProps {
  video: VideoReport;
  page: { url: string; title: string };
  frames: readonly StoredFrameImage[];
  onClose: () => void;
}

type Step = { step: 'form' } | { step: 'ready'; report: ReportFiles; kept: boolean };

function now(): string {
  return new Date().toISOString();
}

/**
 * "Report a suspected deepfake": what is wrong, notes, whether to include
 * frames; then the evidence bundle and what to do with it (keep it, open
 * the platform's own report flow, send it to your endpoint, save a .zip).
 * Nothing is kept or sent until the user presses the matching button.
 */
export function ReportForm({ video, page, frames, onClose }: ReportFormProps) {
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [notes, setNotes] = useState('');
  const [includeFrames, setIncludeFrames] = useState(true);
  const [state, setState] = useState<Step>({ step: 'form' });
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [token, setToken] = useState('');
  const [sending, setSending] = useState(false);
  const history = useRef(new ReportHistory());
  // Actions may follow each other before a re-render: whether the report is kept lives in a ref.
  const kept = useRef(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const ids = {
    notes: useId(),
    include: useId(),
    endpoint: useId(),
    token: useId(),
    reasonHint: useId(),
    error: useId(),
  };

  useEffect(() => {
    void readReportSettings().then((saved) => {
      setEndpoint(saved.endpoint);
      setToken(saved.token);
    });
    headingRef.current?.focus();
  }, []);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason) {
      setError(t('formChooseReason'));
      return;
    }
    setError('');
    try {
      const report = await buildBundle({
        video,
        page,
        form: { reason, notes, includeFrames },
        frames: frames.map((f) => ({ mediaTime: f.mediaTime, jpeg: dataUrlBytes(f.jpeg) })),
        software: softwareVersions(browser.runtime.getManifest()),
      });
      kept.current = false;
      setState({ step: 'ready', report, kept: false });
      setStatus(plural('formReady', report.bundle.frames.length));
    } catch (e) {
      setError(t('formBuildError', [e instanceof Error ? e.message : String(e)]));
    }
  };

  /** Keeps the report with this destination, or records the destination on the kept one. */
  const keep = async (report: ReportFiles, destination: Parameters<ReportHistory['record']>[1]) => {
    if (kept.current) {
      await history.current.record(report.bundle.id, destination);
    } else {
      kept.current = true;
      await history.current.add(report, destination);
    }
    setState({ step: 'ready', report, kept: true });
  };

  if (state.step === 'form') {
    return (
      <section className="report-form" aria-labelledby="report-heading">
        <h2 id="report-heading" tabIndex={-1} ref={headingRef}>
          {t('formHeading')}
        </h2>
        <form onSubmit={(e) => void create(e)} noValidate>
          <fieldset aria-describedby={error ? ids.error : undefined}>
            <legend>{t('formLegend')}</legend>
            {REPORT_REASONS.map((r) => (
              <label key={r} className="choice">
                <input
                  type="radio"
                  name="reason"
                  value={r}
                  checked={reason === r}
                  onChange={() => {
                    setReason(r);
                    setError('');
                  }}
                  required
                />
                {reportReasonText(r)}
              </label>
            ))}
          </fieldset>
          <label htmlFor={ids.notes}>{t('formNotes')}</label>
          <textarea
            id={ids.notes}
            rows={3}
            maxLength={2000}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            placeholder={t('formNotesPlaceholder')}
          />
          <label className="choice" htmlFor={ids.include}>
            <input
              id={ids.include}
              type="checkbox"
              checked={includeFrames && frames.length > 0}
              disabled={frames.length === 0}
              onChange={(e) => setIncludeFrames(e.target.checked)}
            />
            {frames.length > 0 ? plural('formIncludeFrames', frames.length) : t('formNoFrames')}
          </label>
          {error && (
            <p className="error" id={ids.error} role="alert">
              {error}
            </p>
          )}
          <div className="buttons">
            <button type="submit" className="primary">
              {t('formCreate')}
            </button>
            <button type="button" onClick={onClose}>
              {t('formCancel')}
            </button>
          </div>
          <p className="muted">{t('formCreateHint')}</p>
        </form>
      </section>
    );
  }

  const { report } = state;
  const platform = video.platform;

  const openPlatform = async () => {
    if (!platform?.reportUrl) return;
    let copied = true;
    try {
      await navigator.clipboard.writeText(reportSummary(report.bundle));
    } catch {
      copied = false;
    }
    await browser.tabs.create({ url: platform.reportUrl });
    await keep(report, { kind: 'platform', at: now(), url: platform.reportUrl });
    setStatus(copied ? t('formOpenedCopied', [platform.platform]) : t('formOpenedNoClipboard', [platform.platform]));
  };

  const send = () => {
    let url: URL;
    let bearer: string;
    try {
      url = parseEndpoint(endpoint);
      bearer = parseToken(token);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return;
    }
    setError('');
    setSending(true);
    setStatus(t('formAsking', [url.origin]));
    // Asked inside the click, as browsers require; see the README on what `<all_urls>` means here.
    const permission = browser.permissions.request({ origins: [originPattern(url)] });
    void (async () => {
      try {
        if (!(await permission)) {
          setStatus(t('formRefused'));
          return;
        }
        await saveReportSettings(url.href, bearer);
        setStatus(t('formSending', [url.origin]));
        const outcome = await sendBundle(url, report, { token: bearer });
        await keep(report, {
          kind: 'endpoint',
          at: now(),
          url: url.href,
          ok: outcome.ok,
          status: outcome.status,
          attempts: outcome.attempts,
          detail: outcome.ok ? (outcome.receipt ?? '') : outcome.error,
        });
        setStatus(
          outcome.ok
            ? plural('formSent', outcome.attempts, [url.origin, outcome.status])
            : plural('formNotSent', outcome.attempts, [outcome.error]),
        );
      } catch (e) {
        setStatus(t('formNotSentError', [e instanceof Error ? e.message : String(e)]));
      } finally {
        setSending(false);
      }
    })();
  };

  return (
    <section className="report-form" aria-labelledby="report-ready-heading">
      <h2 id="report-ready-heading">{t('formReadyHeading')}</h2>
      <p className="muted">
        {reportReasonText(report.bundle.reason)} · {plural('frames', report.bundle.frames.length)} · {t('formId')}{' '}
        <code>{report.bundle.id.slice(0, 8)}</code>
      </p>
      <div className="actions-grid">
        <div className="action">
          <button
            type="button"
            disabled={state.kept}
            onClick={() => void keep(report, { kind: 'kept', at: now() }).then(() => setStatus(t('formKeptStatus')))}
          >
            {state.kept ? t('formKept') : t('formKeep')}
          </button>
          <p className="muted">
            {t('formKeepHint')} <a href={HISTORY_PAGE}>{t('reportHistory')}</a>
          </p>
        </div>
        <div className="action">
          <button
            type="button"
            onClick={() => {
              downloadBytes(zipReport(report), reportFileName(report.bundle));
              void keep(report, { kind: 'exported', at: now() }).then(() => setStatus(t('formSavedZip')));
            }}
          >
            {t('formDownload')}
          </button>
          <p className="muted">{t('formDownloadHint')}</p>
        </div>
        {platform?.reportUrl && (
          <div className="action">
            <button type="button" onClick={() => void openPlatform()}>
              {t('formReportOn', [platform.platform])}
            </button>
            <p className="muted">{t('formReportOnHint')}</p>
          </div>
        )}
        <div className="action endpoint">
          <label htmlFor={ids.endpoint}>{t('formEndpoint')}</label>
          <input
            id={ids.endpoint}
            type="url"
            inputMode="url"
            placeholder={t('formEndpointPlaceholder')}
            value={endpoint}
            onChange={(e) => setEndpoint(e.target.value)}
          />
          <label htmlFor={ids.token}>{t('formToken')}</label>
          <input
            id={ids.token}
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
          <button type="button" className="primary" onClick={send} disabled={sending || !endpoint.trim()}>
            {t('formSend')}
          </button>
          <p className="muted">{t('formSendHint')}</p>
        </div>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="status" role="status" aria-live="polite">
        {status}
      </p>
      <details>
        <summary>{t('formSummary')}</summary>
        <pre className="summary-text">{reportSummary(report.bundle)}</pre>
      </details>
      <div className="buttons">
        <button type="button" onClick={onClose}>
          {t('close')}
        </button>
      </div>
    </section>
  );
}
