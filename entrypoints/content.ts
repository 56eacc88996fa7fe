import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContentApp } from '../lib/content/content-app';

export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  matchAboutBlank: true,
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  main(ctx) {
    startContentApp(ctx);
  },
});
