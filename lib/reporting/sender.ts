import { bytesToBase64 } from './hash';
import type { ReportBundle } from './schema';
import type { ReportFiles } from './zip';
import { t } from '../present/i18n';

/** How a send went. */
export type SendOutcome =
  | { ok: true; status: number; attempts: number; receipt: string | null }
  | { ok: false; status: number | null; attempts: number; error: string };

/** What the sender needs from its surroundings, so tests can pass their own clock and network. */
export interface SendOptions {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Tries in all, the first included. */
  attempts?: number;
  /** Pause before the second try; it doubles for each later one. */
  baseDelayMs?: number;
  /** Gives up on one try after this long (default 30 s). */
  timeoutMs?: number;
  /** Sent as `Authorization: Bearer <token>` when not empty (the reference receiver requires one). */
  token?: string;
}

/**
 * Checks a user-typed bearer token: empty (none) or visible ASCII without
 * spaces, as an HTTP header value allows. Returns it trimmed or throws.
 */
export function parseToken(text: string): string {
  const token = text.trim();
  if (token && !/^[\x21-\x7e]+$/.test(token)) throw new Error(t('errorToken'));
  return token;
}

/**
 * Checks a user-typed endpoint: it must be an absolute `https:` URL without
 * credentials in it. Returns the parsed URL or throws with a clear message.
 */
export function parseEndpoint(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(t('errorEndpointAddress'));
  }
  if (url.protocol !== 'https:') throw new Error(t('errorEndpointHttps'));
  if (url.username || url.password) throw new Error(t('errorEndpointCredentials'));
  return url;
}

/** The host-permission pattern that covers an endpoint's origin, for `permissions.request`. */
export function originPattern(endpoint: URL): string {
  return `${endpoint.protocol}//${endpoint.hostname}/*`;
}

/** The bundle as it goes over the wire: each frame's JPEG inline as base64. */
export function wireBundle(report: ReportFiles): ReportBundle {
  return {
    ...report.bundle,
    frames: report.bundle.frames.map((frame, i) => ({ ...frame, data: bytesToBase64(report.frames[i]!) })),
  };
}

/** Answers worth another try: the network failed, the server is overloaded or briefly down. */
function retryable(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * POSTs a bundle as JSON to the endpoint, trying again with exponential
 * backoff (1 s, 2 s, 4 s by default) on network errors, timeouts, 408, 425,
 * 429 and 5xx; a 4xx answer is final. Only ever called from the user's Send.
 * A redirect is an error, never followed: the user chose this address, and
 * an answer of 3xx could otherwise move the bundle (and its token) to
 * another host or from HTTPS to plain HTTP.
 */
export async function sendBundle(endpoint: URL, report: ReportFiles, options: SendOptions = {}): Promise<SendOutcome> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 1000;
  const body = JSON.stringify(wireBundle(report));
  let last: SendOutcome = { ok: false, status: null, attempts: 0, error: 'not sent' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(base * 2 ** (attempt - 2));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
    try {
      const response = await doFetch(endpoint.href, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-report-schema': `${report.bundle.schema}@${report.bundle.version}`,
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        redirect: 'error',
        body,
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        signal: controller.signal,
      });
      const text = await response.text().catch(() => '');
      if (response.ok)
        return { ok: true, status: response.status, attempts: attempt, receipt: text.slice(0, 500) || null };
      last = {
        ok: false,
        status: response.status,
        attempts: attempt,
        error: `the endpoint answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      };
      if (!retryable(response.status)) return last;
    } catch (error) {
      const message = controller.signal.aborted ? 'timed out' : error instanceof Error ? error.message : String(error);
      last = { ok: false, status: null, attempts: attempt, error: `could not reach the endpoint: ${message}` };
    } finally {
      clearTimeout(timer);
    }
  }
  return last;
}
