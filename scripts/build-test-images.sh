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
