#!/bin/sh
# install-lua-module.sh: puts the built `scaleway` Lua module (libscaleway.so) where a Lua 5.4
# host finds it with `require "scaleway"`, checks that lua5.4 loads it, and prints LUA_CPATH.
#
# usage: scripts/install-lua-module.sh [DEST] [--copy] [--build] [--build-dir DIR]
#   DEST          folder to put scaleway.so in (default: ./lua-modules)
#   --copy        copy the library (and lua-stdlib beside it) instead of a symlink to the build
#   --build       run `swift build --product scaleway` first (debug)
#   --build-dir   folder holding libscaleway.so (default: the newest of .build*/{debug,release})
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
dest=./lua-modules
copy=no
build=no
build_dir=
while [ $# -gt 0 ]; do
    case "$1" in
        --copy) copy=yes ;;
        --build) build=yes ;;
        --build-dir) shift; build_dir=${1:?--build-dir needs a folder} ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "install-lua-module.sh: unknown option $1" >&2; exit 2 ;;
        *) dest=$1 ;;
    esac
    shift
done

if [ "$build" = yes ]; then
    (cd "$root" && swift build --product scaleway)
fi

lib=
if [ -n "$build_dir" ]; then
    lib=$build_dir/libscaleway.so
else
    # The most recently built one, wherever the build folder is (.build, .build-int, ...).
    lib=$(ls -t "$root"/.build*/debug/libscaleway.so "$root"/.build*/release/libscaleway.so 2>/dev/null | head -n 1 || true)
fi
if [ -z "$lib" ] || [ ! -f "$lib" ]; then
    echo "install-lua-module.sh: libscaleway.so not found${lib:+ at $lib}; build it with" >&2
    echo "  swift build --product scaleway     (or pass --build)" >&2
    exit 1
fi
lib=$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
rm -f "$dest/scaleway.so"
if [ "$copy" = yes ]; then
    cp "$lib" "$dest/scaleway.so"
    # The module looks for lua-stdlib beside itself (then in the checkout it was built in).
    if [ -d "$root/lua-stdlib" ]; then
        rm -rf "$dest/lua-stdlib"
        cp -R "$root/lua-stdlib" "$dest/lua-stdlib"
    fi
else
    ln -s "$lib" "$dest/scaleway.so"
fi

# The Swift runtime: the library's RUNPATH names the toolchain it was built with; when that
# does not resolve (another machine, a moved toolchain), LD_LIBRARY_PATH must name it.
ld_path=
if ldd "$dest/scaleway.so" 2>/dev/null | grep -q "not found"; then
    runtime=
    if command -v swift >/dev/null 2>&1; then
        runtime=$(swift -print-target-info 2>/dev/null | sed -n 's/^ *"\(\/[^"]*\/lib\/swift\/linux\)",\{0,1\}$/\1/p' | head -n 1)
    fi
    [ -n "$runtime" ] || runtime=/opt/swift/usr/lib/swift/linux
    ld_path=$runtime
fi

cpath="$dest/?.so;;"
lua=$(command -v lua5.4 || true)
if [ -n "$lua" ]; then
    if ! version=$(LUA_CPATH="$cpath" LD_LIBRARY_PATH="${ld_path}${ld_path:+${LD_LIBRARY_PATH:+:}}${LD_LIBRARY_PATH:-}" \
        "$lua" -e 'io.write(require("scaleway")._VERSION)' 2>&1); then
        echo "install-lua-module.sh: lua5.4 could not load the module:" >&2
        echo "$version" >&2
        exit 1
    fi
    echo "installed $dest/scaleway.so ($version, checked with $lua)"
else
    echo "installed $dest/scaleway.so (lua5.4 not found: not checked)"
fi
echo "use it with:"
echo "  export LUA_CPATH='$cpath'"
if [ -n "$ld_path" ]; then
    echo "  export LD_LIBRARY_PATH='$ld_path'\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
fi
echo "  lua5.4 -e 'local scw = require \"scaleway\" print(scw._VERSION)'"
