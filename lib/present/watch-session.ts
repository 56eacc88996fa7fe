import { browser } from 'wxt/browser';

/**
 * Reads one `storage.session` key and calls back with its value on every later change (`empty` when it is missing
 * or removed); returns the unsubscribe function. The popup and the detail page watch results and frames through it.
 */
export function watchSessionKey<T>(key: string, empty: T, onChange: (value: T) => void): () => void {
  void browser.storage.session.get(key).then((items) => onChange((items[key] as T | undefined) ?? empty));
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'session' && key in changes) onChange((changes[key]!.newValue as T | undefined) ?? empty);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
