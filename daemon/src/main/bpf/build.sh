#!/usr/bin/env bash
# Compiles the BPF programs for the Maven build (generate-resources):
#   build.sh WORK_DIR CLASSES_DIR
# writes CLASSES_DIR/io/driftguard/daemon/bpf/driftguard.bpf.o and syscalls.txt (name number, for
# this machine's architecture), with vmlinux.h generated from the running kernel's BTF in WORK_DIR.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
work=$1
out=$2/io/driftguard/daemon/bpf

fail() { echo "driftguard BPF build: $*" >&2; exit 1; }
command -v clang >/dev/null || fail "clang not found (Debian: apt-get install clang llvm; or run scripts/setup-host.sh)"
command -v bpftool >/dev/null || fail "bpftool not found (Debian: apt-get install bpftool)"
[ -f /usr/include/bpf/bpf_helpers.h ] || fail "libbpf headers not found in /usr/include/bpf (Debian: apt-get install libbpf-dev)"
[ -r /sys/kernel/btf/vmlinux ] || fail "/sys/kernel/btf/vmlinux missing: the build needs a kernel with BTF (CONFIG_DEBUG_INFO_BTF)"

case "$(uname -m)" in
  x86_64) arch=x86 ;;
  aarch64) arch=arm64 ;;
  *) fail "unsupported architecture $(uname -m)" ;;
esac

mkdir -p "$work" "$out"
bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$work/vmlinux.h.tmp"
mv "$work/vmlinux.h.tmp" "$work/vmlinux.h"
clang -O2 -g -target bpf -D__TARGET_ARCH_$arch -Wall -Werror -Wno-unused-function \
  -I"$work" -I"$src" -c "$src/driftguard.bpf.c" -o "$out/driftguard.bpf.o"
clang -O2 -g -target bpf -D__TARGET_ARCH_$arch -Wall -Werror \
  -I"$work" -c "$src/probe.bpf.c" -o "$out/probe.bpf.o"

# Syscall names are resolved in Java; the numbers come from the same headers the C side sees.
echo '#include <sys/syscall.h>' | clang -dM -E -x c - \
  | sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9]*\)$/\1 \2/p' | sort > "$out/syscalls.txt"
[ -s "$out/syscalls.txt" ] || fail "no syscall numbers found in <sys/syscall.h> (Debian: apt-get install linux-libc-dev)"
echo "driftguard BPF build: $out/driftguard.bpf.o ($(wc -l < "$out/syscalls.txt") syscalls)"
