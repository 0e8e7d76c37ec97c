# Sourced by imap.sh and idle.sh: compiles the IMAP load programs with javac when their sources
# are newer than the last compilation, so that they run without a Maven build of the bench module.
IMAP_BENCH_SRC="$HERE/src/main/java/org/postbus/bench"
IMAP_BENCH_CLASSES="$HERE/target/imap-bench-classes"
compile_imap_bench() {
  local stamp="$IMAP_BENCH_CLASSES/.stamp"
  if [[ -f $stamp && -z $(find "$IMAP_BENCH_SRC" -name '*.java' -newer "$stamp" | head -n 1) ]]; then
    return 0
  fi
  mkdir -p "$IMAP_BENCH_CLASSES"
  "${JAVAC:-javac}" --release 17 -d "$IMAP_BENCH_CLASSES" "$IMAP_BENCH_SRC"/*.java >&2 && touch "$stamp"
}
