#!/usr/bin/env bash
# Makes this host ready to build, run and test driftguard: installs what is missing from Debian's
# packages, starts a Docker engine when none answers, and mounts the kernel file systems that
# enforcement uses. Safe to run again. Needs root.
set -euo pipefail

packages=(openjdk-17-jdk-headless libnss3 maven docker.io docker-registry clang llvm bpftool libbpf-dev libbpf1 gcc libc6-dev
          busybox-static skopeo debootstrap rpm iproute2 procps apache2-utils openssl)

# Packaging: help2man writes the man pages from the programs' --help.
packages+=(help2man)

# The terminal check (SeeingEventsIT) runs status and events in an 80-column tmux pane.
packages+=(tmux)

# The PostgreSQL store's tests start throw-away clusters with its initdb and pg_ctl.
packages+=(postgresql)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-host: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mountpoint -q /sys/fs/bpf || mount -t bpf bpffs /sys/fs/bpf || true
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing || true
mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security || true

if ! docker info >/dev/null 2>&1; then
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl start docker || true
  fi
fi
if ! docker info >/dev/null 2>&1; then
  echo "setup-host: starting dockerd (log in /var/log/driftguard-dockerd.log)"
  # No bridge and no iptables: test containers use --network none or host.
  nohup dockerd --bridge=none --iptables=false --ip6tables=false >/var/log/driftguard-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "setup-host: dockerd did not start; see /var/log/driftguard-dockerd.log" >&2; exit 1; }
fi
echo "setup-host: Docker $(docker info --format '{{.ServerVersion}}') ready"
