#!/usr/bin/env bash
# eBPF overhead benchmark (not a test): connect() and fork+exec latency inside a test container
# without eBPF programs, with a non-matching policy attached, and with an alert rule matching every
# connect. Needs root, Docker and the test image (scripts/setup-host.sh, scripts/build-test-images.sh).
# Figures from one run are kept in bench/NOTES-ebpf.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test -pl daemon -am
java -cp "daemon/target/test-classes:daemon/target/classes:$(cat daemon/target/bench.classpath)" \
  io.driftguard.daemon.bpf.EbpfBench
