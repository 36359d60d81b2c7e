# Sourced by the tests in this folder: reads the install layout that
# tests/systemd/CMakeLists.txt passes, and installs the build into a scratch
# DESTDIR ($root), removed when the test exits.

if [ "$#" -ne 6 ]; then
  echo "usage: $0 BUILD_DIR BINDIR PKGLIBDIR PREFIX_LIBDIR MANDIR CONFIGDIR" >&2
  exit 2
fi
build=$1 bindir=$2 pkglibdir=$3 libdir=$4 mandir=$5 configdir=$6
unitdir=$libdir/systemd/system

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

root=$(mktemp -d "${TMPDIR:-/tmp}/estate-install.XXXXXX")
cleanup_hooks=""
trap 'eval "$cleanup_hooks"; rm -rf "$root"' EXIT

# Like a package build: everything lands under $root/<prefix>, nothing outside.
if ! DESTDIR=$root cmake --install "$build" >"$root/install.log" 2>&1; then
  cat "$root/install.log" >&2
  fail "cmake --install $build (DESTDIR=$root)"
fi
