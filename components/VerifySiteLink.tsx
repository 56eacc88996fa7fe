import { verifyLink } from '../lib/detail/verify-link';
import { t } from '../lib/present/i18n';

/**
 * A way to check the video's file on the Content Credentials verify site, by the user's choice: nothing is
 * requested until they press the button (a button, not a link, so the browser neither prefetches nor
 * preconnects), and the text says that the file's address goes to that site. Shown only for a public `http(s)`
 * address (see {@link verifyLink}); otherwise it says why not.
 */
export function VerifySiteLink({ src }: { src: string }) {
  const link = verifyLink(src);
  return (
    <section aria-labelledby="verify-site-heading" className="verify-site">
      <h2 id="verify-site-heading">{t('verifySiteHeading')}</h2>
      {link ? (
        <>
          <p>{t('verifySiteAbout', [link.source])}</p>
          {link.hasQuery && <p className="muted">{t('verifySiteQuery')}</p>}
          <div className="buttons">
            <button
              type="button"
              className="verify-site-button"
              onClick={() => void window.open(link.url, '_blank', 'noopener,noreferrer')}
            >
              {t('verifySiteButton')}
            </button>
          </div>
        </>
      ) : (
        <p className="muted">{t('verifySiteUnavailable')}</p>
      )}
    </section>
  );
}
