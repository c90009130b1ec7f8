# xdp_redirect_map - a static, libbpf-free XDP forwarder.
#
#   make                 static binary with musl (musl-gcc), BPF object embedded
#   make CROSS_COMPILE=mips-linux-gnu-
#                        static binary for another target, as
#                        ./xdp_redirect_map.<triplet>, built in build/<triplet>/
#   make test            every CI stage (as root), ends with "N passed, M failed"
#   make test-unit       unit tests only: no privileges, no bpf(2); with
#                        CROSS_COMPILE, built for the target and run under QEMU
#   make test-sanitize   the unit tests built with the host compiler under
#                        AddressSanitizer and UBSan
#   make test-cross      tests/cross.sh: the native build and the four cross
#                        targets, musl, static, at most 128 KiB stripped
#   make test-strict-align  every program loaded with BPF_F_STRICT_ALIGNMENT
#                        (root), as MIPS and ARMv5 kernels always check
#   make test-prog-run   the data path in BPF_PROG_TEST_RUN and in the unit
#                        tests' interpreter, compared (root)
#   make demo            the seed's topology, live, cleaned up afterwards
#   make mutate          plants the mutants of tests/mutants in a copy of the
#                        tree and runs the stages that should kill each (root;
#                        MUTATE_SAMPLE=N for a fixed sample of N)
#   make install         the stripped binary to $(DESTDIR)$(PREFIX)/sbin and the
#                        man page to $(DESTDIR)$(PREFIX)/share/man/man8
#                        (PREFIX=/usr/local by default)
#   make test-vm ARCH=mipsel|s390x|armhf|x86_64 [DIST=bullseye|bookworm|trixie]
#                        [PLANT=byteorder|alignment]
#                        the integration tests on Debian's kernel of DIST
#                        (5.10, 6.1 the default, 6.12) for ARCH under QEMU
#                        (tests/vm/run.sh, doc/vm.md)
#   make test-vm-all     every ARCH and DIST that deb.debian.org serves
#   make bench           the benchmark (as root): table on stdout, build/bench.json
#
# The BPF object is built for the byte order of the target compiler, asked
# of the compiler itself.

VERSION   := 0.1
CROSS_COMPILE ?=
HOSTCC    ?= gcc
CLANG     ?= clang
LLVM_OBJCOPY ?= llvm-objcopy
STRIP     ?= $(CROSS_COMPILE)strip

ifeq ($(CROSS_COMPILE),)
CC        := $(shell command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc || echo gcc)
TRIPLET   := $(shell $(CC) -print-multiarch 2>/dev/null || gcc -print-multiarch 2>/dev/null)
BUILD     := build
BIN       := xdp_redirect_map
UNIT      := tests/unit
UAPI_DIR  := /usr/include
UAPI_ASM  := /usr/include/$(TRIPLET)/asm
else
# musl through a specs file, under the musl name of the triplet
# (mipsel-linux-musl, arm-linux-musleabihf): the one tests/musl-src.sh
# built from Debian's musl source into build/musl (both MIPS targets, and
# any Debian has no musl-dev for), else Debian's musl-dev:<arch>'s.
TRIPLET   := $(shell $(CROSS_COMPILE)gcc -dumpmachine 2>/dev/null)
ifeq ($(TRIPLET),)
$(error $(CROSS_COMPILE)gcc not found (sh tests/deps.sh test installs the cross compilers))
endif
MUSL_TRIPLET := $(subst -gnu,-musl,$(TRIPLET))
MUSL_SPECS := $(firstword $(wildcard $(CURDIR)/build/musl/$(MUSL_TRIPLET)/lib/musl-gcc.specs \
                                     /usr/lib/$(MUSL_TRIPLET)/musl-gcc.specs))
ifeq ($(MUSL_SPECS),)
$(error no musl for $(TRIPLET): sh tests/deps.sh test installs or builds it)
endif
CC        := $(CROSS_COMPILE)gcc -specs $(MUSL_SPECS)
BUILD     := build/$(TRIPLET)
BIN       := xdp_redirect_map.$(TRIPLET)
UNIT      := $(BUILD)/unit
# The cross toolchain's kernel headers (linux-libc-dev-<arch>-cross), or
# the multiarch ones of linux-libc-dev:<arch>.
UAPI_DIR  := $(if $(wildcard /usr/$(TRIPLET)/include/asm),/usr/$(TRIPLET)/include,/usr/include)
UAPI_ASM  := $(if $(wildcard /usr/$(TRIPLET)/include/asm),/usr/$(TRIPLET)/include/asm,/usr/include/$(TRIPLET)/asm)
# qemu-user is named after the first word of the triplet: mips, mipsel,
# arm, aarch64. Called directly: binfmt_misc may not be set up.
QEMU      ?= qemu-$(firstword $(subst -, ,$(TRIPLET)))-static
endif

