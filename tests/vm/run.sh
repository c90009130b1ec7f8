#!/bin/bash
# tests/vm/run.sh ARCH[-DIST]... - the integration tests on Debian's own
# kernel for ARCH (mipsel, s390x, armhf, x86_64) of release DIST (bullseye:
# 5.10, bookworm: 6.1, the default, trixie: 6.12), booted under QEMU.
#
#   fetch (cached)  kernel package of the metapackage's ABI in DIST, with an
#                   apt state of our own under the cache (the host's apt
#                   configuration is never touched); busybox-static of
#                   bookworm for every DIST, so only the kernel varies
#   build           our binary, tests/pktio and tests/vm/nsveth for ARCH
#   pack            initramfs: BusyBox, veth.ko (+ dependencies), those
#                   three, tests/vm/guest.sh as /init
#   boot            qemu-system-*, no network device, console to a log,
#                   killed after VM_TIMEOUT_S
#   read            the guest's "ok/FAIL/SKIP" lines -> "ARCH: N passed, M failed"
#
# Environment: DIST (default bookworm) for words without -DIST;
# PLANT=byteorder|alignment builds a deliberately broken BPF
# program (tests/vm/plant-*.patch) whose tests must fail; VM_CACHE (default
# build/vm-cache) keeps downloaded packages; VM_TIMEOUT_S (default 180)
# bounds each guest; VM_KVM=0|1 overrides the guess whether KVM works
# (x86_64 only); VM_DEBUG=1 traces the guest script (set -x) into
# build/vm/NAME/console.log (NAME: ARCH, or ARCH-DIST for DIST other than
# bookworm). Needs what tests/deps.sh test installs.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${VM_CACHE:-$ROOT/build/vm-cache}
TIMEOUT_S=${VM_TIMEOUT_S:-180}
PLANT=${PLANT:-}

say() { echo "vm: $*" >&2; }
# Exit status 3: the guest never ran (setup failed), as opposed to 1.
die() { say "$NAME: $*"; exit 3; }

# Per architecture: Debian's name, the kernel flavour's metapackage, the
# GNU and musl compilers, the BPF byte order, and how QEMU boots it.
arch_setup() {
	case "$ARCH" in
	mipsel)
		DEB=mipsel FLAVOUR=4kc-malta GNU=mipsel-linux-gnu MUSLCC=mipsel-linux-musl-gcc
		BPF=bpfel CONSOLE=ttyS0
		QEMU=(qemu-system-mipsel -M malta -m 256 -vga none) ;;
	s390x)
		DEB=s390x FLAVOUR=s390x GNU=s390x-linux-gnu MUSLCC=s390x-linux-musl-gcc
		BPF=bpfeb CONSOLE=ttysclp0
		QEMU=(qemu-system-s390x -M s390-ccw-virtio -m 512 -smp 2) ;;
	armhf)
		DEB=armhf FLAVOUR=armmp GNU=arm-linux-gnueabihf MUSLCC=arm-linux-musleabihf-gcc
		BPF=bpfel CONSOLE=ttyAMA0
		# shellcheck disable=SC2054 # the comma belongs to -M's argument
		QEMU=(qemu-system-arm -M virt,highmem=off -m 512 -smp 2) ;;
	x86_64)
		DEB=amd64 FLAVOUR=amd64 GNU=x86_64-linux-gnu MUSLCC=musl-gcc
		BPF=bpfel CONSOLE=ttyS0
		QEMU=(qemu-system-x86_64 -m 512 -smp 2 -vga none)
		kvm_usable && QEMU+=(-enable-kvm -cpu host) ;;
	*)
		die "unknown ARCH (mipsel, s390x, armhf, x86_64)" ;;
	esac
}

# The kernel series of each release we boot.
dist_setup() {
	case "$DIST" in
	bullseye) KSERIES=5.10 ;;
	bookworm) KSERIES=6.1 ;;
	trixie) KSERIES=6.12 ;;
	*) die "unknown DIST (bullseye, bookworm, trixie)" ;;
	esac
}

# KVM needs /dev/kvm and hardware virtualisation (vmx/svm) in the CPU: a
# /dev/kvm without them (such as a PVM-style module in a nested guest)
# hangs QEMU's boot silently. VM_KVM=0 or 1 overrides the guess.
kvm_usable() {
	case "${VM_KVM:-auto}" in
	0) return 1 ;;
	1) return 0 ;;
	esac
	[ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo
}

# ---- fetch ----

