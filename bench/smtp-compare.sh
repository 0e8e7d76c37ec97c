#!/usr/bin/env bash
# SMTP delivered rate of Postbus against the anchor (Postfix -> LMTP -> Dovecot), in alternating
# pairs taken back to back, as the shared 2-core machines are too noisy for lone figures.
#
#   bench/smtp-compare.sh [ROUNDS]                        (default 5)
#   env: SIZE (4096) SESSIONS (8) MSGS (2000) WARMUP (3 rounds of Postbus alone, not counted)
#        POSTBUS=127.0.0.1:2525  ANCHOR=127.0.0.1:10025  ANCHOR_MAIL=/tmp/postbus-anchor/mail
#        ANCHORS=DIR holding bench-smtp.sh (default: ../shared/anchors beside the repository)
#        PID=process id of the Postbus JVM, to add its CPU milliseconds per message (optional)
#
# Postbus answers 250 only once the message is fsync'd in the store, so its accepted rate is its
# delivered rate (WAIT_CMD=true); the anchor's delivered rate counts files in its Maildirs.
# Warm-up rounds matter: a JVM just started runs its first few thousand messages at half speed
# or less while the JIT compiles. Prints every summary line, then one line:
#   smtp-compare size=.. sessions=.. rounds=.. postbus_median=.. anchor_median=.. ratio_median=.. load1=..
# where ratio_median is the median of the per-pair ratios.
set -uo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
SIZE=${SIZE:-4096}; SESSIONS=${SESSIONS:-8}; MSGS=${MSGS:-2000}; WARMUP=${WARMUP:-3}
POSTBUS=${POSTBUS:-127.0.0.1:2525}; ANCHOR=${ANCHOR:-127.0.0.1:10025}
ANCHOR_MAIL=${ANCHOR_MAIL:-/tmp/postbus-anchor/mail}
ANCHORS=${ANCHORS:-$(cd .. && pwd)/shared/anchors}
PID=${PID:-}
BENCH="$ANCHORS/bench-smtp.sh"
[ -x "$BENCH" ] || { echo "smtp-compare error=no_bench_smtp ($BENCH)"; exit 1; }

cpu_ticks() { [ -n "$PID" ] && awk '{print $14 + $15}' "/proc/$PID/stat" 2>/dev/null || echo 0; }
rate_of() { sed -n 's/.* delivered_msgs_per_s=\([0-9.]*\).*/\1/p'; }

postbus() {
  local label=$1 before after line
  before=$(cpu_ticks)
  line=$(MSGS=$MSGS SIZE=$SIZE SESSIONS=$SESSIONS LABEL=$label WAIT_CMD=true \
    "$BENCH" "${POSTBUS%:*}" "${POSTBUS##*:}" 2>/dev/null | tail -n 1)
  after=$(cpu_ticks)
  if [ -n "$PID" ]; then
    line="$line jvm_cpu_ms_per_msg=$(awk -v t=$((after - before)) -v n="$MSGS" 'BEGIN { printf "%.3f", t * 10 / n }')"
  fi
  echo "$line"
}

for ((i = 0; i < WARMUP; i++)); do postbus warmup >/dev/null; done
p_rates=(); a_rates=(); ratios=()
for ((i = 0; i < ROUNDS; i++)); do
  p=$(postbus postbus); echo "$p"
  a=$(MSGS=$MSGS SIZE=$SIZE SESSIONS=$SESSIONS LABEL=anchor DELIVERY_DIR=$ANCHOR_MAIL \
    "$BENCH" "${ANCHOR%:*}" "${ANCHOR##*:}" 2>/dev/null | tail -n 1); echo "$a"
  pr=$(echo "$p" | rate_of); ar=$(echo "$a" | rate_of)
  if [ -n "$pr" ] && [ -n "$ar" ]; then
    p_rates+=("$pr"); a_rates+=("$ar")
    ratios+=("$(awk -v p="$pr" -v a="$ar" 'BEGIN { printf "%.2f", (a > 0 ? p / a : 0) }')")
  fi
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "none"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "smtp-compare size=$SIZE sessions=$SESSIONS msgs=$MSGS rounds=${#ratios[@]} postbus_median=$(median "${p_rates[@]}")" \
  "anchor_median=$(median "${a_rates[@]}") ratio_median=$(median "${ratios[@]}") load1=$(cut -d' ' -f1 /proc/loadavg)"
