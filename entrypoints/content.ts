import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContentApp } from '../lib/content/content-app';
import { ContentLifecycle } from '../lib/content/lifecycle';

export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  matchAboutBlank: true,
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  // No `window.postMessage` to the page at start (the WXT default kept for old versions): every page's
  // message listeners would run for it, and posting it costs a few ms of the script's first task.
  noScriptStartedPostMessage: true,
  main() {
    // WXT's context stops the script on a "content script started" event that page script can forge (see
    // ContentLifecycle): the app runs on a lifecycle that only the extension's own runtime ends.
    startContentApp(new ContentLifecycle());
  },
});
