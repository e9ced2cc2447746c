#!/bin/sh
# libfuzzer.sh - builds one fuzz target with clang and libFuzzer (ASan and
# UBSan on) and fuzzes it. Not part of `make test`, which only replays the
# committed corpus with gcc (see fuzz/README.md).
#
# Usage: fuzz/libfuzzer.sh TARGET [SECONDS] [libFuzzer options...]
#   fuzz/libfuzzer.sh date 300
#   fuzz/libfuzzer.sh catp 600 -max_len=8192
# New inputs go to build/libfuzzer/work/TARGET (the committed corpus is read,
# never written); crashes to build/libfuzzer/crash-TARGET-*. Needs clang and
# its libFuzzer runtime (Debian: clang libclang-rt-14-dev).
set -eu
cd "$(dirname "$0")/.."
t=${1:?usage: fuzz/libfuzzer.sh TARGET [SECONDS] [options]}
secs=${2:-300}
[ $# -ge 2 ] && shift 2 || shift $#
out=build/libfuzzer
CC=${CLANG:-clang}
CFLAGS="-g -O1 -fno-omit-frame-pointer -std=c11 -D_GNU_SOURCE -Isrc -Isrc/util -Ifuzz"
CFLAGS="$CFLAGS $(pkg-config --cflags jansson libsodium libzstd)"
SAN=address,undefined
LIBS="$(pkg-config --libs jansson libsodium libzstd) -lunistring -lm"
# The parsers and what they call; nothing here needs the store or a network.
SRC="src/core/cal_*.c src/core/catp_*.c src/core/dl.c src/core/txt.c src/util/mc.c src/util/sb.c
src/app/catalog.c src/sync/batch.c src/sync/evenc.c"
case "$t" in
chart) SRC="$SRC src/doc/chart.c" ;;
table_csv)
	SRC="$SRC src/doc/table.c"
	CFLAGS="$CFLAGS $(pkg-config --cflags xlsxwriter)"
	LIBS="$LIBS $(pkg-config --libs xlsxwriter)" ;;
esac
if [ "$t" = body ]; then
	# Request bodies go through the handlers to a demo node: the whole
	# program but its main(), with the embedded data (made by make).
	make -s build/gen/embedded.c
	SRC="$(ls src/*/*.c | grep -v '^src/cli/main\.c$') build/gen/embedded.c"
	PKGS="sqlite3 jansson libsodium libmicrohttpd zlib"
	CFLAGS="$CFLAGS -Ibuild/gen $(pkg-config --cflags $PKGS)"
	LIBS="$(pkg-config --libs $PKGS) -lunistring -lpthread -lm"
fi

mkdir -p "$out/obj" "$out/work/$t"
objs=
for s in $SRC; do
	o=$out/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')
	if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ -n "$(find src -name '*.h' -newer "$o")" ]; then
		$CC $CFLAGS -fsanitize=fuzzer-no-link,$SAN -c -o "$o" "$s"
	fi
	objs="$objs $o"
done
# shellcheck disable=SC2086
$CC $CFLAGS -fsanitize=fuzzer,$SAN -o "$out/$t" "fuzz/$t.c" $objs $LIBS
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# libFuzzer looks for leaks after each input; third-party ones are listed here.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=scripts/lsan.supp:print_suppressions=0}
exec "$out/$t" -max_total_time="$secs" -artifact_prefix="$out/crash-$t-" \
	-print_final_stats=1 "$@" "$out/work/$t" "fuzz/corpus/$t"
