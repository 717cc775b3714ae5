// The table as this phone knows it, kept by the rules every client
// follows (openapi.yaml "Positions"; the Go client's apply.go): a
// snapshot replaces the state when it is of another epoch or newer; a
// delta applies only as the next version of the same epoch; a delta
// already covered is skipped; anything else means fetching the room.
import type {
  Choice, ChoiceEvent, DishNameEvent, DoneEvent, EventPosition, LeftEvent, Member, MemberEvent,
  MenuEvent, PresenceEvent, RenamedEvent, Room, RoomEvent, Snapshot, Summary, ClosedEvent,
} from './types';
import { summarize } from './summary';

export interface TableState {
  room: Room;
  members: Member[];
  left: Member[];
  /** "<memberId>|<menuId>" → the choice (quantities above 0 only). */
  choices: Record<string, Choice>;
  summary: Summary;
  allDone: boolean;
  version: number;
  epoch: string;
  /** The host's words when they closed the table. */
  closedMessage?: string;
}

export const choiceKey = (memberId: string, menuId: string): string => memberId + '|' + menuId;

export function fromSnapshot(s: Snapshot): TableState {
  const choices: Record<string, Choice> = {};
  for (const c of s.choices) { choices[choiceKey(c.memberId, c.menuId)] = c; }
  return {
    room: s.room, members: s.members, left: s.left ?? [], choices, summary: s.summary,
    allDone: s.allDone, version: s.version, epoch: s.epoch, closedMessage: s.room.closedReason,
  };
}

/** replaces: whether snapshot s should replace st (another epoch: its
 * history is the truth even at a lower version). */
export function replaces(st: TableState | null, s: Snapshot): boolean {
  return !st || s.epoch !== st.epoch || s.version >= st.version;
}

export type Applied = 'applied' | 'covered' | 'refetch';

/** applyDelta applies one event to st in place, or says why not. */
export function applyDelta(st: TableState, type: string, data: EventPosition): Applied {
  if (data.epoch !== st.epoch) { return 'refetch'; }
  if (data.version <= st.version) { return 'covered'; }
  if (data.version !== st.version + 1 || type === 'refresh') { return 'refetch'; }
  if (!apply(st, type, data)) { return 'refetch'; }
  st.version = data.version;
  st.room.version = data.version;
  finish(st);
  return 'applied';
}

/** finish recomputes what a state derives from its parts. */
export function finish(st: TableState): void {
  st.summary = summarize(st.room, st.members, st.left, Object.values(st.choices));
  st.allDone = st.members.length > 0 && st.members.every((m) => m.done);
}

function member(st: TableState, id: string, f: (m: Member) => void): void {
  for (const m of st.members) { if (m.id === id) { f(m); } }
}

function apply(st: TableState, type: string, data: unknown): boolean {
  switch (type) {
    case 'choice': applyChoice(st, data as ChoiceEvent); return true;
    case 'member': st.members.push((data as MemberEvent).member); return true;
    case 'presence': {
      const p = data as PresenceEvent;
      member(st, p.memberId, (m) => { m.online = p.online; });
      return true;
    }
    case 'left': applyLeft(st, data as LeftEvent); return true;
    case 'room': applyRoom(st.room, data as RoomEvent); return true;
    case 'menu': applyMenu(st, (data as MenuEvent).menu); return true;
    case 'dishname': {
      const e = data as DishNameEvent;
      for (const it of st.room.menu) {
        if (it.id === e.menuId) { it.names = { ...(it.names ?? {}), [e.lang]: e.name }; }
      }
      return true;
    }
    case 'done': {
      const e = data as DoneEvent;
      member(st, e.memberId, (m) => { m.done = e.done; });
      return true;
    }
    case 'renamed': {
      const e = data as RenamedEvent;
      member(st, e.memberId, (m) => { m.name = e.name; });
      return true;
    }
    case 'closed': {
      const e = data as ClosedEvent;
      st.room.closed = true;
      st.closedMessage = e.message;
      if (e.expiresAt) { st.room.expiresAt = e.expiresAt; }
      return true;
    }
  }
  return false;
}

function applyChoice(st: TableState, c: ChoiceEvent): void {
  const k = choiceKey(c.memberId, c.menuId);
  if (c.quantity <= 0) {
    delete st.choices[k];
    return;
  }
  const ch: Choice = { menuId: c.menuId, memberId: c.memberId, quantity: c.quantity, shared: !!c.shared };
  if (c.note) { ch.note = c.note; }
  st.choices[k] = ch;
}

function applyLeft(st: TableState, e: LeftEvent): void {
  st.room.hostId = e.hostId;
  const i = st.members.findIndex((m) => m.id === e.memberId);
  if (i < 0) { return; }
  const [m] = st.members.splice(i, 1);
  m.online = false;
  m.done = false;
  if (e.keepChoices) {
    // Those who left are listed in join order too.
    const j = st.left.findIndex((x) => x.joined > m.joined);
    st.left.splice(j < 0 ? st.left.length : j, 0, m);
    return;
  }
  for (const k of Object.keys(st.choices)) {
    if (k.startsWith(e.memberId + '|')) { delete st.choices[k]; }
  }
}

function applyRoom(r: Room, e: RoomEvent): void {
  if (e.name !== undefined) { r.name = e.name; }
  if (e.locked !== undefined) { r.locked = e.locked; }
  if (e.serviceChargePercent !== undefined) { r.serviceChargePercent = e.serviceChargePercent; }
  if (e.tipPercent !== undefined) { r.tipPercent = e.tipPercent; }
  if (e.hostId !== undefined) { r.hostId = e.hostId; }
}

function applyMenu(st: TableState, menu: Room['menu']): void {
  st.room.menu = menu;
  const on = new Set(menu.map((it) => it.id));
  for (const [k, c] of Object.entries(st.choices)) {
    if (!on.has(c.menuId)) { delete st.choices[k]; }
  }
}
