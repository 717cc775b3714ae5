#!/usr/bin/env bash
# Side by side: this tree's menusync ("new") and another commit's ("old",
# AB_BASE, default main) built from source, each run as one replica on
# loopback against its own fresh redis-server, the same menusync-load run
# (this tree's tool) against each in turn, AB_ROUNDS times, alternating
# (old, new, old, new, ...), so both see the same box in the same minutes.
# BENCHMARKS.md ("Side by side") has the figures and the commands.
#
#   AB_OUT=ab-out            binaries and reports go here
#   AB_BASE=main             the commit to compare with
#   AB_ROUNDS=2              runs of each
#   AB_ARGS='...'            menusync-load flags (-url and -pid are added)
#   AB_ENV='K=V ...'         extra environment for both replicas
#
# The redis-server pid is given to the tool after the replica's, so the
# report has Redis' CPU per choice too.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${AB_OUT:-ab-out}
BASE=${AB_BASE:-main}
ROUNDS=${AB_ROUNDS:-2}
ARGS=${AB_ARGS:--streams 2000 -rate 6000 -duration 20s -settle 3s -posters 64}
mkdir -p "$OUT/bin" "$OUT/old-src"
rm -rf "$OUT/old-src" && mkdir -p "$OUT/old-src"
git archive "$BASE" | tar -x -C "$OUT/old-src"
(cd "$OUT/old-src" && go build -o ../bin/menusync-old ./cmd/menusync)
go build -o "$OUT/bin/menusync-new" ./cmd/menusync
go build -o "$OUT/bin/menusync-load" ./cmd/menusync-load
echo "new: $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo +dirty)  old: $BASE $(git rev-parse --short "$BASE")"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

REDIS_PORT=16390
export MENUSYNC_SECRET=0123456789abcdef0123 \
  MENUSYNC_RATE_MEMBER=0 MENUSYNC_RATE_IP=0 MENUSYNC_RATE_READ_MEMBER=0 MENUSYNC_RATE_READ_IP=0 \
  MENUSYNC_ROOMS_PER_IP_MINUTE=0 MENUSYNC_STREAMS_PER_IP=0 MENUSYNC_STREAMS_PER_ROOM=0 \
  MENUSYNC_MAX_STREAMS=0 MENUSYNC_MAX_ROOMS=0 MENUSYNC_TESSERACT=off MENUSYNC_LOG_LEVEL=warn
for round in $(seq "$ROUNDS"); do
  for which in old new; do
    redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --maxclients 20000 \
      >"$OUT/redis.log" 2>&1 &
    RPID=$!
    PIDS+=($RPID)
    for _ in $(seq 50); do redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 && break; sleep 0.1; done
    # shellcheck disable=SC2086
    env ${AB_ENV:-} REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0 MENUSYNC_ADDR=127.0.0.1:18090 \
      "$OUT/bin/menusync-$which" >"$OUT/replica-$which.log" 2>&1 &
    MPID=$!
    PIDS+=($MPID)
    for _ in $(seq 100); do curl -fs http://127.0.0.1:18090/readyz >/dev/null 2>&1 && break; sleep 0.1; done
    echo "=== round $round: $which (replica pid $MPID, redis pid $RPID)"
    # shellcheck disable=SC2086
    "$OUT/bin/menusync-load" -url http://127.0.0.1:18090 -pid "$MPID,$RPID" $ARGS \
      2>&1 | tee "$OUT/$which-$round.txt" || true
    kill "$MPID" "$RPID" 2>/dev/null || true
    wait "$MPID" "$RPID" 2>/dev/null || true
    sleep 1
  done
done
