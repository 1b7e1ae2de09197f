#!/usr/bin/env bash
# The nightly regression gate of the benchmarks (docs/benchmarks.md, "The regression gate"). It is
# NOT part of `mvn verify`, which only compiles the benchmarks and runs one tiny smoke iteration of
# each.
#
#   benchmarks/gate.sh                  build the jar, run ten rounds of the gated rows and their
#                                       references with -prof gc, compare the merged result with
#                                       benchmarks/baseline.json (exit 1 on a regression)
#   benchmarks/gate.sh --update         the same run, then write the result as the new baseline:
#                                       review the diff and commit it (a deliberate, separate step)
#   benchmarks/gate.sh --rounds N ...   run N rounds instead (3 or more)
#   benchmarks/gate.sh -- JMH-OPTIONS   extra JMH options for every round, e.g. to plant a 25%
#                                       slowdown of every Weir row and watch the gate fail:
#                                       benchmarks/gate.sh -- -jvmArgsPrepend -Dweir.bench.slowdown=1.25
#                                       (Prepend: a command-line -jvmArgsAppend would replace the
#                                       classes' own heap settings)
#
# A round is one JMH run of every gated row and its references, one fork each, so that a row and
# its references are measured minutes apart at most, and the rounds together show how much a row
# varies from fork to fork. About 2.8 minutes a round on the project's 2-core machine.
#
# The result stays in benchmarks/target/gate/ (one JMH JSON per round) and
# benchmarks/target/gate-result.json (the merged rounds); compare it again without re-running with
#   java -cp benchmarks/target/benchmarks.jar dev.weir.benchmarks.tools.CompareBaseline \
#       compare benchmarks/baseline.json benchmarks/target/gate-result.json
set -euo pipefail
# Exit 1 means a regression and nothing else: a failed build, a benchmark that threw, or a tool
# error exits 2.
trap 'echo "gate: failed before the comparison (see above and benchmarks/target/gate/)" >&2; exit 2' ERR
cd "$(dirname "$0")/.."

update=false
rounds=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --update) update=true; shift ;;
    --rounds) rounds="${2:-}"; shift $(($# > 1 ? 2 : 1)) ;;
    --) shift; break ;;
    *) echo "unknown option $1 (JMH options go after --)" >&2; exit 2 ;;
  esac
done
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "--rounds wants a positive whole number, got '$rounds'" >&2
  exit 2
fi
if ((rounds < 3)); then
  echo "the gate needs 3 rounds or more to see the noise between forks (--rounds $rounds)" >&2
  exit 2
fi

mvn -B -ntp -q -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar
tool=(java -cp "$jar" dev.weir.benchmarks.tools.CompareBaseline)
includes_text=$("${tool[@]}" includes)
mapfile -t includes <<< "$includes_text"
if [[ ${#includes[@]} -eq 0 || -z "${includes[0]}" ]]; then
  echo "gate: CompareBaseline includes listed no benchmarks" >&2
  exit 2
fi
dir=benchmarks/target/gate
rm -rf "$dir"
mkdir -p "$dir"
files=()
for ((k = 1; k <= rounds; k++)); do
  echo "gate: round $k of $rounds ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1 /proc/loadavg))"
  # One fork per row; the classes' own warm-up (3 x 1 s for the edges, 3 x 2 s for the rest, which
  # the pipelines need to reach C2), then 4 measured iterations of 1 s. -foe: a benchmark that
  # throws (a wrong sum) stops the gate instead of leaving its row out of the result.
  java -jar "$jar" "${includes[@]}" -f 1 -wi 3 -i 4 -r 1s -prof gc -foe true \
    -rf json -rff "$dir/round-$k.json" "$@" > "$dir/round-$k.log"
  files+=("$dir/round-$k.json")
done
result=benchmarks/target/gate-result.json
"${tool[@]}" merge "$result" "${files[@]}"
status=0
if $update; then
  "${tool[@]}" update "$result" benchmarks/baseline.json || status=$?
else
  "${tool[@]}" compare benchmarks/baseline.json "$result" || status=$?
fi
exit "$status"
