# xdp_redirect_map - a static, libbpf-free XDP forwarder.
#
#   make                 static binary with musl (musl-gcc), BPF object embedded
#   make test            every CI stage (as root), ends with "N passed, M failed"
#   make test-unit       unit tests only: no privileges, no bpf(2)
#   make demo            the seed's topology, live, cleaned up afterwards
#
# The BPF object is built for the byte order of the target compiler, asked
# of the compiler itself.

VERSION   := 0.1
CROSS_COMPILE ?=
ifeq ($(CROSS_COMPILE),)
CC        := $(shell command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc || echo gcc)
HOSTCC    ?= gcc
else
CC        := $(CROSS_COMPILE)gcc
endif
CLANG     ?= clang
STRIP     ?= $(CROSS_COMPILE)strip

CFLAGS    ?= -Os
CFLAGS    += -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
             -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
             -fno-unwind-tables -DVERSION='"$(VERSION)"'
# noseparate-code, norelro and a small common page size: no page of
# padding between code and data in the file (about 7 KiB).
LDFLAGS   += -static -Wl,--gc-sections -Wl,-z,noseparate-code \
             -Wl,-z,norelro -Wl,-z,common-page-size=64 -Wl,--build-id=none

# musl-gcc leaves out /usr/include; the Linux uapi headers come from a
# directory of links to just linux/, asm/ and asm-generic/.
TRIPLET   := $(shell $(CC) -print-multiarch 2>/dev/null || gcc -print-multiarch)
UAPI      := build/uapi
CPPFLAGS  += -I$(UAPI)

BPF_ENDIAN := $(shell $(CC) -dM -E - </dev/null | grep -q '__BYTE_ORDER__ __ORDER_BIG_ENDIAN__' && echo bpfeb || echo bpfel)
BPF_CFLAGS := -O2 -target $(BPF_ENDIAN) -Wall -Werror -I$(UAPI)
BPF_OBJ    := build/xdp_redirect_map.$(BPF_ENDIAN).o

SRCS := main.c options.c forwarder.c check.c attach.c veth_peer.c loader.c \
        elfload.c btf.c bpf_sys.c netlink.c
OBJS := $(SRCS:%.c=build/%.o) build/embed.o

all: xdp_redirect_map

$(UAPI)/.stamp:
	mkdir -p $(UAPI)
	ln -sfn /usr/include/linux $(UAPI)/linux
	ln -sfn /usr/include/asm-generic $(UAPI)/asm-generic
	ln -sfn /usr/include/$(TRIPLET)/asm $(UAPI)/asm
	touch $@

$(BPF_OBJ): prog/xdp_redirect_map.c $(UAPI)/.stamp
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

build/%.o: %.c $(UAPI)/.stamp
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -c $< -o $@

build/embed.o: embed.c $(BPF_OBJ)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DBPF_OBJ=$(BPF_OBJ) -c $< -o $@

xdp_redirect_map: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(OBJS) -o $@

