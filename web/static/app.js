// menusync web app: create a table, join it, pick dishes, follow the
// table live over EventSource. Plain ES2017, no framework, no build step.
'use strict';

var $ = function (sel) { return document.querySelector(sel); };
var ROOM_PATH = /^\/r\/([A-Za-z0-9_-]{22})\/?$/;

var app = {
  heartbeatMs: 15000, // from X-Menusync-Heartbeat
  streamWorks: false, // an event came through the stream at least once
  polling: false,
  roomId: null,
  me: null,        // {memberId, name, token} from localStorage
  state: null,     // {room, members, choices: {memberId|menuId: qty}, version}
  es: null,
  lastEventId: '', // the stream's position, "<epoch>.<version>", for reconnects
  lastHeard: 0,    // when the stream last said anything (an event or a heartbeat)
  closed: false
};

function show(id) {
  ['create', 'join', 'room'].forEach(function (s) { $('#' + s).hidden = s !== id; });
}

function setStatus(text, cls) {
  var el = $('#status');
  el.textContent = text;
  el.className = cls || '';
}

function noteReplica(resp) {
  var r = resp.headers.get('X-Menusync-Replica');
  if (r) { $('#replica').textContent = 'served by ' + r; }
  var hb = Number(resp.headers.get('X-Menusync-Heartbeat'));
  if (hb > 0) { app.heartbeatMs = hb * 1000; }
}

// newKey makes an Idempotency-Key. crypto.randomUUID needs a secure
// context (HTTPS); getRandomValues works on a plain-HTTP LAN address too.
function newKey() {
  var b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
}

function once(method, path, body, token, key, timeoutMs) {
  var headers = {};
  // Every change is JSON, with or without a body: the server refuses
  // other types, which is what keeps other sites' forms out.
  if (method !== 'GET') { headers['Content-Type'] = 'application/json'; }
  if (token) { headers.Authorization = 'Bearer ' + token; }
  if (key) { headers['Idempotency-Key'] = key; }
  // A request to a replica that is stuck gets no answer for as long as
  // the proxy waits; give up sooner and ask again (another replica).
  var ctl = new AbortController();
  var timer = setTimeout(function () { ctl.abort(); }, timeoutMs || 15000);
  return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal: ctl.signal })
    .finally(function () { clearTimeout(timer); })
    .then(function (resp) {
      noteReplica(resp);
      return resp.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!resp.ok) {
          var err = new Error((data && data.detail) || resp.statusText);
          err.status = resp.status;
          err.code = data && data.code;
          throw err;
        }
        return data;
      });
    });
}

// api sends a request. A change (POST, DELETE) carries an Idempotency-Key
// and is retried with the same key when the network or a proxy failed
// (502/503/504): it may have happened, or may still happen late on a
// replica that was stuck, and the key makes both count once.
function api(method, path, body, token, timeoutMs) {
  if (method === 'GET') { return once(method, path, body, token, undefined, timeoutMs); }
  var key = newKey();
  var attempt = 0;
  var run = function () {
    attempt++;
    return once(method, path, body, token, key).catch(function (err) {
      var transient = err.status === undefined || err.status === 502 || err.status === 503 || err.status === 504;
      if (!transient || attempt >= 4) { throw err; }
      return new Promise(function (ok) { setTimeout(ok, 250 * Math.pow(2, attempt)); }).then(run);
    });
  };
  return run();
}

// ---- creating a table -------------------------------------------------

function parseLines(text) {
  return text.split(/\r?\n/).map(function (l) { return l.trim(); }).filter(Boolean).map(function (line) {
    var parts = line.split(',');
    var item = { name: parts[0].trim() };
    if (parts.length > 1 && parts[1].trim() !== '') {
      var p = Number(parts[1].trim().replace(/[^0-9.]/g, ''));
      if (!isNaN(p)) { item.price = p; }
    }
    if (parts.length > 2) { item.description = parts.slice(2).join(',').trim(); }
    return item;
  });
}

