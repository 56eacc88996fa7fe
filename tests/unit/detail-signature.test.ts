import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { SignalCards, thumbprintText } from '../../components/DetailSignals';
import { VerifySiteLink } from '../../components/VerifySiteLink';
import { CLASSIFIER_CONFIG } from '../../lib/analysis/classifier/config';
import type { VideoReport } from '../../lib/core/report';
import type { ProvenanceSignal, SignatureFacts } from '../../lib/core/signals';
import { VERIFY_SITE_PAGE, verifyLink } from '../../lib/detail/verify-link';
import { bmffSignatureFacts } from '../../lib/provenance/signature-chain';
import { makeC2paFixtures } from '../../scripts/c2pa/make-fixtures.mjs';

/** The detail view's certificate chain and time-stamp, and its link to the Content Credentials verify site. */

let signature: SignatureFacts;
beforeAll(async () => {
  const { dir } = await makeC2paFixtures();
  signature = (await bmffSignatureFacts(new Uint8Array(readFileSync(join(dir, 'untrusted-veo.mp4')))))!;
}, 120_000);

function video(signal: ProvenanceSignal): VideoReport {
  return {
    id: 'v',
    src: 'https://cdn.example/clip.mp4',
    verdict: 'likely-ai',
    score: null,
    reasons: [],
    signals: [signal],
    frames: [],
    framesAnalysed: 0,
  } as unknown as VideoReport;
}

const signal = (over: Partial<ProvenanceSignal> = {}): ProvenanceSignal => ({
  kind: 'provenance',
  state: 'valid',
  declaresAi: true,
  captureDevice: false,
  digitalSourceTypes: ['trainedAlgorithmicMedia'],
  signer: 'Unknown Studio',
  trust: 'user',
  source: 'file',
  hashVerified: true,
  signature,
  ...over,
});

function render(s: ProvenanceSignal): string {
  return renderToStaticMarkup(createElement(SignalCards, { video: video(s), frames: [], config: CLASSIFIER_CONFIG }));
}

describe('the certificate chain in the detail view', () => {
  it('names each certificate with its subject, issuer, validity, serial and thumbprint, and the list that anchors it', () => {
    const html = render(signal());
    expect(html).toContain('Certificates behind the signature');
    expect(html).toContain('Signing certificate: Unknown Studio Signer');
    expect(html).toContain('Issued by: Provenance Lens Test Root');
    for (const cert of signature.chain) {
      expect(html).toContain(thumbprintText(cert.sha256));
      expect(html).toContain(cert.serialNumber);
      expect(html).toContain(cert.subject);
    }
    expect(html).toMatch(/Chain anchored by<\/dt><dd>Your own trust anchors/);
    expect(html).toContain('No time-stamp: the signing time is only what the signer says.');
  });

  it('says when no list anchors the chain, and shows a time-stamp with its authority', () => {
    const stamped: SignatureFacts = {
      ...signature,
      timeStamp: { time: '2023-12-02T16:34:19Z', chain: [{ ...signature.chain[1]!, organization: 'Stamp Co' }] },
    };
    const html = render(signal({ state: 'untrusted', trust: 'unknown', signature: stamped, timeStampTrusted: false }));
    expect(html).toMatch(/Chain anchored by<\/dt><dd>None of the trust lists in use/);
    expect(html).toMatch(/Time-stamping authority<\/dt><dd>Stamp Co/);
    expect(html).toContain('not on a trust list in use');
    expect(html).toContain('2023');
  });

  it('a signal without certificates (an older reading, a JPEG poster) shows no certificate section', () => {
    expect(render(signal({ signature: undefined }))).not.toContain('Certificates behind the signature');
  });

  it('writes a thumbprint as byte pairs', () => {
    expect(thumbprintText('0aff10')).toBe('0A:FF:10');
  });
});

describe('the verify site link', () => {
  it('sends a public http(s) file address, encoded, as `source`', () => {
    const link = verifyLink('https://cdn.example/a b/clip.mp4?sig=x&exp=1');
    expect(link).toEqual({
      url: `${VERIFY_SITE_PAGE}?source=${encodeURIComponent('https://cdn.example/a%20b/clip.mp4?sig=x&exp=1')}`,
      source: 'https://cdn.example/a%20b/clip.mp4?sig=x&exp=1',
      hasQuery: true,
    });
    expect(new URL(link!.url).searchParams.get('source')).toBe(link!.source);
    expect(verifyLink('http://cdn.example/clip.mp4')?.hasQuery).toBe(false);
  });

  it('never offers a stream, an embedded, local, private, credentialed or cut address', () => {
    for (const src of [
      '',
      'blob:https://site.example/3f1c',
      'data:video/mp4;sha256=ab',
      'file:///home/me/clip.mp4',
      'ftp://cdn.example/clip.mp4',
      'https://user:pass@cdn.example/clip.mp4',
      'http://localhost:8080/clip.mp4',
      'http://127.0.0.1/clip.mp4',
      'http://192.168.1.10/clip.mp4',
      'http://[::1]/clip.mp4',
      'http://nas/clip.mp4',
      `https://cdn.example/${'a'.repeat(2046)}…`,
      'not a url',
    ]) {
      expect(verifyLink(src), src).toBeNull();
    }
  });

  it('the section tells what is sent before any click, or why there is no link', () => {
    const html = renderToStaticMarkup(createElement(VerifySiteLink, { src: 'https://cdn.example/clip.mp4?token=t' }));
    expect(html).toContain('sends that site this video&#x27;s file address, https://cdn.example/clip.mp4?token=t');
    expect(html).toContain('may carry an access token');
    // A button, not a link: nothing for the browser to prefetch or preconnect to.
    expect(html).toMatch(/<button type="button" class="verify-site-button">Open the verify site<\/button>/);
    expect(html).not.toContain('contentcredentials.org/verify?');
    const none = renderToStaticMarkup(createElement(VerifySiteLink, { src: 'blob:https://site.example/3f1c' }));
    expect(none).toContain('has no public file address');
    expect(none).not.toContain('<button');
  });
});
