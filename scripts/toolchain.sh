# Source me: puts the Node the root package.json's `engines` asks for and
# the pnpm its `packageManager` pins first on PATH, installing either from
# the npm registry when the machine's own is older or missing.
#
#   . scripts/toolchain.sh
#
# Works from a bare environment (`env -i HOME=… PATH=/usr/bin:/bin`) with
# only Debian's Node and npm: nothing is installed globally, and corepack
# (whose download is blocked on many CI machines) is never used.
#   node  the registry's prebuilt `node-<os>-<arch>` package (a binary in a
#         package, no install script), under $MINOS_TOOLCHAIN_DIR/node-<major>
#   pnpm  `pnpm@<version>` installed by that Node's npm under
#         $MINOS_TOOLCHAIN_DIR/pnpm-<version>
# MINOS_TOOLCHAIN_DIR defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/minos-toolchain.
# Both steps are skipped when what is on PATH already fits, so sourcing it
# twice costs two version checks.

# Installs one registry package into its own folder. Run from inside that
# folder rather than with --prefix: npm reads its global npmrc from the
# prefix, and --prefix would drop the machine's (a CA file, a registry).
minos_npm_into() {
  mkdir -p "$1" && [ -f "$1/package.json" ] || echo '{"private":true}' >"$1/package.json"
  (cd "$1" && npm install --no-save --no-package-lock --no-audit --no-fund --no-update-notifier \
    --loglevel=error "$2" >&2)
}

minos_toolchain() {
  local root here dir major want_node want_pnpm have_pnpm
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  dir="${MINOS_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/minos-toolchain}"

  if ! command -v node >/dev/null 2>&1; then
    echo "toolchain: no node on PATH; install Debian's nodejs and npm (apt-get install nodejs npm)" >&2
    return 1
  fi
  want_node="$(node -p "require('$here/package.json').engines.node.match(/\\d+/)[0]")" || return 1
  want_pnpm="$(node -p "require('$here/package.json').packageManager.split('@')[1]")" || return 1

  # The machine's global npmrc (its CA file, its registry), as its own npm
  # reads it. A Node from the registry has another prefix, where npm and pnpm
  # under it look for theirs: it is linked there below, so every npm and
  # pnpm, child processes with a trimmed environment too, reads the same.
  local globalconfig=""
  command -v npm >/dev/null 2>&1 && globalconfig="$(npm config get globalconfig 2>/dev/null || true)"

  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt "$want_node" ]; then
    root="$dir/node-$want_node"
    if [ ! -x "$root/node_modules/.bin/node" ]; then
      echo "toolchain: Node $want_node from the npm registry into $root (machine has $(node --version))" >&2
      minos_npm_into "$root" "node-$(node -p 'process.platform + "-" + process.arch')@$want_node" || return 1
    fi
    PATH="$root/node_modules/.bin:$PATH"
    if [ -f "$globalconfig" ]; then
      local prefix
      prefix="$(node -p 'require("path").resolve(process.execPath, "../..")')"
      mkdir -p "$prefix/etc" && ln -sf "$globalconfig" "$prefix/etc/npmrc"
    fi
    major="$(node -p 'process.versions.node.split(".")[0]')"
    if [ "$major" -lt "$want_node" ]; then
      echo "toolchain: Node $want_node or newer needed, $(node --version) found" >&2
      return 1
    fi
  fi

  have_pnpm="$(pnpm --version 2>/dev/null || true)"
  if [ "$have_pnpm" != "$want_pnpm" ]; then
    root="$dir/pnpm-$want_pnpm"
    if [ ! -x "$root/node_modules/.bin/pnpm" ]; then
      echo "toolchain: pnpm $want_pnpm from the npm registry into $root" >&2
      minos_npm_into "$root" "pnpm@$want_pnpm" || return 1
    fi
    PATH="$root/node_modules/.bin:$PATH"
    have_pnpm="$(pnpm --version 2>/dev/null || true)"
    if [ "$have_pnpm" != "$want_pnpm" ]; then
      echo "toolchain: pnpm $want_pnpm needed, ${have_pnpm:-none} found" >&2
      return 1
    fi
  fi
  export PATH
  echo "toolchain: node $(node --version), pnpm $(pnpm --version)" >&2
}
minos_toolchain
