import { defineContentScript } from 'wxt/utils/define-content-script';
import { installMseObserver } from '../lib/content/mse-observer';

export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  matchAboutBlank: true,
  runAt: 'document_start',
  world: 'MAIN',
  main() {
    installMseObserver(window);
  },
});
