#!/bin/sh
# Writes OUT/man8/driftguard.8.gz and, once the scanner is built, OUT/man8/driftguard-scan.8.gz
# with help2man from the programs' picocli --help output, plus a COMMANDS section with each
# command's own --help; and OUT/man5/*.5.gz from the file-format pages written by hand next to
# this script (driftguard.toml.5, driftguard-policy.5), and OUT/man8/driftguard-runtime.8.gz from
# its page beside them. Usage: make-man-pages.sh REPO_ROOT OUT VERSION
set -eu
root=$1 out=$2 version=$3
here=$(dirname "$0")
mkdir -p "$out/man8" "$out/man5"
# Wide help lines: help2man keeps picocli's line breaks, which look odd in a man page at 80.
export JAVA_TOOL_OPTIONS=-Dpicocli.usage.width=200
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

page() { # page PROGRAM JAR SUMMARY
  program=$root/bin/$1
  if [ ! -f "$root/$2" ]; then
    echo "make-man-pages: $2 not built; no man page for $1"
    return
  fi
  commands=$("$program" --help 2>/dev/null | sed -n '/^Commands:/,$p' | awk '/^  [a-z]/ && $1 != "help" {print $1}')
  {
    echo '[COMMANDS]'
    for command in $commands; do
      printf '.SS "%s %s"\n.nf\n' "$1" "$command"
      # Escape backslashes and leading dots so that roff shows the help text as it is.
      "$program" "$command" --help 2>/dev/null | sed -e 's/\\/\\e/g' -e 's/^\./\\\&./'
      printf '.fi\n'
    done
    echo '[FILES]'
    echo '/etc/driftguard/driftguard.toml, /etc/driftguard/policies.d/*.toml, /var/lib/driftguard (state),'
    echo '/var/cache/driftguard (class archives of both programs, AppCDS: written once, mapped by each start)'
    echo '[SEE ALSO]'
    echo 'driftguard.toml(5), driftguard-policy(5), systemctl(1), journalctl(1)'
  } >"$work/$1.h2m"
  help2man --no-info --section 8 --name "$3" --version-string "$version" \
    --include "$work/$1.h2m" --output "$work/$1.8" "$program"
  gzip -9n <"$work/$1.8" >"$out/man8/$1.8.gz"
}

for format in "$here"/*.5; do
  gzip -9n <"$format" >"$out/man5/$(basename "$format").gz"
done
# driftguard-runtime is C, with no picocli help for help2man: its page is written by hand too.
for program in "$here"/*.8; do
  gzip -9n <"$program" >"$out/man8/$(basename "$program").gz"
done

page driftguard daemon/target/driftguard.jar "runtime security for Docker hosts"
page driftguard-scan registry-scanner/target/driftguard-scan.jar "check container registries for digest drift and scan images for vulnerabilities, misconfigurations and secrets"
