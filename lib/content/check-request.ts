/**
 * "Check this video" from the browser's context menu, on the page's side: which video of the frame the user
 * right-clicked. The browser tells the background only the video's address (`srcUrl`) and frame; the page
 * controls its DOM and can put the same address on several videos, or a decoy on top. So the video under the
 * last *trusted* `contextmenu` event (dispatched by the browser for a real right-click, `isTrusted`; a page's
 * own `dispatchEvent` is not) is preferred among those with that address.
 */

/** Most videos checked for one menu click when the page gives several the same address and no trusted hint. */
export const MAX_AMBIGUOUS_CHECKS = 4;

/** Whether a video plays, or would play, `srcUrl` (its current source, its `src`, or one of its `<source>`s). */
export function playsSource(video: HTMLVideoElement, srcUrl: string): boolean {
  if (!srcUrl) return false;
  if (video.currentSrc === srcUrl || video.src === srcUrl) return true;
  for (const source of video.querySelectorAll('source')) if (source.src === srcUrl) return true;
  return false;
}

/**
 * The videos to check for a menu click on `srcUrl`: the one on the trusted event's path when it plays that
 * address; else the only one that does; else (a page that gave several videos the address and kept the trusted
 * event from us) each of them, up to {@link MAX_AMBIGUOUS_CHECKS}, so the one the user meant is among them.
 * Empty when none plays it.
 */
export function videosToCheck(
  candidates: Iterable<HTMLVideoElement>,
  srcUrl: string,
  trustedPath: readonly EventTarget[] | null,
): HTMLVideoElement[] {
  const matching = [...candidates].filter((video) => playsSource(video, srcUrl));
  const underPointer = trustedPath?.find(
    (target): target is HTMLVideoElement => target instanceof HTMLVideoElement && matching.includes(target),
  );
  if (underPointer) return [underPointer];
  return matching.slice(0, MAX_AMBIGUOUS_CHECKS);
}

/**
 * Remembers the composed path of the last trusted `contextmenu` event in a document. Listens in the capture
 * phase on the window, so a page's handlers on its own elements run after it.
 */
export class ContextMenuTargets {
  private last: EventTarget[] | null = null;

  constructor(listen: (handler: (event: Event) => void) => void) {
    listen((event) => {
      if (!event.isTrusted) return;
      this.last = event.composedPath();
    });
  }

  /** The last trusted right-click's path, once: a later menu click does not reuse an older right-click. */
  take(): EventTarget[] | null {
    const path = this.last;
    this.last = null;
    return path;
  }
}
