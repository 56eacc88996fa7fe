import { defineContentScript } from 'wxt/utils/define-content-script';
import { acceptMsePort } from '../lib/content/mse-bridge';

/** The isolated world's end of the stream observer's channel, taken at document_start (see lib/content/mse-bridge.ts). */
export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  matchAboutBlank: true,
  runAt: 'document_start',
  noScriptStartedPostMessage: true,
  main() {
    acceptMsePort(document);
  },
});
