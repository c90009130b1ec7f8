#!/bin/sh
# musl-src.sh TRIPLET... - musl built from Debian's own musl source
# package (the version of the host's musl-tools, Debian's patches applied)
# into build/musl/<musl triplet>, with a musl-gcc.specs that the Makefile
# hands to the cross compiler as it does Debian's, for
# - the targets Debian ships no musl-dev for: big-endian MIPS, which is no
#   Debian architecture, and mipsel from Debian 13 on;
# - both MIPS targets and AArch64 in any case: Debian's libc.a is made of
#   position-independent objects built for speed (-O2; they serve its
#   shared library too), so a static binary would reach every libc
#   function through the GOT (on MIPS through $t9 as well). Built here as
#   our own code is, position-dependent and for size (-Os -fno-pie, and
#   -mplt on MIPS): 9 KiB less on AArch64, which would not fit 128 KiB
#   otherwise (doc/size.md).
# A target with Debian's musl (armhf, s390x), or built already, is skipped.
# Run by tests/deps.sh; needs dpkg-dev.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
WORK=
# musl's own configure option for its previous allocator, which is 3.5
# KiB smaller than mallocng on MIPS: the forwarder allocates a few
# buffers at start and none while it forwards, so mallocng's strengths
# (less fragmentation, hardened metadata) buy it nothing the sanitize
# stage does not already check (doc/size.md).
MUSL_CONFIG=--with-malloc=oldmalloc

cleanup() { [ -z "$WORK" ] || rm -rf "$WORK"; }
trap cleanup EXIT

# apt-get source wants a deb-src entry: a private one, in a private apt
# state, so that the machine's sources stay as they are.
musl_source() {
	suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
	mkdir -p "$WORK/sources.list.d" "$WORK/lists/partial"
	cat >"$WORK/sources.list.d/musl-src.sources" <<-EOF
	Types: deb-src
	URIs: http://deb.debian.org/debian
	Suites: $suite
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	set -- -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$WORK/sources.list.d" \
		-o Dir::State::Lists="$WORK/lists"
	apt-get "$@" -q update && (cd "$WORK" && apt-get "$@" -q source "musl=$VERSION")
}

# The wrapper's specs file is what we want; the shared library not.
musl_build() { # TRIPLET PREFIX CFLAGS
	rm -rf "$WORK/build" && cp -a "$WORK/musl-${VERSION%-*}" "$WORK/build" &&
	(cd "$WORK/build" &&
	 ./configure --target="$1" CC="$1-gcc" CFLAGS="$3" --prefix="$2" --disable-shared \
		--enable-wrapper=gcc $MUSL_CONFIG >/dev/null &&
	 make -j"$(nproc)" >/dev/null && make install >/dev/null) &&
	test -f "$2/lib/musl-gcc.specs"
}

for t in "$@"; do
	mt=$(echo "$t" | sed 's/-gnu/-musl/')
	prefix=$TOP/build/musl/$mt
	case $t in
	mips*) cflags="-Os -fno-pie -mplt" ;;
	aarch64*) cflags="-Os -fno-pie" ;;
	*) cflags= ; [ -f "/usr/lib/$mt/musl-gcc.specs" ] && continue ;;
	esac
	# Built already, of this version and with these flags: kept.
	VERSION=$(dpkg-query -W -f '${source:Version}' musl-tools)
	config="musl $VERSION $cflags $MUSL_CONFIG"
	[ -f "$prefix/lib/musl-gcc.specs" ] && [ "$(cat "$prefix/config" 2>/dev/null)" = "$config" ] &&
		continue
	command -v dpkg-source >/dev/null || { echo "musl-src.sh: needs dpkg-dev" >&2; exit 1; }
	if [ -z "$WORK" ]; then
		WORK=$(mktemp -d /tmp/musl-src.XXXXXX)
		musl_source
	fi
	echo "musl-src.sh: musl $VERSION for $t, into build/musl/$mt" >&2
	rm -rf "$prefix"
	musl_build "$t" "$prefix" "$cflags" || { rm -rf "$prefix"; exit 1; }
	echo "$config" >"$prefix/config"
done
