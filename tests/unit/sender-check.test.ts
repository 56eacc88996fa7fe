import { describe, expect, it } from 'vitest';
import {
  isOwnContentScript,
  isOwnExtensionPage,
  RefusedSenderError,
  requireSender,
} from '../../lib/messaging/sender-check';

const self = { id: 'abcdefghijklmnop', origin: 'chrome-extension://abcdefghijklmnop/' };
const page = 'https://evil.example/page.html';

describe('who may send what', () => {
  it('content-script messages: ours, from a frame of a tab', () => {
    expect(isOwnContentScript({ id: self.id, url: page, tab: { id: 4, url: page }, frameId: 0 }, self)).toBe(true);
    // Another extension, or no tab at all (a worker, the background), is not a content script of ours.
    expect(isOwnContentScript({ id: 'otherextension', url: page, tab: { id: 4, url: page } }, self)).toBe(false);
    expect(isOwnContentScript({ id: self.id, url: `${self.origin}background.js` }, self)).toBe(false);
    expect(isOwnContentScript({ id: self.id, url: page, tab: { id: -1 } }, self)).toBe(false);
  });

  it('extension-page messages: ours, from an extension URL, not a content script or a framed extension page', () => {
    expect(isOwnExtensionPage({ id: self.id, url: `${self.origin}popup.html` }, self)).toBe(true);
    expect(isOwnExtensionPage({ id: self.id, url: `${self.origin}background.js` }, self)).toBe(true);
    // The popup opened in a tab of its own.
    const inTab = { id: self.id, url: `${self.origin}popup.html`, tab: { id: 3, url: `${self.origin}popup.html` } };
    expect(isOwnExtensionPage(inTab, self)).toBe(true);
    // A content script in a hostile page asking to clear all data.
    expect(isOwnExtensionPage({ id: self.id, url: page, tab: { id: 3, url: page } }, self)).toBe(false);
    // An extension page framed inside a web page.
    const framed = { id: self.id, url: `${self.origin}popup.html`, tab: { id: 3, url: page }, frameId: 5 };
    expect(isOwnExtensionPage(framed, self)).toBe(false);
    // Another extension, even from a URL that starts like ours.
    expect(isOwnExtensionPage({ id: 'other', url: `${self.origin}popup.html` }, self)).toBe(false);
    expect(isOwnExtensionPage({ id: self.id, url: 'chrome-extension://abcdefghijklmnopq/x.html' }, self)).toBe(false);
  });

  it('a refused sender gets an error and the handler does nothing', () => {
    expect(() => requireSender(false, 'clearAllData')).toThrow(RefusedSenderError);
    expect(() => requireSender(true, 'clearAllData')).not.toThrow();
  });
});
