import { useEffect, useRef } from 'react';
import type { ClassifierConfig } from '../lib/analysis/classifier/calibration';
import type { StoredFrameImage, VideoReport } from '../lib/core/report';
import type { RubricSignal } from '../lib/core/rubric';
import type {
  Box,
  ClassifierSignal,
  PlatformLabelSignal,
  ProvenanceSignal,
  Signal,
  WatermarkSignal,
} from '../lib/core/signals';
import { summariseFaces } from '../lib/analysis/faces/face-summary';
import {
  frameScore,
  PROVENANCE_STATE_WORDS,
  RUBRIC_SIGNAL_WORDS,
  sourceTypeName,
  TRUST_WORDS,
  trustListDates,
} from '../lib/detail/explain';
import { mediaTimeText, ScoreChart } from './DetailChart';

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function Facts({ rows }: { rows: Array<[string, string | null | undefined]> }) {
  return (
    <dl className="facts">
      {rows
        .filter((row): row is [string, string] => !!row[1])
        .map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

/** A C2PA action in words: `c2pa.color_adjustments` → "Color adjustments". */
function actionName(action: string): string {
  const words = action.replace(/^c2pa\./, '').replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A rubric signal in words, to follow other words ("…; made entirely by generative AI"). */
function rubricWords(signal: RubricSignal): string {
  const words = RUBRIC_SIGNAL_WORDS[signal];
  return words.charAt(0).toLowerCase() + words.slice(1);
}

function ProvenanceCard({ s }: { s: ProvenanceSignal }) {
  const where = s.source === 'image' ? 'the post’s poster image' : s.source === 'stream' ? 'the stream' : 'the file';
  const hash =
    s.state === 'absent' || s.state === 'error'
      ? null
      : s.hashVerified === false
        ? 'Only part of the content could be checked against the signed hash'
        : s.state === 'invalid'
          ? 'Did not match: the content changed after signing'
          : 'Matched the signed hash';
  return (
    <article className={`card provenance state-${s.state}`} aria-labelledby={`prov-${s.source ?? 'file'}`}>
      <h3 id={`prov-${s.source ?? 'file'}`}>Content Credentials of {where}</h3>
      <p className="card-lead">{PROVENANCE_STATE_WORDS[s.state]}.</p>
      <Facts
        rows={[
          ['Who signed', s.signer],
          ['When', s.signingTime ? new Date(s.signingTime).toUTCString() : null],
          ['What made it', s.generator],
          [
            'What it says it is',
            s.digitalSourceTypes.length ? s.digitalSourceTypes.map(sourceTypeName).join('; ') : null,
          ],
          [
            'Signature',
            s.state === 'valid' || s.state === 'untrusted'
              ? s.state === 'valid'
                ? 'Valid, from a signer on a trust list you use'
                : 'Valid, but the signer is not in your trust list: signed, but not by anyone on the trust lists'
              : s.state === 'invalid'
                ? s.certificate === 'revoked'
                  ? 'The signer’s certificate was revoked (OCSP response in the manifest)'
                  : 'Failed'
                : null,
          ],
          ['Trust list', s.trust ? TRUST_WORDS[s.trust] : null],
          ['List dates', s.trustList ? trustListDates(s.trustList) : null],
          [
            'Certificate',
            s.certificate === 'expired-since-signing'
              ? 'Expired since signing, and no trusted time-stamp proves when it signed: the claims are shown, with that caveat'
              : s.timeStampTrusted
                ? 'Valid when it signed, as a trusted time-stamp proves'
                : null,
          ],
          ['Hash', hash],
          // Trust-only codes (an unknown signer, an expired certificate) are not failures: the lines above say so.
          ['Failure codes', s.state === 'invalid' && s.failureCodes?.length ? s.failureCodes.join(', ') : null],
          ['Note', s.detail],
        ]}
      />
      {s.rubric && (
        <>
          <h4>What the C2PA asset rubric reads in it</h4>
          <p className="muted rubric-version">
            {s.rubric.version}
            {s.rubric.signals.length === 0 ? ': none of its signals applies to this manifest.' : ''}
          </p>
          {s.rubric.signals.length > 0 && (
            <ul className="ingredients rubric">
              {s.rubric.signals.map((r) => (
                <li key={r} data-signal={r}>
                  {RUBRIC_SIGNAL_WORDS[r]} (<code>{r}</code>)
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {s.actions && s.actions.length > 0 && (
        <>
          <h4>What was done to it</h4>
          <ul className="ingredients">
            {s.actions.map((a, i) => (
              <li key={`${a.action}-${i}`}>
                {actionName(a.action)}
                {a.agent ? `, with ${a.agent}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {s.ingredients && s.ingredients.length > 0 && (
        <>
          <h4>What it was made from</h4>
          <ul className="ingredients">
            {s.ingredients.map((i) => (
              <li key={`${i.title}-${i.relationship}`}>
                “{i.title}” ({i.relationship}){i.generator ? `, made with ${i.generator}` : ''}
                {i.declaresAi ? ', declared AI-generated' : ''}
                {i.rubric?.length ? `; ${i.rubric.map(rubricWords).join('; ')}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

/** Draws the watermark's box (fractions of the frame), with some margin, from a stored frame. */
function WatermarkCrop({ frame, box, label }: { frame: StoredFrameImage; box: Box; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const image = new Image();
    let live = true;
    image.onload = () => {
      const target = canvas.current;
      if (!live || !target) return;
      const margin = 0.02;
      const sx = Math.max(0, box.x - margin) * image.naturalWidth;
      const sy = Math.max(0, box.y - margin) * image.naturalHeight;
      const sw = Math.min(1, box.width + 2 * margin) * image.naturalWidth;
      const sh = Math.min(1, box.height + 2 * margin) * image.naturalHeight;
      const scale = Math.min(4, 240 / Math.max(1, sw));
      target.width = Math.max(1, Math.round(sw * scale));
      target.height = Math.max(1, Math.round(sh * scale));
      target.getContext('2d')?.drawImage(image, sx, sy, sw, sh, 0, 0, target.width, target.height);
    };
    image.src = frame.jpeg;
    return () => {
      live = false;
    };
  }, [frame.jpeg, box.x, box.y, box.width, box.height]);
  return <canvas ref={canvas} className="crop" role="img" aria-label={label} />;
}

function WatermarkCard({ s, frames }: { s: WatermarkSignal; frames: readonly StoredFrameImage[] }) {
  // The frames read for marks are the first few: show the crop from the earliest kept frame.
  const frame = [...frames].sort((a, b) => a.mediaTime - b.mediaTime)[0];
  return (
    <article className="card watermark">
      <h3>Visible watermark: {s.generator}</h3>
      <Facts
        rows={[
          ['Generator', s.generator],
          ['Text read', `“${s.text}”`],
          ['Seen on', `${s.frames} frame${s.frames === 1 ? '' : 's'}, in the same place`],
          [
            'Where',
            `${percent(s.box.x)} from the left, ${percent(s.box.y)} from the top (${percent(s.box.width)} × ${percent(s.box.height)} of the frame)`,
          ],
        ]}
      />
      {frame ? (
        <figure>
          <WatermarkCrop
            frame={frame}
            box={s.box}
            label={`The ${s.generator} mark, cropped from the frame at ${mediaTimeText(frame.mediaTime)}`}
          />
          <figcaption>The mark’s place on the frame at {mediaTimeText(frame.mediaTime)} (small copy).</figcaption>
        </figure>
      ) : (
        <p className="muted">No stored frame to crop the mark from.</p>
      )}
    </article>
  );
}

function LabelCard({ s }: { s: PlatformLabelSignal }) {
  return (
    <article className="card label">
      <h3>{s.source === 'platform' ? `${s.platform}’s own label` : `The post’s own words on ${s.platform}`}</h3>
      <p className="card-lead">“{s.label}”</p>
      <p className="muted">
        {s.source === 'platform'
          ? 'Read from the page: the site itself says this video is AI-made or altered.'
          : 'Hashtags or caption text: the poster’s claim, a weaker hint than the site’s own label.'}
      </p>
    </article>
  );
}

/** Where a clip score sits against the model's own thresholds, in words. */
function classifierBand(s: ClassifierSignal): string {
  if (s.score >= s.thresholds.likelyAi) return 'above the line for “likely AI”.';
  if (s.score >= s.thresholds.uncertain) return 'in the uncertain band, not enough to call it AI.';
  if (s.thresholds.noSigns !== undefined && s.score < s.thresholds.noSigns) return 'below the line for “no signs”.';
  return 'low, but this model does not vouch for low scores: it says nothing either way.';
}

function ClassifierCard({
  s,
  video,
  frames,
  config,
}: {
  s: ClassifierSignal;
  video: VideoReport;
  frames: readonly StoredFrameImage[];
  config: ClassifierConfig;
}) {
  const shipped = s.model === `${config.name}@${config.version}`;
  return (
    <article className="card classifier">
      <h3>Frame classifier</h3>
      <p className="card-lead">
        Clip score {percent(s.score)} over {s.framesScored} frame{s.framesScored === 1 ? '' : 's'}: {classifierBand(s)}
      </p>
      <Facts
        rows={[
          ['Model', s.model],
          ['Likely AI from', percent(s.thresholds.likelyAi)],
          ['Uncertain from', percent(s.thresholds.uncertain)],
          [
            'No signs below',
            s.thresholds.noSigns !== undefined
              ? percent(s.thresholds.noSigns)
              : 'never: this model does not vouch for low scores',
          ],
        ]}
      />
      {shipped && <ScoreChart frames={video.frames} config={config} signal={s} />}
      <p className="muted">
        Each frame’s own score, below, is weaker still: the verdict uses the clip score over all frames, never one
        frame.
      </p>
      <FrameStrip video={video} frames={frames} config={shipped ? config : null} />
    </article>
  );
}

/** The sampled frames with the classifier's score on each. */
export function FrameStrip({
  video,
  frames,
  config,
}: {
  video: VideoReport;
  frames: readonly StoredFrameImage[];
  config: ClassifierConfig | null;
}) {
  const records = [...video.frames].sort((a, b) => a.mediaTime - b.mediaTime);
  if (records.length === 0) return null;
  return (
    <ol className="strip" aria-label="Sampled frames">
      {records.map((record) => {
        const image = frames.find((f) => f.mediaTime === record.mediaTime);
        const score = config ? frameScore(record, config) : null;
        const scoreText = record.blank ? 'blank' : score === null ? null : `frame ${percent(score)}`;
        return (
          <li key={`${record.mediaTime}-${record.analysedAt}`} className={record.blank ? 'blank' : ''}>
            {image ? (
              <img src={image.jpeg} alt={`Frame at ${mediaTimeText(record.mediaTime)}`} />
            ) : (
              <div className="no-image" role="img" aria-label="Frame image not kept">
                –
              </div>
            )}
            <span className="time">{mediaTimeText(record.mediaTime)}</span>
            {scoreText && <span className="score">{scoreText}</span>}
          </li>
        );
      })}
    </ol>
  );
}

/** Faces found on the sampled frames and their crop scores: evidence shown beside the signals, never part of the verdict. */
function FacesCard({ video }: { video: VideoReport }) {
  const summary = summariseFaces(video.frames);
  if (!summary) return null;
  return (
    <article className="card faces">
      <h3>Faces checked</h3>
      <p className="card-lead">
        {summary.facesFound === 0
          ? `No face found on ${summary.framesChecked} checked frame${summary.framesChecked === 1 ? '' : 's'}.`
          : `${summary.facesFound} face${summary.facesFound === 1 ? '' : 's'} on ${summary.framesWithFaces} of ${summary.framesChecked} checked frames.`}
      </p>
      {summary.shown.length > 0 && (
        <ul className="face-list" aria-label="Faces checked">
          {summary.shown.map((f, i) => (
            <li key={`${f.mediaTime}-${i}`}>
              {f.crop ? <img className="face-crop" src={f.crop} alt={`Face at ${mediaTimeText(f.mediaTime)}`} /> : null}
              <span>
                {mediaTimeText(f.mediaTime)} · face detector {percent(f.detectorScore)} ·{' '}
                {f.aiScore === null
                  ? 'too small to score'
                  : `crop scored ${percent(f.aiScore)} by the frame classifier`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="muted">
        The frame classifier was not trained on face crops and its crop scores are not calibrated; they are shown as
        evidence and do not change the verdict.
      </p>
    </article>
  );
}

/** Every signal as a card saying what it saw and how sure it is. */
export function SignalCards({
  video,
  frames,
  config,
}: {
  video: VideoReport;
  frames: readonly StoredFrameImage[];
  config: ClassifierConfig;
}) {
  const order: Array<Signal['kind']> = ['provenance', 'platform-label', 'watermark', 'classifier', 'frame-quality'];
  const signals = [...video.signals]
    .filter((s) => s.kind !== 'unavailable')
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const hasClassifier = signals.some((s) => s.kind === 'classifier');
  return (
    <div className="cards">
      {signals.map((s, i) => {
        switch (s.kind) {
          case 'provenance':
            return <ProvenanceCard key={`p-${s.source ?? 'file'}`} s={s} />;
          case 'watermark':
            return <WatermarkCard key={`w-${s.generator}-${i}`} s={s} frames={frames} />;
          case 'platform-label':
            return <LabelCard key={`l-${s.source}-${i}`} s={s} />;
          case 'classifier':
            return <ClassifierCard key={`c-${s.model}`} s={s} video={video} frames={frames} config={config} />;
          case 'frame-quality':
            return (
              <article key="q" className="card quality">
                <h3>Frames read</h3>
                <p className="card-lead">
                  {s.framesChecked} frame{s.framesChecked === 1 ? '' : 's'} analysed
                  {s.blankFrames ? `, ${s.blankFrames} black or blank` : ''}.
                </p>
                <p className="muted">
                  The frame-statistics model checks only whether frames carry picture; it never judges AI.
                </p>
                {!hasClassifier && <FrameStrip video={video} frames={frames} config={null} />}
              </article>
            );
          default:
            return null;
        }
      })}
      <FacesCard video={video} />
    </div>
  );
}
