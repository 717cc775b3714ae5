#!/usr/bin/env bash
# The dinner rush on one box: redis-server, RUSH_REPLICAS replicas and the
# repo's nginx (RUSH_WORKERS workers) on loopback, then menusync-load
# -scenario dinner (or costs) through nginx. `make rush` runs it under
# flock; BENCHMARKS.md ("The dinner rush") has the figures and commands.
#
#   RUSH_OUT=rush-out          where the binaries, logs, CSV and PNG go
#   RUSH_REPLICAS=2            replicas (ports 18081...)
#   RUSH_WORKERS=2             nginx worker processes
#   RUSH_SHED_PRESSURE=0       MENUSYNC_SHED_PRESSURE on the replicas (0: off):
#                              refuse new tables while CPU pressure is above it (%)
#   RUSH_SHED=0                MENUSYNC_SHED_LATENCY on the replicas (0: off)
#   RUSH_SCENARIO=dinner       dinner or costs
#   RUSH_NAME=dinner           file names in RUSH_OUT: $RUSH_NAME.{txt,csv,png}
#   RUSH_ARGS=...              flags for menusync-load; for dinner the default is
#                              the held scale of BENCHMARKS.md in under 6 minutes:
#                              -peak 12 -curve 0s:0.1,40s:1,130s:1,160s:0.1
#                              -sleep 10s-1m -expire-ttl 75s -tail 3m
#   RUSH_SCENARIO=uniform      the fan-out runs of BENCHMARKS.md (rooms of 8,
#                              POSTs at -rate) over RUSH_PROCS=2 load processes
#   RUSH_BIN=path              run this menusync binary instead of building
#                              this tree's (to compare with another commit)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${RUSH_OUT:-rush-out}
REPLICAS=${RUSH_REPLICAS:-2}
WORKERS=${RUSH_WORKERS:-2}
SHED=${RUSH_SHED:-0}
SHED_PRESSURE=${RUSH_SHED_PRESSURE:-0}
SCENARIO=${RUSH_SCENARIO:-dinner}
NAME=${RUSH_NAME:-$SCENARIO}
if [ "$SCENARIO" = dinner ]; then
  RUSH_ARGS=${RUSH_ARGS--peak 12 -curve 0s:0.1,40s:1,130s:1,160s:0.1 -sleep 10s-1m -expire-ttl 75s -tail 3m}
fi
mkdir -p "$OUT/bin" "$OUT/nginx"
chmod 777 "$OUT/nginx"
if [ -n "${RUSH_BIN:-}" ]; then cp "$RUSH_BIN" "$OUT/bin/menusync"; else go build -o "$OUT/bin/menusync" ./cmd/menusync; fi
go build -o "$OUT/bin/menusync-load" ./cmd/menusync-load

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

REDIS_PORT=16379
redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --maxclients 10000 \
  >"$OUT/redis.log" 2>&1 &
REDIS_PID=$!
PIDS+=($REDIS_PID)
for _ in $(seq 50); do redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 && break; sleep 0.1; done

# The load env: abuse limits off (every client is on loopback), no stream
# caps, default heartbeat (15 s) and presence grace (10 s).
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0 MENUSYNC_SECRET=0123456789abcdef0123 \
  MENUSYNC_RATE_MEMBER=0 MENUSYNC_RATE_IP=0 MENUSYNC_RATE_READ_MEMBER=0 MENUSYNC_RATE_READ_IP=0 \
  MENUSYNC_ROOMS_PER_IP_MINUTE=0 MENUSYNC_STREAMS_PER_IP=0 MENUSYNC_STREAMS_PER_ROOM=0 \
  MENUSYNC_MAX_STREAMS=0 MENUSYNC_MAX_ROOMS=0 MENUSYNC_SHED_LATENCY=$SHED MENUSYNC_SHED_PRESSURE=$SHED_PRESSURE \
  MENUSYNC_TESSERACT=off MENUSYNC_LOG_LEVEL=warn
REPLICA_PIDS=() UPSTREAMS=""
for i in $(seq "$REPLICAS"); do
  MENUSYNC_ADDR=127.0.0.1:$((18080 + i)) MENUSYNC_REPLICA=r$i "$OUT/bin/menusync" >"$OUT/replica$i.log" 2>&1 &
  PIDS+=($!) REPLICA_PIDS+=($!)
  UPSTREAMS+="        server 127.0.0.1:$((18080 + i)) max_fails=0;"$'\n'
done

N="$(pwd)/nginx"
cat >"$OUT/nginx/nginx.conf" <<EOF
daemon off;
worker_processes $WORKERS;
worker_rlimit_nofile 19500;
pid $(pwd)/$OUT/nginx/nginx.pid;
error_log $(pwd)/$OUT/nginx/error.log warn;
events { worker_connections 19000; }
http {
    client_body_temp_path $(pwd)/$OUT/nginx/body;
    proxy_temp_path $(pwd)/$OUT/nginx/proxy;
    include $N/menusync-http.conf;
    access_log off;
    upstream menusync {
$UPSTREAMS        keepalive 64;
    }
    server {
        listen 127.0.0.1:18400 reuseport backlog=4096;
        include $N/menusync-server.conf;
    }
}
EOF
nginx -p "$(pwd)/$OUT/nginx" -c "$(pwd)/$OUT/nginx/nginx.conf" -e "$(pwd)/$OUT/nginx/error.log" &
NGINX=$!
PIDS+=($NGINX)
for _ in $(seq 100); do curl -fs http://127.0.0.1:18400/readyz >/dev/null 2>&1 && break; sleep 0.1; done
for i in $(seq "$REPLICAS"); do curl -fs "http://127.0.0.1:$((18080 + i))/readyz" >/dev/null; done
WORKER_PIDS=$(pgrep -P "$NGINX" | paste -sd,)

{
  echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' ':!README.md' || echo ' (with changes)')"
  echo "replicas $REPLICAS, nginx workers $WORKERS, MENUSYNC_SHED_PRESSURE=$SHED_PRESSURE MENUSYNC_SHED_LATENCY=$SHED, scenario $SCENARIO, args: ${RUSH_ARGS:-}"
} | tee "$OUT/$NAME.txt"
if [ "$SCENARIO" = uniform ]; then
  # shellcheck disable=SC2086
  "$OUT/bin/menusync-load" -url http://127.0.0.1:18400 -procs "${RUSH_PROCS:-2}" \
    -sources 127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5 \
    -pid "$(IFS=,; echo "${REPLICA_PIDS[*]}"),$WORKER_PIDS,$REDIS_PID" \
    ${RUSH_ARGS:-} 2>&1 | tee -a "$OUT/$NAME.txt"
  exit 0
fi
# shellcheck disable=SC2086
# The load tool shares the cores: fewer, larger GCs (it holds every client's state).
GOGC=${RUSH_LOAD_GOGC:-400} "$OUT/bin/menusync-load" -scenario "$SCENARIO" -url http://127.0.0.1:18400 \
  -sources 127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5 \
  -replica-pids "$(IFS=,; echo "${REPLICA_PIDS[*]}")" -nginx-pids "$WORKER_PIDS" -redis 127.0.0.1:$REDIS_PORT \
  -csv "$OUT/$NAME.csv" -png "$OUT/$NAME.png" ${RUSH_ARGS:-} 2>&1 | tee -a "$OUT/$NAME.txt"
