import { type KeyboardEvent, type MouseEvent, useId, useRef, useState } from 'react';
import type { VerdictSummary } from '../lib/messaging/protocol';
import { plural, t } from '../lib/present/i18n';
import { framePathText, REPORT_VERDICTS, scoreText, verdictLabel } from '../lib/present/words';
import { VERDICT_STYLE } from './verdict-style';

/** Props of {@link Badge}. */
export interface BadgeProps {
  summary: VerdictSummary;
  /** Hides the badge for this video. */
  onHide: () => void;
  /** Opens the extension's detail page for this video, or its report form. */
  onOpen?: (view: 'detail' | 'report') => void;
  /**
   * Whether an event comes from the user (default: the browser's `isTrusted`). Only such clicks and keys act:
   * an event dispatched by script never opens a page or hides the badge.
   */
  isUserGesture?: (event: Event) => boolean;
}

const fromUser = (event: Event) => event.isTrusted;

/** Every label, laid over each other in the pill so that its width is the same whatever the verdict. */
function sizerLabels(): string[] {
  return [...new Set(REPORT_VERDICTS.map(verdictLabel))];
}

/** The line under the reasons: how many frames, read how, and that nothing left the device. */
function framesLine(summary: VerdictSummary): string {
  return summary.framePath
    ? plural('badgeFramesVia', summary.framesAnalysed, [framePathText(summary.framePath, 'long')])
    : plural('badgeFrames', summary.framesAnalysed);
}

/**
 * Text about the verdict is drawn from `data-text` by CSS (`::before`) rather
 * than held in text nodes: page script cannot reach into the badge's closed
 * root, but `window.find()` searches the text of closed roots too, and would
 * tell a page which verdict its video got. Generated text is still read out by
 * screen readers.
 *
 * The small verdict pill over a video's corner. Click (or Enter) opens the
 * top reasons; Escape closes them. It stays small so it never covers the
 * site's own controls.
 */
export function Badge({ summary, onHide, onOpen, isUserGesture = fromUser }: BadgeProps) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const style = VERDICT_STYLE[summary.level];
  const label = verdictLabel(summary.level);
  const score = scoreText(summary.level, summary.score);

  /** Runs `action` for a click the user made; a scripted `click()` or dispatched event does nothing. */
  const onUserClick = (action: () => void) => (event: MouseEvent) => {
    if (isUserGesture(event.nativeEvent)) action();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open && isUserGesture(event.nativeEvent)) {
      setOpen(false);
      buttonRef.current?.focus();
    }
  };

  return (
    <div className={`badge ${style.className}`} data-verdict={summary.level} lang={t('lang')} onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        className="pill"
        aria-label={t(open ? 'badgePillOpen' : 'badgePillClosed', [`${label}${score}`])}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={onUserClick(() => setOpen((o) => !o))}
      >
        <span className="glyph" aria-hidden="true" data-text={style.glyph} />
        {/* The pill's size must not tell page script the verdict: it can measure the host, not read inside. */}
        <span className="label-box">
          <span className="label" data-text={label} />
          {sizerLabels().map((text) => (
            <span key={text} className="label-sizer" aria-hidden="true" data-text={text} />
          ))}
        </span>
      </button>
      {open && (
        <div className="panel" id={panelId} role="region" aria-label={t('badgeWhyRegion')}>
          <ul className="reasons">
            {summary.reasons.slice(0, 3).map((reason) => (
              <li key={reason} data-text={reason} />
            ))}
          </ul>
          {summary.framesAnalysed > 0 && <p className="meta" data-text={framesLine(summary)} />}
          <div className="actions" role="group" aria-label={t('badgeActions')}>
            {onOpen && (
              <>
                <button type="button" className="action details" onClick={onUserClick(() => onOpen('detail'))}>
                  {t('badgeDetails')}
                </button>
                <button type="button" className="action report" onClick={onUserClick(() => onOpen('report'))}>
                  {t('badgeReport')}
                </button>
              </>
            )}
            <button
              type="button"
              className="action hide"
              aria-label={t('badgeHideLabel')}
              onClick={onUserClick(onHide)}
            >
              {t('badgeHide')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
