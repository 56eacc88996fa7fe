import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { VERDICT_LABELS } from '../lib/core/verdict';
import type { VerdictSummary } from '../lib/messaging/protocol';
import { scoreText, VERDICT_STYLE } from './verdict-style';

const PATH_LABELS = {
  canvas: 'read from the page',
  'tab-capture': 'from a screenshot of the tab',
  'offscreen-fetch': 'from the video file',
} as const;

/** Props of {@link Badge}. */
export interface BadgeProps {
  summary: VerdictSummary;
  /** Hides the badge for this video. */
  onHide: () => void;
  /** Opens the extension's detail page for this video, or its report form. */
  onOpen?: (view: 'detail' | 'report') => void;
}

/**
 * The small verdict pill over a video's corner. Click (or Enter) opens the
 * top reasons; Escape closes them. It stays small so it never covers the
 * site's own controls.
 */
export function Badge({ summary, onHide, onOpen }: BadgeProps) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const style = VERDICT_STYLE[summary.level];
  const label = VERDICT_LABELS[summary.level];
  const score = scoreText(summary.level, summary.score);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open) {
      setOpen(false);
      buttonRef.current?.focus();
    }
  };

  return (
    <div className={`badge ${style.className}`} data-verdict={summary.level} onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        className="pill"
        aria-label={`Provenance Lens: ${label}${score}. ${open ? 'Hide' : 'Show'} why.`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="glyph" aria-hidden="true">
          {style.glyph}
        </span>
        <span className="label">{label}</span>
      </button>
      {open && (
        <div className="panel" id={panelId} role="region" aria-label="Why this verdict">
          <ul className="reasons">
            {summary.reasons.slice(0, 3).map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
          {summary.framesAnalysed > 0 && (
            <p className="meta">
              {summary.framesAnalysed} frame{summary.framesAnalysed === 1 ? '' : 's'} analysed
              {summary.framePath ? `, ${PATH_LABELS[summary.framePath]}` : ''}. Nothing left your device.
            </p>
          )}
          <div className="actions" role="group" aria-label="Video actions">
            {onOpen && (
              <>
                <button type="button" className="action details" onClick={() => onOpen('detail')}>
                  Details
                </button>
                <button type="button" className="action report" onClick={() => onOpen('report')}>
                  Report
                </button>
              </>
            )}
            <button type="button" className="action hide" aria-label="Hide badge on this video" onClick={onHide}>
              Hide
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
