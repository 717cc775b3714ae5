// Requests to the API. Every change is JSON (the server refuses other
// types, which keeps other sites' forms out) and carries an
// Idempotency-Key, reused when it is sent again after a network failure
// or a proxy's 502/503/504: it may have happened, or may still happen
// late on a replica that was stuck, and the key makes both count once.

export class ApiError extends Error {
  /** status is undefined when no answer came (network, timeout). */
  constructor(readonly status: number | undefined, readonly code: string | undefined, readonly retryAfter?: number, readonly detail?: string) {
    super(code ?? (status ? 'HTTP ' + status : 'network'));
  }
}

/** What the last answer said about the deployment (the debug view). */
export const net = {
  replica: '',
  heartbeatMs: 15000,
  onChange: (): void => {},
};

// newKey makes an Idempotency-Key. crypto.randomUUID needs a secure
// context (HTTPS); getRandomValues works on a plain-HTTP LAN address too.
function newKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export interface CallOptions {
  token?: string;
  /** A body that is not JSON (a photo): sent as is. */
  raw?: Blob;
  accept?: string;
  timeoutMs?: number;
  /** Return the body as text instead of JSON. */
  text?: boolean;
}

function noteHeaders(resp: Response): void {
  const r = resp.headers.get('X-Menusync-Replica');
  const hb = Number(resp.headers.get('X-Menusync-Heartbeat'));
  if (r) { net.replica = r; }
  if (hb > 0) { net.heartbeatMs = hb * 1000; }
  net.onChange();
}

async function once<T>(method: string, path: string, body: unknown, o: CallOptions, key?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') { headers['Content-Type'] = o.raw ? (o.raw.type || 'application/octet-stream') : 'application/json'; }
  if (o.token) { headers.Authorization = 'Bearer ' + o.token; }
  if (key) { headers['Idempotency-Key'] = key; }
  if (o.accept) { headers.Accept = o.accept; }
  // A request to a replica that is stuck gets no answer for as long as
  // the proxy waits; give up sooner and ask again (another replica).
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), o.timeoutMs ?? 15000);
  let resp: Response;
  try {
    resp = await fetch(path, {
      method, headers, credentials: 'same-origin', signal: ctl.signal,
      body: o.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch {
    throw new ApiError(undefined, undefined);
  } finally {
    clearTimeout(timer);
  }
  noteHeaders(resp);
  const text = await resp.text().catch(() => '');
  if (!resp.ok) {
    let code: string | undefined;
    let detail: string | undefined;
    try {
      const p = JSON.parse(text) as { code?: string; detail?: string };
      code = p.code;
      detail = p.detail;
    } catch { /* not a problem document: a proxy's page */ }
    throw new ApiError(resp.status, code, Number(resp.headers.get('Retry-After')) || undefined, detail);
  }
  if (o.text) { return text as T; }
  return (text ? JSON.parse(text) : null) as T;
}

const transient = (e: unknown): boolean =>
  e instanceof ApiError && (e.status === undefined || e.status === 502 || e.status === 503 || e.status === 504);

/** call sends a request; a change is retried (same key) while the
 * failure is the network's or a proxy's. */
export async function call<T>(method: string, path: string, body?: unknown, o: CallOptions = {}): Promise<T> {
  if (method === 'GET') { return once<T>(method, path, undefined, o); }
  const key = newKey();
  for (let attempt = 1; ; attempt++) {
    try {
      return await once<T>(method, path, body, o, key);
    } catch (e) {
      if (!transient(e) || attempt >= 4) { throw e; }
      // A server that said when to come back (shedding load at a peak,
      // a busy photo reader) is asked then, spread a little so a table's
      // phones do not all come back at once; else back off.
      const after = e instanceof ApiError && e.retryAfter ? e.retryAfter * 1000 * (1 + Math.random() / 5) : 250 * 2 ** attempt;
      await new Promise((ok) => setTimeout(ok, after));
    }
  }
}

/** gone: the answer means this phone's place at the table is over. */
export function gone(e: unknown): e is ApiError {
  if (!(e instanceof ApiError)) { return false; }
  if (e.status === 403) { return e.code === 'member_not_found' || e.code === 'forbidden'; }
  // A 404 about the room; not one about a path, or about someone else
  // (the host taking out a member who already left).
  return e.status === 401 || (e.status === 404 && e.code !== 'not_found' && e.code !== 'no_such_member');
}
