#!/usr/bin/env bash
# Sets up this host (packages, Docker engine), builds driftguard and runs the daemon in the
# foreground with the config and policies in conf/. Needs root. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-host.sh
mvn -B -q -DskipTests package
exec bin/driftguard daemon --config conf/driftguard.toml "$@"
