/* unit_main.c - runs every unit case; no privileges, no bpf(2) or netlink
 * syscalls, so it runs as it is under qemu-user for foreign targets. */
#include "unit.h"

int unit_case_failed;
static int passed, failed;

void unit_run(const char *name, void (*fn)(void))
{
	unit_case_failed = 0;
	fn();
	if (unit_case_failed) {
		failed++;
		printf("FAIL %s\n", name);
	} else {
		passed++;
		printf("ok   %s\n", name);
	}
}

int main(void)
{
	unit_netlink();
	unit_elfload();
	unit_bpf_sys();
	unit_options();
	unit_corpus();
	unit_link();
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