# Test objects (tests/objs) in the host's byte order, with BTF (-g) as
# people build them; for the loader also one without BTF, one of the
# other byte order, and those in tests/objs/refused, which must be refused
# with the reason named.
TEST_OBJS := $(patsubst tests/objs/%.c,build/objs/%.o,$(wildcard tests/objs/*.c))
OTHER_ENDIAN := $(if $(filter bpfel,$(BPF_ENDIAN)),bpfeb,bpfel)
REFUSED_OBJS := $(patsubst tests/objs/refused/%.c,build/objs/refused/%.o,$(wildcard tests/objs/refused/*.c))
LOADER_OBJS := $(TEST_OBJS) build/objs/legacy_nobtf.o build/objs/legacy_$(OTHER_ENDIAN).o \
               $(REFUSED_OBJS)
build/objs/refused/%.o: tests/objs/refused/%.c tests/objs/bpf_defs.h $(UAPI)/.stamp
	@mkdir -p build/objs/refused
	$(CLANG) -g $(BPF_CFLAGS) -c $< -o $@
build/objs/%.o: tests/objs/%.c tests/objs/bpf_defs.h $(UAPI)/.stamp
	@mkdir -p build/objs
	$(CLANG) -g $(BPF_CFLAGS) -c $< -o $@
build/objs/legacy_nobtf.o: tests/objs/legacy.c tests/objs/bpf_defs.h $(UAPI)/.stamp
	@mkdir -p build/objs
	$(CLANG) -O2 -target $(BPF_ENDIAN) -Wall -Werror -I$(UAPI) -c $< -o $@
build/objs/legacy_$(OTHER_ENDIAN).o: tests/objs/legacy.c tests/objs/bpf_defs.h $(UAPI)/.stamp
	@mkdir -p build/objs
	$(CLANG) -g -O2 -target $(OTHER_ENDIAN) -Wall -Werror -I$(UAPI) -c $< -o $@

# Unit tests: the lower files and the tests, built for the target.
UNIT_SRCS := tests/unit_main.c tests/unit_netlink.c tests/unit_elfload.c \
             tests/unit_bpf_sys.c tests/unit_options.c tests/unit_corpus.c tests/unit_link.c \
             netlink.c elfload.c btf.c bpf_sys.c options.c
tests/unit: $(UNIT_SRCS) $(BPF_OBJ) $(LOADER_OBJS) $(UAPI)/.stamp tests/*.h
	$(CC) $(CPPFLAGS) -I. $(CFLAGS) -DBPF_OBJ_PATH='"$(BPF_OBJ)"' \
		-DBPF_ENDIAN='"$(BPF_ENDIAN)"' -DTEST_OBJ_DIR='"build/objs"' \
		$(UNIT_SRCS) $(LDFLAGS) -o $@

tests/btf_spoil: tests/btf_spoil.c btf.c btf.h $(UAPI)/.stamp
	$(or $(HOSTCC),cc) $(CPPFLAGS) -I. -O2 -Wall -Wextra tests/btf_spoil.c btf.c -o $@

test-obj: xdp_redirect_map tests/pktio tests/btf_spoil $(LOADER_OBJS)
	tests/obj.sh

# libFuzzer over the pure reader: elf_load, BTF parsing and fix-ups, and
# linking every program with fake map fds. Seeds: our objects, xdp-tools'
# if installed, and a bare .BTF/.BTF.ext pair (tests/fuzz_elf.c reads the
# halves of an input so). Bounded: FUZZ_SECONDS (CI runs a short one).
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
tests/fuzz_elf: tests/fuzz_elf.c elfload.c btf.c elfload.h btf.h $(UAPI)/.stamp
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(CPPFLAGS) -I. tests/fuzz_elf.c elfload.c btf.c -o $@

fuzz: tests/fuzz_elf $(BPF_OBJ) $(LOADER_OBJS)
	@mkdir -p build/fuzz-corpus
	cp $(BPF_OBJ) $(LOADER_OBJS) $(wildcard /usr/lib/*/bpf/*.o) build/fuzz-corpus/
	llvm-objcopy --dump-section .BTF=build/fuzz-btf \
		--dump-section .BTF.ext=build/fuzz-btf-ext build/objs/btf_maps.o build/fuzz-tmp.o
	truncate -s 4096 build/fuzz-btf build/fuzz-btf-ext
	cat build/fuzz-btf build/fuzz-btf-ext >build/fuzz-corpus/btf_maps.btf-halves
	tests/fuzz_elf -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
		-print_final_stats=1 -artifact_prefix=build/ build/fuzz-corpus \
		>build/fuzz.log 2>&1; rc=$$?; \
	n=$$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz.log); \
	if [ $$rc -eq 0 ]; then \
		echo "fuzz: 1 passed, 0 failed ($$n executions in $(FUZZ_SECONDS) s, nothing found)"; \
	else \
		grep -E '==ERROR|SUMMARY|artifact' build/fuzz.log; \
		echo "fuzz: 0 passed, 1 failed (build/fuzz.log)"; \
	fi; exit $$rc

tests/pktio: tests/pktio.c
	$(CC) $(CFLAGS) $< $(LDFLAGS) -o $@

test-unit: tests/unit
	$(QEMU) tests/unit

test: xdp_redirect_map tests/unit tests/pktio
	tests/run

demo: xdp_redirect_map tests/pktio
	tests/demo.sh

clean:
	rm -rf build xdp_redirect_map tests/unit tests/pktio tests/fuzz_elf tests/btf_spoil

.PHONY: all test test-unit test-obj fuzz demo clean
-include build/*.d
