// A full scenario against a live menusync through the client that
// openapi-typescript + openapi-fetch generate from openapi.yaml:
//   node dist/scenario.js http://127.0.0.1:8080
// It exits non-zero, saying why, on the first surprise.
import { randomUUID } from "node:crypto";
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Problem = components["schemas"]["Problem"];

const baseUrl = process.argv[2];
if (!baseUrl) {
  console.error("usage: node dist/scenario.js BASE_URL");
  process.exit(2);
}

function check(cond: unknown, what: string): asserts cond {
  if (!cond) {
    throw new Error(what);
  }
}

// Every POST carries an Idempotency-Key; a retry reuses it, so a request
// that timed out and was in fact carried out is not carried out twice.
function keyed(key: string = randomUUID()) {
  return { headers: { "Idempotency-Key": key } };
}

// Every change is JSON, with or without a body: the server refuses other
// types (other sites' forms cannot send JSON).
function bearer(token: string, key: string = randomUUID()) {
  return { headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": key, "Content-Type": "application/json" } };
}

async function expectProblem(
  what: string,
  status: number,
  call: Promise<{ error?: unknown; response: Response }>,
): Promise<void> {
  const { error, response } = await call;
  check(response.status === status, `${what}: status ${response.status}, want ${status}`);
  check(
    response.headers.get("content-type") === "application/problem+json",
    `${what}: content-type ${response.headers.get("content-type")}`,
  );
  const p = error as Problem;
  check(p && p.status === status && p.code && p.detail, `${what}: problem ${JSON.stringify(error)}`);
  console.log(`ok ${what}: ${status} ${p.code}`);
}

async function main(): Promise<void> {
  const api = createClient<paths>({ baseUrl });

  const created = await api.POST("/v1/rooms", {
    ...keyed(),
    body: {
      name: "Lunch in Tokyo",
      currency: "JPY",
      creatorName: "Hana",
      menu: [
        { id: "sushi", name: "寿司", price: "1800" },
        { id: "mint-tea", name: "شاي بالنعناع", priceMinor: 450 },
        { name: "Water" },
      ],
      ttlSeconds: 3600,
    },
  });
  check(created.response.status === 201 && created.data, `create: ${created.response.status}`);
  const room = created.data;
  check(room.menu[2].id === "3" && room.version === 2 && room.epoch, `room: ${JSON.stringify(room)}`);
  check(room.currency === "JPY" && room.currencyDigits === 0 && room.menu[0].priceMinor === 1800, `money: ${JSON.stringify(room)}`);
  // The dish glossary: a suggestion in English, marked as such, and how
  // to say the dish.
  const sushi = room.menu[0];
  check(sushi.suggestedNames?.en === "Sushi" && sushi.romanized === "sushi" && sushi.glossary?.kind === "exact", `glossary: ${JSON.stringify(sushi)}`);
  const host = room.creator;
  check(host && room.hostId === host.member.id, `the creator is the host: ${JSON.stringify(room)}`);
  const roomId = room.id;
  const path = { params: { path: { roomId } } };
  console.log(`ok create ${roomId}`);

  const ana = await api.POST("/v1/rooms/{roomId}/members", { ...path, ...keyed(), body: { name: "Ana" } });
  const bo = await api.POST("/v1/rooms/{roomId}/members", { ...path, ...keyed(), body: { name: "Bo" } });
  check(ana.data && bo.data, "join");
  console.log(`ok join ${ana.data.member.id} ${bo.data.member.id}`);

  const choiceKey = randomUUID();
  const chose = await api.POST("/v1/rooms/{roomId}/choices", {
    ...path,
    ...bearer(bo.data.token, choiceKey),
    body: { menuId: "sushi", quantity: 2 },
  });
  check(
    chose.data && chose.data.version === 5 && chose.data.epoch === room.epoch && chose.data.choice.memberId === bo.data.member.id,
    "choose",
  );
  const retried = await api.POST("/v1/rooms/{roomId}/choices", {
    ...path,
    ...bearer(bo.data.token, choiceKey),
    body: { menuId: "sushi", quantity: 2 },
  });
  check(
    retried.data?.version === 5 && retried.response.headers.get("Idempotent-Replayed") === "true",
    `retry with the same key: ${JSON.stringify(retried.data)}`,
  );
  await api.POST("/v1/rooms/{roomId}/choices", {
    ...path,
    ...bearer(ana.data.token),
    body: { menuId: "mint-tea", quantity: 3, note: "less sugar", shared: true },
  });
  const refreshed = await api.POST("/v1/rooms/{roomId}/refresh", { ...path, ...bearer(ana.data.token) });
  check(refreshed.response.status === 202 && refreshed.data?.version === 7, "refresh");
  console.log("ok choose, refresh");

  // The host's controls, and the members' own.
  const hostPatch = await api.PATCH("/v1/rooms/{roomId}", {
    ...path,
    ...bearer(host.token),
    body: { serviceChargePercent: 10 },
  });
  check(hostPatch.data?.version === 8, `service charge: ${hostPatch.response.status}`);
  await expectProblem(
    "403 not the host",
    403,
    api.PATCH("/v1/rooms/{roomId}", { ...path, ...bearer(ana.data.token), body: { locked: true } }),
  );
  const done = await api.PATCH("/v1/rooms/{roomId}/members/{memberId}", {
    params: { path: { roomId, memberId: "me" } },
    ...bearer(bo.data.token),
    body: { done: true },
  });
  check(done.data?.done === true && done.data.memberId === bo.data.member.id, "done");
  const named = await api.PUT("/v1/rooms/{roomId}/menu/{menuId}/names/{lang}", {
    params: { path: { roomId, menuId: "sushi", lang: "en" } },
    ...bearer(ana.data.token),
    body: { name: "Sushi" },
  });
  check(named.data?.name === "Sushi" && named.data.lang === "en", "dish name");
  const locked = await api.PATCH("/v1/rooms/{roomId}", { ...path, ...bearer(host.token), body: { locked: true } });
  check(locked.response.status === 200, "lock");
  await expectProblem(
    "409 order locked",
    409,
    api.POST("/v1/rooms/{roomId}/choices", { ...path, ...bearer(ana.data.token), body: { menuId: "sushi", quantity: 1 } }),
  );
  console.log("ok host controls, done, dish name, lock");

  const snap = await api.GET("/v1/rooms/{roomId}", { ...path, ...bearer(ana.data.token) });
  check(snap.data, `snapshot: ${snap.response.status}`);
  const s = snap.data;
  check(s.version === 11 && s.members.length === 3 && s.choices.length === 2, `snapshot: ${JSON.stringify(s)}`);
  // Bo: 2 × 1800; the tea for the table (3 × 450 = 1350) split three
  // ways; 10% service on the 4950 subtotal.
  check(s.summary.quantity === 5 && s.summary.totalMinor === 5445, `summary: ${JSON.stringify(s.summary)}`);
  const boShare = s.summary.members.find((m) => m.name === "Bo");
  check(boShare && boShare.totalMinor === 4455 && boShare.items.length === 2, `Bo's share: ${JSON.stringify(boShare)}`);
  check(s.room.menu[0].names?.en === "Sushi" && s.members[2].done && !s.allDone, "names and done in the snapshot");
  const total = s.summary.members.reduce((sum, m) => sum + (m.totalMinor ?? 0), 0);
  check(total === s.summary.totalMinor, `the shares add up: ${total}`);
  console.log(`ok snapshot v${s.version} total ${s.summary.totalMinor} ${s.room.currency}`);

  const got = await api.GET("/v1/rooms/{roomId}/order", { ...path, ...bearer(bo.data.token) });
  const order = got.data as components["schemas"]["StaffOrder"] | undefined;
  check(order && order.lines.length === 2 && order.lines[1].notes[0].note === "less sugar", `order: ${JSON.stringify(order)}`);
  console.log("ok order");

  // Every documented error status.
  const other = await api.POST("/v1/rooms", { ...keyed(), body: { menu: [{ name: "x" }] } });
  const stranger = await api.POST("/v1/rooms/{roomId}/members", {
    params: { path: { roomId: other.data!.id } },
    ...keyed(),
    body: { name: "Stranger" },
  });
  await expectProblem(
    "400 malformed JSON",
    400,
    api.POST("/v1/rooms/{roomId}/choices", {
      ...path,
      ...bearer(ana.data.token),
      body: { menuId: "sushi", quantity: 1 },
      bodySerializer: () => '{"menuId":',
    }),
  );
  await expectProblem(
    "401 no token",
    401,
    api.POST("/v1/rooms/{roomId}/choices", { ...path, body: { menuId: "sushi", quantity: 1 } }),
  );
  await expectProblem(
    "403 other room's token",
    403,
    api.GET("/v1/rooms/{roomId}", { ...path, ...bearer(stranger.data!.token) }),
  );
  await expectProblem(
    "404 unknown room",
    404,
    api.POST("/v1/rooms/{roomId}/members", {
      params: { path: { roomId: "AAAAAAAAAAAAAAAAAAAAAA" } },
      body: { name: "x" },
    }),
  );
  await expectProblem(
    "413 body too large",
    413,
    api.POST("/v1/rooms/{roomId}/choices", {
      ...path,
      ...bearer(ana.data.token),
      body: { menuId: "sushi", quantity: 1 },
      bodySerializer: () => '{"menuId":"' + "x".repeat(70 << 10) + '","quantity":1}',
    }),
  );
  await expectProblem(
    "422 quantity out of range",
    422,
    api.POST("/v1/rooms/{roomId}/choices", {
      ...path,
      ...bearer(ana.data.token),
      body: { menuId: "sushi", quantity: 100 },
    }),
  );
  await expectProblem(
    "422 unknown dish",
    422,
    api.POST("/v1/rooms/{roomId}/choices", {
      ...path,
      ...bearer(ana.data.token),
      body: { menuId: "pizza", quantity: 1 },
    }),
  );
  await expectProblem(
    "400 bad Last-Event-ID",
    400,
    api.GET("/v1/rooms/{roomId}/events", {
      params: { path: { roomId }, query: { lastEventId: "abc" } },
      ...bearer(ana.data.token),
      parseAs: "stream",
    }),
  );
  const closed = await api.POST("/v1/rooms/{roomId}/close", { ...path, ...bearer(host.token), body: { reason: "ごちそうさま" } });
  check(closed.response.status === 200, "close");
  await expectProblem(
    "409 table closed",
    409,
    api.PATCH("/v1/rooms/{roomId}/members/{memberId}", {
      params: { path: { roomId, memberId: "me" } },
      ...bearer(ana.data.token),
      body: { done: true },
    }),
  );
  console.log("ok close");
  console.log("scenario passed");
}

main().catch((err: unknown) => {
  console.error(`scenario failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
