/** Runs a callback as a new task of the page's event loop. */
export type PostTask = (run: () => void) => void;

/**
 * Posts tasks through a private MessageChannel: unlike nested `setTimeout(0)`
 * they are not clamped to 4 ms, and the page cannot see them.
 */
export function messageChannelPoster(): PostTask {
  const channel = new MessageChannel();
  const queue: Array<() => void> = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return (run) => {
    queue.push(run);
    channel.port2.postMessage(null);
  };
}

/** Waits for a turn of the pacer; `urgent` turns (work for a video on screen) go first. */
export type Pace = (urgent?: boolean) => Promise<void>;

/**
 * Spreads the content script's per-video work over separate tasks, one step
 * per task, so a page that shows many videos at once (a feed of 30 found in
 * one go) never gets one long task doing every video's announcement, badge
 * mount and first frame grab back to back. A step is the code that runs after
 * `await pacer.turn()` until its next `await`; the browser can render and
 * handle input between steps. Urgent turns go before the others, and each
 * queue keeps its order.
 */
export class WorkPacer {
  private readonly urgent: Array<() => void> = [];
  private readonly normal: Array<() => void> = [];
  private posted = false;

  constructor(private readonly post: PostTask = messageChannelPoster()) {}

  /** Resolves in a task of its own, after the turns queued before it (urgent ones first). */
  turn(urgent = false): Promise<void> {
    return new Promise((resolve) => {
      (urgent ? this.urgent : this.normal).push(resolve);
      this.kick();
    });
  }

  /** Turns waiting. */
  get waiting(): number {
    return this.urgent.length + this.normal.length;
  }

  private kick(): void {
    if (this.posted) return;
    this.posted = true;
    this.post(() => this.step());
  }

  private step(): void {
    this.posted = false;
    const next = this.urgent.shift() ?? this.normal.shift();
    if (this.waiting > 0) this.kick();
    next?.();
  }
}
