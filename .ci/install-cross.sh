#!/bin/sh
# install-cross.sh - what the cross builds and their QEMU runs need
# (issue 5): the four cross compilers, musl for each (Debian's musl-dev
# for three; big-endian MIPS, which Debian 12 has no musl for, gets
# Debian's musl source built here, issue 15), and qemu-user-static to run
# the unit tests. Idempotent; run as root.
set -eu

# Foreign architectures of the musl-dev packages. mips (big-endian) is
# not a Debian 12 architecture, so it needs no entry.
ARCHS="mipsel armhf arm64"
TRIPLETS="mips-linux-gnu mipsel-linux-gnu arm-linux-gnueabihf aarch64-linux-gnu"

# Debian's name for the architecture of a triplet.
cross_arch() {
	case $1 in
	mips-*) echo mips ;;
	mipsel-*) echo mipsel ;;
	arm-*) echo armhf ;;
	aarch64-*) echo arm64 ;;
	esac
}

added=0
for a in $ARCHS; do
	if ! dpkg --print-foreign-architectures | grep -qx "$a"; then
		dpkg --add-architecture "$a"
		added=1
	fi
done

# Each cross compiler with, explicitly (they are only Recommends), its
# glibc (big-endian MIPS links it statically) and its kernel headers
# (/usr/<triplet>/include/asm, which the Makefile links as asm/); llvm
# for llvm-objcopy, which strips the BPF object.
pkgs="qemu-user-static clang llvm"
for t in $TRIPLETS; do
	a=$(cross_arch "$t")
	pkgs="$pkgs gcc-$t libc6-dev-$a-cross linux-libc-dev-$a-cross"
done
for a in $ARCHS; do
	pkgs="$pkgs musl-dev:$a"
done

# shellcheck source=.ci/apt-missing.sh
. "$(dirname "$0")/apt-missing.sh"
# shellcheck disable=SC2086
apt_install_missing install-cross "$added" $pkgs

# Big-endian MIPS: mips is no Debian 12 architecture, so there is no
# musl-dev:mips. musl is built from Debian's own source package (the
# version of the musl-dev the other targets use, Debian's patches
# applied) with mips-linux-gnu-gcc, into build/musl/mips-linux-musl, with
# a musl-gcc.specs that the Makefile hands to the compiler as it does
# Debian's. Skipped when that specs file is there (make clean removes it).
# apt-get source needs dpkg-dev, and a deb-src entry: a private one, in a
# private apt state directory, so the machine's sources stay as they are.
MUSL_TRIPLET=mips-linux-musl
MUSL_PREFIX=$(cd "$(dirname "$0")/.." && pwd)/build/musl/$MUSL_TRIPLET

musl_mips_source() {
	work=$1 version=$2
	mkdir -p "$work/sources.list.d" "$work/lists/partial"
	cat >"$work/sources.list.d/musl-src.sources" <<-EOF
	Types: deb-src
	URIs: http://deb.debian.org/debian
	Suites: bookworm
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	set -- -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$work/sources.list.d" \
		-o Dir::State::Lists="$work/lists"
	apt-get "$@" -q update && (cd "$work" && apt-get "$@" -q source "musl=$version")
}

musl_mips() {
	[ -f "$MUSL_PREFIX/lib/musl-gcc.specs" ] && return 0
	if ! command -v dpkg-source >/dev/null; then
		echo "install-cross: apt-get source needs dpkg-dev" >&2
		return 1
	fi
	version=$(dpkg-query -W -f '${source:Version}' musl-dev:mipsel)
	work=$(mktemp -d /tmp/musl-mips.XXXXXX)
	# The wrapper's specs file is what we want; the shared library not.
	if musl_mips_source "$work" "$version" &&
	   (cd "$work/musl-${version%-*}" &&
	    ./configure --target=mips-linux-gnu CC=mips-linux-gnu-gcc --prefix="$MUSL_PREFIX" \
		--disable-shared --enable-wrapper=gcc &&
	    make -j"$(nproc)" && make install); then
		rm -rf "$work"
	else
		rm -rf "$work" "$MUSL_PREFIX"
		return 1
	fi
	test -f "$MUSL_PREFIX/lib/musl-gcc.specs"
}

musl_mips
