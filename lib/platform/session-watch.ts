import { browser } from 'wxt/browser';

/**
 * Reads one `storage.session` key and calls back with its value now and on every later change (undefined once the
 * key is gone); returns the unsubscribe function. The caller says what the value is: storage keeps no types.
 */
export function watchSessionKey<T>(key: string, onChange: (value: T | undefined) => void): () => void {
  void browser.storage.session.get(key).then((items) => onChange((items[key] ?? undefined) as T | undefined));
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    // A removed key comes without a new value (some implementations say null): both read as gone.
    if (area === 'session' && key in changes) onChange((changes[key]!.newValue ?? undefined) as T | undefined);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
