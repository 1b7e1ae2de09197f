#!/usr/bin/env bash
# The nightly regression gate of the benchmarks (docs/benchmarks.md). It is NOT part of `mvn verify`,
# which only compiles the benchmarks and runs one tiny smoke iteration of each.
#
#   benchmarks/gate.sh                 build the jar, run every benchmark with -prof gc, compare the
#                                      result with benchmarks/baseline.json (exit 1 on a regression)
#   benchmarks/gate.sh --update        the same run, then write it as the new baseline: review the
#                                      diff and commit it (a deliberate, separate step)
#   benchmarks/gate.sh -- JMH-OPTIONS  extra JMH options, e.g. to plant a 25% slowdown of every Weir
#                                      row and watch the gate fail:
#                                      benchmarks/gate.sh -- -jvmArgsPrepend -Dweir.bench.slowdown=1.25
#                                      (Prepend: a command-line -jvmArgsAppend would replace the
#                                      classes' own heap settings)
#
# The result stays in benchmarks/target/gate-result.json; compare it again without re-running with
#   java -cp benchmarks/target/benchmarks.jar dev.weir.benchmarks.tools.CompareBaseline \
#       compare benchmarks/baseline.json benchmarks/target/gate-result.json
set -euo pipefail
cd "$(dirname "$0")/.."

update=false
if [[ "${1:-}" == "--update" ]]; then
  update=true
  shift
fi
if [[ "${1:-}" == "--" ]]; then
  shift
fi

mvn -B -ntp -q -pl benchmarks -am package -DskipTests
result=benchmarks/target/gate-result.json
# Ten measurement iterations instead of the classes' five: JMH's 99.9% interval from 5 samples uses
# Student's t of 8.6, from 10 samples 4.8, so real regressions separate from noise sooner.
java -jar benchmarks/target/benchmarks.jar -i 10 -prof gc -rf json -rff "$result" "$@"

compare=(java -cp benchmarks/target/benchmarks.jar dev.weir.benchmarks.tools.CompareBaseline)
if $update; then
  "${compare[@]}" update "$result" benchmarks/baseline.json
else
  "${compare[@]}" compare benchmarks/baseline.json "$result"
fi
