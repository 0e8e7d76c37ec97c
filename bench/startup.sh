#!/usr/bin/env bash
# Start-up benchmark: time from `bin/postbus run` to the server accepting on every listener with
# /health answering 200, and the resident memory once started (and after a settle period).
#
#   bench/startup.sh [RUNS]          (default 5; needs a built distribution: mvn -B package -DskipTests)
#
# Environment: DIST (default distribution/target/postbus), JAVA_HOME, JAVA_OPTS, SETTLE seconds (5).
# Each run starts from a fresh copy of the distribution (first start: secret, certificate, domain).
# Every listener gets a free port, so the benchmark runs beside another server on the defaults.
# Prints one line per run and a summary line last:
#   startup runs=.. median_ms=.. min_ms=.. max_ms=.. restart_median_ms=.. median_cpu_ms=..
#           restart_median_cpu_ms=.. median_rss_mb=.. median_rss_settled_mb=..
#           restart_rss_settled_mb=.. java=.. load1=.. median_fsl_cpu_ms=.. restart_median_fsl_cpu_ms=..
# cpu_ms is the server's CPU time (user + system, all threads) until healthy: on a shared machine
# it moves much less with the load of other processes than the wall time does. fsl_cpu_ms is the
# part of it spent on the FelixStartLevel thread, which starts the bundles one after the other:
# the critical path, without the JIT compilers' share (which varies with the load).
# (first start: fresh data/, so it also makes the certificate and the first domain; restart: the same
# home again.)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
DIST=${DIST:-distribution/target/postbus}
SETTLE=${SETTLE:-5}
[ -x "$DIST/bin/postbus" ] || { echo "startup error=no-distribution (run mvn -B package -DskipTests)"; exit 1; }

# free_ports N: N distinct free ports on one line, from one Python start.
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in held))
for s in held:
    s.close()
PY
}
now_ms() { date +%s%3N; }

# start_once HOME: starts the server in HOME, waits for /health 200; sets t (ms), c (CPU ms until
# healthy), f (CPU ms of the FelixStartLevel thread until healthy), r (KB at healthy), r2 (KB after
# SETTLE s); stops it again.
start_once() {
  local home=$1 port pid jpid start end ports st
  # Chosen before the clock starts: a Python start costs tens of milliseconds.
  read -r -a ports <<<"$(free_ports 9)"
  port=${ports[0]}
  start=$(now_ms)
  POSTBUS_HTTP_PORT=$port POSTBUS_HTTPS_PORT=${ports[1]} POSTBUS_DOMAIN=example.test \
    POSTBUS_SMTP_PORT=${ports[2]} POSTBUS_SUBMISSION_PORT=${ports[3]} POSTBUS_SMTPS_PORT=${ports[4]} \
    POSTBUS_IMAP_PORT=${ports[5]} POSTBUS_IMAPS_PORT=${ports[6]} \
    POSTBUS_POP3_PORT=${ports[7]} POSTBUS_POP3S_PORT=${ports[8]} \
    "$home/bin/postbus" run >>"$home/console.out" 2>&1 &
  pid=$!
  # One light process polls (a curl per try would steal CPU from the server on a small machine).
  if ! python3 - "$port" <<'PY'
import http.client, sys, time
port = int(sys.argv[1]); deadline = time.time() + 60
while time.time() < deadline:
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/health")
        if c.getresponse().status == 200:
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.01)
sys.exit(1)
PY
  then
    kill -9 $pid 2>/dev/null || true
    echo "startup error=not-healthy home=$home"
    exit 1
  fi
  end=$(now_ms)
  jpid=$(pgrep -P $pid java || echo $pid)
  c=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$jpid/stat")
  # Per thread: utime and stime are the 12th and 13th fields after "pid (name) ".
  f=$(for st in /proc/"$jpid"/task/*/stat; do cat "$st" 2>/dev/null || true; done | awk -v hz="$(getconf CLK_TCK)" \
    '/\(FelixStartLevel\)/ {sub(/^[^)]*\) /, ""); n += int(($12 + $13) * 1000 / hz)} END {print n + 0}')
  r=$(ps -o rss= -p "$jpid" | tr -d ' ')
  sleep "$SETTLE"
  r2=$(ps -o rss= -p "$jpid" | tr -d ' ')
  kill $pid; wait $pid 2>/dev/null || true
  t=$((end - start))
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
times=(); cpu=(); rss=(); rss2=(); warm=(); warmcpu=(); warmrss=(); fsl=(); warmfsl=()
for i in $(seq 1 "$RUNS"); do
  home="$work/run$i"
  cp -a "$DIST" "$home"
  rm -rf "$home/data"/* "$home/logs"/* "$home/console.out"
  start_once "$home"
  times+=($t); cpu+=($c); rss+=($((r / 1024))); rss2+=($((r2 / 1024))); fsl+=($f)
  echo "# run $i first start: ${t} ms to healthy (CPU ${c} ms, FelixStartLevel ${f} ms), RSS $((r / 1024)) MB, $((r2 / 1024)) MB after ${SETTLE}s"
  start_once "$home"
  warm+=($t); warmcpu+=($c); warmrss+=($((r2 / 1024))); warmfsl+=($f)
  echo "# run $i restart:     ${t} ms to healthy (CPU ${c} ms, FelixStartLevel ${f} ms), RSS $((r / 1024)) MB, $((r2 / 1024)) MB after ${SETTLE}s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
min=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
max=$(printf '%s\n' "${times[@]}" | sort -n | tail -1)
echo "startup runs=$RUNS median_ms=$(median "${times[@]}") min_ms=$min max_ms=$max restart_median_ms=$(median "${warm[@]}") median_cpu_ms=$(median "${cpu[@]}") restart_median_cpu_ms=$(median "${warmcpu[@]}") median_rss_mb=$(median "${rss[@]}") median_rss_settled_mb=$(median "${rss2[@]}") restart_rss_settled_mb=$(median "${warmrss[@]}") java=$(java -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/') load1=$(cut -d' ' -f1 /proc/loadavg) median_fsl_cpu_ms=$(median "${fsl[@]}") restart_median_fsl_cpu_ms=$(median "${warmfsl[@]}")"
