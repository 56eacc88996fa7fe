import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContentApp } from '../lib/content/content-app';

export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  matchAboutBlank: true,
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  // No `window.postMessage` to the page at start (the WXT default kept for old versions): every page's
  // message listeners would run for it, and posting it costs a few ms of the script's first task.
  noScriptStartedPostMessage: true,
  main(ctx) {
    startContentApp(ctx);
  },
});
