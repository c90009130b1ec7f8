/* unit_main.c - runs every unit case; no privileges, no bpf(2) or netlink
 * syscalls, so it runs as it is under qemu-user for foreign targets. */
#include "unit.h"

int main(void)
{
	unit_netlink();
	unit_elfload();
	unit_bpf_sys();
	unit_options();
	unit_prog();
	return unit_summary("unit");
}