# apt-get or apt-cache ($1) on release $2's lists for $DEB, kept under the
# cache: its own sources.list, lists and archives, so that no other
# release ever enters the host's /etc/apt.
apt_dist() {
	local tool=$1 dir=$CACHE/apt-$2
	shift 2
	"$tool" -q -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" \
		-o APT::Architectures::="$DEB" -o APT::Sandbox::User=root "$@"
}

# Release $1's lists for $DEB, fetched when missing or when $2 is "again"
# (the kernel ABI moved since). bullseye's amd64 and armhf are still on
# deb.debian.org (LTS); the others of bullseye are not.
apt_dist_update() {
	local dir=$CACHE/apt-$1
	ls "$dir/lists/"*_"$1"_main_binary-"$DEB"_Packages* >/dev/null 2>&1 &&
		[ "${2:-}" != again ] && return 0
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	echo "deb [arch=$DEB signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $1 main" \
		>"$dir/sources.list.$DEB"
	# All architectures a cache has seen, in one list.
	cat "$dir"/sources.list.* >"$dir/sources.list"
	apt_dist apt-get "$1" update >/dev/null 2>&1
}

# The package the metapackage points at today, e.g. linux-image-6.1.0-50-4kc-malta.
kernel_package() {
	apt_dist apt-cache "$DIST" depends "linux-image-$FLAVOUR:$DEB" 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { sub(/:.*/, "", $2); print $2; exit }'
}

# The other kernels of the flavour that the lists know, newest first.
older_kernels() {
	apt_dist apt-cache "$DIST" pkgnames linux-image- 2>/dev/null |
		grep -E "^linux-image-[0-9].*-$FLAVOUR\$" | grep -vx "$1" | sort -rV
}

# Downloads PACKAGE:$DEB of release $2 into the cache once; prints the
# .deb's path.
fetch_deb() {
	local deb
	deb=$(ls "$CACHE/$1"_*_"$DEB".deb 2>/dev/null | tail -n 1)
	if [ -z "$deb" ]; then
		(cd "$CACHE" && { apt_dist apt-get "$2" download "$1:$DEB" ||
			{ apt_dist_update "$2" again && apt_dist apt-get "$2" download "$1:$DEB"; }; } \
			>/dev/null 2>&1) || die "apt-get download $1:$DEB from $2 failed"
		deb=$(ls "$CACHE/$1"_*_"$DEB".deb 2>/dev/null | tail -n 1)
	fi
	[ -n "$deb" ] || die "no $1 package in $CACHE"
	echo "$deb"
}

# The newest kernel of the flavour already unpacked in the cache, for a
# machine whose apt lists cannot answer (offline, lists not updated).
cached_kernel() {
	ls -d "$CACHE"/linux-image-"$KSERIES".*-"$FLAVOUR.$DEB" 2>/dev/null | sort -V | tail -n 1
}

# KDIR gets boot/vmlinuz-*, and [usr/]lib/modules/*/ with veth.ko[.xz].
fetch_kernel() {
	local pkg deb
	apt_dist_update "$DIST"
	pkg=$(kernel_package)
	if [ -z "$pkg" ]; then
		KDIR=$(cached_kernel)
		[ -f "$KDIR/.done" ] ||
			die "$DIST's lists know no linux-image-$FLAVOUR:$DEB (is $DEB in $DIST on deb.debian.org?)"
		say "$NAME: $DIST's lists know no linux-image-$FLAVOUR:$DEB; using the cached $(basename "$KDIR")"
		return
	fi
	KDIR=$CACHE/$pkg.$DEB
	[ -f "$KDIR/.done" ] && return
	# A mirror may list a kernel whose file is not in its pool yet (seen
	# for trixie's s390x): then the newest of the series that downloads.
	for pkg in $pkg $(older_kernels "$pkg"); do
		deb=$(fetch_deb "$pkg" "$DIST") && break
	done
	[ -n "$deb" ] || exit 3
	KDIR=$CACHE/$pkg.$DEB
	[ -f "$KDIR/.done" ] && return
	rm -rf "$KDIR" && mkdir -p "$KDIR"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$KDIR" --wildcards \
		'./boot/vmlinu*' '*/modules/*.ko*' || die "cannot unpack $deb"
	touch "$KDIR/.done"
}

fetch_busybox() {
	local deb
	BUSYBOX=$CACHE/busybox.$DEB
	[ -x "$BUSYBOX" ] && return
	apt_dist_update bookworm
	deb=$(fetch_deb busybox-static bookworm) || exit 3
	dpkg-deb --fsys-tarfile "$deb" | tar -x -O ./bin/busybox >"$BUSYBOX.tmp" &&
		chmod +x "$BUSYBOX.tmp" && mv "$BUSYBOX.tmp" "$BUSYBOX" ||
		die "cannot unpack busybox-static:$DEB"
}