CFLAGS    ?= -Os
CFLAGS    += -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
             -ffunction-sections -fdata-sections \
             -DVERSION='"$(VERSION)"' -DTARGET='"$(TRIPLET)"'
# Flags that cost nothing but bytes saved (doc/size.md has the figures):
# -fno-pie: the link is static and not PIE, so position-independent code
# (Debian's gcc makes it by default) only costs GOT loads.
# -flto: unused code found and small functions inlined across files.
# -mplt (MIPS): direct calls instead of through $t9 and the GOT, which
# abicalls code needs only where a dynamic linker may move things.
# -mcmodel=tiny (AArch64): code and data within 1 MiB of each other, so an
# address is one ADR, not ADRP and ADD; the linker refuses the link should
# the binary ever outgrow it.
predefines = $(shell $(1) -dM -E - </dev/null 2>/dev/null | grep -q '^#define $(2) ' && echo y)
CFLAGS    += -fno-pie -flto $(if $(call predefines,$(CC),__mips__),-mplt) \
             $(if $(call predefines,$(CC),__aarch64__),-mcmodel=tiny)
# norelro and a small common page size: no page of padding between code
# and data in the file. RELRO would protect nothing: musl applies it in
# its dynamic linker only, and a static binary has none.
LDFLAGS   += -static -Wl,--gc-sections -Wl,-z,norelro -Wl,-z,common-page-size=64

# A recipe that fails or is interrupted leaves no output a later make
# would trust.
.DELETE_ON_ERROR:

# musl-gcc leaves out /usr/include; the Linux uapi headers come from a
# directory of links to just linux/, asm/ and asm-generic/, per target.
# System headers, as they are for glibc: musl's <sys/ioctl.h> defines
# _IOC, SIOCGSTAMP and the like too, and a system header may define a
# macro again without a warning.
UAPI      := $(BUILD)/uapi
CPPFLAGS  += -isystem $(UAPI)

# The BPF objects do not depend on the target, only on its byte order:
# both are built once, in build/, with the host's uapi headers (clang
# -target bpf uses no asm/ of the target).
HOST_UAPI  := build/uapi
endian_of   = $(shell $(1) -dM -E - </dev/null 2>/dev/null | grep -q '__BYTE_ORDER__ __ORDER_BIG_ENDIAN__' && echo bpfeb || echo bpfel)
BPF_ENDIAN := $(call endian_of,$(CC))
HOST_ENDIAN := $(call endian_of,$(HOSTCC))
# -fno-addrsig: no .llvm_addrsig, which only a linker would read (88
# bytes of the embedded object).
BPF_CFLAGS := -O2 -Wall -Werror -fno-addrsig -I$(HOST_UAPI)
# Our program only (test objects stay as people build them): -mcpu=v3,
# 32-bit ALU instructions, one native instruction each on a 32-bit JIT
# where 64-bit ones take two to four, and 32-bit jumps; needs kernel 5.1.
BPF_PROG_CFLAGS := -mcpu=v3
BPF_PROG_STRIP := --remove-section=.text --strip-unneeded
BPF_OBJ    := build/xdp_redirect_map.$(BPF_ENDIAN).o
BPF_OBJS   := build/xdp_redirect_map.bpfeb.o build/xdp_redirect_map.bpfel.o
# The tracepoint programs: -g, because their record's field offsets are
# CO-RE relocations, which clang writes into .BTF.ext only with BTF.
# clang copies into BTF the text of each source line, for the verifier to
# quote, read from the file the debug info names: under a directory that
# does not exist it finds none (700 bytes of the embedded object).
BPF_TP_CFLAGS := -g -fdebug-prefix-map=$(CURDIR)=/-
BPF_TP_OBJ  := build/xdp_tracepoints.$(BPF_ENDIAN).o
BPF_TP_OBJS := build/xdp_tracepoints.bpfeb.o build/xdp_tracepoints.bpfel.o

