// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  CHECK_VIDEO_MENU_ID,
  handleCheckVideoClick,
  type MenuClick,
  type MenusApi,
  type MenuTab,
  type SendCheck,
  startCheckVideoMenu,
} from '../../lib/background/check-video-menu';
import { ContextMenuTargets, MAX_AMBIGUOUS_CHECKS, videosToCheck } from '../../lib/content/check-request';
import { PolicyView } from '../../lib/content/policy-view';
import type { VerdictSummary } from '../../lib/messaging/protocol';

/** "Check this video": the background's menu handler, and the content script's choice of the video. */

function recordingSend(): { send: SendCheck; sent: Array<[number, number, string]> } {
  const sent: Array<[number, number, string]> = [];
  return {
    sent,
    send: async (tabId, frameId, srcUrl) => {
      sent.push([tabId, frameId, srcUrl]);
      return 'started';
    },
  };
}

const click = (over: Partial<MenuClick> = {}): MenuClick => ({
  menuItemId: CHECK_VIDEO_MENU_ID,
  mediaType: 'video',
  srcUrl: 'https://cdn.example/clip.mp4',
  frameId: 3,
  ...over,
});

describe('the menu handler in the background', () => {
  it('asks the frame that was right-clicked, in its tab, to check the video with that address', async () => {
    const { send, sent } = recordingSend();
    expect(await handleCheckVideoClick(click(), { id: 7 }, send)).toBe('started');
    expect(sent).toEqual([[7, 3, 'https://cdn.example/clip.mp4']]);
  });

  it('does nothing for another item, something that is not a video, or a click outside a tab', async () => {
    const { send, sent } = recordingSend();
    const cases: Array<[MenuClick, MenuTab | undefined]> = [
      [click({ menuItemId: 'another-extension-item' }), { id: 7 }],
      [click({ mediaType: 'image' }), { id: 7 }],
      [click({ mediaType: undefined }), { id: 7 }],
      [click(), undefined],
      [click(), {}],
      // Chrome's tab id for a click outside any tab (devtools, for instance).
      [click(), { id: -1 }],
    ];
    for (const [info, tab] of cases) expect(await handleCheckVideoClick(info, tab, send)).toBeNull();
    expect(sent).toEqual([]);
  });

  it('a click without a frame id goes to the top frame', async () => {
    const { send, sent } = recordingSend();
    await handleCheckVideoClick(click({ frameId: undefined }), { id: 2 }, send);
    expect(sent).toEqual([[2, 0, 'https://cdn.example/clip.mp4']]);
  });

  it('creates the item on videos only, after removing an earlier one, and answers its clicks', async () => {
    const log: string[] = [];
    let listener: ((info: MenuClick, tab?: MenuTab) => void) | null = null;
    const menus: MenusApi = {
      removeAll: async () => void log.push('removeAll'),
      create: (properties) => log.push(`create ${JSON.stringify(properties)}`),
      onClicked: { addListener: (l) => (listener = l) },
    };
    const { send, sent } = recordingSend();
    startCheckVideoMenu(menus, 'Check this video with Provenance Lens', send);
    // The listener is there at once (a click may be what woke the background).
    expect(listener).not.toBeNull();
    await expect.poll(() => log.length).toBe(2);
    expect(log).toEqual([
      'removeAll',
      `create ${JSON.stringify({ id: CHECK_VIDEO_MENU_ID, title: 'Check this video with Provenance Lens', contexts: ['video'] })}`,
    ]);
    listener!(click(), { id: 5 });
    await expect.poll(() => sent).toEqual([[5, 3, 'https://cdn.example/clip.mp4']]);
  });
});

function videoWith(src: string): HTMLVideoElement {
  const video = document.createElement('video');
  video.src = src;
  document.body.append(video);
  return video;
}

function rightClick(): Event {
  return new MouseEvent('contextmenu', { bubbles: true, composed: true, cancelable: true });
}

describe('which video the content script checks', () => {
  const src = 'https://cdn.example/clip.mp4';

  it('the video under a trusted right-click, when several videos of the page claim the same address', () => {
    const decoy = videoWith(src);
    const meant = videoWith(src);
    // What the browser's own event gives: a path from the right-clicked video up (isTrusted events only).
    const trustedPath = [meant, document.body, document.documentElement, document, window];
    expect(videosToCheck([decoy, meant], src, trustedPath)).toEqual([meant]);
    decoy.remove();
    meant.remove();
  });

  it('a page’s own contextmenu event (not trusted) is never taken for the user’s right-click', () => {
    const decoy = videoWith(src);
    const meant = videoWith(src);
    const targets = new ContextMenuTargets((handler) => window.addEventListener('contextmenu', handler, true));
    // The page dispatches a forged right-click on its decoy just before the menu click reaches the frame.
    decoy.dispatchEvent(rightClick());
    const path = targets.take();
    expect(path).toBeNull();
    // Without a trusted hint, every video with the address is checked, so the one the user meant is among them.
    expect(videosToCheck([decoy, meant], src, path)).toEqual([decoy, meant]);
    decoy.remove();
    meant.remove();
  });

  it('a trusted path is used once, and only for a video playing the address the browser gave', () => {
    const other = videoWith('https://cdn.example/other.mp4');
    const meant = videoWith(src);
    // The right-click was on a video with another address (the page swapped sources meanwhile): not taken.
    expect(videosToCheck([other, meant], src, [other, document.body])).toEqual([meant]);
    expect(videosToCheck([other, meant], 'https://cdn.example/none.mp4', [meant])).toEqual([]);
    expect(videosToCheck([other, meant], '', [meant])).toEqual([]);
    other.remove();
    meant.remove();
  });

  it('a `<source>` child counts as the video’s address; a flood of same-address videos is capped', () => {
    const withSource = document.createElement('video');
    const source = document.createElement('source');
    source.src = src;
    withSource.append(source);
    document.body.append(withSource);
    expect(videosToCheck([withSource], src, null)).toEqual([withSource]);
    const flood = Array.from({ length: 50 }, () => videoWith(src));
    expect(videosToCheck(flood, src, null)).toHaveLength(MAX_AMBIGUOUS_CHECKS);
    for (const v of [withSource, ...flood]) v.remove();
  });
});

describe('the badge of a checked video', () => {
  const calm: VerdictSummary = {
    level: 'uncertain',
    score: 0.1,
    reasons: [],
    framesAnalysed: 4,
    framePath: 'canvas',
    flagged: false,
  };

  it('shows under "only flagged videos" and again after the user hid it, once the user asked for the check', async () => {
    const log: string[] = [];
    let hide: () => void = () => undefined;
    const view = new PolicyView({
      show: async (_v, s, onHide) => {
        hide = onHide;
        log.push(`show ${s.level}`);
      },
      remove: () => void log.push('remove'),
      suppress: () => () => undefined,
      isOwn: () => false,
    });
    view.setPolicy('flagged');
    const video = {} as HTMLVideoElement;
    await view.show(video, calm, () => undefined);
    expect(log).toEqual(['remove']);
    view.request(video);
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['remove', 'show uncertain']);
    hide();
    view.request(video);
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['remove', 'show uncertain', 'show uncertain']);
    // Another video the user did not ask about still follows the policy.
    await view.show({} as HTMLVideoElement, calm, () => undefined);
    expect(log.at(-1)).toBe('remove');
  });
});
