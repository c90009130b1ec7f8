# shellcheck shell=sh
# apt-missing.sh - sourced by the .ci install scripts: installs those of
# the given packages that are not installed yet, with apt's lists
# refreshed first (also when FORCE_UPDATE is 1: a new architecture).
#   apt_install_missing TAG FORCE_UPDATE PACKAGE...
apt_install_missing() {
	tag=$1 force=$2
	shift 2
	missing=""
	for p in "$@"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
	done
	[ -z "$missing" ] && [ "$force" = 0 ] && return 0
	export DEBIAN_FRONTEND=noninteractive
	# A mirror caught mid-sync fails one index now and then: try again,
	# and go on without it, since what we need is in main.
	for try in 1 2 3; do
		apt-get update -q && break
		echo "$tag: apt-get update failed (try $try)" >&2
		sleep 5
	done
	# shellcheck disable=SC2086
	[ -z "$missing" ] || apt-get install -y -q --no-install-recommends $missing
}
