#!/usr/bin/env bash
# Idle IMAP connections (issue: 10,000 IDLE connections in under 1 GiB of heap): opens N
# connections from one client process (LOGIN, SELECT INBOX, IDLE; 16 setup threads, then all held
# by one selector thread), waits --settle seconds, and reports the server's memory: VmRSS of PID,
# RSS and PSS (proportional set size: shared pages split between processes) summed over PID and
# its descendants (what a multi-process server such as Dovecot uses), before and after; for a JVM
# server also the heap in use after a full GC (jcmd PID GC.run, then jstat -gc PID: S0U+S1U+EU+OU),
# before and after, and per connection. Then a wake check: a separate connection APPENDs a message
# to the first user's INBOX and the run reports how many of that user's idle clients saw EXISTS
# within 1 s and within --wake-wait seconds (3), timed from the APPEND's tagged OK; the message is
# expunged again. Finally it counts connections the server closed meanwhile.
#
#   bench/idle.sh HOST PORT PID [--connections 10000] [--users 50] [--first-user 1]
#                 [--user-format user%d] [--password pass] [--setup-threads 16] [--settle 5]
#                 [--hold 0] [--max-failures 20] [--timeout 15] [--wake-wait 3] [--no-wake]
#                 [--label idle]
#
# PID is the server process: the java process of Postbus (not a shell wrapper around it; jcmd and
# jstat must be able to attach, i.e. run as the JVM's user), or the Dovecot master
# ($(cat /tmp/postbus-anchor/run/dovecot/master.pid) for the anchor). Client i logs in as user
# (--first-user + i % --users). The mailboxes only need to exist (bench/imap-fill.py fills them).
# Setup stops after --max-failures failed connections (a server at its limit refuses or stalls
# new sessions; each stall costs --timeout seconds).
#
# Postbus's IMAP listener must allow the connections: max.connections >= N, max.connections.per.ip
# >= N (all come from 127.0.0.1), max.connections.per.user >= N / --users (200 for 10,000 over 50).
# The client raises its own open-file limit (ulimit -n) to fit N connections; the server needs the
# same (Postbus: its launcher's LimitNOFILE / ulimit). Loopback has ~28,000 ephemeral ports
# (net.ipv4.ip_local_port_range), enough for 10,000.
#
# The anchor Dovecot cannot hold 10,000: every IMAP session is its own imap process
# (service imap { client_limit = 1 } by default) and the anchor sets process_limit = 1024, shared
# with everyone using the anchor at that moment, so measure it with e.g. --connections 900 and
# compare per connection (pss_per_conn_kb). Its imap processes also run as one user (vmail), whose
# inotify instances are limited by fs.inotify.max_user_instances (often 128): beyond that Dovecot
# falls back to polling the mailbox (mailbox_idle_check_interval, 30 s), which the wake check shows.
# Examples:
#   bench/idle.sh 127.0.0.1 10143 $(cat /tmp/postbus-anchor/run/dovecot/master.pid) --connections 900 --label anchor
#   bench/idle.sh 127.0.0.1 1143 <postbus java pid> --user-format 'user%d@example.test' --label postbus
#
# Environment: JAVA (java), JAVA_OPTS (-Xss256k -Xmx1g -XX:+UseSerialGC).
# Lines starting with '#' are information; the last line is the summary:
#   idle label=.. host=.. port=.. connections=.. users=.. server_pid=.. opened=.. failed=.. setup_s=..
#        setup_per_s=.. still_open=.. server_rss_mb=.. server_rss_before_mb=.. tree_rss_mb=..
#        tree_pss_mb=.. tree_pss_before_mb=.. tree_procs=.. pss_per_conn_kb=.. [heap_used_mb=..
#        heap_before_mb=.. heap_per_conn_kb=..] wake_clients=.. wake_1s=.. wake_all=.. wake_max_ms=..
#        client_rss_mb=.. client_heap_mb=.. [error=..] load1=..
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
if [[ $# -lt 3 || $1 == -h || $1 == --help ]]; then usage; [[ ${1:-} == -h || ${1:-} == --help ]] && exit 0 || exit 2; fi
HOST=$1; PORT=$2; PID=$3; shift 3
load1() { cut -d' ' -f1 /proc/loadavg; }
[[ -d /proc/$PID ]] || { echo "idle host=$HOST port=$PORT server_pid=$PID error=no_such_process load1=$(load1)"; exit 1; }

# shellcheck source=/dev/null
. "$HERE/imap-classes.sh"
compile_imap_bench || { echo "idle host=$HOST port=$PORT error=compile_failed load1=$(load1)"; exit 1; }

conns=10000; prev=
for a in "$@"; do [[ $prev == --connections ]] && conns=$a; prev=$a; done
need=$((conns + 1000))
if [[ $(ulimit -n) != unlimited && $(ulimit -n) -lt $need ]]; then
  ulimit -n "$need" 2>/dev/null || ulimit -Sn "$(ulimit -Hn)"
fi
echo "# client open-file limit $(ulimit -n)"
# shellcheck disable=SC2086
exec ${JAVA:-java} ${JAVA_OPTS:--Xss256k -Xmx1g -XX:+UseSerialGC} -cp "$IMAP_BENCH_CLASSES" \
  org.postbus.bench.ImapIdle "$HOST" "$PORT" "$PID" "$@"
