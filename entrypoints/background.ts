import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../lib/background/background-app';
import { offscreenClient } from '../lib/background/offscreen-client';

export default defineBackground(() => {
  if (import.meta.env.FIREFOX) {
    // Firefox has no offscreen documents; its background page hosts the analysis itself.
    void import('../lib/background/in-process-client').then(({ inProcessClient }) => startBackground(inProcessClient));
  } else {
    startBackground(offscreenClient);
  }
});