function parseCSV(text) {
  var rows = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean).map(function (row) {
    var out = [], cur = '', q = false;
    for (var i = 0; i < row.length; i++) {
      var c = row[i];
      if (q) {
        if (c === '"' && row[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') { q = false; } else { cur += c; }
      } else if (c === '"') { q = true; } else if (c === ',') { out.push(cur.trim()); cur = ''; } else { cur += c; }
    }
    out.push(cur.trim());
    return out;
  });
  var head = rows.shift().map(function (h) { return h.toLowerCase(); });
  return rows.map(function (r) {
    var item = {};
    head.forEach(function (h, i) {
      if (!r[i]) { return; }
      if (h === 'price') { item.price = Number(r[i]); } else if (h === 'id' || h === 'name' || h === 'description') { item[h] = r[i]; }
    });
    return item;
  });
}

function readMenu() {
  var file = $('#menu-file').files[0];
  if (!file) { return Promise.resolve(parseLines($('#menu-text').value)); }
  return file.text().then(function (text) {
    if (/\.csv$/i.test(file.name)) { return parseCSV(text); }
    var j = JSON.parse(text);
    return Array.isArray(j) ? j : j.menu;
  });
}

function createRoom() {
  $('#create-err').textContent = '';
  $('#create-btn').disabled = true;
  readMenu().then(function (menu) {
    return api('POST', '/v1/rooms', { menu: menu, ttlSeconds: Number($('#ttl').value) });
  }).then(function (room) {
    history.pushState(null, '', '/r/' + room.id);
    route();
  }).catch(function (e) {
    $('#create-err').textContent = e.message;
  }).then(function () { $('#create-btn').disabled = false; });
}

// ---- joining ------------------------------------------------------------

function storageKey(roomId) { return 'menusync:' + roomId; }

function joinRoom() {
  var name = $('#name').value.trim();
  $('#join-err').textContent = '';
  if (!name) { $('#join-err').textContent = 'Please enter your name.'; return; }
  $('#join-btn').disabled = true;
  api('POST', '/v1/rooms/' + app.roomId + '/members', { name: name }).then(function (j) {
    app.me = { memberId: j.member.id, name: j.member.name, token: j.token };
    localStorage.setItem(storageKey(app.roomId), JSON.stringify(app.me));
    enterRoom();
  }).catch(function (e) {
    $('#join-err').textContent = e.status === 404 ? 'This table does not exist any more.' : e.message;
  }).then(function () { $('#join-btn').disabled = false; });
}

// ---- the room -------------------------------------------------------------

function key(memberId, menuId) { return memberId + '|' + menuId; }

function applySnapshot(s) {
  var choices = {};
  s.choices.forEach(function (c) { choices[key(c.memberId, c.menuId)] = c.quantity; });
  app.state = { room: s.room, members: s.members, left: s.left || [], choices: choices, version: s.version, epoch: s.epoch };
  render();
}

// A snapshot replaces what we have when it is of another epoch (Redis came
// back with an older room: its state is the truth, even at a lower
// version) or newer.
function replaces(s) {
  return !app.state || s.epoch !== app.state.epoch || s.version >= app.state.version;
}

function refetch() {
  return api('GET', '/v1/rooms/' + app.roomId, undefined, app.me.token).then(function (s) {
    if (replaces(s)) { applySnapshot(s); }
  }).catch(function (e) {
    if (e.status === 404 || e.status === 401 || e.status === 403) { roomClosed(e); }
  });
}

// applyDelta applies versioned changes in order: only the next version of
// the same epoch. A gap or another epoch means something was missed or
// rewritten, and the whole room is fetched again instead.
function applyDelta(d, apply) {
  if (!app.state) { return; }
  if (d.epoch !== app.state.epoch) { refetch(); return; }
  if (d.version <= app.state.version) { return; }
  if (d.version !== app.state.version + 1) { refetch(); return; }
  apply();
  app.state.version = d.version;
  render();
}

function setChoice(memberId, menuId, q) {
  if (q > 0) { app.state.choices[key(memberId, menuId)] = q; } else { delete app.state.choices[key(memberId, menuId)]; }
}

// The events of the stream and of the long-poll, by type: the same JSON
// either way, so the same code applies them.
var eventHandlers = {
  snapshot: applySnapshot,
  choice: function (c) { applyDelta(c, function () { setChoice(c.memberId, c.menuId, c.quantity); }); },
  member: function (m) { applyDelta(m, function () { app.state.members.push(m.member); }); },
  presence: function (p) {
    applyDelta(p, function () {
      app.state.members.forEach(function (m) { if (m.id === p.memberId) { m.online = p.online; } });
    });
  },
  left: function (l) {
    applyDelta(l, function () {
      var gone = app.state.members.filter(function (m) { return m.id === l.memberId; })[0];
      app.state.members = app.state.members.filter(function (m) { return m.id !== l.memberId; });
      if (gone && l.keepChoices) { app.state.left.push(gone); }
      if (!l.keepChoices) {
        Object.keys(app.state.choices).forEach(function (k) { if (k.indexOf(l.memberId + '|') === 0) { delete app.state.choices[k]; } });
      }
    });
    if (app.me && l.memberId === app.me.memberId) { roomClosed({ status: 403 }); }
  },
  refresh: function () { refetch(); },
  closed: function () { roomClosed(); }
};

function applyEvent(type, data) {
  if (eventHandlers[type]) { eventHandlers[type](data); }
}

function connect() {
  if (app.polling || app.closed) { return; }
  if (app.es) { app.es.close(); }
  app.lastHeard = Date.now();
  // Some proxies (antivirus, corporate) hold a stream until it ends: the
  // first event never comes. Then switch to long-polling.
  if (!app.streamWorks) {
    clearTimeout(app.watchdog);
    app.watchdog = setTimeout(function () { if (!app.streamWorks && !app.closed) { startPolling(); } }, 2 * app.heartbeatMs);
  }
  // EventSource cannot send headers: the token rides in the query (the
  // server never logs it); the browser resends Last-Event-ID itself.
  // EventSource cannot send headers: it authenticates with the member's
  // cookie (set by join or by startSession), never a token in the URL,
  // which would end up in proxy logs. A new EventSource (after the
  // watchdog below gave up on one) starts without Last-Event-ID; the query
  // carries the position instead.
  var url = '/v1/rooms/' + app.roomId + '/events';
  if (app.lastEventId) { url += '?lastEventId=' + encodeURIComponent(app.lastEventId); }
  var es = new EventSource(url);
  app.es = es;
  es.onopen = function () { setStatus('live', 'live'); };
  es.onerror = function () {
    if (app.closed) { return; }
    if (es.readyState === EventSource.CLOSED) {
      // the server refused (room gone, token expired): check which
      setStatus('offline', 'reconnecting');
      refetch().then(function () { if (!app.closed) { setTimeout(connect, 3000); } });
    } else {
      setStatus('reconnecting…', 'reconnecting');
    }
  };
  Object.keys(eventHandlers).forEach(function (type) {
    es.addEventListener(type, function (e) {
      app.lastHeard = Date.now();
      if (e.lastEventId) { app.lastEventId = e.lastEventId; }
      if (type === 'snapshot') { app.streamWorks = true; }
      applyEvent(type, JSON.parse(e.data));
    });
  });
  es.addEventListener('heartbeat', function () {
    app.lastHeard = Date.now();
    if (es.readyState === EventSource.OPEN) { setStatus('live', 'live'); }
  });
}

// watchStream: a stream that has said nothing, not even a heartbeat, for
// two heartbeats is dead in a way the browser cannot see (a stuck replica
// behind a proxy that keeps the connection open). Open a new one.
function watchStream() {
  setInterval(function () {
    if (!app.es || app.polling || app.closed || !app.streamWorks) { return; }
    if (Date.now() - app.lastHeard > 2 * app.heartbeatMs + 1000) {
      setStatus('reconnecting…', 'reconnecting');
      connect();
    }
  }, 1000);
}

// startPolling follows the table with GET /changes, for when the stream
// is buffered somewhere on the way.
function startPolling() {
  if (app.es) { app.es.close(); app.es = null; }
  app.polling = true;
  setStatus('live · polling', 'live polling');
  var poll = function () {
    if (app.closed) { return; }
    var after = app.state ? app.state.epoch + '.' + app.state.version : '';
    api('GET', '/v1/rooms/' + app.roomId + '/changes?after=' + encodeURIComponent(after) + '&wait=25', undefined, app.me.token, 32000).then(function (c) {
      setStatus('live · polling', 'live polling');
      c.events.forEach(function (e) { applyEvent(e.event, e.data); });
      poll();
    }).catch(function (err) {
      if (err.status === 404 || err.status === 401 || err.status === 403) { roomClosed(err); return; }
      setStatus('reconnecting…', 'reconnecting');
      setTimeout(poll, 2000);
    });
  };
  poll();
}

function roomClosed(why) {
  app.closed = true;
  if (app.es) { app.es.close(); }
  setStatus(why && (why.status === 401 || why.status === 403) ? 'you are no longer at this table' : 'table closed', 'closed');
  document.querySelectorAll('.stepper button').forEach(function (b) { b.disabled = true; });
}

function setQuantity(menuId, q) {
  api('POST', '/v1/rooms/' + app.roomId + '/choices', { menuId: menuId, quantity: q }, app.me.token).then(function (r) {
    applyDelta(r, function () { setChoice(app.me.memberId, menuId, q); });
  }).catch(function (e) {
    if (e.status === 401 || e.status === 403 || e.status === 404) { roomClosed(e); return; }
    setStatus(e.message, 'reconnecting');
  });
}

function money(x) { return x.toFixed(2); }

function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== undefined) { e.textContent = text; }
  if (cls) { e.className = cls; }
  e.dir = 'auto';
  return e;
}

