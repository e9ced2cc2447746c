# motcua - one binary for a commune's public administrative service centre.
# `make run` and `make test` work on a fresh Debian 12 machine: both install
# what is missing first (scripts/deps).

CC      ?= gcc
PKGS    := sqlite3 jansson libsodium libmicrohttpd zlib libzstd libcurl \
           cairo pangocairo libqrencode tesseract lept libmagic poppler-glib xlsxwriter
CFLAGS  ?= -O2 -g
XCFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wcast-qual -Wformat=2 \
           -Wno-unused-parameter -Isrc -Isrc/util -Ibuild/gen \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lunistring -lpthread -lm

BUILD   ?= build
SRC     := $(sort $(wildcard src/*/*.c))
MAIN    := src/cli/main.c
LIBSRC  := $(filter-out $(MAIN),$(SRC))
GEN     := build/gen/embedded.c
OBJ     := $(LIBSRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o
TESTSRC := $(sort $(wildcard tests/*/*_test.c))
TESTBIN := $(TESTSRC:%.c=$(BUILD)/%)
FUZZSRC := $(filter-out fuzz/replay.c,$(sort $(wildcard fuzz/*.c)))
FUZZBIN := $(FUZZSRC:%.c=$(BUILD)/%)
WEB     := $(sort $(wildcard web/*.html web/*.css web/*.js web/*.svg web/*.ico))
EMBED   := $(sort $(wildcard data/calendar/*.csv data/catalog/*.jsonl data/catalog/*.csv)) \
           $(sort $(wildcard src/store/migrations/*.sql)) src/http/contract.json $(WEB)

# The sanitized builds, each in its own BUILD directory.
ASAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TSAN_CFLAGS := -O1 -g -fsanitize=thread -fno-omit-frame-pointer

.PHONY: all deps run test unit asan tsan soak bench clean fmt docs faultproxy
all: motcua

deps:
	@./scripts/deps

motcua: $(BUILD)/motcua
	@cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/motcua: $(BUILD)/$(MAIN:.c=.o) $(OBJ)
	$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(wildcard src/*/*.h src/*/*.def) | $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) $(XCFLAGS) -c -o $@ $<

# Web files also get their content hash and gzip/brotli variants, written
# (named by hash) to build/gen/web; see scripts/embed.sh.
$(GEN): scripts/embed.sh $(EMBED)
	@mkdir -p $(dir $@)
	./scripts/embed.sh -d build/gen/web $(EMBED) > $@.tmp.$$$$ && mv $@.tmp.$$$$ $@

$(BUILD)/gen/embedded.o: $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(XCFLAGS) -Wno-overlength-strings -c -o $@ $<

$(BUILD)/tests/%: tests/%.c tests/t.h $(wildcard tests/*/*.h) $(OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) $(XCFLAGS) -Itests -Itests/core -o $@ $< $(OBJ) $(LDLIBS)

# Fuzz targets with a main() that replays their corpus (fuzz/README.md).
$(BUILD)/fuzz/%: fuzz/%.c fuzz/replay.c fuzz/fuzz.h $(OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $< fuzz/replay.c $(OBJ) $(LDLIBS)

# The fault-injecting TCP proxy of the sync tests (tests/tools/faultproxy.h):
# test tooling beside the test binaries, never linked into motcua; used by
# tests/sh/faultproxy.sh, which finds it next to the motcua it is given.
FPBIN := tests/tools/faultproxy
$(BUILD)/$(FPBIN): $(FPBIN).c $(FPBIN).h src/util/banned.h
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $<

faultproxy: $(BUILD)/$(FPBIN)

# Unit and script suites; the runner prints one "N passed, N failed" line.
unit: motcua $(TESTBIN) $(FUZZBIN) $(BUILD)/$(FPBIN)
	@./scripts/runtests $(BUILD) $(TESTBIN)

run: deps
	@$(MAKE) --no-print-directory motcua
	@./scripts/demo-run

# Every suite on the plain build, again under ASan+UBSan (with leak
# detection), and the API tests once more on the ThreadSanitizer build.
test: deps
	@$(MAKE) --no-print-directory motcua $(TESTBIN) $(FUZZBIN) build/$(FPBIN)
	@$(MAKE) --no-print-directory BUILD=build/asan CFLAGS="$(ASAN_CFLAGS)" \
	  build/asan/motcua $(TESTSRC:%.c=build/asan/%) $(FUZZSRC:%.c=build/asan/%) \
	  build/asan/$(FPBIN)
	@$(MAKE) --no-print-directory BUILD=build/tsan CFLAGS="$(TSAN_CFLAGS)" build/tsan/motcua
	@./scripts/runtests build $(TESTBIN) -- build/asan $(TESTSRC:%.c=build/asan/%) \
	  -- build/tsan:api

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan CFLAGS="$(ASAN_CFLAGS)" \
	  build/asan/motcua $(TESTSRC:%.c=build/asan/%) build/asan/$(FPBIN)

# ThreadSanitizer: the server under the API tests (tests/sh/api.sh), which
# drive its thread pool, the watchdog thread and the rate limiter from many
# connections at once (about 5 minutes on 2 cores). Races are reported by
# scripts/runtests and fail the suite.
tsan: deps
	@$(MAKE) --no-print-directory BUILD=build/tsan CFLAGS="$(TSAN_CFLAGS)" build/tsan/motcua
	@./scripts/runtests build/tsan:api

# The sync harness (tests/sh/sync.sh: a hub, nodes, the fault proxy, SIGKILL)
# with a 10-minute fault phase instead of make test's few tens of seconds;
# then the slow-link upload at full size (tests/api/slowlink.test.mjs: a
# 20 MB scan at 50 kbit/s through the fault proxy, cut every 60 s; about an
# hour), where make test sends 2 MB at 400 kbit/s.
soak: deps
	@$(MAKE) --no-print-directory motcua build/$(FPBIN)
	@SYNC_SOAK_SECONDS=600 SUITE_TIMEOUT=2400 ./scripts/runtests build:sync
	@./scripts/npm-deps
	@echo "slow link, full size (about an hour):"
	@SLOWLINK_FULL=1 MOTCUA=$(CURDIR)/build/motcua FAULTPROXY=$(CURDIR)/build/$(FPBIN) \
	  ./scripts/node-tests tests/api/slowlink.test.mjs

bench: deps motcua $(BUILD)/tests/doc/ocr_test
	@./bench/run

docs: motcua
	./motcua help-markdown > docs/cli.md
	./motcua permissions-markdown > docs/permissions.md
	./scripts/routes-doc ./motcua docs/api.md > docs/api.md.tmp && mv docs/api.md.tmp docs/api.md
	./motcua openapi | node scripts/api-reference.mjs > docs/api-reference.md.tmp && mv docs/api-reference.md.tmp docs/api-reference.md

clean:
	rm -rf build motcua

# Rewrites the sources in the style of .clang-format (the tree is not
# formatted with it today: see its header).
fmt:
	clang-format --style=file --fallback-style=none -i src/*/*.c src/*/*.h tests/*/*.c
