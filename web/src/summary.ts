// The running order and its fair split, computed the way the server's
// menusync.Summarize does (summary.go, split.go, percent.go), so a delta
// (a choice, a member leaving, a new service charge) updates the totals
// without fetching the room. Exact: BigInt minor units throughout.
// TestSummaryMatchesDomain (web/bundle) runs both on the same tables.
import type { Choice, Member, Room, Summary, MemberShare } from './types';

type Line = MemberShare['items'][number];

/** apportion divides total among weights in proportion: floors first,
 * then one unit each to the largest remainders (ties to the earlier). */
export function apportion(total: bigint, weights: bigint[]): bigint[] {
  const parts = weights.map(() => 0n);
  const sum = weights.reduce((a, w) => a + w, 0n);
  if (sum === 0n || total <= 0n) { return parts; }
  const rems: bigint[] = [];
  let given = 0n;
  weights.forEach((w, i) => {
    const p = total * w;
    parts[i] = p / sum;
    rems[i] = p % sum;
    given += parts[i];
  });
  const order = weights.map((_, i) => i);
  order.sort((a, b) => (rems[a] > rems[b] ? -1 : rems[a] < rems[b] ? 1 : a - b));
  for (const i of order.slice(0, Number(total - given))) { parts[i]++; }
  return parts;
}

/** percentOf is p percent (up to two decimals) of minor, half up. */
export function percentOf(p: number, minor: bigint): bigint {
  const bp = BigInt(Math.round(p * 100));
  if (minor <= 0n || bp <= 0n) { return 0n; }
  const n = minor * bp;
  let q = n / 10000n;
  if (2n * (n % 10000n) >= 10000n) { q++; }
  return q;
}

/** summarize: dishes in menu order, members in join order and then
 * those who left with their choices kept. */
export function summarize(room: Room, members: Member[], left: Member[], choices: Choice[]): Summary {
  const menu = room.menu;
  const everyone = [...members, ...left];
  const itemPos = new Map(menu.map((it, i) => [it.id, i]));
  const memberPos = new Map(everyone.map((m, i) => [m.id, i]));
  const priced = menu.some((it) => it.priceMinor !== undefined);
  const price = (i: number) => BigInt(menu[i].priceMinor ?? 0);
  const qty = menu.map(() => 0);
  const sharedQty = menu.map(() => 0);
  const lines: Line[][] = everyone.map(() => []);
  const sub = everyone.map(() => 0n);
  // The server lists choices by member, then menu order.
  const sorted = choices.filter((c) => itemPos.has(c.menuId) && memberPos.has(c.memberId) && c.quantity > 0)
    .sort((a, b) => (memberPos.get(a.memberId)! - memberPos.get(b.memberId)!) || (itemPos.get(a.menuId)! - itemPos.get(b.menuId)!));
  for (const c of sorted) {
    const ip = itemPos.get(c.menuId)!;
    const mp = memberPos.get(c.memberId)!;
    qty[ip] += c.quantity;
    if (c.shared) {
      sharedQty[ip] += c.quantity;
      continue;
    }
    const amount = price(ip) * BigInt(c.quantity);
    const line: Line = { menuId: c.menuId, quantity: c.quantity, shared: false, amountMinor: Number(amount) };
    if (c.note) { line.note = c.note; }
    lines[mp].push(line);
    sub[mp] += amount;
  }
  shareDishes(menu.map((it) => it.id), sharedQty, price, members.length || everyone.length, lines, sub);
  return layOut(room, everyone, priced, qty, sharedQty, price, lines, sub);
}

function shareDishes(ids: string[], sharedQty: number[], price: (i: number) => bigint, present: number, lines: Line[][], sub: bigint[]): void {
  sharedQty.forEach((q, ip) => {
    if (q === 0 || present === 0) { return; }
    // The units that do not divide go one each to the first members in
    // join order, starting at a different member for each dish.
    const parts = apportion(price(ip) * BigInt(q), Array.from({ length: present }, () => 1n));
    parts.forEach((part, k) => {
      const mp = (k + ip) % present;
      lines[mp].push({ menuId: ids[ip], quantity: q, shared: true, sharedBy: present, amountMinor: Number(part) });
      sub[mp] += part;
    });
  });
}

function layOut(room: Room, everyone: Member[], priced: boolean, qty: number[], sharedQty: number[],
  price: (i: number) => bigint, lines: Line[][], sub: bigint[]): Summary {
  const sum: Summary = { currencyDigits: 0, items: [], members: [], quantity: 0 };
  let subtotal = 0n;
  room.menu.forEach((it, i) => {
    if (qty[i] === 0) { return; }
    const total = price(i) * BigInt(qty[i]);
    subtotal += total;
    sum.quantity += qty[i];
    const item: Summary['items'][number] = { menuId: it.id, name: it.name, quantity: qty[i], sharedQuantity: sharedQty[i] };
    if (priced) { item.totalMinor = Number(total); }
    sum.items.push(item);
  });
  const service = percentOf(room.serviceChargePercent, subtotal);
  const tip = percentOf(room.tipPercent, subtotal);
  const services = apportion(service, sub);
  const tips = apportion(tip, sub);
  sum.members = everyone.map((m, i) => {
    const ms: MemberShare = { memberId: m.id, name: m.name, items: lines[i], quantity: 0 };
    for (const l of ms.items) {
      if (!l.shared) { ms.quantity += l.quantity; }
      if (!priced) { delete l.amountMinor; }
    }
    if (priced) {
      ms.subtotalMinor = Number(sub[i]);
      ms.serviceMinor = Number(services[i]);
      ms.tipMinor = Number(tips[i]);
      ms.totalMinor = Number(sub[i] + services[i] + tips[i]);
    }
    return ms;
  });
  if (priced) {
    if (room.currency) { sum.currency = room.currency; }
    sum.currencyDigits = room.currencyDigits;
    sum.subtotalMinor = Number(subtotal);
    sum.serviceMinor = Number(service);
    sum.tipMinor = Number(tip);
    sum.totalMinor = Number(subtotal + service + tip);
  }
  return sum;
}
