// Following a table live: an EventSource (its cookie authenticates it;
// a token never goes in a URL), resumed with the last event id after a
// drop, a sleep or a replica going away; a watchdog for streams that
// went silent in a way the browser cannot see; and the long-poll
// (GET /changes) for proxies that hold the stream until it ends.
import { call, net, ApiError } from './api';
import type { Changes } from './types';

export type Link = 'connecting' | 'live' | 'reconnecting' | 'polling' | 'offline';

export interface FollowHandlers {
  /** An event of the stream or of the long-poll (same JSON either way). */
  event(type: string, data: unknown): void;
  /** The position the state is at, for resuming ("<epoch>.<version>"). */
  position(): string;
  link(l: Link): void;
  /** The stream failed in a way that needs the room checked (a GET). */
  check(): Promise<void>;
}

const EVENTS = ['snapshot', 'choice', 'member', 'left', 'presence', 'room', 'menu', 'dishname', 'done', 'renamed', 'refresh', 'closed'];

export class Follower {
  private es: EventSource | null = null;
  private streamWorks = false;
  private polling = false;
  private stopped = false;
  private lastHeard = 0;
  private lastId = '';
  private retryMs = 1000;
  private watchdog = 0;
  private ticker = 0;
  private retryTimer = 0;
  transport: 'stream' | 'long-poll' = 'stream';

  constructor(private readonly roomId: string, private readonly token: string, private readonly h: FollowHandlers) {}

  start(): void {
    this.stopped = false;
    this.ticker = window.setInterval(() => this.tick(), 1000);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.es?.close();
    this.es = null;
    clearInterval(this.ticker);
    clearTimeout(this.watchdog);
    clearTimeout(this.retryTimer);
  }

  /** resume: the page is back (from sleep, from another app, online
   * again). The stream is opened anew from the position the state is
   * at: a page the browser froze may have lost what came meanwhile
   * while its old stream still looks open (the browser tests saw it),
   * and a new one costs one request: nothing more when nothing
   * changed, else one snapshot. */
  resume(): void {
    if (this.stopped || this.polling) { return; }
    this.h.link('reconnecting');
    this.lastId = '';
    this.connect();
  }

  private connect(): void {
    if (this.stopped || this.polling) { return; }
    this.es?.close();
    clearTimeout(this.retryTimer);
    this.lastHeard = Date.now();
    if (!this.streamWorks) {
      // Some proxies (antivirus, corporate) hold a stream until it ends:
      // the first event never comes. Then switch to long-polling.
      clearTimeout(this.watchdog);
      this.watchdog = window.setTimeout(() => {
        if (!this.streamWorks && !this.stopped) { this.startPolling(); }
      }, 2 * net.heartbeatMs);
    }
    // A new EventSource starts without Last-Event-ID: the query carries
    // the position instead.
    const pos = this.lastId || this.h.position();
    const url = '/v1/rooms/' + this.roomId + '/events' + (pos ? '?lastEventId=' + encodeURIComponent(pos) : '');
    const es = new EventSource(url);
    this.es = es;
    es.onopen = () => { this.h.link('live'); };
    es.onerror = () => this.onError(es);
    for (const type of EVENTS) {
      es.addEventListener(type, (e) => this.onEvent(type, e as MessageEvent<string>));
    }
    es.addEventListener('heartbeat', () => {
      this.lastHeard = Date.now();
      if (es.readyState === EventSource.OPEN) { this.h.link('live'); }
    });
  }

  private onEvent(type: string, e: MessageEvent<string>): void {
    this.lastHeard = Date.now();
    this.retryMs = 1000;
    if (e.lastEventId) { this.lastId = e.lastEventId; }
    if (type === 'snapshot') { this.streamWorks = true; }
    this.h.link('live');
    this.h.event(type, JSON.parse(e.data));
  }

  private onError(es: EventSource): void {
    if (this.stopped || es !== this.es) { return; }
    if (es.readyState !== EventSource.CLOSED) {
      // The browser reconnects by itself, with Last-Event-ID.
      this.h.link('reconnecting');
      return;
    }
    // The server refused the stream (the room is gone, the token is not
    // valid any more) or could not be reached: a GET tells which. Then
    // try again, a little later each time, up to half a minute.
    this.h.link(navigator.onLine === false ? 'offline' : 'reconnecting');
    this.h.check().then(() => {
      if (this.stopped) { return; }
      this.retryTimer = window.setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 30000);
    });
  }

  // tick: a stream that has said nothing, not even a heartbeat, for two
  // heartbeats is dead in a way the browser cannot see (a stuck replica
  // behind a proxy that keeps the connection open). Open a new one.
  private tick(): void {
    if (!this.es || this.polling || this.stopped || !this.streamWorks) { return; }
    if (Date.now() - this.lastHeard > 2 * net.heartbeatMs + 1000) {
      this.h.link('reconnecting');
      this.connect();
    }
  }

  private startPolling(): void {
    this.es?.close();
    this.es = null;
    this.polling = true;
    this.transport = 'long-poll';
    this.h.link('polling');
    void this.poll();
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      const after = this.h.position();
      try {
        const c = await call<Changes>('GET', '/v1/rooms/' + this.roomId + '/changes?after=' + encodeURIComponent(after) + '&wait=25',
          undefined, { token: this.token, timeoutMs: 32000 });
        if (this.stopped) { return; }
        this.h.link('polling');
        for (const e of c.events) { this.h.event(e.event, e.data); }
        this.retryMs = 1000;
      } catch (err) {
        if (this.stopped) { return; }
        this.h.link('reconnecting');
        if (err instanceof ApiError && err.status !== undefined && err.status < 500 && err.status !== 429) {
          await this.h.check();
        }
        await new Promise((ok) => setTimeout(ok, this.retryMs));
        this.retryMs = Math.min(this.retryMs * 2, 30000);
      }
    }
  }
}
