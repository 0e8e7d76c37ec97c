#!/usr/bin/env bash
# Start-up benchmark: time from `bin/postbus run` to the server accepting on every listener with
# /health answering 200, and the resident memory once started (and after a settle period).
#
#   bench/startup.sh [RUNS]          (default 5; needs a built distribution: mvn -B package -DskipTests)
#
# Environment: DIST (default distribution/target/postbus), JAVA_HOME, JAVA_OPTS, SETTLE seconds (5).
# Each run starts from a fresh copy of the distribution (first start: secret, certificate, domain).
# Prints one line per run and a summary line last:
#   startup runs=.. median_ms=.. min_ms=.. max_ms=.. median_rss_mb=.. median_rss_settled_mb=.. load1=..
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
DIST=${DIST:-distribution/target/postbus}
SETTLE=${SETTLE:-5}
[ -x "$DIST/bin/postbus" ] || { echo "startup error=no-distribution (run mvn -B package -DskipTests)"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { date +%s%3N; }

times=(); rss=(); rss2=()
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$RUNS"); do
  home="$work/run$i"
  cp -a "$DIST" "$home"
  rm -rf "$home/data"/* "$home/logs"/*
  port=$(free_port)
  start=$(now_ms)
  POSTBUS_HTTP_PORT=$port POSTBUS_DOMAIN=example.test "$home/bin/postbus" run >"$home/console.out" 2>&1 &
  pid=$!
  ok=0
  for _ in $(seq 1 600); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -m 1 "http://127.0.0.1:$port/health" || true)
    if [ "$code" = 200 ]; then ok=1; break; fi
    sleep 0.02
  done
  end=$(now_ms)
  if [ $ok != 1 ]; then kill -9 $pid 2>/dev/null || true; echo "startup error=not-healthy run=$i"; exit 1; fi
  jpid=$(pgrep -P $pid java || echo $pid)
  r=$(ps -o rss= -p "$jpid" | tr -d ' ')
  sleep "$SETTLE"
  r2=$(ps -o rss= -p "$jpid" | tr -d ' ')
  kill $pid; wait $pid 2>/dev/null || true
  t=$((end - start))
  times+=($t); rss+=($((r / 1024))); rss2+=($((r2 / 1024)))
  echo "# run $i: ${t} ms to healthy, RSS $((r / 1024)) MB at start, $((r2 / 1024)) MB after ${SETTLE}s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
min=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
max=$(printf '%s\n' "${times[@]}" | sort -n | tail -1)
echo "startup runs=$RUNS median_ms=$(median "${times[@]}") min_ms=$min max_ms=$max median_rss_mb=$(median "${rss[@]}") median_rss_settled_mb=$(median "${rss2[@]}") load1=$(cut -d' ' -f1 /proc/loadavg)"
