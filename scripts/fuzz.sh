#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers with Jazzer (issue 18). The normal test run (./mvn25 -B test) replays the
# committed inputs of every target as regression tests; this script fuzzes for real.
#
#   scripts/fuzz.sh list                          the targets (Class#method)
#   scripts/fuzz.sh TARGET...                     e.g. SafetensorsFuzzTest#file
#   scripts/fuzz.sh all                           every target in turn
#
# Each target runs until 1,000,000 executions or 10 minutes, whichever comes first (the limits are on the
# @ParserFuzz annotation: Jazzer reads them nowhere else), and the script prints one line per target: executions,
# seconds, and ok or the finding. A finding is saved by Jazzer
# as crash-<sha1> in the target's input directory fuzz/src/test/resources/org/longbel/fuzz/<Class>Inputs/<method>/:
# fix the parser, keep the file (under a descriptive name) as a regression input. The growing corpus lives in
# fuzz/.cifuzz-corpus (not committed). Builds with -P fuzz (release 23 into target/fuzz: Jazzer 0.24 cannot
# instrument Java 25 class files); the normal build is not touched.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
targets=("$@")
list() {
  grep -l '@ParserFuzz' "$here"/fuzz/src/test/java/org/longbel/fuzz/*.java | while read -r f; do
    c=$(basename "$f" .java)
    grep -A1 '@ParserFuzz' "$f" | grep -oE 'void [a-zA-Z0-9_]+' | sed "s/void /$c#/"
  done
}
if [ ${#targets[@]} -eq 0 ]; then sed -n '2,16p' "$0"; exit 2; fi
if [ "${targets[0]}" = list ]; then list; exit 0; fi
if [ "${targets[0]}" = all ]; then mapfile -t targets < <(list); fi
status=0
for t in "${targets[@]}"; do
  log=$(mktemp)
  start=$(date +%s)
  if JAZZER_FUZZ=1 "$here/mvn25" -B -o -P fuzz test -pl fuzz -am -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then result=ok
  else result="FINDING or failure (log: $log)"; status=1; fi
  done_line=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  printf '%-45s %s  (%s s wall)  %s\n' "$t" "${done_line:-no fuzzing summary}" "$(( $(date +%s) - start ))" "$result"
  [ "$result" = ok ] && rm -f "$log"
done
exit $status
