#!/bin/sh
# install-vm.sh [ARCH...] - what `make test-vm` needs for each ARCH (issue 6):
# QEMU's system emulator, the cross compiler with musl and uapi headers,
# and the foreign architecture for musl-dev:ARCH. tests/vm/run.sh downloads
# the kernels (bullseye, bookworm, trixie) and busybox-static at run time
# with an apt state of its own, checked with debian-archive-keyring.
# Default: the CI set, mipsel and s390x on 6.1, x86_64 on 5.10 and 6.12;
# all four: install-vm.sh mipsel s390x armhf x86_64.
# Idempotent; run as root.
set -eu

[ $# -gt 0 ] || set -- mipsel s390x x86_64

# Debian's architecture, QEMU package and compiler packages of an ARCH.
vm_arch_pkgs() {
	case $1 in
	mipsel) echo "mipsel qemu-system-mips gcc-mipsel-linux-gnu musl-dev:mipsel linux-libc-dev-mipsel-cross" ;;
	s390x)  echo "s390x qemu-system-misc gcc-s390x-linux-gnu musl-dev:s390x linux-libc-dev-s390x-cross" ;;
	armhf)  echo "armhf qemu-system-arm gcc-arm-linux-gnueabihf musl-dev:armhf linux-libc-dev-armhf-cross" ;;
	x86_64) echo "amd64 qemu-system-x86 musl-tools linux-libc-dev" ;;
	*) echo "install-vm: unknown ARCH '$1' (mipsel, s390x, armhf, x86_64)" >&2; exit 2 ;;
	esac
}

native=$(dpkg --print-architecture)
stale=0
# clang for the BPF object; cpio and gzip pack the initramfs, xz unpacks
# trixie's modules; binutils' strings reads a module's dependencies; patch applies PLANT variants.
pkgs="clang cpio gzip xz-utils binutils patch debian-archive-keyring"
for arch in "$@"; do
	line=$(vm_arch_pkgs "$arch")
	deb=${line%% *}
	pkgs="$pkgs ${line#* }"
	if [ "$deb" != "$native" ] && ! dpkg --print-foreign-architectures | grep -qx "$deb"; then
		dpkg --add-architecture "$deb"
	fi
	# musl-dev:ARCH comes from the host's lists: they must know the
	# architecture.
	ls /var/lib/apt/lists/*_binary-"$deb"_Packages* >/dev/null 2>&1 || stale=1
done

# shellcheck source=.ci/apt-missing.sh
. "$(dirname "$0")/apt-missing.sh"
# shellcheck disable=SC2086
apt_install_missing install-vm "$stale" $pkgs
