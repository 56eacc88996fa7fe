// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VideoDiscovery } from '../../lib/content/video-discovery';

/** MutationObserver callbacks run as a microtask; a macrotask later they have all been delivered. */
const mutationsDelivered = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function video(id: string): HTMLVideoElement {
  const v = document.createElement('video');
  v.id = id;
  return v;
}

function hostWithShadow(...children: Node[]): { host: HTMLElement; shadow: ShadowRoot } {
  const host = document.createElement('div');
  const shadow = host.attachShadow({ mode: 'open' });
  shadow.append(...children);
  return { host, shadow };
}

let added: HTMLVideoElement[];
let removed: HTMLVideoElement[];
let discovery: VideoDiscovery | undefined;

function start(sweepIntervalMs = 0): VideoDiscovery {
  discovery = new VideoDiscovery(
    document,
    { added: (v) => added.push(v), removed: (v) => removed.push(v) },
    undefined,
    sweepIntervalMs,
  );
  discovery.start();
  return discovery;
}

const ids = (videos: HTMLVideoElement[]) => videos.map((v) => v.id);

beforeEach(() => {
  document.body.replaceChildren();
  added = [];
  removed = [];
});

afterEach(() => {
  discovery?.stop();
  discovery = undefined;
  vi.useRealTimers();
});

describe('VideoDiscovery', () => {
  it('reports the videos present at start, once each', () => {
    const wrapper = document.createElement('section');
    wrapper.append(video('b'));
    document.body.append(video('a'), wrapper);
    const d = start();
    expect(ids(added)).toEqual(['a', 'b']);
    expect(d.videos.size).toBe(2);
  });

  it('reports a video added later, also one nested inside an added subtree', async () => {
    start();
    document.body.append(video('direct'));
    const card = document.createElement('article');
    card.innerHTML = '<div><video id="nested"></video></div>';
    document.body.append(card);
    await mutationsDelivered();
    expect(ids(added)).toEqual(['direct', 'nested']);
  });

  it('finds videos inside an open shadow root present at start', () => {
    const { host } = hostWithShadow(video('in-shadow'));
    document.body.append(host);
    start();
    expect(ids(added)).toEqual(['in-shadow']);
  });

  it('finds a video added later into a shadow root it already observes', async () => {
    const { host, shadow } = hostWithShadow(document.createElement('div'));
    document.body.append(host);
    start();
    expect(added).toEqual([]);
    shadow.firstElementChild!.append(video('late-shadow'));
    await mutationsDelivered();
    expect(ids(added)).toEqual(['late-shadow']);
  });

  it('finds videos in nested shadow roots', async () => {
    const inner = hostWithShadow(video('deep'));
    const outer = hostWithShadow(inner.host);
    document.body.append(outer.host);
    start();
    expect(ids(added)).toEqual(['deep']);

    // The inner shadow root is observed too: a video added there later is found.
    inner.shadow.append(video('deeper-later'));
    await mutationsDelivered();
    expect(ids(added)).toEqual(['deep', 'deeper-later']);
  });

  it('finds a video in the shadow root of a host inserted later', async () => {
    start();
    document.body.append(hostWithShadow(video('host-later')).host);
    await mutationsDelivered();
    expect(ids(added)).toEqual(['host-later']);
  });

  it('does not look into elements it is told to ignore (the extension’s own badges)', async () => {
    const shadowRootOf = vi.fn((element: Element) => element.shadowRoot);
    discovery = new VideoDiscovery(
      document,
      { added: (v) => added.push(v), removed: (v) => removed.push(v) },
      shadowRootOf,
      0,
      (element) => element.localName === 'own-badge',
    );
    discovery.start();
    const badge = document.createElement('own-badge');
    badge.attachShadow({ mode: 'open' }).append(document.createElement('div'), video('never'));
    document.body.append(badge, video('page'));
    await mutationsDelivered();
    expect(ids(added)).toEqual(['page']);
    expect(shadowRootOf).not.toHaveBeenCalledWith(badge);
    discovery.sweep();
    expect(ids(added)).toEqual(['page']);
  });

  it('reports a video removed directly', async () => {
    const v = video('gone');
    document.body.append(v, video('stays'));
    const d = start();
    v.remove();
    await mutationsDelivered();
    expect(ids(removed)).toEqual(['gone']);
    expect([...d.videos].map((x) => x.id)).toEqual(['stays']);
  });

  it('reports a video removed with its ancestor', async () => {
    const wrapper = document.createElement('div');
    wrapper.append(document.createElement('div'));
    wrapper.firstElementChild!.append(video('inside'));
    document.body.append(wrapper);
    start();
    wrapper.remove();
    await mutationsDelivered();
    expect(ids(removed)).toEqual(['inside']);
  });

  it('reports a video removed from a shadow root', async () => {
    const v = video('shadow-gone');
    document.body.append(hostWithShadow(v).host);
    start();
    v.remove();
    await mutationsDelivered();
    expect(ids(removed)).toEqual(['shadow-gone']);
  });

  it('does not report a video moved within the document in one task', async () => {
    const v = video('moved');
    const from = document.createElement('div');
    const to = document.createElement('div');
    from.append(v);
    document.body.append(from, to);
    start();
    v.remove();
    to.append(v);
    await mutationsDelivered();
    expect(removed).toEqual([]);
    // Re-insertion must not count as a new video either.
    expect(ids(added)).toEqual(['moved']);
  });

  it('finds a video behind a shadow root attached after its host was inserted only on a sweep', async () => {
    const d = start();
    const host = document.createElement('div');
    document.body.append(host);
    await mutationsDelivered();
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.append(video('swept'));
    await mutationsDelivered();
    // attachShadow and the shadow root's own changes are invisible to the document observer.
    expect(added).toEqual([]);

    d.sweep();
    expect(ids(added)).toEqual(['swept']);

    // After the sweep the new shadow root is observed.
    shadow.append(video('after-sweep'));
    await mutationsDelivered();
    expect(ids(added)).toEqual(['swept', 'after-sweep']);
  });

  it('sweeps on its own timer when given an interval', async () => {
    // Only the interval is faked, so the real setTimeout can wait for mutation delivery.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    start(1_000);
    const host = document.createElement('div');
    document.body.append(host);
    // Attach after the insertion was delivered, so only a sweep can find the shadow root.
    await mutationsDelivered();
    host.attachShadow({ mode: 'open' }).append(video('timer'));
    await vi.advanceTimersByTimeAsync(999);
    expect(added).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(ids(added)).toEqual(['timer']);
  });

  it('stops reporting after stop()', async () => {
    const v = video('before');
    document.body.append(v);
    const d = start();
    d.stop();
    expect(d.videos.size).toBe(0);
    v.remove();
    document.body.append(video('after'));
    await mutationsDelivered();
    expect(ids(added)).toEqual(['before']);
    expect(removed).toEqual([]);
  });

  it('stops the sweep timer on stop()', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const d = start(1_000);
    d.stop();
    const host = document.createElement('div');
    document.body.append(host);
    await mutationsDelivered();
    host.attachShadow({ mode: 'open' }).append(video('never'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(added).toEqual([]);
  });
});