# ---- build ----

# The compiler for ARCH: musl where Debian has it, else static glibc.
build_cc() {
	if command -v "$MUSLCC" >/dev/null; then
		echo "$MUSLCC"
	elif command -v "$GNU-gcc" >/dev/null; then
		echo "$GNU-gcc"
	else
		die "no compiler for $ARCH: install gcc-$GNU (and musl-dev:$DEB)"
	fi
}

# Just linux/, asm/ and asm-generic/ of ARCH's uapi headers: musl's
# specs leave out the glibc headers that sit beside them.
build_uapi() {
	local inc=/usr/$GNU/include asm=/usr/$GNU/include/asm
	[ -d "$asm" ] || { inc=/usr/include; asm=/usr/include/$GNU/asm; }
	[ -d "$asm" ] || die "no uapi headers for $GNU (linux-libc-dev)"
	mkdir -p "$OUT/uapi"
	ln -sfn "$inc/linux" "$OUT/uapi/linux"
	ln -sfn "$inc/asm-generic" "$OUT/uapi/asm-generic"
	ln -sfn "$asm" "$OUT/uapi/asm"
}

# The BPF object for ARCH's byte order, from a copy of the program with
# the planted bug's patch applied when PLANT is set.
build_bpf() {
	local src=$ROOT/prog/xdp_redirect_map.c
	if [ -n "$PLANT" ]; then
		cp "$src" "$OUT/prog.c" &&
			patch -s "$OUT/prog.c" "$ROOT/tests/vm/plant-$PLANT.patch" ||
			die "cannot apply tests/vm/plant-$PLANT.patch"
		src=$OUT/prog.c
	fi
	clang -O2 -target "$BPF" -Wall -Werror -I"$OUT/uapi" -c "$src" -o "$OUT/prog.$BPF.o" &&
	# The tracepoint programs as the Makefile makes them (CO-RE records
	# kept, the rest of .BTF.ext cut), in ARCH's byte order.
	make -s -C "$ROOT" "build/xdp_tracepoints.$BPF.o"
}

# Static binaries for ARCH into $OUT/bin. Until the Makefile builds for
# other targets (make CROSS_COMPILE=...), this is the one place that
# knows how; it uses the Makefile's own list of sources.
build_for_arch() {
	local cc srcs flags=(-std=gnu11 -Os -static -Wall -DVERSION='"vm"' -I"$OUT/uapi" -I"$ROOT")
	cc=$(build_cc) || exit 3
	build_uapi
	build_bpf || die "BPF object did not build"
	mkdir -p "$OUT/bin"
	srcs=$(make -s -C "$ROOT" --no-print-directory print-srcs)
	# Warnings go to a log: musl and the uapi headers both define _IO*
	# for MIPS, the same values spelled differently.
	{ (cd "$ROOT" && $cc "${flags[@]}" $srcs embed.c -DBPF_OBJ="$OUT/prog.$BPF.o" \
		-DBPF_TP_OBJ="$ROOT/build/xdp_tracepoints.$BPF.o" -o "$OUT/bin/xdp_redirect_map") &&
	  $cc "${flags[@]}" "$ROOT/tests/pktio.c" "$ROOT/options.c" "$ROOT/decimal.c" -o "$OUT/bin/pktio" &&
	  $cc "${flags[@]}" "$ROOT/tests/vm/nsveth.c" "$ROOT/netlink.c" -o "$OUT/bin/nsveth"
	} >"$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log" >&2; die "build failed"; }
	say "$NAME: built with $cc, BPF object $BPF${PLANT:+ (planted: $PLANT)}"
}

# ---- pack ----

# veth.ko and what it depends on (modinfo's depends=), dependencies first,
# listed in lib/modules/order for the guest.
pack_module() {
	local name=$1 ko dep
	grep -qx "$name.ko" "$STAGE/lib/modules/order" 2>/dev/null && return
	ko=$(find "$KDIR" -name "$name.ko" -o -name "$name.ko.xz" | head -n 1)
	[ -n "$ko" ] || die "module $name.ko not in the kernel package"
	# trixie's modules are xz-compressed; BusyBox's insmod takes them plain.
	case "$ko" in
	*.xz) xz -dc "$ko" >"$STAGE/lib/modules/$name.ko" || die "cannot unpack $ko" ;;
	*) cp "$ko" "$STAGE/lib/modules/" ;;
	esac
	for dep in $(strings -a "$STAGE/lib/modules/$name.ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
		pack_module "$dep"
	done
	echo "$name.ko" >>"$STAGE/lib/modules/order"
}

