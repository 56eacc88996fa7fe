import { useId } from 'react';
import type { ClassifierConfig } from '../lib/analysis/classifier/calibration';
import type { FrameRecord } from '../lib/core/report';
import type { ClassifierSignal } from '../lib/core/signals';
import { chartGeometry } from '../lib/detail/explain';
import { t } from '../lib/present/i18n';
import { mediaTimeText, percent } from '../lib/present/words';

/**
 * The classifier's score per frame over media time, as inline SVG: the
 * thresholds as dashed lines and the clip's calibrated score as a band.
 */
export function ScoreChart({
  frames,
  config,
  signal,
}: {
  frames: readonly FrameRecord[];
  config: ClassifierConfig;
  signal: ClassifierSignal;
}) {
  const titleId = useId();
  const descId = useId();
  const g = chartGeometry(frames, config);
  if (g.points.length === 0) return null;
  const right = g.width - g.pad.right;
  const thresholds = [
    {
      value: signal.thresholds.likelyAi,
      label: t('chartLikelyAi', [percent(signal.thresholds.likelyAi)]),
      cls: 'likely',
    },
    {
      value: signal.thresholds.uncertain,
      label: t('chartUncertain', [percent(signal.thresholds.uncertain)]),
      cls: 'uncertain',
    },
  ];
  const line = g.points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  return (
    <svg className="chart" viewBox={`0 0 ${g.width} ${g.height}`} role="img" aria-labelledby={`${titleId} ${descId}`}>
      <title id={titleId}>{t('chartTitle')}</title>
      <desc id={descId}>
        {t('chartDesc', [
          g.points.map((p) => `${mediaTimeText(p.mediaTime)}: ${percent(p.score)}`).join('; '),
          percent(signal.score),
        ])}
      </desc>
      {[0, 0.5, 1].map((v) => (
        <g key={v} className="grid">
          <line x1={g.pad.left} x2={right} y1={g.yOf(v)} y2={g.yOf(v)} />
          <text x={g.pad.left - 6} y={g.yOf(v) + 4} textAnchor="end">
            {percent(v)}
          </text>
        </g>
      ))}
      {thresholds.map((t) => (
        <g key={t.cls} className={`threshold ${t.cls}`}>
          <line x1={g.pad.left} x2={right} y1={g.yOf(t.value)} y2={g.yOf(t.value)} />
          <text x={right - 4} y={g.yOf(t.value) - 4} textAnchor="end">
            {t.label}
          </text>
        </g>
      ))}
      <line className="clip-score" x1={g.pad.left} x2={right} y1={g.yOf(signal.score)} y2={g.yOf(signal.score)} />
      <polyline className="series" points={line} fill="none" />
      {g.points.map((p) => (
        <circle key={p.mediaTime} className="point" cx={p.x} cy={p.y} r={3.5} />
      ))}
      <text className="axis" x={g.pad.left} y={g.height - 6}>
        {mediaTimeText(g.domain[0])}
      </text>
      <text className="axis" x={right} y={g.height - 6} textAnchor="end">
        {mediaTimeText(g.domain[1])}
      </text>
      <text className="axis" x={(g.pad.left + right) / 2} y={g.height - 6} textAnchor="middle">
        {t('chartMediaTime')}
      </text>
    </svg>
  );
}
