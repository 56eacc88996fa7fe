/**
 * Waits for `ok` on a media element (`loadeddata`, `seeked`…), rejecting on its `error` event or after `timeoutMs`;
 * `what` names the step in the error. Listeners are removed on every path.
 */
export function once(target: EventTarget, ok: string, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${what}: timed out`)), timeoutMs);
    const onOk = () => finish();
    const onError = () => finish(new Error(`${what}: the file could not be decoded`));
    function finish(error?: Error) {
      clearTimeout(timer);
      target.removeEventListener(ok, onOk);
      target.removeEventListener('error', onError);
      if (error) reject(error);
      else resolve();
    }
    target.addEventListener(ok, onOk);
    target.addEventListener('error', onError);
  });
}
