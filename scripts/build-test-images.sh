#!/usr/bin/env bash
# Builds the images the integration tests use, locally: no registry pulls.
#   driftguard-test/shell:1  busybox applets in /bin (sh is busybox), Debian's bash at /bin/bash,
#                            Debian's cat at /usr/bin/cat (not busybox, so that blocking sh does
#                            not block cat), sleeping as its main process.
set -euo pipefail

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

copy_with_libs() { # copy_with_libs ROOT BINARY DEST: a dynamically linked host binary and its libraries
  local root=$1 bin=$2 dest=$3
  install -D -m 0755 "$bin" "$root$dest"
  for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
    [ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
  done
}

root=$work/shell
mkdir -p "$root"/{bin,usr/bin,etc,tmp,proc,sys,dev,root}
chmod 1777 "$root/tmp"
install -m 0755 /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
rm -f "$root/bin/bash" "$root/bin/cat"
copy_with_libs "$root" /bin/bash /bin/bash
copy_with_libs "$root" /bin/cat /usr/bin/cat
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
tar -C "$root" -c . | docker import \
  --change 'CMD ["/bin/sleep", "86400"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - driftguard-test/shell:1 >/dev/null
echo "build-test-images: driftguard-test/shell:1"

# driftguard-test/web:1  the shell image plus /etc/nginx/nginx.conf, 5,000 small files under
#                        /usr/share/bench (for baseline benchmarks), and a second layer made by
#                        docker commit that deletes /usr/local/bin/old-tool (a whiteout) and
#                        re-creates /opt/app (an opaque directory).
root=$work/web
cp -a "$work/shell" "$root"
mkdir -p "$root"/etc/nginx "$root"/usr/local/bin "$root"/opt/app "$root"/usr/share/bench
printf 'worker_processes 1;\nevents { worker_connections 64; }\n' > "$root/etc/nginx/nginx.conf"
printf '#!/bin/sh\necho old\n' > "$root/usr/local/bin/old-tool"
chmod 0755 "$root/usr/local/bin/old-tool"
echo old > "$root/opt/app/old.txt"
for d in $(seq 0 49); do
  mkdir -p "$root/usr/share/bench/$d"
  for f in $(seq 0 99); do echo "file $d/$f" > "$root/usr/share/bench/$d/$f.txt"; done
done
tar -C "$root" -c . | docker import --change 'CMD ["/bin/sleep", "86400"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - driftguard-test/web:0 >/dev/null
builder=dg-build-web-$$
docker rm -f "$builder" >/dev/null 2>&1 || true
docker run --name "$builder" --network none driftguard-test/web:0 \
  sh -c 'rm /usr/local/bin/old-tool && rm -r /opt/app && mkdir /opt/app && echo new > /opt/app/new.txt' >/dev/null
docker commit --change 'CMD ["/bin/sleep", "86400"]' "$builder" driftguard-test/web:1 >/dev/null
docker rm -f "$builder" >/dev/null
echo "build-test-images: driftguard-test/web:1"

# driftguard-test/debian12-systemd:1  Debian 12 made with debootstrap, systemd as its init: the
#                        packaging test installs the .deb in it (man-db: systemd-analyze verify
#                        runs man for Documentation=). The rootfs tarball is cached in
#                        /var/cache/driftguard-test, so it is bootstrapped once per machine.
systemd_image=driftguard-test/debian12-systemd:1
if ! docker image inspect "$systemd_image" >/dev/null 2>&1; then
  cache=/var/cache/driftguard-test
  tarball=$cache/debian12-systemd.tar
  if [ ! -f "$tarball" ]; then
    # The mirror apt already uses here: the only one this machine may reach.
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
             | sed -nE 's#^(URIs: |deb (\[[^]]*\] )?)(https?://[^ ]+/debian)/?( .*)?$#\3#p' | head -1 || true)
    echo "build-test-images: debootstrap Debian 12 from $mirror (once; cached in $cache)"
    rootfs=$work/debian12
    debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,man-db \
      bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    # Units that make no sense in a container and would only slow the boot down.
    for unit in getty.target systemd-logind.service systemd-timesyncd.service apt-daily.timer \
                apt-daily-upgrade.timer e2scrub_reap.service; do
      ln -sf /dev/null "$rootfs/etc/systemd/system/$unit"
    done
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    mkdir -p "$cache"
    tar -C "$rootfs" -c . >"$tarball.part" && mv "$tarball.part" "$tarball"
  fi
  docker import \
    --change 'ENV container=docker' \
    --change 'CMD ["/sbin/init"]' \
    "$tarball" "$systemd_image" >/dev/null
fi
echo "build-test-images: $systemd_image"
