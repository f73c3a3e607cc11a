# shellcheck shell=bash
# Source this file (`source scripts/use-node.sh`) to get Node.js 24 on PATH in your shell. The project does not
# need it: `npm install` brings Node.js 24 (optional dependency node-<platform>-<arch>) for npm scripts and npx,
# and `export PATH="$PWD/node_modules/.bin:$PATH"` puts that one in a shell after `npm install`.
#
# When the machine's node is older than the project's minimum (22.18), it installs the
# npm registry package `node-linux-<arch>@24` (a Node binary plus its C headers) into a
# cache folder, puts its bin first on PATH and points npm_config_nodedir at it, so that
# native addons (better-sqlite3) compile against the headers of the Node that runs them.
# Nothing is downloaded from anywhere but the npm registry.

vetted_node_satisfies() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 18) ? 0 : 1)'
}

vetted_use_node() {
  if vetted_node_satisfies && [ -z "${VETTED_FORCE_NODE_BOOTSTRAP:-}" ]; then
    return 0
  fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "use-node: no node-linux package for $(uname -m)" >&2; return 1 ;;
  esac
  local home="${VETTED_NODE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/vetted/node24-$arch}"
  local pkg="$home/node_modules/node-linux-$arch"
  if [ ! -x "$pkg/bin/node" ]; then
    echo "use-node: installing Node.js 24 (npm package node-linux-$arch@24) into $home" >&2
    mkdir -p "$home" || return 1
    npm install --prefix "$home" --no-save --no-package-lock --no-audit --no-fund \
      "node-linux-$arch@24" >&2 || return 1
  fi
  export PATH="$pkg/bin:$PATH"
  export npm_config_nodedir="$pkg"
  hash -r 2>/dev/null || true
  vetted_node_satisfies || { echo "use-node: $pkg/bin/node does not run" >&2; return 1; }
}

vetted_use_node