# Objects are rebuilt when the compiler, its libc or the flags change
# (musl-tools installed after a glibc build, say): $(BUILD)/cc.id holds
# all of them, build/clang.id the BPF compiler's; each is rewritten only
# when it differs, so what depends on it is rebuilt exactly then.
CC_ID     := $(BUILD)/cc.id
CC_TEXT   := $(CC) $(shell $(firstword $(CC)) -dumpfullversion 2>/dev/null) $(LIBC) $(CFLAGS) $(LDFLAGS)
CLANG_ID  := build/clang.id
CLANG_TEXT := $(CLANG) $(shell $(CLANG) -dumpversion 2>/dev/null) $(LLVM_OBJCOPY) $(BPF_CFLAGS) $(BPF_TP_CFLAGS) \
              $(BPF_PROG_STRIP)
ifneq ($(file <$(CC_ID)),$(CC_TEXT))
$(shell mkdir -p $(BUILD))
$(file >$(CC_ID),$(CC_TEXT))
endif
ifneq ($(file <$(CLANG_ID)),$(CLANG_TEXT))
$(shell mkdir -p build)
$(file >$(CLANG_ID),$(CLANG_TEXT))
endif

SRCS := main.c options.c decimal.c forwarder.c ports.c port_policy.c stats.c guard.c status.c tracepoints.c tp_format.c \
        report.c instance.c check.c attach.c veth_peer.c loader.c elfload.c btf.c bpf_sys.c \
        sys.c netlink.c probe.c xdp_features.c
OBJS := $(SRCS:%.c=$(BUILD)/%.o) $(BUILD)/embed.o

all: $(BIN)

# First the tools, named by package when one is missing (not a path
# made of an empty triplet).
$(UAPI)/.stamp:
	@$(if $(CROSS_COMPILE),,sh tests/deps.sh -n build)
	@test -d $(UAPI_ASM) || { echo "$(UAPI_ASM): no kernel headers for $(TRIPLET) (sh tests/deps.sh test installs them)" >&2; exit 1; }
	mkdir -p $(UAPI)
	ln -sfn $(UAPI_DIR)/linux $(UAPI)/linux
	ln -sfn $(UAPI_DIR)/asm-generic $(UAPI)/asm-generic
	ln -sfn $(UAPI_ASM) $(UAPI)/asm
	touch $@

ifneq ($(HOST_UAPI),$(UAPI))
$(HOST_UAPI)/.stamp:
	$(MAKE) CROSS_COMPILE= $@
endif

# Without the symbols nothing needs (clang 14 writes one per branch
# target, LBB0_1 ...): 520 bytes of the embedded object; and without the
# empty .text, whose section header is 64 more.
build/xdp_redirect_map.%.o: prog/xdp_redirect_map.c prog/bpf_defs.h $(HOST_UAPI)/.stamp $(CLANG_ID)
	$(CLANG) -target $* $(BPF_CFLAGS) $(BPF_PROG_CFLAGS) -c $< -o $@.tmp
	$(LLVM_OBJCOPY) $(BPF_PROG_STRIP) $@.tmp
	mv $@.tmp $@

# The same, and without what only a linker reads (the DWARF, the empty
# .text, the relocations of .BTF and .BTF.ext: the loader takes the
# offsets from the symbols) and .BTF.ext's func_info and line_info,
# which serve only the verifier's messages: 2 KiB of the embedded object.
build/xdp_tracepoints.%.o: prog/xdp_tracepoints.c prog/xdp_tracepoints.h prog/bpf_defs.h \
		build/btf_ext_core $(HOST_UAPI)/.stamp $(CLANG_ID)
	$(CLANG) -target $* $(BPF_TP_CFLAGS) $(BPF_CFLAGS) $(BPF_PROG_CFLAGS) -c $< -o $@.tmp
	$(LLVM_OBJCOPY) --remove-section=.text --remove-section=.rel.BTF \
		--remove-section=.rel.BTF.ext --dump-section .BTF.ext=$@.ext $@.tmp
	build/btf_ext_core <$@.ext >$@.core
	$(LLVM_OBJCOPY) --update-section .BTF.ext=$@.core --strip-unneeded $@.tmp
	rm $@.ext $@.core
	mv $@.tmp $@

build/btf_ext_core: prog/btf_ext_core.c
	@mkdir -p build
	$(HOSTCC) -O2 -Wall -Wextra $< -o $@

