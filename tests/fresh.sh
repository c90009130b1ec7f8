#!/bin/bash
# fresh.sh - the fresh stage: the README's set-up, run literally, on a
# machine that has nothing. A minbase root of Debian (FRESH_SUITE, default
# bookworm) gets git, make and ca-certificates and nothing else, a clone of
# this checkout's HEAD, and then the first code block of README.md, as root.
# The developer's machine hides a package the project forgot to install;
# this root does not.
#
# The root lives in a mount namespace of its own (unshare), so its bind
# mounts vanish with it however the stage ends, and is removed at exit; only
# debootstrap's tarball of the base system is kept between runs
# (/var/cache/xdp_redirect_map-fresh), since it changes only with Debian.
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

SUITE=${FRESH_SUITE:-bookworm}
MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
CACHE=/var/cache/xdp_redirect_map-fresh
FRESH_ROOT=

fresh_cleanup() {
	# Nothing is mounted under the root in this namespace (the mounts were
	# made in the unshared one), so this removes only its own files.
	[ -n "$FRESH_ROOT" ] && rm -rf --one-file-system "$FRESH_ROOT"
	cleanup
}
trap fresh_cleanup EXIT

if [ -n "${XRM_FRESH:-}" ]; then
	skip fresh "already inside the fresh root"
	summary fresh; exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v debootstrap >/dev/null; then
	fail fresh "needs root and debootstrap (sh tests/deps.sh test)"
	summary fresh; exit 1
fi

# The base system, from the cached tarball when there is one.
make_root() {
	mkdir -p "$CACHE"
	if [ ! -s "$CACHE/$SUITE.tgz" ]; then
		debootstrap --variant=minbase --make-tarball="$CACHE/$SUITE.tgz.tmp" \
			"$SUITE" "$TMP/dbs-work" "$MIRROR" >"$TMP/debootstrap.log" 2>&1 &&
			mv "$CACHE/$SUITE.tgz.tmp" "$CACHE/$SUITE.tgz" || return 1
		rm -rf "$TMP/dbs-work"
	fi
	# 0755 as / is on a machine (mktemp makes it 0700): the tests run
	# commands as an unprivileged user, who must reach /usr.
	FRESH_ROOT=$(mktemp -d /var/tmp/xrm-fresh.XXXXXX) && chmod 0755 "$FRESH_ROOT" &&
	debootstrap --variant=minbase --unpack-tarball="$CACHE/$SUITE.tgz" \
		"$SUITE" "$FRESH_ROOT" "$MIRROR" >>"$TMP/debootstrap.log" 2>&1
}

# README.md's first code block, as the user would paste it.
readme_block() {
	awk '/^```/ { if (inside) exit; inside = 1; next } inside' "$TOP/README.md"
}

# Runs in the new mount namespace: the kernel's file systems, the checkout
# read-only, then the root made the namespace's own root (pivot_root, not
# chroot: under a chroot, /proc/PID/exe of a process in another mount
# namespace, such as ip netns exec makes, reads as a path outside the root,
# and start-stop-daemon would not recognise its forwarder), a clone, the
# block. /run and /tmp are fresh tmpfs, as on a booted machine.
inside_root() {
	local r=$FRESH_ROOT
	mount --bind "$r" "$r" &&
	mount -t proc proc "$r/proc" &&
	mount --rbind /sys "$r/sys" && mount --rbind /dev "$r/dev" &&
	mount -t tmpfs tmpfs "$r/run" && mount -t tmpfs tmpfs "$r/tmp" &&
	mkdir -p "$r/src" && mount --bind -o ro "$TOP" "$r/src" &&
	cp /etc/resolv.conf "$r/etc/resolv.conf" || return 1
	printf 'deb %s %s main\ndeb %s %s-updates main\n' \
		"$MIRROR" "$SUITE" "$MIRROR" "$SUITE" >"$r/etc/apt/sources.list"
	readme_block >"$r/root/readme-block.sh"
	cd "$r" && mkdir -p .oldroot && pivot_root . .oldroot &&
	umount -l /.oldroot && rmdir /.oldroot || return 1
	exec /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root TERM=dumb XRM_FRESH=1 /bin/sh -ec '
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q
		apt-get install -y -q --no-install-recommends git make ca-certificates
		git clone -q /src /root/xdp_redirect_map
		cd /root/xdp_redirect_map
		echo "fresh: running README.md'"'"'s first code block:"
		cat /root/readme-block.sh
		sh -ex /root/readme-block.sh'
}

make_root || { tail -n 5 "$TMP/debootstrap.log"; fail fresh_root "debootstrap $SUITE failed"; summary fresh; exit 1; }
ok "fresh_root: minbase $SUITE root made"

export FRESH_ROOT MIRROR SUITE TOP
export -f inside_root readme_block
unshare --mount --propagation private bash -c inside_root 2>&1 | tee "$TMP/inside.log"
rc=${PIPESTATUS[0]}

check "fresh: README's block exits 0" [ "$rc" = 0 ]
check "fresh: make demo forwarded the seed's pings with the MACs swapped" \
	grep -q "5 of 5 pings left out_intf" "$TMP/inside.log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/inside.log" | tail -n 1)
check "fresh: make test ends with N passed, 0 failed ($line)" \
	eval '[ -n "$line" ] && [ "${line%% *}" -gt 0 ] && [ "${line#*passed, }" = "0 failed" ]'
# A test that skips for want of a tool names a package deps.sh forgot.
check "fresh: no test skipped for want of a package" \
	eval '! grep -E "^SKIP .*(not installed|apt-get install|missing)" "$TMP/inside.log"'
summary fresh
[ "$failed" = 0 ]
