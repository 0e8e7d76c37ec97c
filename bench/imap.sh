#!/usr/bin/env bash
# Mixed IMAP load (issue: IMAP/POP3 benchmarks): N clients, each its own thread and user, looping a
# mail-client session - LOGIN, SELECT INBOX, FETCH 1:* (FLAGS UID RFC822.SIZE), FETCH of the newest
# 50 headers (BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE)]), FETCH of 3 random full bodies
# (BODY.PEEK[]), STORE +FLAGS (\Seen) on them, STORE -FLAGS (\Seen) on one other (keeps the unseen
# share steady), APPEND of a 4 KiB message, SEARCH UNSEEN, SEARCH SUBJECT <word> (or TEXT), UID STORE
# +FLAGS.SILENT (\Deleted) on the appended message (its UID from APPENDUID, else found by UID SEARCH
# HEADER Message-ID) and EXPUNGE (the mailbox keeps its size), LOGOUT - for a fixed time after a
# warm-up. Reports commands/s, sessions/s, latency p50/p90/p99/max per command and overall, and the
# CPU share of the load generator itself (and of the server's process tree with --server-pid).
#
#   bench/imap.sh HOST PORT [--clients 20] [--duration 30] [--warmup 5] [--users N (= clients)]
#                 [--first-user 1] [--user-format user%d] [--password pass] [--search subject|text]
#                 [--headers 50] [--bodies 3] [--append-size 4096] [--server-pid PID] [--label imap]
#                 [--seed 1] [--timeout 60] [--cycles 1] [--find-appended appenduid|search] [--prepare]
#
# --cycles K repeats everything from SELECT to EXPUNGE K times per login (K=1 is the session
# above; a larger K separates the cost of LOGIN and connection set-up from mailbox work).
# --find-appended search finds the appended message by UID SEARCH HEADER Message-ID even when the
# server answers APPENDUID (UIDPLUS), so that servers with and without UIDPLUS do the same work;
# a server without UIDPLUS always gets that extra command (cmd=uid_search_appended), which adds to
# its commands/s: compare sessions/s when the command mixes differ.
#
# Client k (0-based) logs in as printf(--user-format, --first-user + k % --users): with --users
# below --clients, clients share users round-robin. Dovecot anchor: --user-format user%d (the
# default); Postbus: --user-format 'user%d@example.test'.
#
# Mailboxes must be prepared first, with the same contents on both servers: every user's INBOX
# holds the 500 messages of make-mbox.py (seed 1). Either by IMAP APPEND, which works for both:
#   bench/imap-fill.py 127.0.0.1 10143 --users 50                                   # Dovecot anchor
#   bench/imap-fill.py 127.0.0.1 1143 --users 50 --user-format 'user%d@example.test' # Postbus
# (--reset empties a mailbox that holds another number of messages first; --reload empties and
# reloads every one, so that both servers start a series with the same flags), or for Postbus with
# its importer, one user at a time, from the repository root:
#   python3 ../shared/anchors/make-mbox.py bench/target/mbox-500-1.mbox 500 1
#   for k in $(seq 1 50); do bin/postbus import --mbox bench/target/mbox-500-1.mbox --user user$k@example.test; done
# --prepare runs imap-fill.py for the users of this run (same --users/--first-user/--user-format/
# --password) before the load.
#
# Examples (the anchor Dovecot; 100 clients share 50 users: user1..user60 are ours, user60 is
# bench/pop3.sh's):
#   bench/imap.sh 127.0.0.1 10143 --clients 20 --duration 30 --label anchor --server-pid $(cat /tmp/postbus-anchor/run/dovecot/master.pid)
#   bench/imap.sh 127.0.0.1 10143 --clients 100 --users 50 --duration 30 --label anchor --server-pid ...
#   bench/imap.sh 127.0.0.1 1143 --clients 20 --user-format 'user%d@example.test' --label postbus --server-pid <java pid>
#
# Environment: JAVA (java), JAVA_OPTS (-Xss256k -Xmx512m -XX:+UseSerialGC). Compiles its classes
# with javac (JDK 17) into bench/target/imap-bench-classes when the sources are newer: no Maven
# build needed (mvn -pl bench compiles the same classes into bench/target/classes).
# Lines starting with '#' are information (one per command: count, per_s, p50/p90/p99/max ms; the
# client's CPU); the last line is the summary:
#   imap label=.. host=.. port=.. clients=.. users=.. duration_s=.. warmup_s=.. search=..
#        find_appended=.. cycles=.. sessions=.. sessions_per_s=.. commands=.. cmds_per_s=.. p50_ms=..
#        p99_ms=.. max_ms=.. fetched_mib=.. errors=.. client_cpu_pct=.. [server_cpu_pct=..]
#        machine_busy_pct=.. [error=..] load1=..
# client_cpu_pct and server_cpu_pct are percent of one core (the machine has `nproc` of them);
# server_cpu_pct is the whole process tree of --server-pid (for the anchor: all of Dovecot,
# including sessions of anyone else using it meanwhile). A run fails (error=, exit 1) when no
# command completed or more than one session in twenty failed.
# Every session logs in, so the password check is part of the load: the anchor Dovecot keeps
# plain passwords and caches auth results for an hour (auth_cache_ttl); Postbus checks Argon2id
# (100-400 ms of CPU) and remembers a login for its directory's auth.cache.seconds (60 by
# default) - set it to 3600 for a like-for-like run, or amortise logins with --cycles.
# Side by side: alternate the two servers with identical options, a few rounds each, and compare
# the pairs (see ../shared/anchors/README.md); the machine is shared and noisy.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
if [[ $# -lt 2 || $1 == -h || $1 == --help ]]; then usage; [[ ${1:-} == -h || ${1:-} == --help ]] && exit 0 || exit 2; fi
HOST=$1; PORT=$2; shift 2

# shellcheck source=/dev/null
. "$HERE/imap-classes.sh"
compile_imap_bench || { echo "imap host=$HOST port=$PORT error=compile_failed load1=$(cut -d' ' -f1 /proc/loadavg)"; exit 1; }

args=(); prepare=0; fill=(); clients=20; users=
while [[ $# -gt 0 ]]; do
  case $1 in
    --prepare) prepare=1; shift ;;
    --users|--first-user|--user-format|--password)
      [[ $# -ge 2 ]] || { echo "missing value for $1" >&2; exit 2; }
      fill+=("$1" "$2"); [[ $1 == --users ]] && users=$2; args+=("$1" "$2"); shift 2 ;;
    --clients) [[ $# -ge 2 ]] || { echo "missing value for $1" >&2; exit 2; }
      clients=$2; args+=("$1" "$2"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [[ $prepare == 1 ]]; then
  [[ -n $users ]] || fill+=(--users "$clients")
  python3 "$HERE/imap-fill.py" "$HOST" "$PORT" "${fill[@]}" | sed 's/^/# /' || { echo "imap host=$HOST port=$PORT error=prepare_failed load1=$(cut -d' ' -f1 /proc/loadavg)"; exit 1; }
fi
# shellcheck disable=SC2086
exec ${JAVA:-java} ${JAVA_OPTS:--Xss256k -Xmx512m -XX:+UseSerialGC} -cp "$IMAP_BENCH_CLASSES" \
  org.postbus.bench.ImapLoad "$HOST" "$PORT" "${args[@]}"