function buildDishes(list, room) {
  list.textContent = '';
  list.dataset.room = room.id;
  room.menu.forEach(function (it) {
    var li = el('li', undefined, 'dish');
    li.dataset.menuId = it.id;
    var title = el('span', undefined, 'name');
    title.appendChild(el('bdi', it.name));
    if (it.price !== undefined) { title.appendChild(el('span', ' · ' + money(it.price), 'price')); }
    li.appendChild(title);
    if (it.description) { li.appendChild(el('span', it.description, 'desc')); }
    li.appendChild(el('span', '', 'who'));
    var step = el('span', undefined, 'stepper');
    var minus = el('button', '−', 'minus');
    minus.setAttribute('aria-label', 'One less ' + it.name);
    minus.onclick = function () { setQuantity(it.id, Number(li.dataset.mine || 0) - 1); };
    var out = el('output', '0');
    out.setAttribute('aria-label', 'Your quantity of ' + it.name);
    var plus = el('button', '+', 'plus');
    plus.setAttribute('aria-label', 'One more ' + it.name);
    plus.onclick = function () { setQuantity(it.id, Number(li.dataset.mine || 0) + 1); };
    step.appendChild(minus); step.appendChild(out); step.appendChild(plus);
    li.appendChild(step);
    list.appendChild(li);
  });
}

