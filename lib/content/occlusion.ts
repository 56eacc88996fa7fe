/** Our own overlay hosts, which hit-testing must look through. */
export type IsOwnElement = (element: Element) => boolean;

function deepElementFromPoint(root: Document | ShadowRoot, x: number, y: number): Element | null {
  let element = root.elementFromPoint(x, y);
  // Descend into open shadow roots so a video inside a component is found, not its host.
  for (let depth = 0; element?.shadowRoot && depth < 16; depth++) {
    const inner = element.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === element) break;
    element = inner;
  }
  return element;
}

/** The video's player box: the nearest ancestor no bigger than 1.5× the video, where the site's own controls live. */
function playerBox(video: HTMLVideoElement): Element {
  const area = video.clientWidth * video.clientHeight;
  let box: Element = video;
  let node: Node | null = video.parentNode;
  for (let depth = 0; node && depth < 5; depth++) {
    const element = node instanceof ShadowRoot ? node.host : node instanceof Element ? node : null;
    if (!element) break;
    const r = element.getBoundingClientRect();
    if (r.width * r.height > area * 1.5) break;
    box = element;
    node = element.parentNode;
  }
  return box;
}

function composedContains(ancestor: Element, element: Element): boolean {
  let node: Node | null = element;
  while (node) {
    if (node === ancestor) return true;
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return false;
}

/**
 * Whether the video is what a screenshot of its rectangle would show: at
 * least four of five probe points hit the video or its own player (controls,
 * captions), not another page element laid over it.
 */
export function isVideoOnTop(video: HTMLVideoElement, isOwn: IsOwnElement): boolean {
  const r = video.getBoundingClientRect();
  if (r.width <= 0 || r.height <= 0) return false;
  const box = playerBox(video);
  const probes: Array<[number, number]> = [
    [0.5, 0.5],
    [0.25, 0.3],
    [0.75, 0.3],
    [0.25, 0.7],
    [0.75, 0.7],
  ];
  let hits = 0;
  for (const [fx, fy] of probes) {
    const x = r.left + r.width * fx;
    const y = r.top + r.height * fy;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const top = deepElementFromPoint(video.ownerDocument, x, y);
    if (top && (isOwn(top) || top === video || composedContains(box, top))) hits++;
  }
  return hits >= 4;
}
