#!/usr/bin/env bash
# Builds every publishable package and packs it into one folder, the way a
# company installs minos before it is on a registry:
#
#   pnpm release:pack [DIR]          # DIR defaults to dist-packages/
#   npm install DIR/*.tgz            # in the company's repository (or pnpm add)
#
# Each tarball carries registry names and ranges (pnpm rewrites `workspace:`),
# so installing them all at once resolves minos from the tarballs and the
# rest (Pulumi's SDKs) from the registry. A tarball without its built entry
# point is an error here, never a silent half package.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-dist-packages}")"

pnpm exec tsc -b
rm -rf "$out"
mkdir -p "$out"

for manifest in packages/*/package.json; do
  dir="$(dirname "$manifest")"
  read -r name private main < <(node -p "const m = require('./$manifest'); [m.name, m.private === true, m.main ?? 'index.js'].join(' ')")
  [ "$private" = "true" ] && continue
  (cd "$dir" && pnpm pack --pack-destination "$out" >/dev/null)
  version="$(node -p "require('./$manifest').version")"
  tarball="$out/$(echo "$name" | sed 's/^@//; s#/#-#')-$version.tgz"
  # The listing first: grep -q stops reading early, and pipefail would blame tar.
  listing="$(tar tzf "$tarball")"
  if ! grep -qx "package/${main#./}" <<<"$listing"; then
    echo "release:pack: $tarball lacks ${main#./}; is $dir built?" >&2
    exit 1
  fi
  echo "$tarball"
done

echo "release:pack: $(ls "$out"/*.tgz | wc -l) packages in $out; install them with: npm install $out/*.tgz" >&2
