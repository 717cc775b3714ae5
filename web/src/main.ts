// menusync's party app: open a table from a photo or a pasted menu,
// share it, join it, pick dishes together live, and show the waiter.
// TypeScript bundled by esbuild's Go API (go generate ./web) into
// web/static/app.js; no framework, no CDN, nothing fetched but the API.
import { app, loadMe, savedLang, ROOM_PATH } from './app';
import { call } from './api';
import { pickLang, matchLang } from './i18n';
import { applyLang, hideToast } from './ui';
import type { ClientConfig } from './types';
import { showStart, showPreview, showName } from './create';
import { showJoin } from './join';
import { enterRoom, stopFollowing, render } from './table';
import { showClosed } from './closed';

function route(): void {
  hideToast();
  const m = ROOM_PATH.exec(location.pathname);
  if (!m) {
    if (app.roomId) { stopFollowing(); app.roomId = null; app.state = null; app.me = null; }
    const step = (history.state as { screen?: string } | null)?.screen;
    if (step === 'preview' && app.draft) { showPreview(); return; }
    if (step === 'name' && app.draft) { showName(); return; }
    showStart();
    return;
  }
  if (app.roomId !== m[1]) {
    stopFollowing();
    app.state = null;
  }
  app.roomId = m[1];
  app.me = loadMe(app.roomId);
  if (app.me) { enterRoom(); } else { showJoin(); }
}

function rerender(): void {
  switch (app.screen) {
    case 'start': showStart(); break;
    case 'preview': showPreview(); break;
    case 'name': showName(); break;
    case 'join': showJoin(); break;
    case 'closed': showClosed(); break;
    case 'table': enterRoom(); break;
    default: route();
  }
  render();
}

function resume(): void {
  if (document.visibilityState === 'visible') { app.follower?.resume(); }
}

async function boot(): Promise<void> {
  const saved = savedLang();
  applyLang((saved && matchLang(saved)) || pickLang(navigator.languages?.length ? navigator.languages : [navigator.language]));
  app.rerender = rerender;
  window.addEventListener('popstate', route);
  // A phone that slept, or came back to this tab, or back online:
  // resume the stream (or open a new one, which brings the snapshot).
  document.addEventListener('visibilitychange', resume);
  window.addEventListener('pageshow', resume);
  window.addEventListener('online', resume);
  // A tab the browser froze in the background (Page Lifecycle) thawed.
  document.addEventListener('resume', resume);
  try {
    app.config = await call<ClientConfig>('GET', '/v1/config');
  } catch {
    app.config = null; // no camera button; everything else works
  }
  route();
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', () => void boot());
} else {
  void boot();
}
