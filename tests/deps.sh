#!/bin/sh
# deps.sh [-n] GROUP - the Debian packages (12 and newer) that GROUP needs,
# installed as root with apt, so that `make demo` and `make test` work on a
# fresh machine. With -n, or when not root, nothing is installed: every
# missing package is named in one line and the exit status is 1.
#
#   build   the static binary (make)
#   demo    build, and the seed's topology with pings and a capture (make demo)
#   test    demo, and every stage of make test (cross builds, QEMU guests,
#           the fresh root); .ci/run installs this group
#
# Recommends are not installed (a fresh root has none of them): the few
# that a stage needs are listed here like any other package.
set -eu

# GROUP PACKAGE REASON; a group includes the ones above it.
PACKAGES=$(cat <<'EOF'
build make             the build
build gcc              the C compiler, host tools and the sanitizer build
build libc6-dev        glibc headers: host tools, the sanitizer build
build linux-libc-dev   the uapi headers (linux/bpf.h, linux/if_link.h)
build musl-tools       musl-gcc: the static musl binary
build clang            the BPF programs (clang -target bpf)
build llvm             llvm-objcopy strips the embedded BPF object
demo  iproute2         ip: namespaces, veth pairs, XDP state
demo  procps           sysctl in the test namespaces
demo  iputils-ping     the seed's pings
demo  tcpdump          the capture on out_intf
test  ethtool          GRO at a veth peer
test  binutils         readelf, strip, strings: sizes and stripped installs
test  busybox          BusyBox start-stop-daemon for the sysvinit script
test  shellcheck       the init scripts and test scripts checked
test  systemd          systemd-analyze verify of the unit
test  groff            the man page rendered without warnings
test  man-db           man -l of the man page
test  jq               --json read back
test  python3          the syslog socket the --syslog test reads
test  strace           faults injected at start-up
test  xdp-tools        BPF objects compiled by others (obj stage)
test  libxdp1          the same, xdp-dispatcher objects
test  bpftool          libbpf's verdict on the corpus objects (obj stage); the tracepoint filter's keys (guard stage)
test  qemu-user-static the cross unit tests
test  qemu-system-mips the mipsel guest
test  qemu-system-misc the s390x guest
test  qemu-system-x86  the x86_64 guests (5.10, 6.12)
test  qemu-system-arm  the armhf guests (make test-vm-all)
test  cpio             the guests' initramfs
test  xz-utils         trixie's kernel modules, xz-compressed
test  patch            the planted-bug variants of the guests
test  debian-archive-keyring  the guests' kernels, fetched with an apt state of their own
test  dpkg-dev         apt-get source: musl for targets Debian has none for (tests/musl-src.sh)
test  debootstrap      the fresh stage: a minbase root
EOF
)
# Cross compilers, their glibc and uapi headers, per triplet: the cross
# stage builds all four, the guests use mipsel's and s390x's.
CROSS='mips-linux-gnu:mips mipsel-linux-gnu:mipsel arm-linux-gnueabihf:armhf
aarch64-linux-gnu:arm64 s390x-linux-gnu:s390x'
# musl from the foreign architecture, where Debian has it: the guests'
# build (tests/vm/run.sh) links with mipsel's and s390x's, the cross stage
# with armhf's; MIPS and AArch64 binaries get Debian's musl source built
# for size (tests/musl-src.sh).
MUSL_ARCHS='mipsel armhf s390x'

usage() { echo "usage: deps.sh [-n] build|demo|test" >&2; exit 2; }

dry=0
[ "${1:-}" = -n ] && { dry=1; shift; }
[ $# = 1 ] || usage
case $1 in
build) groups=build ;;
demo) groups="build demo" ;;
test) groups="build demo test" ;;
*) usage ;;
esac
[ "$(id -u)" = 0 ] || dry=1

wanted() {
	for g in $groups; do
		echo "$PACKAGES" | awk -v g="$g" '$1 == g { print $2 }'
	done
	case $groups in *test*) ;; *) return 0 ;; esac
	for t in $CROSS; do
		echo "gcc-${t%%:*} libc6-dev-${t#*:}-cross linux-libc-dev-${t#*:}-cross"
	done
	for a in $MUSL_ARCHS; do
		apt-cache show "musl-dev:$a" >/dev/null 2>&1 && echo "musl-dev:$a"
	done
	# libFuzzer's runtime, a Recommends of the clang that is installed
	# (or would be): libclang-rt-14-dev on Debian 12.
	v=$(clang_major)
	echo "libclang-rt-${v:-N}-dev"
}

clang_major() {
	v=$(dpkg-query -W -f '${Depends}' clang 2>/dev/null) ||
		v=$(apt-cache depends clang 2>/dev/null)
	v=$(echo "$v" | grep -oE 'clang-[0-9]+' | head -n 1)
	echo "${v#clang-}"
}

missing() {
	for p in $(wanted); do
		dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' || echo "$p"
	done
}

# Foreign architectures of the musl-dev packages, added once; apt's lists
# must then be read again.
add_archs() {
	case $groups in *test*) ;; *) return 0 ;; esac
	for a in $MUSL_ARCHS; do
		dpkg --print-foreign-architectures | grep -qx "$a" && continue
		dpkg --add-architecture "$a"
		stale=1
	done
}

# A mirror caught mid-sync fails an index now and then: try again.
apt_update() {
	for try in 1 2 3; do
		apt-get update -q && return 0
		echo "deps.sh: apt-get update failed (try $try)" >&2
		sleep 5
	done
	return 1
}

# The cross targets without Debian's musl: built once, into build/.
musl_src() {
	case $groups in *test*) ;; *) return 0 ;; esac
	# shellcheck disable=SC2046 # triplets
	sh "$(dirname "$0")/musl-src.sh" $(echo "$CROSS" | sed 's/:[a-z0-9]*//g')
}

todo=$(missing | tr '\n' ' ')
if [ "$dry" = 1 ]; then
	[ -z "$todo" ] && exit 0
	echo "missing Debian packages for '$1': ${todo% }; as root: sh tests/deps.sh $1" >&2
	exit 1
fi
stale=0
add_archs
[ -z "$todo" ] && [ "$stale" = 0 ] && { musl_src; exit 0; }
export DEBIAN_FRONTEND=noninteractive
apt_update
# Again, now that the lists know clang's version and the new architectures.
todo=$(missing | tr '\n' ' ')
if [ -n "$todo" ]; then
	echo "deps.sh: installing $todo" >&2
	# shellcheck disable=SC2086 # a list of package names
	apt-get install -y -q --no-install-recommends $todo
fi
musl_src
