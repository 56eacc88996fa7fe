import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { watchSessionKey } from '../../lib/platform/session-watch';

describe('watchSessionKey', () => {
  it('gives the stored value, then each change of that key in storage.session only, until unsubscribed', async () => {
    fakeBrowser.reset();
    await fakeBrowser.storage.session.set({ 'tab:1': { n: 1 } });
    const seen: unknown[] = [];
    const stop = watchSessionKey<{ n: number }>('tab:1', (value) => seen.push(value));
    await vi.waitFor(() => expect(seen).toEqual([{ n: 1 }]));

    await fakeBrowser.storage.session.set({ 'tab:1': { n: 2 } });
    await fakeBrowser.storage.session.set({ 'tab:2': { n: 9 } });
    await fakeBrowser.storage.local.set({ 'tab:1': { n: 9 } });
    await fakeBrowser.storage.session.remove('tab:1');
    await vi.waitFor(() => expect(seen).toEqual([{ n: 1 }, { n: 2 }, undefined]));

    stop();
    await fakeBrowser.storage.session.set({ 'tab:1': { n: 3 } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual([{ n: 1 }, { n: 2 }, undefined]);
  });

  it('says undefined for a key that was never written', async () => {
    fakeBrowser.reset();
    const onChange = vi.fn();
    watchSessionKey('frames:1:v', onChange);
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledWith(undefined));
  });
});
