#!/usr/bin/env bash
# Embedded store benchmark (issue 3): durable appends/s (4 KiB and 50 KiB; 1, 8, 64 writers) and,
# on a mailbox of a million messages, SELECT time, heap per message, flag-update and UID-range
# fetch latency.
#
#   bench/store.sh [SECONDS_PER_ROUND] [BIG_MAILBOX_MESSAGES]     (defaults 5 and 1000000)
#
# Needs a build (mvn -B install -DskipTests). Works in bench/target/store-bench on the project's
# disk; prints one `store-append` line per round and one `store-big` line.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-5}
BIG=${2:-1000000}
CP_FILE=bench/target/classpath.txt
[ -f "$CP_FILE" ] || { echo "store error=not-built (run mvn -B install -DskipTests)"; exit 1; }
WORK=bench/target/store-bench
rm -rf "$WORK"
CP="bench/target/classes:$(cat "$CP_FILE")"
run() { java -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" "$@"; }
run -Xmx2g org.postbus.store.file.internal.StoreBench "$WORK" "$SECS" "$BIG" appends
run -Xmx2g org.postbus.store.file.internal.StoreBench "$WORK" "$SECS" "$BIG" fill
# Selecting the big mailbox in a 96 MiB heap (32 MiB of it the index cache) shows the heap it
# needs per message: under 100 bytes would be 95 MiB for a million.
run -Xmx96m org.postbus.store.file.internal.StoreBench "$WORK" "$SECS" "$BIG" big
