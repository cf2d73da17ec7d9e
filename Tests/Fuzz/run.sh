#!/bin/sh
# Builds the libFuzzer targets (with AddressSanitizer) and runs each for SECONDS (default 15),
# starting from the repository's fixtures as seed corpora. A crash stops the run with the
# input libFuzzer saved (crash-…) and its reproduction command.
#   Tests/Fuzz/run.sh [SECONDS]
set -eu
cd "$(dirname "$0")/../.."
seconds=${1:-15}
swift build -c release -Xswiftc -sanitize=fuzzer,address --package-path Tests/Fuzz
bin=Tests/Fuzz/.build/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() {
  name=$1
  shift
  mkdir -p "$work/$name"
  if ! "$bin/fuzz-$name" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    "$work/$name" "$@" >"$work/$name.log" 2>&1; then
    tail -40 "$work/$name.log"
    echo "fuzz-$name: FAILED (the input is saved as crash-*, timeout-* or oom-* in this folder)"
    exit 1
  fi
  echo "fuzz-$name: $(grep -E '^stat::number_of_executed_units' "$work/$name.log" | awk '{print $2}') inputs in $seconds s, no crash"
}
run spec-reader Tests/Fixtures/examples Tests/Fixtures/schema/valid Tests/Fixtures/schema/invalid
run json-array-scanner Tests/Fixtures/corpus/JSONTestSuite
run dockerfile-parser Tests/Fixtures/dockerfiles Tests/Fixtures/corpus/buildkit-parser
run terraform-reader Tests/Fixtures/terraform Tests/Fixtures/corpus/qovery-lifecycle-job-examples \
  Tests/Fixtures/corpus/terraform-provider-qovery
run output-file Tests/Fixtures/corpus/JSONTestSuite
echo "fuzz: every target ran $seconds s without a crash"
