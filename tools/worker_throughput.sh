#!/usr/bin/env bash
# Throughput and latency of `isnad worker` on a throwaway PostgreSQL (and SQLite with one worker),
# for docs/PERFORMANCE.md ("Team scale: PostgreSQL and workers").
#
#   tools/worker_throughput.sh build/release/isnad [ARTICLES=3000] [CORPUS=../shared/data/news/saudinewsnet/corpus.jsonl]
#
# For each run: a fresh database, the first ARTICLES articles of CORPUS queued with
# `isnad ingest --queue`, then W workers started together with --drain. Reports articles/s by the
# wall clock (first worker start → last worker exit), the CPU seconds per article of the workers
# and of PostgreSQL, finished_at − enqueued_at percentiles from the queue table (in these drain
# runs that is mostly time spent waiting in the queue), what the PostgreSQL sessions were waiting
# on (sampled from pg_stat_activity), the WAL written and the storage per article. A last run
# posts articles through `isnad serve --queue` at a steady RATE (default: 60% of the drain rate
# measured with STEADY_WORKERS, default 2, workers) to that many workers: there
# finished_at − enqueued_at is the latency a sender sees. WORKER_COUNTS (default "1 2 4"),
# BATCH (32), SQLITE=0 and STEADY_ARTICLES=0 (skip those runs) adjust it.
#
# PGSS=1 loads pg_stat_statements and prints the statements taking most database time per run.
# The server runs as the `postgres` user when run as root, from a data directory under $TMPDIR
# (default /tmp: on disk, fsync on, so commits pay for durability). Nothing is left behind.
set -euo pipefail

ISNAD=$(realpath "${1:?usage: $0 ISNAD_BINARY [ARTICLES] [CORPUS]}")
ARTICLES=${2:-3000}
CORPUS=$(realpath "${3:-$(dirname "$0")/../../shared/data/news/saudinewsnet/corpus.jsonl}")
WORKER_COUNTS=${WORKER_COUNTS:-"1 2 4"}
BATCH=${BATCH:-32}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/isnad-throughput-XXXXXX")
chmod 755 "$WORK"
PGDATA=$WORK/pg
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
STEADY_WORKERS_DEFAULT=${STEADY_WORKERS:-2}
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$PGDATA"
[ "$(id -u)" = 0 ] && chown postgres "$PGDATA" "$WORK"
as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $WORK -c max_connections=50 -c shared_buffers=256MB ${PGSS:+-c shared_preload_libraries=pg_stat_statements}" start >/dev/null
PG_PID=$(head -1 "$PGDATA/postmaster.pid")
sql() { psql -X -q -A -t -h 127.0.0.1 -p "$PORT" -U postgres -d "$1" -c "$2"; }
url() { echo "postgresql://postgres@127.0.0.1:$PORT/$1"; }

head -n "$ARTICLES" "$CORPUS" > "$WORK/articles.jsonl"
echo "# $ARTICLES articles from $CORPUS; $(nproc) cores; $($ISNAD --version 2>/dev/null || echo isnad); PostgreSQL $($PGBIN/postgres --version | awk '{print $3}')"

# CPU seconds (user+sys) of finished children of the postmaster: its backends, once they exited.
pg_child_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($16 + $17) / hz}' "/proc/$PG_PID/stat"; }

# finished_at − enqueued_at percentiles (seconds) and the span first-enqueued → last-finished.
latency() {
  sql "$1" "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY finished_at - enqueued_at)::numeric, 3),
                   round(percentile_cont(0.95) WITHIN GROUP (ORDER BY finished_at - enqueued_at)::numeric, 3)
            FROM queue WHERE finished_at IS NOT NULL" | tr '|' ' '
}

# Samples what client sessions are doing every 0.2 s until the file $1 exists.
sample_waits() {
  local db=$1 stop=$2 out=$3
  while [ ! -e "$stop" ]; do
    sql "$db" "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') || ' ' || state ||
               CASE WHEN wait_event_type = 'Lock' THEN ' [' || left(regexp_replace(query, '\s+', ' ', 'g'), 60) || ']' ELSE '' END
               FROM pg_stat_activity
               WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = current_database()
               AND state <> 'idle'" >> "$out" 2>/dev/null || true
    sleep 0.2
  done
}

