#!/usr/bin/env bash
# POP3 retrieval (issue: POP3 retrieval of 1,000 messages, at least Dovecot's rate): wraps the
# anchor kit's bench-pop3.py (python3 poplib: log in, RETR messages 1..N, QUIT; nothing deleted),
# runs it REPEAT times and reports the median run.
#
#   bench/pop3.sh HOST PORT
#
# Environment:
#   PUSER=user60       the POP3 user; its INBOX must hold at least N messages (Postbus:
#                      PUSER=user60@example.test)
#   PASS=pass  N=1000  SESSIONS=1 (parallel sessions, each RETRs its share)  REPEAT=5  LABEL=pop3
#   FILL_IMAP_PORT=P   first give PUSER exactly the 1,000 messages of make-mbox.py (seed 2) by IMAP
#                      APPEND through HOST:P (bench/imap-fill.py --reset: a mailbox holding another
#                      number of messages is emptied first); without it the mailbox is used as is
#   ANCHORS=DIR        where bench-pop3.py and make-mbox.py live (default ../shared/anchors next to
#                      the repository)
# The same contents for Postbus without IMAP:
#   python3 ../shared/anchors/make-mbox.py bench/target/mbox-1000-2.mbox 1000 2
#   bin/postbus import --mbox bench/target/mbox-1000-2.mbox --user user60@example.test
# Examples:
#   FILL_IMAP_PORT=10143 LABEL=anchor bench/pop3.sh 127.0.0.1 10110                     # Dovecot anchor
#   PUSER=user60@example.test LABEL=postbus bench/pop3.sh 127.0.0.1 1110
# Lines starting with '#' are information (each run's own summary line among them); the last line
# is the median run's summary line (by pop3_msgs_per_s) with runs=.. and all rates added:
#   pop3 label=.. host=.. port=.. user=.. n=.. sessions=.. bytes=.. errors=.. pop3_s=..
#        pop3_msgs_per_s=.. pop3_mib_per_s=.. login_ms=.. client_cpu_pct=.. runs=.. rates=r1/r2/..
#        [error=..] load1=..
# client_cpu_pct: CPU of the python client (user+system, start-up included) per wall second of
# its run, in percent of one core; near 100 means the client, not the server, set the pace.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
if [[ $# -lt 2 || $1 == -h || $1 == --help ]]; then
  sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  [[ ${1:-} == -h || ${1:-} == --help ]] && exit 0 || exit 2
fi
HOST=$1; PORT=$2
export PUSER=${PUSER:-user60} PASS=${PASS:-pass} N=${N:-1000} SESSIONS=${SESSIONS:-1} LABEL=${LABEL:-pop3}
REPEAT=${REPEAT:-5}
ANCHORS=${ANCHORS:-$(cd "$HERE/../.." && pwd)/shared/anchors}
load1() { cut -d' ' -f1 /proc/loadavg; }
head_="pop3 label=$LABEL host=$HOST port=$PORT user=$PUSER n=$N sessions=$SESSIONS"
fail() { echo "$head_ error=$1 load1=$(load1)"; exit 1; }
[[ -f $ANCHORS/bench-pop3.py ]] || fail "no_bench_pop3_py_in_$ANCHORS"

if [[ -n ${FILL_IMAP_PORT:-} ]]; then
  ANCHORS=$ANCHORS python3 "$HERE/imap-fill.py" "$HOST" "$FILL_IMAP_PORT" --users 1 --user-format "$PUSER" \
    --password "$PASS" --count 1000 --seed 2 --reset | sed 's/^/# /' || fail fill_failed
fi

lines=(); errf=$(mktemp); trap 'rm -f "$errf"' EXIT
TIMEFORMAT='%3U %3S %3R'
for ((i = 1; i <= REPEAT; i++)); do
  { time out=$(python3 "$ANCHORS/bench-pop3.py" "$HOST" "$PORT"); } 2>"$errf"; rc=$?
  head -n -1 "$errf" >&2
  read -r cu cs cr < <(tail -n 1 "$errf")
  last=$(printf '%s\n' "$out" | tail -n 1)
  # The client's CPU over its whole run (start-up and a message count included), against its wall time.
  cpu=$(awk -v u="$cu" -v s="$cs" -v r="$cr" 'BEGIN { printf "%.0f", (r > 0 ? 100 * (u + s) / r : 0) }')
  last="${last% load1=*} client_cpu_pct=$cpu load1=${last##* load1=}"
  echo "# run $i: $last"
  [[ $rc -eq 0 ]] || { echo "${last% load1=*} runs=$i load1=$(load1)"; exit 1; }
  lines+=("$last")
done
# The median run by rate; all rates are kept in the summary so that the spread shows.
rates=$(printf '%s\n' "${lines[@]}" | sed -n 's/.* pop3_msgs_per_s=\([0-9.]*\).*/\1/p' | paste -sd/ -)
median=$(printf '%s\n' "${lines[@]}" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^pop3_msgs_per_s=/) { split($i, kv, "="); print kv[2] "\t" $0 } }' \
  | sort -n | awk -v m=$(((REPEAT + 1) / 2)) 'NR == m { sub(/^[^\t]*\t/, ""); print }')
echo "${median% load1=*} runs=$REPEAT rates=$rates load1=$(load1)"
