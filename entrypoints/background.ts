import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../lib/background/background-app';
import { startBrowserCheckVideoMenu } from '../lib/background/check-video-menu';
import { offscreenClient } from '../lib/background/offscreen-client';

export default defineBackground({
  // An ES module background: Firefox's background page then loads onnxruntime's wasm as a file of the extension
  // (a classic script would carry it inlined, 32 MB of base64 parsed at every start).
  type: 'module',
  main() {
    // First and at once in both browsers: a click on the menu item can be what starts the background.
    startBrowserCheckVideoMenu();
    if (import.meta.env.FIREFOX) {
      // Firefox has no offscreen documents; its background page hosts the analysis itself.
      void import('../lib/background/in-process-client').then(({ inProcessClient }) =>
        startBackground(inProcessClient),
      );
    } else {
      startBackground(offscreenClient);
    }
  },
});
