#!/bin/sh
# install-cross.sh - what the cross builds and their QEMU runs need
# (issue 5): the four cross compilers, musl for the three targets Debian
# has it for (big-endian MIPS has none and links glibc statically), and
# qemu-user-static to run the unit tests. Idempotent; run as root.
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
