#!/usr/bin/env bash
# Benchmark of the shared PostgreSQL store (issue 15). Prints figures; not a timed test. Needs root
# and Debian's postgresql package (a throw-away cluster on 127.0.0.1, as the fleet tests start).
# Four simulated hosts (local cache, outbox and link each, as the daemon has them) send events into
# one PostgreSQL; then approvals made in the shared store are timed until another host's cache
# answers with them. Figures in bench/NOTES-fleet.md.
#   bench/fleet-bench.sh [EVENTS_PER_HOST] [APPROVALS]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q -pl daemon -am verify -Dtest=none -Dit.test=FleetBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dfleet.bench.events="${1:-25000}" -Dfleet.bench.approvals="${2:-50}" 2>&1 \
  | grep '^FleetBench:'
