#!/usr/bin/env bash
# Runs an e2e benchmark on a private copy of the classpath (other modules' jars in ~/.m2 may be
# re-installed by their owners while a long benchmark runs).
#   e2e-tests/run-benchmark.sh EndToEndBenchmark [N] [partitions]
#   e2e-tests/run-benchmark.sh DenyLatencyBenchmark [crossings] [events/s] [partitions]
set -euo pipefail
cd "$(dirname "$0")"
main="$1"; shift
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/e2e.cp -Dmdep.includeScope=test
rm -rf target/bench-lib && mkdir -p target/bench-lib
cp=""
for jar in $(tr ':' ' ' < target/e2e.cp); do
  case "$jar" in
    */dev/tokenledger/*) cp "$jar" target/bench-lib/ && jar="target/bench-lib/$(basename "$jar")" ;;
  esac
  cp="$cp:$jar"
done
exec java -Xmx2g -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} -cp "target/test-classes${cp}" "dev.tokenledger.e2e.$main" "$@"
