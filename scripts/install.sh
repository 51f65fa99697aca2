#!/bin/sh
# install.sh: installs scwlua like a real tool under PREFIX (default ~/.local):
#   PREFIX/bin/scwlua                                   the CLI (lua-stdlib is built into it)
#   PREFIX/share/bash-completion/completions/scwlua     shell completions
#   PREFIX/share/zsh/site-functions/_scwlua
#   PREFIX/share/fish/vendor_completions.d/scwlua.fish
#   PREFIX/lib/lua/5.4/scaleway.so                      the Lua module for stock lua5.4
#
# usage: scripts/install.sh [PREFIX] [--build] [--build-dir DIR] [--no-lua-module]
#   --build          run `swift build -c release` first (the CLI and the Lua module)
#   --build-dir DIR  folder holding the built scwlua and libscaleway.so
#                    (default: the newest of .build*/release, then .build*/debug)
#   --no-lua-module  install the CLI and completions only
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${HOME:?HOME is not set}/.local
build=no
build_dir=
lua_module=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build=yes ;;
        --build-dir) shift; build_dir=${1:?--build-dir needs a folder} ;;
        --no-lua-module) lua_module=no ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "install.sh: unknown option $1" >&2; exit 2 ;;
        *) prefix=$1 ;;
    esac
    shift
done

if [ "$build" = yes ]; then
    (cd "$root" && swift build -c release --product scwlua && swift build -c release --product scaleway)
    build_dir=$root/.build/release
fi
if [ -z "$build_dir" ]; then
    exe=$(ls -t "$root"/.build*/release/scwlua 2>/dev/null | head -n 1 || true)
    [ -n "$exe" ] || exe=$(ls -t "$root"/.build*/debug/scwlua 2>/dev/null | head -n 1 || true)
    [ -n "$exe" ] && build_dir=$(dirname "$exe")
fi
if [ -z "$build_dir" ] || [ ! -x "$build_dir/scwlua" ]; then
    echo "install.sh: no built scwlua${build_dir:+ in $build_dir}; build it with" >&2
    echo "  swift build -c release     (or pass --build)" >&2
    exit 1
fi
lib=$build_dir/libscaleway.so
if [ "$lua_module" = yes ] && [ ! -f "$lib" ]; then
    echo "install.sh: no libscaleway.so in $build_dir; build it with" >&2
    echo "  swift build -c release --product scaleway     (or pass --build, or --no-lua-module)" >&2
    exit 1
fi

mkdir -p "$prefix/bin" "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" \
         "$prefix/share/fish/vendor_completions.d"
prefix=$(cd "$prefix" && pwd)
install -m 0755 "$build_dir/scwlua" "$prefix/bin/scwlua"
install -m 0644 "$root/completions/scwlua.bash" "$prefix/share/bash-completion/completions/scwlua"
install -m 0644 "$root/completions/scwlua.zsh" "$prefix/share/zsh/site-functions/_scwlua"
install -m 0644 "$root/completions/scwlua.fish" "$prefix/share/fish/vendor_completions.d/scwlua.fish"
echo "installed $prefix/bin/scwlua and its completions (bash, zsh, fish)"
if [ "$lua_module" = yes ]; then
    mkdir -p "$prefix/lib/lua/5.4"
    install -m 0755 "$lib" "$prefix/lib/lua/5.4/scaleway.so"
    echo "installed $prefix/lib/lua/5.4/scaleway.so; for stock lua5.4:"
    echo "  export LUA_CPATH='$prefix/lib/lua/5.4/?.so;;'"
fi
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "add $prefix/bin to PATH:  export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
