/* unit_main.c - runs every unit case; no privileges, no bpf(2) or netlink
 * syscalls, so it runs as it is under qemu-user for foreign targets. */
#include "unit.h"

/* The stage name to report under: "unit", or "sanitize" for the
 * ASan/UBSan build. */
int main(int argc, char **argv)
{
	unit_netlink();
	unit_elfload();
	unit_bpf_sys();
	unit_options();
	unit_prog();
	unit_tp_format();
	unit_instance();
	unit_probe();
	unit_corpus();
	unit_link();
	unit_stats();
	return unit_summary(argc > 1 ? argv[1] : "unit");
}
