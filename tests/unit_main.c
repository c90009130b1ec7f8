/* unit_main.c - runs every unit case; no privileges, no bpf(2) or netlink
 * syscalls, so it runs as it is under qemu-user for foreign targets. */
#include "unit.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>

/* LeakSanitizer would report at exit, after the summary has said 0
 * failed; asked here, a leak is a failed case that the summary counts. */
static void test_no_leaks(void)
{
	CHECK(__lsan_do_recoverable_leak_check() == 0);
}
#endif

/* The stage name to report under: "unit", or "sanitize" for the
 * ASan/UBSan build. */
int main(int argc, char **argv)
{
	/* Line by line, so that the summary is out before a sanitizer ends
	 * the process with _exit(), which flushes nothing. */
	setvbuf(stdout, NULL, _IOLBF, 0);
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
	unit_port_policy();
	unit_xdp_features();
	unit_guard();
	unit_decimal();
#if defined(__SANITIZE_ADDRESS__)
	unit_run("sanitize: no leaks (LeakSanitizer)", test_no_leaks);
#endif
	return unit_summary(argc > 1 ? argv[1] : "unit");
}
