import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { MiniWebSocket } from './mini-websocket';

/**
 * Firefox ESR with the built Firefox extension, driven over WebDriver BiDi.
 *
 * Playwright's own Firefox needs its patched build, and its BiDi client asks
 * for commands Firefox ESR does not have yet, so this speaks BiDi itself: a
 * profile with the extension as an unsigned sideloaded XPI (ESR honours
 * `xpinstall.signatures.required = false`), a fixed extension UUID so its
 * pages have a known address, and the few commands the tests need.
 */

/** Debian's Firefox ESR. */
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** Where `wxt build -b firefox` puts the extension. */
export const FIREFOX_EXTENSION_DIR = resolve(__dirname, '../../.output/firefox-mv3');
const GECKO_ID = 'provenance-lens@example.org';
/** The extension's UUID in the test profile: its pages live at `moz-extension://<uuid>/`. */
export const EXTENSION_UUID = '1b0e3b1a-5c2f-4f8e-9a53-0d6f4c1e2a77';

interface BidiMessage {
  id?: number;
  type?: 'success' | 'error' | 'event';
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: string;
  message?: string;
}

/** A console message of any realm (page, content script, background). */
export interface ConsoleEntry {
  level: string;
  text: string;
  source: string;
}

function packExtension(dir: string): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(dir, p)] = readFileSync(p);
    }
  };
  walk(dir);
  // Stored, not deflated: the models are already compressed and this is only read once.
  return zipSync(files, { level: 0 });
}

/** A running Firefox ESR with the extension, and one BiDi session to it. */
export class FirefoxSession {
  /** Console messages seen so far. */
  readonly console: ConsoleEntry[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;
  private ws: MiniWebSocket | null = null;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {}

  /** Starts Firefox headless with the built extension installed in a fresh profile. */
  static async launch(): Promise<FirefoxSession> {
    if (!existsSync(FIREFOX)) throw new Error(`Firefox not found at ${FIREFOX}: install Debian's firefox-esr package`);
    if (!existsSync(join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) {
      throw new Error(`No Firefox build in ${FIREFOX_EXTENSION_DIR}: run "npm run build:firefox" first`);
    }
    const profile = mkdtempSync(join(tmpdir(), 'provenance-lens-firefox-'));
    mkdirSync(join(profile, 'extensions'));
    writeFileSync(join(profile, 'extensions', `${GECKO_ID}.xpi`), packExtension(FIREFOX_EXTENSION_DIR));
    const prefs: Record<string, string | number | boolean> = {
      'xpinstall.signatures.required': false,
      // Sideloaded into the profile: enabled without asking.
      'extensions.autoDisableScopes': 0,
      'extensions.enabledScopes': 15,
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      'media.autoplay.default': 0,
      'media.autoplay.blocking_policy': 0,
      // Nothing outside the machine: no updates, telemetry, remote settings or first-run pages.
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'browser.startup.homepage_override.mstone': 'ignore',
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'extensions.update.enabled': false,
      'services.settings.server': 'http://127.0.0.1:9/',
      'network.captive-portal-service.enabled': false,
    };
    writeFileSync(
      join(profile, 'user.js'),
      Object.entries(prefs)
        .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
        .join('\n'),
    );
    const child = spawn(FIREFOX, ['--headless', '--remote-debugging-port=0', '--profile', profile, '--no-remote'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
    });
    const session = new FirefoxSession(child, profile);
    const url = await new Promise<string>((ok, fail) => {
      let err = '';
      const timer = setTimeout(() => fail(new Error(`Firefox did not start its BiDi server:\n${err}`)), 60_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      });
      child.on('exit', (code) => fail(new Error(`Firefox exited (${code}) before its BiDi server started:\n${err}`)));
    });
    session.ws = await MiniWebSocket.connect(`${url}/session`, (text) => session.onMessage(JSON.parse(text)));
    await session.send('session.new', { capabilities: {} });
    await session.send('session.subscribe', { events: ['log.entryAdded'] });
    return session;
  }

  /** Sends one BiDi command and waits for its answer. */
  send(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = ++this.nextId;
    return new Promise((ok, fail) => {
      this.pending.set(id, { resolve: ok, reject: fail });
      this.ws!.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Opens a new tab and returns its browsing context. */
  async newTab(): Promise<string> {
    const r = await this.send('browsingContext.create', { type: 'tab' });
    return r.context as string;
  }

  /** Loads a URL in a tab and waits for its load event. */
  async navigate(context: string, url: string): Promise<void> {
    await this.send('browsingContext.navigate', { context, url, wait: 'complete' });
  }

  /** Evaluates an expression in a tab's page and returns its JSON-serialisable value. */
  async evaluate<T>(context: string, expression: string): Promise<T> {
    const r = await this.send('script.evaluate', {
      expression: `(async () => JSON.stringify(await (${expression})))()`,
      target: { context },
      awaitPromise: true,
      // As if the user had just clicked: pages may then open windows and use the clipboard.
      userActivation: true,
    });
    if (r.type === 'exception') {
      const details = r.exceptionDetails as { text?: string } | undefined;
      throw new Error(`evaluation failed: ${details?.text ?? JSON.stringify(r)}`);
    }
    const value = (r.result as { type: string; value?: string }).value;
    return (value === undefined ? undefined : JSON.parse(value)) as T;
  }

  /** Polls `expression` in a tab until `done` accepts its value, or throws with the last value. */
  async waitFor<T>(context: string, expression: string, done: (v: T) => boolean, timeout = 60_000): Promise<T> {
    const end = Date.now() + timeout;
    let last: T | undefined;
    while (Date.now() < end) {
      last = await this.evaluate<T>(context, expression);
      if (done(last)) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out; last value: ${JSON.stringify(last)}`);
  }

  /** Ends the session, stops Firefox and deletes its profile. */
  async close(): Promise<void> {
    try {
      await Promise.race([this.send('session.end', {}), new Promise((r) => setTimeout(r, 2_000))]);
    } catch {
      // Already gone.
    }
    this.ws?.close();
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      // A Firefox stuck in shutdown must not hold the test run.
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.profile, { recursive: true, force: true });
  }

  private onMessage(m: BidiMessage): void {
    if (m.type === 'event' && m.method === 'log.entryAdded') {
      const p = m.params as { level: string; text: string; source?: { realm?: string } };
      this.console.push({ level: p.level, text: p.text, source: p.source?.realm ?? '' });
      return;
    }
    if (m.id === undefined) return;
    const waiter = this.pending.get(m.id);
    if (!waiter) return;
    this.pending.delete(m.id);
    if (m.type === 'error') waiter.reject(new Error(`${m.error}: ${m.message}`));
    else waiter.resolve(m.result ?? {});
  }
}
