/* unit.c - the harness behind unit.h: runs a case, counts the verdicts
 * and prints the closing line. Shared by tests/unit and the host-kernel
 * test programs. */
#include "unit.h"

int unit_case_failed;
static int passed, failed, skipped;

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

void unit_skip(const char *name, const char *why)
{
	skipped++;
	printf("SKIP %s: %s\n", name, why);
}

int unit_summary(const char *stage)
{
	printf("%s: %d passed, %d failed", stage, passed, failed);
	if (skipped)
		printf(", %d skipped", skipped);
	printf("\n");
	return failed != 0;
}
