# xdp_redirect_map - a static, libbpf-free XDP forwarder.
#
#   make                 static binary with musl (musl-gcc), BPF object embedded
#   make test            every CI stage (as root), ends with "N passed, M failed"
#   make test-unit       unit tests only: no privileges, no bpf(2)
#   make demo            the seed's topology, live, cleaned up afterwards
#   make bench           the benchmark (as root): table on stdout, build/bench.json
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
# -mcpu=v3: 32-bit ALU instructions, one native instruction each on a
# 32-bit JIT where 64-bit ones take two to four; needs kernel 5.1.
BPF_CFLAGS := -O2 -target $(BPF_ENDIAN) -mcpu=v3 -Wall -Werror -I$(UAPI)
BPF_OBJ    := build/xdp_redirect_map.$(BPF_ENDIAN).o

SRCS := main.c options.c forwarder.c attach.c veth_peer.c loader.c \
        elfload.c bpf_sys.c netlink.c
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

# Unit tests: the lower files and the tests, built for the target.
UNIT_SRCS := tests/unit_main.c tests/unit_netlink.c tests/unit_elfload.c \
             tests/unit_bpf_sys.c tests/unit_options.c \
             netlink.c elfload.c bpf_sys.c options.c
tests/unit: $(UNIT_SRCS) $(BPF_OBJ) $(UAPI)/.stamp tests/*.h
	$(CC) $(CPPFLAGS) -I. $(CFLAGS) -DBPF_OBJ_PATH='"$(BPF_OBJ)"' \
		-DBPF_ENDIAN='"$(BPF_ENDIAN)"' $(UNIT_SRCS) $(LDFLAGS) -o $@

tests/pktio: tests/pktio.c
	$(CC) $(CFLAGS) $< $(LDFLAGS) -o $@

# The benchmark's tools: on the repository's own bpf(2) and netlink code.
BENCH_GEN_SRCS := tests/bench/xdpgen.c tests/bench/common.c attach.c bpf_sys.c netlink.c
tests/bench/xdpgen: $(BENCH_GEN_SRCS) tests/bench/common.h $(UAPI)/.stamp
	$(CC) $(CPPFLAGS) -I. $(CFLAGS) $(BENCH_GEN_SRCS) $(LDFLAGS) -o $@

tests/bench/blast: tests/bench/blast.c tests/bench/common.c tests/bench/common.h $(UAPI)/.stamp
	$(CC) $(CPPFLAGS) $(CFLAGS) tests/bench/blast.c tests/bench/common.c $(LDFLAGS) -o $@

test-unit: tests/unit
	$(QEMU) tests/unit

test: xdp_redirect_map tests/unit tests/pktio
	tests/run

demo: xdp_redirect_map tests/pktio
	tests/demo.sh

bench: xdp_redirect_map tests/bench/xdpgen tests/bench/blast
	tests/bench/run.sh

clean:
	rm -rf build xdp_redirect_map tests/unit tests/pktio tests/bench/xdpgen tests/bench/blast

.PHONY: all test test-unit demo bench clean
-include build/*.d