# Starts W workers with --drain and waits for them all; prints wall seconds and worker CPU seconds.
run_workers() {
  local location=$1 workers=$2 tag=$3
  local start end cpu=0
  start=$(date +%s.%N)
  local pids=()
  for i in $(seq 1 "$workers"); do
    /usr/bin/time -f "%U %S" -o "$WORK/$tag-$i.time" \
      "$ISNAD" worker --store "$location" --batch "$BATCH" --lease 60 --drain --name "$tag-$i" 2>"$WORK/$tag-$i.log" &
    pids+=($!)
  done
  PIDS+=("${pids[@]}")
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  for i in $(seq 1 "$workers"); do cpu=$(awk -v c="$cpu" '{print c + $1 + $2}' "$WORK/$tag-$i.time"); done
  echo "$(echo "$end - $start" | bc -l) $cpu"
}

printf '\n| engine | workers | articles | wall s | articles/s | worker CPU ms/article | PG CPU ms/article | queue wait p50 / p95 s | WAL KB/article | storage KB/article |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for W in $WORKER_COUNTS; do
  db=w$W
  sql postgres "CREATE DATABASE $db" >/dev/null
  [ -n "${PGSS:-}" ] && sql $db "CREATE EXTENSION pg_stat_statements" >/dev/null
  "$ISNAD" ingest --queue --store "$(url $db)" "$WORK/articles.jsonl" 2>/dev/null
  n=$(sql $db "SELECT count(*) FROM queue WHERE document IS NULL")
  [ -n "${PGSS:-}" ] && sql $db "SELECT pg_stat_statements_reset()" >/dev/null
  lsn0=$(sql $db "SELECT pg_current_wal_lsn()")
  cpu0=$(pg_child_cpu)
  rm -f "$WORK/stop"
  sample_waits $db "$WORK/stop" "$WORK/waits-$W.txt" &
  sampler=$!
  read -r wall wcpu < <(run_workers "$(url $db)" "$W" "pg$W")
  touch "$WORK/stop"
  wait $sampler
  cpu1=$(pg_child_cpu)
  wal=$(sql $db "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$lsn0')")
  stored=$(sql $db "SELECT count(*) FROM documents")
  bytes=$(sql $db "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                   WHERE s.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'queue'")
  qbytes=$(sql $db "SELECT pg_total_relation_size('queue')")
  read -r p50 p95 < <(latency $db)
  printf '| PostgreSQL | %s | %s | %.1f | %.1f | %.1f | %.1f | %s / %s | %.1f | %.1f (+ queue %.1f) |\n' \
    "$W" "$stored" "$wall" "$(echo "$n / $wall" | bc -l)" "$(echo "1000 * $wcpu / $n" | bc -l)" \
    "$(echo "1000 * ($cpu1 - $cpu0) / $n" | bc -l)" "$p50" "$p95" "$(echo "$wal / 1024 / $n" | bc -l)" \
    "$(echo "$bytes / 1024 / $n" | bc -l)" "$(echo "$qbytes / 1024 / $n" | bc -l)"
  [ "$W" = "$STEADY_WORKERS_DEFAULT" ] && DRAIN_RATE=$(echo "$n / $wall" | bc -l)
  check=$("$ISNAD" check --store "$(url $db)" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ok"])')
  [ "$check" = True ] || echo "isnad check failed on $db" >&2
  if [ -n "${PGSS:-}" ]; then  # where the database's time goes, per article
    sql $db "SELECT '$W workers: ' || round((total_exec_time / $n)::numeric, 2) || ' ms/article, ' || calls || ' calls: ' ||
             left(regexp_replace(query, '\s+', ' ', 'g'), 90) FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
             ORDER BY total_exec_time DESC LIMIT 8" >> "$WORK/statements.txt"
  fi
  sort "$WORK/waits-$W.txt" | uniq -c | sort -rn | head -8 | awk -v w="$W" '{c=$1; $1=""; printf "waits[%s workers]:%s ×%s\n", w, $0, c}' >> "$WORK/waits.txt"
done

# SQLite: one worker (one writer per file; the queue works, but a team shares PostgreSQL).
if [ "${SQLITE:-1}" = 1 ]; then
"$ISNAD" ingest --queue --store "$WORK/queue.db" "$WORK/articles.jsonl" 2>/dev/null
read -r wall wcpu < <(run_workers "$WORK/queue.db" 1 sqlite)
read -r p50 p95 < <(sqlite3 "$WORK/queue.db" "WITH l AS (SELECT finished_at - enqueued_at AS s, row_number() OVER (ORDER BY finished_at - enqueued_at) AS r, count(*) OVER () AS n FROM queue)
  SELECT printf('%.3f', (SELECT s FROM l WHERE r = (n + 1) / 2)), printf('%.3f', (SELECT s FROM l WHERE r = (n * 95 + 99) / 100)) FROM l LIMIT 1" | tr '|' ' ')
size=$(stat -c %s "$WORK/queue.db")
printf '| SQLite | 1 | %s | %.1f | %.1f | %.1f | – | %s / %s | – | %.1f (file, with queue) |\n' "$ARTICLES" "$wall" \
  "$(echo "$ARTICLES / $wall" | bc -l)" "$(echo "1000 * $wcpu / $ARTICLES" | bc -l)" "$p50" "$p95" \
  "$(echo "$size / 1024 / $ARTICLES" | bc -l)"
fi

echo
cat "$WORK/waits.txt"
[ -n "${PGSS:-}" ] && { echo; cat "$WORK/statements.txt"; }

# Steady arrivals through the HTTP API: the latency a sender sees below capacity.
STEADY_WORKERS=$STEADY_WORKERS_DEFAULT
STEADY_ARTICLES=${STEADY_ARTICLES:-600}
[ "$STEADY_ARTICLES" -gt 0 ] || exit 0
sql postgres "CREATE DATABASE steady" >/dev/null
"$ISNAD" serve --queue --store "$(url steady)" --port 0 2>"$WORK/serve.log" &
PIDS+=($!)
for _ in $(seq 1 100); do grep -qs "http://" "$WORK/serve.log" && break; sleep 0.1; done
API=$(grep -o 'http://[0-9.:]*' "$WORK/serve.log" | head -1)
RATE=${RATE:-$(echo "${DRAIN_RATE:-10} * 0.6" | bc -l)}
for i in $(seq 1 "$STEADY_WORKERS"); do
  "$ISNAD" worker --store "$(url steady)" --batch "$BATCH" --lease 60 --poll 0.05 --name "steady-$i" 2>"$WORK/steady-$i.log" &
  PIDS+=($!)
done
python3 - "$API" "$WORK/articles.jsonl" "$STEADY_ARTICLES" "$RATE" <<'EOF'
import json, sys, time, urllib.request
api, path, count, rate = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
lines = open(path, encoding="utf-8").read().splitlines()[-count:]
tickets, start = [], time.monotonic()
for i, line in enumerate(lines):
    delay = start + i / rate - time.monotonic()
    if delay > 0: time.sleep(delay)
    req = urllib.request.Request(api + "/api/documents", data=line.encode(), method="POST")
    with urllib.request.urlopen(req) as r:
        tickets += [a["ticket"] for a in json.load(r)["accepted"]]
seen = {}
while len(seen) < len(tickets):
    for t in tickets:
        if t in seen: continue
        with urllib.request.urlopen(f"{api}/api/queue/{t}") as r:
            j = json.load(r)
        if j["state"] == "stored": seen[t] = j["finished_at"] - j["enqueued_at"]
    time.sleep(0.2)
lat = sorted(seen.values())
pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print(f"\nsteady: {len(lat)} articles POSTed at {rate:.1f}/s to serve --queue, stored by workers: "
      f"latency (enqueued → stored, database clock) p50 {pick(0.5):.3f} s, p95 {pick(0.95):.3f} s, max {lat[-1]:.3f} s")
EOF
