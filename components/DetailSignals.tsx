import { useEffect, useRef } from 'react';
import type { ClassifierConfig } from '../lib/analysis/classifier/calibration';
import type { StoredFrameImage, VideoReport } from '../lib/core/report';
import type { RubricSignal } from '../lib/core/rubric';
import type {
  Box,
  CertificateFacts,
  ClassifierSignal,
  PlatformLabelSignal,
  ProvenanceSignal,
  Signal,
  SignatureFacts,
  WatermarkSignal,
} from '../lib/core/signals';
import { summariseFaces } from '../lib/analysis/faces/face-summary';
import { frameScore } from '../lib/detail/explain';
import { type MessageKey, plural, t } from '../lib/present/i18n';
import {
  classifierBandText,
  identityText,
  mediaTimeText,
  percent,
  productText,
  provenanceStateText,
  rubricSignalText,
  sourceTypeName,
  trustListDates,
  trustText,
  utcTimeText,
} from '../lib/present/words';
import { ScoreChart } from './DetailChart';

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

/** A SHA-256 thumbprint as certificate viewers show one: upper-case byte pairs separated by colons. */
export function thumbprintText(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

/** One certificate of a chain, in plain words. */
function CertificateFactsList({ cert }: { cert: CertificateFacts }) {
  return (
    <Facts
      rows={[
        [t('factCertSubject'), cert.subject],
        [t('factCertIssuer'), cert.issuer],
        [t('factCertValidity'), t('certValidity', [utcTimeText(cert.notBefore), utcTimeText(cert.notAfter)])],
        [t('factCertSerial'), cert.serialNumber],
        [t('factCertThumbprint'), thumbprintText(cert.sha256)],
      ]}
    />
  );
}

/**
 * The certificates behind the signature: the signer's chain (signing certificate first), which trust list
 * anchors it, and the time-stamp with its authority, as read from the manifest's own signature.
 */
function SignatureChain({ s, signature }: { s: ProvenanceSignal; signature: SignatureFacts }) {
  const stamp = signature.timeStamp;
  const authority = stamp?.chain[0];
  return (
    <section className="signature-chain" aria-label={t('cardCertificates')}>
      <h4>{t('cardCertificates')}</h4>
      <p className="muted">{t('cardCertificatesAbout')}</p>
      <Facts rows={[[t('factAnchoredBy'), trustText(s.trust ?? 'unknown')]]} />
      <ol className="cert-chain">
        {signature.chain.map((cert, i) => (
          <li key={cert.sha256} data-sha256={cert.sha256}>
            <h5>
              {i === 0
                ? t('certSigning', [cert.commonName ?? cert.subject])
                : t('certIssuing', [cert.commonName ?? cert.subject])}
            </h5>
            <CertificateFactsList cert={cert} />
          </li>
        ))}
      </ol>
      <h4>{t('cardTimeStamp')}</h4>
      {stamp ? (
        <>
          <Facts
            rows={[
              [t('factTimeStampTime'), utcTimeText(stamp.time)],
              [t('factTimeStampAuthority'), authority ? (authority.organization ?? authority.subject) : null],
              [t('factTimeStampTrust'), s.timeStampTrusted ? t('timeStampTrusted') : t('timeStampNotTrusted')],
            ]}
          />
          {authority && (
            <details>
              <summary>{t('timeStampAuthorityCerts', [String(stamp.chain.length)])}</summary>
              <ol className="cert-chain">
                {stamp.chain.map((cert) => (
                  <li key={cert.sha256}>
                    <h5>{cert.commonName ?? cert.subject}</h5>
                    <CertificateFactsList cert={cert} />
                  </li>
                ))}
              </ol>
            </details>
          )}
        </>
      ) : (
        <p className="muted">{t('timeStampNone')}</p>
      )}
    </section>
  );
}

function ProvenanceCard({ s }: { s: ProvenanceSignal }) {
  const heading: MessageKey =
    s.source === 'image'
      ? 'cardCredentialsImage'
      : s.source === 'stream'
        ? 'cardCredentialsStream'
        : 'cardCredentialsFile';
  const hash =
    s.state === 'absent' || s.state === 'error'
      ? null
      : s.hashVerified === false
        ? t('factHashPart')
        : s.state === 'invalid'
          ? t('factHashMismatch')
          : t('factHashMatched');
  return (
    <article className={`card provenance state-${s.state}`} aria-labelledby={`prov-${s.source ?? 'file'}`}>
      <h3 id={`prov-${s.source ?? 'file'}`}>{t(heading)}</h3>
      <p className="card-lead">{provenanceStateText(s.state, 'lead')}.</p>
      <Facts
        rows={[
          [t('factWhoSigned'), s.signer],
          [t('factWhen'), s.signingTime ? utcTimeText(s.signingTime) : null],
          [t('factWhatMadeIt'), s.generator],
          [
            t('factWhatItSays'),
            s.digitalSourceTypes.length ? s.digitalSourceTypes.map(sourceTypeName).join('; ') : null,
          ],
          [
            t('factSignature'),
            s.state === 'valid' || s.state === 'untrusted'
              ? s.state === 'valid'
                ? t('factSignatureValid')
                : t('factSignatureUntrusted')
              : s.state === 'invalid'
                ? s.certificate === 'revoked'
                  ? t('factSignatureRevoked')
                  : t('factSignatureFailed')
                : null,
          ],
          [t('factTrustList'), s.trust ? trustText(s.trust) : null],
          [t('factListDates'), s.trustList ? trustListDates(s.trustList) : null],
          [t('factProduct'), s.product === undefined ? null : productText(s.product)],
          [
            t('factCertificate'),
            s.certificate === 'expired-since-signing'
              ? t('factCertificateExpired')
              : s.timeStampTrusted
                ? t('factCertificateTimeStamped')
                : null,
          ],
          [t('factHash'), hash],
          // Trust-only codes (an unknown signer, an expired certificate) are not failures: the lines above say so.
          [t('factFailureCodes'), s.state === 'invalid' && s.failureCodes?.length ? s.failureCodes.join(', ') : null],
          [t('factNote'), s.detail],
        ]}
      />
      {s.identities && s.identities.length > 0 && (
        <>
          <h4>{t('cardIdentities')}</h4>
          <ul className="ingredients identities">
            {s.identities.map((i) => (
              <li key={i.label} data-status={i.status}>
                {identityText(i)}
              </li>
            ))}
          </ul>
        </>
      )}
      {s.signature && s.signature.chain.length > 0 && <SignatureChain s={s} signature={s.signature} />}
      {s.rubric && (
        <>
          <h4>{t('cardRubric')}</h4>
          <p className="muted rubric-version">
            {t(s.rubric.signals.length === 0 ? 'cardRubricVersionNone' : 'cardRubricVersion', [s.rubric.version])}
          </p>
          {s.rubric.signals.length > 0 && (
            <ul className="ingredients rubric">
              {s.rubric.signals.map((r: RubricSignal) => (
                <li key={r} data-signal={r}>
                  {t('cardRubricSignal', [rubricSignalText(r), r])}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {s.actions && s.actions.length > 0 && (
        <>
          <h4>{t('cardActions')}</h4>
          <ul className="ingredients">
            {s.actions.map((a, i) => (
              <li key={`${a.action}-${i}`}>
                {a.agent ? t('cardActionWith', [actionName(a.action), a.agent]) : actionName(a.action)}
              </li>
            ))}
          </ul>
        </>
      )}
      {s.ingredients && s.ingredients.length > 0 && (
        <>
          <h4>{t('cardIngredients')}</h4>
          <ul className="ingredients">
            {s.ingredients.map((i) => (
              <li key={`${i.title}-${i.relationship}`}>
                {t(i.generator ? 'cardIngredientMadeWith' : 'cardIngredient', [
                  i.title,
                  i.relationship,
                  i.generator ?? '',
                ])}
                {i.declaresAi ? t('cardIngredientDeclaredAi') : ''}
                {i.rubric?.length
                  ? t('cardIngredientRubric', [i.rubric.map((r) => rubricSignalText(r, true)).join('; ')])
                  : ''}
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
      <h3>{t('cardWatermark', [s.generator])}</h3>
      <Facts
        rows={[
          [t('factGenerator'), s.generator],
          [t('factTextRead'), t('quoted', [s.text])],
          [t('factSeenOn'), plural('factSeenOnFrames', s.frames)],
          [
            t('factWhere'),
            t('factWhereBox', [percent(s.box.x), percent(s.box.y), percent(s.box.width), percent(s.box.height)]),
          ],
        ]}
      />
      {frame ? (
        <figure>
          <WatermarkCrop
            frame={frame}
            box={s.box}
            label={t('cardWatermarkCrop', [s.generator, mediaTimeText(frame.mediaTime)])}
          />
          <figcaption>{t('cardWatermarkCaption', [mediaTimeText(frame.mediaTime)])}</figcaption>
        </figure>
      ) : (
        <p className="muted">{t('cardWatermarkNoFrame')}</p>
      )}
    </article>
  );
}

function LabelCard({ s }: { s: PlatformLabelSignal }) {
  return (
    <article className="card label">
      <h3>{t(s.source === 'platform' ? 'cardPlatformLabel' : 'cardPostWords', [s.platform])}</h3>
      <p className="card-lead">{t('quoted', [s.label])}</p>
      <p className="muted">{t(s.source === 'platform' ? 'cardPlatformLabelAbout' : 'cardPostWordsAbout')}</p>
    </article>
  );
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
      <h3>{t('cardClassifier')}</h3>
      <p className="card-lead">{plural('cardClipScore', s.framesScored, [percent(s.score), classifierBandText(s)])}</p>
      <Facts
        rows={[
          [t('factModel'), s.model],
          [t('factLikelyAiFrom'), percent(s.thresholds.likelyAi)],
          [t('factUncertainFrom'), percent(s.thresholds.uncertain)],
          [
            t('factNoSignsBelow'),
            s.thresholds.noSigns !== undefined ? percent(s.thresholds.noSigns) : t('factNoSignsNever'),
          ],
        ]}
      />
      {shipped && <ScoreChart frames={video.frames} config={config} signal={s} />}
      <p className="muted">{t('cardFrameScoresWeaker')}</p>
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
    <ol className="strip" aria-label={t('stripLabel')}>
      {records.map((record) => {
        const image = frames.find((f) => f.mediaTime === record.mediaTime);
        const score = config ? frameScore(record, config) : null;
        const scoreText = record.blank ? t('stripBlank') : score === null ? null : t('stripScore', [percent(score)]);
        return (
          <li key={`${record.mediaTime}-${record.analysedAt}`} className={record.blank ? 'blank' : ''}>
            {image ? (
              <img src={image.jpeg} alt={t('frameAt', [mediaTimeText(record.mediaTime)])} />
            ) : (
              <div className="no-image" role="img" aria-label={t('stripNotKept')}>
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
      <h3>{t('facesChecked')}</h3>
      <p className="card-lead">
        {summary.facesFound === 0
          ? plural('cardNoFace', summary.framesChecked)
          : plural('cardFaces', summary.facesFound, [summary.framesWithFaces, summary.framesChecked])}
      </p>
      {summary.shown.length > 0 && (
        <ul className="face-list" aria-label={t('facesChecked')}>
          {summary.shown.map((f, i) => (
            <li key={`${f.mediaTime}-${i}`}>
              {f.crop ? (
                <img className="face-crop" src={f.crop} alt={t('faceAt', [mediaTimeText(f.mediaTime)])} />
              ) : null}
              <span>
                {t('cardFace', [mediaTimeText(f.mediaTime), percent(f.detectorScore)])} ·{' '}
                {f.aiScore === null ? t('faceTooSmall') : t('cardFaceScore', [percent(f.aiScore)])}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="muted">{t('cardFacesAbout')}</p>
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
                <h3>{t('cardFramesRead')}</h3>
                <p className="card-lead">
                  {s.blankFrames
                    ? plural('cardFramesAnalysedBlank', s.framesChecked, [s.blankFrames])
                    : plural('cardFramesAnalysed', s.framesChecked)}
                </p>
                <p className="muted">{t('cardFramesAbout')}</p>
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