function render() {
  var s = app.state;
  if (!s) { return; }
  // Prices are exact minor units of the room's currency.
  s.room.menu.forEach(function (it) {
    if (it.priceMinor !== undefined) { it.price = it.priceMinor / Math.pow(10, s.room.currencyDigits); }
  });
  var names = {};
  s.members.forEach(function (m) { names[m.id] = m.name; });
  $('#me').textContent = 'You are ' + app.me.name + ' · at the table: ' + s.members.map(function (m) {
    return m.name + (m.online ? ' ●' : ' ○');
  }).join(', ');
  var list = $('#dishes');
  if (list.dataset.room !== s.room.id) { buildDishes(list, s.room); }
  var priced = s.room.menu.some(function (it) { return it.price !== undefined; });
  var perItem = {}, perMember = {}, grand = 0, count = 0;
  s.room.menu.forEach(function (it) {
    var mine = s.choices[key(app.me.memberId, it.id)] || 0;
    var who = [];
    s.members.forEach(function (m) {
      var q = s.choices[key(m.id, it.id)];
      if (q) {
        who.push(names[m.id] + ' ×' + q);
        perItem[it.id] = (perItem[it.id] || 0) + q;
        perMember[m.id] = perMember[m.id] || { qty: 0, total: 0 };
        perMember[m.id].qty += q;
        perMember[m.id].total += q * (it.price || 0);
        grand += q * (it.price || 0);
        count += q;
      }
    });
    // Update the dish in place: rebuilding it would drop focus and the
    // button a finger is on.
    var li = list.querySelector('li[data-menu-id="' + CSS.escape(it.id) + '"]');
    li.querySelector('.who').textContent = who.join(', ');
    li.querySelector('output').textContent = String(mine);
    li.querySelector('.minus').disabled = mine === 0 || app.closed;
    li.querySelector('.plus').disabled = mine >= 99 || app.closed;
    li.dataset.mine = String(mine);
  });

  var sum = $('#summary');
  sum.textContent = '';
  if (count === 0) { sum.appendChild(el('p', 'Nothing ordered yet.')); return; }
  var t = el('table');
  s.room.menu.forEach(function (it) {
    if (!perItem[it.id]) { return; }
    var tr = el('tr');
    tr.appendChild(el('td', perItem[it.id] + ' ×', 'num'));
    tr.appendChild(el('td', it.name));
    tr.appendChild(el('td', priced ? money(perItem[it.id] * (it.price || 0)) : '', 'num'));
    t.appendChild(tr);
  });
  var total = el('tr', undefined, 'total');
  total.appendChild(el('td', String(count), 'num'));
  total.appendChild(el('td', 'Total'));
  total.appendChild(el('td', priced ? money(grand) : '', 'num'));
  total.id = 'grand-total';
  t.appendChild(total);
  sum.appendChild(t);
  var mt = el('table');
  s.members.forEach(function (m) {
    var pm = perMember[m.id];
    if (!pm) { return; }
    var tr = el('tr');
    tr.appendChild(el('td', m.name));
    tr.appendChild(el('td', pm.qty + (pm.qty === 1 ? ' dish' : ' dishes'), 'num'));
    tr.appendChild(el('td', priced ? money(pm.total) : '', 'num'));
    mt.appendChild(tr);
  });
  sum.appendChild(el('h2', 'Per person'));
  sum.appendChild(mt);
}

