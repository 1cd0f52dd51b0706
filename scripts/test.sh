#!/usr/bin/env bash
# Runs all tests: prepares the host (packages, Docker engine), builds the test images, then the
# Maven build with unit and integration tests. Needs root for the integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-host.sh
scripts/build-test-images.sh
mvn -B verify "$@"
