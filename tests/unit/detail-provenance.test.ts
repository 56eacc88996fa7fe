import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import en from '../../public/_locales/en/messages.json';
import es from '../../public/_locales/es/messages.json';
import { SignalCards } from '../../components/DetailSignals';
import { CLASSIFIER_CONFIG } from '../../lib/analysis/classifier/config';
import type { VideoReport } from '../../lib/core/report';
import type { ProvenanceSignal } from '../../lib/core/signals';
import { setFallbackCatalogue } from '../../lib/present/i18n';

/**
 * The detail view's Content Credentials card, rendered as the detail page renders it: the conforming product
 * (or that there is none on the list) and the CAWG identities, each with its own standing, apart from the signer.
 */

const base: ProvenanceSignal = {
  kind: 'provenance',
  state: 'valid',
  declaresAi: false,
  captureDevice: true,
  digitalSourceTypes: ['digitalCapture'],
  signer: 'Google LLC',
  trust: 'official',
  source: 'file',
};

function video(signal: ProvenanceSignal): VideoReport {
  return {
    id: 'v1',
    src: 'https://example.com/a.mp4',
    frameId: 0,
    pageUrl: 'https://example.com/',
    verdict: 'verified-capture',
    score: null,
    reasons: [],
    signals: [signal],
    frames: [],
    framesAnalysed: 0,
    framePath: null,
    thumbnail: null,
    firstVerdictMs: null,
    width: 640,
    height: 360,
    platform: null,
    firstSeenAt: 0,
    updatedAt: 0,
  };
}

/** The card's text, tags dropped, entities decoded where the tests look. */
function cardText(signal: ProvenanceSignal): string {
  const html = renderToStaticMarkup(
    createElement(SignalCards, { video: video(signal), frames: [], config: CLASSIFIER_CONFIG }),
  );
  return html
    .replace(/<\/(dt|li)>/g, ' | ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

afterEach(() => setFallbackCatalogue(en));

describe('the detail view’s Content Credentials card', () => {
  it('names the conforming product, its status, the list’s date and whether it may claim a capture', () => {
    const text = cardText({
      ...base,
      product: {
        name: 'Pixel Camera',
        vendor: 'Google LLC',
        kind: 'generator',
        status: 'conformant',
        listDate: '2026-08-20',
        mayClaimCapture: true,
      },
    });
    expect(text).toContain(
      'Conforming product | Pixel Camera by Google LLC: conformant generator on the C2PA Conforming Products List of 2026-08-20; may claim a capture',
    );
  });

  it('says when the claim’s product is not on the list, and says nothing when no list was consulted', () => {
    expect(cardText({ ...base, product: null })).toContain(
      'Conforming product | Not on the C2PA Conforming Products List',
    );
    expect(cardText(base)).not.toContain('Conforming product');
  });

  it('lists each CAWG identity with who verified it and its standing, apart from the signer', () => {
    const text = cardText({
      ...base,
      identities: [
        {
          label: 'cawg.identity',
          method: 'ica',
          status: 'untrusted',
          identities: [{ name: 'janereporter', provider: 'behance', type: 'cawg.social_media' }],
          issuer: 'did:web:identity.example.com',
        },
        { label: 'cawg.identity__1', method: 'x509', status: 'invalid', identities: [{ name: 'Jane Reporter' }] },
        { label: 'cawg.identity__2', method: 'other', status: 'malformed', identities: [] },
      ],
    });
    expect(text).toContain('Identities (CAWG identity assertions), apart from the signer');
    expect(text).toContain(
      'janereporter, verified by behance: its signature checks out, but no trusted issuer vouches for it; credential issued by did:web:identity.example.com |',
    );
    expect(text).toContain('Jane Reporter: broken: it does not match this content or its signature fails |');
    expect(text).toContain('no identity it names could be read: unreadable |');
    // The signer stays the claim's: an identity never replaces it, nor changes the signature's standing.
    expect(text).toContain('Who signed | Google LLC');
  });

  it('speaks Spanish from the Spanish catalogue', () => {
    setFallbackCatalogue(es);
    const text = cardText({
      ...base,
      product: null,
      identities: [{ label: 'cawg.identity', method: 'x509', status: 'trusted', identities: [{ name: 'Ana' }] }],
    });
    expect(text).toContain('No figura en la lista de productos conformes de C2PA');
    expect(text).toContain('Ana — verificada, y su emisor es de confianza');
  });
});