$(BUILD)/%.o: %.c $(UAPI)/.stamp $(CC_ID)
	@mkdir -p $(BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -c $< -o $@

# Not LTO: the .incbin is assembled now, from this directory.
$(BUILD)/embed.o: embed.c $(BPF_OBJ) $(BPF_TP_OBJ) $(UAPI)/.stamp $(CC_ID)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fno-lto -DBPF_OBJ=$(BPF_OBJ) -DBPF_TP_OBJ=$(BPF_TP_OBJ) -c $< -o $@

# Said at every link, not found later in --version.
GLIBC_WARNING := $(BIN): WARNING: linked with glibc, not musl (no musl-gcc): a static binary \
	ten times the size. For musl: apt-get install musl-tools, then make.
# A musl built anew (tests/musl-src.sh) is linked anew.
$(BIN): $(OBJS) $(MUSL_SPECS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(OBJS) -o $@
	$(if $(filter glibc,$(LIBC)),@echo "$(GLIBC_WARNING)" >&2)

# Test objects (tests/objs) in the target's byte order, with BTF (-g) as
# people build them; for the loader also one without BTF, one of the
# other byte order, and those in tests/objs/refused, which must be refused
# with the reason named.
OBJ_DIR := build/objs/$(BPF_ENDIAN)
TEST_OBJS := $(patsubst tests/objs/%.c,$(OBJ_DIR)/%.o,$(wildcard tests/objs/*.c))
OTHER_ENDIAN := $(if $(filter bpfel,$(BPF_ENDIAN)),bpfeb,bpfel)
REFUSED_OBJS := $(patsubst tests/objs/refused/%.c,$(OBJ_DIR)/refused/%.o,$(wildcard tests/objs/refused/*.c))
LOADER_OBJS := $(TEST_OBJS) $(OBJ_DIR)/legacy_nobtf.o $(OBJ_DIR)/legacy_$(OTHER_ENDIAN).o \
               $(REFUSED_OBJS)
$(OBJ_DIR)/refused/%.o: tests/objs/refused/%.c tests/objs/bpf_defs.h prog/bpf_defs.h $(HOST_UAPI)/.stamp $(CLANG_ID)
	@mkdir -p $(OBJ_DIR)/refused
	$(CLANG) -g -target $(BPF_ENDIAN) $(BPF_CFLAGS) -c $< -o $@
$(OBJ_DIR)/%.o: tests/objs/%.c tests/objs/bpf_defs.h prog/bpf_defs.h $(HOST_UAPI)/.stamp $(CLANG_ID)
	@mkdir -p $(OBJ_DIR)
	$(CLANG) -g -target $(BPF_ENDIAN) $(BPF_CFLAGS) -c $< -o $@
$(OBJ_DIR)/legacy_nobtf.o: tests/objs/legacy.c tests/objs/bpf_defs.h prog/bpf_defs.h $(HOST_UAPI)/.stamp $(CLANG_ID)
	@mkdir -p $(OBJ_DIR)
	$(CLANG) -target $(BPF_ENDIAN) $(BPF_CFLAGS) -c $< -o $@
$(OBJ_DIR)/legacy_$(OTHER_ENDIAN).o: tests/objs/legacy.c tests/objs/bpf_defs.h prog/bpf_defs.h $(HOST_UAPI)/.stamp $(CLANG_ID)
	@mkdir -p $(OBJ_DIR)
	$(CLANG) -g -target $(OTHER_ENDIAN) $(BPF_CFLAGS) -c $< -o $@

# Unit tests: the lower files and the tests, built for the target. They
# read the BPF objects at run time, from this checkout.
UNIT_SRCS := tests/unit.c tests/unit_main.c tests/unit_netlink.c tests/unit_elfload.c \
             tests/unit_bpf_sys.c tests/unit_options.c tests/unit_prog.c tests/unit_instance.c \
             tests/unit_corpus.c tests/unit_link.c \
             tests/unit_tp_format.c tests/unit_stats.c tests/unit_probe.c tests/unit_xdp_features.c tests/unit_guard.c tests/unit_decimal.c \
             tests/unit_port_policy.c tests/tobj.c tests/bpf_vm.c \
             netlink.c elfload.c btf.c bpf_sys.c decimal.c options.c instance.c probe.c tp_format.c \
             stats.c report.c port_policy.c xdp_features.c veth_peer.c attach.c guard.c sys.c
unit_defs  = -DBPF_OBJ_PATH='"$(CURDIR)/build/xdp_redirect_map.$(1).o"' -DBPF_ENDIAN='"$(1)"' \
             -DBPF_OBJ_EB_PATH='"$(CURDIR)/build/xdp_redirect_map.bpfeb.o"' \
             -DBPF_OBJ_EL_PATH='"$(CURDIR)/build/xdp_redirect_map.bpfel.o"' \
             -DBPF_TP_OBJ_PATH='"$(CURDIR)/build/xdp_tracepoints.$(1).o"' \
             -DTEST_OBJ_DIR='"$(CURDIR)/$(OBJ_DIR)"'
$(UNIT): $(UNIT_SRCS) $(BPF_OBJS) $(BPF_TP_OBJS) $(LOADER_OBJS) $(UAPI)/.stamp $(CC_ID) tests/*.h *.h
	$(CC) $(CPPFLAGS) -I. $(CFLAGS) $(call unit_defs,$(BPF_ENDIAN)) $(UNIT_SRCS) \
		$(LDFLAGS) -o $@

# The same with the host compiler (glibc, /usr/include), for the
# sanitizers, which musl and static linking do not support.
tests/unit-asan: $(UNIT_SRCS) $(BPF_OBJS) $(BPF_TP_OBJS) $(LOADER_OBJS) $(HOST_UAPI)/.stamp tests/*.h *.h
	$(HOSTCC) -I. -std=gnu11 -Wall -Wextra -Wshadow -g -O1 \
		-fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-fno-omit-frame-pointer -DVERSION='"$(VERSION)"' \
		$(call unit_defs,$(HOST_ENDIAN)) $(UNIT_SRCS) -o $@

# Strict alignment (needs root): built for the host, which loads the
# programs and the test objects with BPF_F_STRICT_ALIGNMENT.
tests/strict_align: tests/strict_align.c loader.c elfload.c btf.c bpf_sys.c decimal.c *.h $(HOST_UAPI)/.stamp
	$(HOSTCC) -I$(HOST_UAPI) -I. -std=gnu11 -Wall -Wextra -Wshadow -O2 \
		$(filter %.c,$^) -o $@

# The data path run by the kernel (BPF_PROG_TEST_RUN) and by the unit
# tests' interpreter on the same frames (root).
tests/prog_run: tests/prog_run.c tests/unit.c tests/tobj.c tests/bpf_vm.c loader.c elfload.c btf.c \
		bpf_sys.c decimal.c *.h tests/*.h $(HOST_UAPI)/.stamp
	$(HOSTCC) -I$(HOST_UAPI) -I. -std=gnu11 -Wall -Wextra -Wshadow -O2 \
		$(filter %.c,$^) -o $@

test-prog-run: tests/prog_run build/xdp_redirect_map.$(HOST_ENDIAN).o
	tests/prog_run build/xdp_redirect_map.$(HOST_ENDIAN).o

test-strict-align: tests/strict_align build/xdp_redirect_map.$(HOST_ENDIAN).o $(TEST_OBJS)
	OBJ_DIR=$(OBJ_DIR) tests/strict_align.sh build/xdp_redirect_map.$(HOST_ENDIAN).o

tests/btf_spoil: tests/btf_spoil.c btf.c btf.h $(HOST_UAPI)/.stamp
	$(HOSTCC) -I$(HOST_UAPI) -I. -O2 -Wall -Wextra tests/btf_spoil.c btf.c -o $@

test-obj: $(BIN) tests/pktio tests/btf_spoil $(LOADER_OBJS)
	OBJ_DIR=$(OBJ_DIR) tests/obj.sh

# libFuzzer over the pure reader: elf_load, BTF parsing and fix-ups, and
# linking every program with fake map fds. Seeds: our objects, the
# corpus of others' (tests/objs/corpus), xdp-tools' if installed, and a
# bare .BTF/.BTF.ext pair (tests/fuzz_elf.c reads the
# halves of an input so). Bounded: FUZZ_SECONDS (CI runs a short one).
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
tests/fuzz_elf: tests/fuzz_elf.c elfload.c btf.c elfload.h btf.h $(HOST_UAPI)/.stamp
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I$(HOST_UAPI) -I. tests/fuzz_elf.c elfload.c btf.c -o $@

fuzz: tests/fuzz_elf $(BPF_OBJ) $(BPF_TP_OBJ) $(LOADER_OBJS)
	@mkdir -p build/fuzz-corpus
	cp $(BPF_OBJ) $(BPF_TP_OBJ) $(LOADER_OBJS) $(wildcard /usr/lib/*/bpf/*.o tests/objs/corpus/*.o) build/fuzz-corpus/
	llvm-objcopy --dump-section .BTF=build/fuzz-btf \
		--dump-section .BTF.ext=build/fuzz-btf-ext $(OBJ_DIR)/btf_maps.o build/fuzz-tmp.o
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

# A MAC on its command line is read as --dst-mac's (options_mac).
tests/pktio: tests/pktio.c options.c options.h decimal.c decimal.h $(UAPI)/.stamp $(CC_ID)
	$(CC) $(CPPFLAGS) -I. $(CFLAGS) tests/pktio.c options.c decimal.c $(LDFLAGS) -o $@

# The benchmark's tools: on the repository's own bpf(2) and netlink code.
BENCH_GEN_SRCS := tests/bench/xdpgen.c tests/bench/common.c attach.c bpf_sys.c decimal.c netlink.c
tests/bench/xdpgen: $(BENCH_GEN_SRCS) tests/bench/common.h $(UAPI)/.stamp $(CC_ID)
	$(CC) $(CPPFLAGS) -I. $(CFLAGS) $(BENCH_GEN_SRCS) $(LDFLAGS) -o $@

tests/bench/blast: tests/bench/blast.c tests/bench/common.c tests/bench/common.h $(UAPI)/.stamp $(CC_ID)
	$(CC) $(CPPFLAGS) $(CFLAGS) tests/bench/blast.c tests/bench/common.c $(LDFLAGS) -o $@

test-unit: $(UNIT)
	$(if $(CROSS_COMPILE),$(QEMU)) $(UNIT)

test-sanitize: tests/unit-asan
	tests/unit-asan sanitize

test-cross:
	tests/cross.sh

# make test and make demo first install what they need (as root; otherwise
# they name it), then build in a second make, which finds the tools anew.
test:
	@sh tests/deps.sh test
	@$(MAKE) --no-print-directory test-run

test-run: xdp_redirect_map tests/unit tests/pktio
	tests/run

demo:
	@sh tests/deps.sh demo
	@$(MAKE) --no-print-directory demo-run

demo-run: xdp_redirect_map tests/pktio
	tests/demo.sh

PREFIX    ?= /usr/local
SBINDIR   := $(PREFIX)/sbin
MAN8DIR   := $(PREFIX)/share/man/man8

# Stripped with the target's strip: a router's flash has no room for
# symbols.
install: $(BIN)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MAN8DIR)
	install -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/xdp_redirect_map
	$(STRIP) $(DESTDIR)$(SBINDIR)/xdp_redirect_map
	install -m 0644 xdp_redirect_map.8 $(DESTDIR)$(MAN8DIR)/xdp_redirect_map.8

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/xdp_redirect_map $(DESTDIR)$(MAN8DIR)/xdp_redirect_map.8

# The guests CI boots; ARCH picks others (a list works too), DIST the
# release. bullseye's mipsel and s390x have left deb.debian.org, trixie
# has no mipsel.
ARCH ?= mipsel s390x
DIST ?= bookworm
VM_ALL := mipsel s390x armhf x86_64 armhf-bullseye x86_64-bullseye \
          armhf-trixie x86_64-trixie s390x-trixie
test-vm:
	DIST=$(DIST) PLANT=$(PLANT) tests/vm/run.sh $(ARCH)

test-vm-all:
	PLANT=$(PLANT) tests/vm/run.sh $(VM_ALL)

mutate: xdp_redirect_map tests/pktio
	MUTATE_SAMPLE=$(MUTATE_SAMPLE) tests/mutate.sh

# For tests/vm/run.sh, which builds the same sources for another target.
print-srcs:
	@echo $(SRCS)

bench: $(BIN) tests/bench/xdpgen tests/bench/blast
	tests/bench/run.sh

clean:
	rm -rf build xdp_redirect_map xdp_redirect_map.*-* tests/unit tests/unit-asan \
		tests/strict_align tests/prog_run tests/pktio tests/fuzz_elf tests/btf_spoil \
		tests/bench/xdpgen tests/bench/blast

.PHONY: all install uninstall test test-run demo-run test-unit test-sanitize test-cross test-strict-align mutate \
	test-prog-run test-obj fuzz demo test-vm test-vm-all print-srcs bench clean
-include $(BUILD)/*.d
