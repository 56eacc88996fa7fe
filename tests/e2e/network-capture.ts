import { createServer } from 'node:net';
import { MiniWebSocket } from './mini-websocket';

/**
 * Records every network request of every target in a Chromium, over the
 * browser's own DevTools endpoint (`--remote-debugging-port`): auto-attach at
 * browser level (flattened sessions, each new target held until it is
 * watched), then `Network.enable` and the same auto-attach in every session,
 * so service workers, offscreen documents, their dedicated workers, extension
 * pages, tabs and iframes are all seen from their first request.
 *
 * Playwright's own CDP sessions drop messages of sessions they did not open,
 * so this uses a connection of its own (`mini-websocket.ts`).
 */

/** One request as a target sent it. */
export interface CapturedRequest {
  targetType: string;
  targetUrl: string;
  url: string;
  method: string;
  /** Resource type as DevTools names it (Document, Media, Fetch, Script, …). */
  type: string;
  /** The document (or worker script) the request was made for. */
  documentUrl: string;
}

/** A target the capture watched. */
export interface CapturedTarget {
  type: string;
  url: string;
}

/** A free TCP port on 127.0.0.1 for `--remote-debugging-port`. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function getJson(url: string): Promise<Record<string, string>> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as Record<string, string>;
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  sessionId?: string;
  error?: { message: string };
  result?: unknown;
}

/** Watches every target of the browser behind a DevTools port and records their requests. */
export class NetworkCapture {
  readonly requests: CapturedRequest[] = [];
  readonly targets: CapturedTarget[] = [];
  private readonly sessions = new Map<string, CapturedTarget & { targetId: string }>();
  /** requestId per target, so a target watched through two sessions is not counted twice. */
  private readonly seen = new Set<string>();
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private ws: MiniWebSocket | null = null;

  /** Connects to the browser at `port` and starts watching every target, present and future. */
  static async start(port: number): Promise<NetworkCapture> {
    const capture = new NetworkCapture();
    const { webSocketDebuggerUrl } = await getJson(`http://127.0.0.1:${port}/json/version`);
    capture.ws = await MiniWebSocket.connect(webSocketDebuggerUrl!, (text) => capture.onMessage(JSON.parse(text)));
    // Discovery keeps each target's URL current as it navigates.
    await capture.send(null, 'Target.setDiscoverTargets', { discover: true });
    await capture.send(null, 'Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
    // Targets that were there before (the service worker, the first tab) are attached explicitly.
    const { targetInfos } = (await capture.send(null, 'Target.getTargets')) as {
      targetInfos: Array<{ targetId: string; type: string; url: string; attached: boolean }>;
    };
    for (const t of targetInfos) {
      if (t.type === 'browser' || t.type === 'browser_ui' || t.type === 'tab') continue;
      await capture.send(null, 'Target.attachToTarget', { targetId: t.targetId, flatten: true }).catch(() => undefined);
    }
    return capture;
  }

  /** Disconnects (the browser goes on). */
  close(): void {
    this.ws?.close();
  }

  /** Evaluates an expression in every watched target whose URL matches (used to prove the capture sees them). */
  async evaluateIn(targetUrl: RegExp, expression: string): Promise<number> {
    let count = 0;
    for (const [sessionId, target] of this.sessions) {
      if (!targetUrl.test(target.url)) continue;
      await this.send(sessionId, 'Runtime.evaluate', { expression, awaitPromise: true });
      count++;
    }
    return count;
  }

  private send(sessionId: string | null, method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = ++this.nextId;
    const message: Message = { id, method, params, ...(sessionId ? { sessionId } : {}) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws!.send(JSON.stringify(message));
    });
  }

  private onMessage(message: Message): void {
    if (message.id !== undefined) {
      const callback = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) callback?.reject(new Error(message.error.message));
      else callback?.resolve(message.result);
      return;
    }
    const params = message.params ?? {};
    switch (message.method) {
      case 'Target.attachedToTarget': {
        const info = params.targetInfo as { targetId: string; type: string; url: string };
        const sessionId = params.sessionId as string;
        const target = { targetId: info.targetId, type: info.type, url: info.url };
        this.sessions.set(sessionId, target);
        this.targets.push(target);
        void this.watch(sessionId);
        break;
      }
      case 'Target.targetInfoChanged': {
        const info = params.targetInfo as { targetId: string; url: string };
        for (const target of this.sessions.values()) if (target.targetId === info.targetId) target.url = info.url;
        break;
      }
      case 'Target.detachedFromTarget':
        this.sessions.delete(params.sessionId as string);
        break;
      case 'Network.requestWillBeSent': {
        const target = this.sessions.get(message.sessionId ?? '') ?? { type: 'unknown', url: '', targetId: '' };
        const request = params.request as { url: string; method: string };
        const key = `${target.targetId}|${String(params.requestId)}|${request.url}`;
        if (this.seen.has(key)) break;
        this.seen.add(key);
        this.requests.push({
          targetType: target.type,
          targetUrl: target.url,
          url: request.url,
          method: request.method,
          type: String(params.type ?? ''),
          documentUrl: String(params.documentURL ?? ''),
        });
        break;
      }
    }
  }

  /** Network on, children auto-attached (and held), then the target may run. */
  private async watch(sessionId: string): Promise<void> {
    await this.send(sessionId, 'Network.enable').catch(() => undefined);
    await this.send(sessionId, 'Target.setAutoAttach', {
      autoAttach: true,
      waitForDebuggerOnStart: true,
      flatten: true,
    }).catch(() => undefined);
    await this.send(sessionId, 'Runtime.runIfWaitingForDebugger').catch(() => undefined);
  }
}