pack_initramfs() {
	STAGE=$OUT/root
	rm -rf "$STAGE" && mkdir -p "$STAGE"/{bin,dev,proc,sys,run,tmp,lib/modules}
	cp "$BUSYBOX" "$STAGE/bin/busybox"
	ln -s busybox "$STAGE/bin/sh"
	cp "$OUT"/bin/* "$STAGE/bin/"
	cp "$ROOT/tests/vm/guest.sh" "$STAGE/init"
	chmod +x "$STAGE/init"
	pack_module veth
	(cd "$STAGE" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT/initramfs.gz" ||
		die "cannot pack the initramfs"
}

# ---- boot and read ----

boot() {
	local vmlinuz qemu done_ticks=0
	vmlinuz=$(ls "$KDIR"/boot/vmlinu* | head -n 1)
	timeout -k 5 "$TIMEOUT_S" "${QEMU[@]}" -nic none -no-reboot -display none \
		-monitor none -serial stdio -kernel "$vmlinuz" -initrd "$OUT/initramfs.gz" \
		-append "console=$CONSOLE panic=-1 loglevel=3${VM_DEBUG:+ vmdebug}" \
		</dev/null >"$OUT/console.log" 2>&1 &
	qemu=$!
	# The guest powers itself off after "guest: done". Now and then an
	# s390x guest does not get there (QEMU stays up); it is stopped 10 s
	# after the line instead of at the timeout.
	while kill -0 "$qemu" 2>/dev/null; do
		grep -q '^guest: done' "$OUT/console.log" && done_ticks=$((done_ticks + 1))
		if [ "$done_ticks" -gt 20 ]; then
			say "$NAME: guest done but not powered off after 10 s: stopping QEMU"
			kill "$qemu"
			break
		fi
		sleep 0.5
	done
	wait "$qemu"
	BOOT_RC=$?
}

# Prints the guest's lines and "ARCH: N passed, M failed"; returns 1 on
# any failure, and a guest that did not finish is one.
report() {
	local log=$OUT/console.log passed failed skipped
	tr -d '\r' <"$log" >"$log.txt"
	grep -E '^(ok|FAIL|SKIP) |^guest: ' "$log.txt" | sed "s/^/$NAME: /"
	passed=$(grep -c '^ok ' "$log.txt")
	failed=$(grep -c '^FAIL ' "$log.txt")
	skipped=$(grep -c '^SKIP ' "$log.txt")
	if ! grep -q '^guest: done' "$log.txt"; then
		failed=$((failed + 1))
		[ "$BOOT_RC" = 124 ] && say "$NAME: guest killed after ${TIMEOUT_S}s" ||
			say "$NAME: guest did not finish (qemu exit $BOOT_RC)"
		say "$NAME: last console lines:"
		tail -n 20 "$log.txt" >&2
	fi
	echo "$NAME: $passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
}

run_arch() {
	local t0 t1
	arch_setup
	dist_setup
	OUT=$ROOT/build/vm/$NAME${PLANT:+-$PLANT}
	mkdir -p "$CACHE" "$OUT"
	command -v "${QEMU[0]}" >/dev/null || die "${QEMU[0]} missing (sh tests/deps.sh test)"
	fetch_kernel
	fetch_busybox
	build_for_arch
	pack_initramfs
	t0=$(date +%s.%N)
	boot
	t1=$(date +%s.%N)
	say "$NAME: $(basename "$KDIR"), boot and tests took $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"
	report
}

[ $# -gt 0 ] || {
	echo "usage: tests/vm/run.sh ARCH[-DIST]... (mipsel s390x armhf x86_64; bullseye bookworm trixie)" >&2
	exit 2
}
rc=0 dist_default=${DIST:-bookworm}
for word in "$@"; do
	# ARCH-DIST, or ARCH with $DIST; bookworm's guests keep the bare name.
	ARCH=${word%%-*} DIST=$dist_default
	[ "$word" = "$ARCH" ] || DIST=${word#*-}
	NAME=$ARCH
	[ "$DIST" = bookworm ] || NAME=$ARCH-$DIST
	(run_arch)
	case $? in
	0) ;;
	1) rc=1 ;;
	# A guest that could not even be set up still counts, as one failure.
	*) echo "$NAME: 0 passed, 1 failed, 0 skipped"; rc=1 ;;
	esac
done
exit $rc