function enterRoom() {
  show('room');
  var link = location.origin + '/r/' + app.roomId;
  $('#share-link').textContent = link;
  $('#share-link').href = link;
  $('#qr').src = '/v1/rooms/' + app.roomId + '/qr.svg';
  $('#copy-btn').onclick = function () {
    if (navigator.clipboard) { navigator.clipboard.writeText(link); }
  };
  refetch().then(startSession).then(connect);
}

// startSession makes sure the browser holds the member's cookie (a token
// kept in localStorage may outlive it), which the stream and the QR code
// authenticate with.
function startSession() {
  if (app.closed) { return Promise.resolve(); }
  return api('POST', '/v1/rooms/' + app.roomId + '/session', undefined, app.me.token).catch(function (e) {
    if (e.status === 401 || e.status === 403 || e.status === 404) { roomClosed(e); }
  });
}

function route() {
  var m = location.pathname.match(ROOM_PATH);
  if (!m) { show('create'); return; }
  app.roomId = m[1];
  var saved = localStorage.getItem(storageKey(app.roomId));
  app.me = saved ? JSON.parse(saved) : null;
  if (app.me) { enterRoom(); } else { show('join'); $('#name').focus(); }
}

document.addEventListener('DOMContentLoaded', function () {
  $('#create-btn').onclick = createRoom;
  $('#join-btn').onclick = joinRoom;
  $('#name').addEventListener('keydown', function (e) { if (e.key === 'Enter') { joinRoom(); } });
  window.addEventListener('popstate', route);
  watchStream();
  route();
});
