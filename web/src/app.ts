// The app's one state: who this phone is at which table, what it knows
// of the table, and how it is connected. window.app exposes it to the
// browser tests (they read app.state's position and choices).
import type { ClientConfig, Draft } from './types';
import type { TableState } from './state';
import type { Follower, Link } from './sync';

export interface Me {
  memberId: string;
  name: string;
  token: string;
}

export type Screen = 'start' | 'preview' | 'name' | 'share' | 'join' | 'table' | 'closed' | 'loading';

export const app = {
  config: null as ClientConfig | null,
  roomId: null as string | null,
  me: null as Me | null,
  state: null as TableState | null,
  follower: null as Follower | null,
  link: 'connecting' as Link,
  screen: 'loading' as Screen,
  /** The create flow's menu, as read and corrected. */
  draft: null as Draft | null,
  /** Redraws the current screen (a new language, new state). */
  rerender: (): void => {},
};

declare global {
  interface Window { app: typeof app }
}
window.app = app;

const KEY = 'menusync:';

export function loadMe(roomId: string): Me | null {
  try {
    const raw = localStorage.getItem(KEY + roomId);
    const me = raw ? (JSON.parse(raw) as Me) : null;
    return me && me.token && me.memberId ? me : null;
  } catch {
    return null;
  }
}

export function saveMe(roomId: string, me: Me): void {
  try { localStorage.setItem(KEY + roomId, JSON.stringify(me)); } catch { /* private mode: this visit only */ }
}

export function forgetMe(roomId: string): void {
  try { localStorage.removeItem(KEY + roomId); } catch { /* nothing kept */ }
}

export function savedLang(): string | null {
  try { return localStorage.getItem(KEY + 'lang'); } catch { return null; }
}

export function saveLang(l: string): void {
  try { localStorage.setItem(KEY + 'lang', l); } catch { /* this visit only */ }
}

export const ROOM_PATH = /^\/r\/([A-Za-z0-9_-]{22})\/?$/;

/** shareLink is the address others open: the deployment's public URL
 * when it has one (MENUSYNC_PUBLIC_URL), else this page's origin. */
export function shareLink(roomId: string): string {
  const base = (app.config?.publicUrl || location.origin).replace(/\/+$/, '');
  return base + '/r/' + roomId;
}

export const isHost = (): boolean => !!(app.state && app.me && app.state.room.hostId === app.me.memberId);
