import { MSE_HELLO_EVENT, MSE_PORT_EVENT } from './mse-observer';

/**
 * Where the isolated world keeps the port once the handshake is done. The
 * isolated world's globals are shared by this extension's content scripts
 * in the frame and unreachable from page script, so the content app started
 * later (document_idle) finds the port here.
 */
const PORT_KEY = Symbol.for('provenance-lens:mse-port');

interface BridgeGlobal {
  [PORT_KEY]?: MessagePort;
}

/**
 * The isolated world's half of the handshake with the MAIN-world stream
 * observer, run at document_start, before any page script. It listens for
 * the observer's port event and, in case the observer ran first (its offer
 * then found no listener), asks for it again with a synchronously dispatched
 * event; the observer answers within that dispatch. The first port taken is
 * kept and the listener removed, so no later event (a page's forgery) is
 * ever looked at. The port is not started here: messages wait in it until
 * the content app listens, bounded by the observer's credits.
 */
export function acceptMsePort(doc: Document, scope: object = globalThis): void {
  const store = scope as BridgeGlobal;
  if (store[PORT_KEY]) return;
  const onPort = (event: Event) => {
    if (store[PORT_KEY] || !(event instanceof MessageEvent) || event.ports.length !== 1) return;
    store[PORT_KEY] = event.ports[0]!;
    // Tells the observer the port was taken (dispatchEvent returns false there).
    event.preventDefault();
    event.stopImmediatePropagation();
    doc.removeEventListener(MSE_PORT_EVENT, onPort, true);
  };
  doc.addEventListener(MSE_PORT_EVENT, onPort, true);
  doc.dispatchEvent(new Event(MSE_HELLO_EVENT));
}

/** The port handed over by the stream observer in this frame, if the handshake happened. */
export function msePort(scope: object = globalThis): MessagePort | undefined {
  return (scope as BridgeGlobal)[PORT_KEY];
}
