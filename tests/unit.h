/* unit.h - the smallest test harness. A case is a function run by
 * unit_run; CHECK records a failed expectation with its line and goes on,
 * so one run reports every broken expectation of every case. */
#ifndef XRM_UNIT_H
#define XRM_UNIT_H

#include <stdio.h>

extern int unit_case_failed;

#define CHECK(cond) unit_check((cond), #cond, __FILE__, __LINE__)

static inline int unit_check(int ok, const char *what, const char *file, int line)
{
	if (!ok) {
		unit_case_failed = 1;
		fprintf(stderr, "  check failed at %s:%d: %s\n", file, line, what);
	}
	return ok;
}

/* Runs one case and prints its verdict; a case that cannot run is
 * skipped with a reason; the summary ends a stage ("STAGE: N passed, M
 * failed[, K skipped]") and returns 1 if anything failed. */
void unit_run(const char *name, void (*fn)(void));
void unit_skip(const char *name, const char *why);
int unit_summary(const char *stage);

/* Each test file offers one entry point that calls unit_run per case. */
void unit_netlink(void);
void unit_elfload(void);
void unit_bpf_sys(void);
void unit_options(void);
void unit_prog(void);
void unit_tp_format(void);
void unit_instance(void);
void unit_probe(void);
void unit_corpus(void);
void unit_link(void);
void unit_stats(void);
void unit_port_policy(void);
void unit_xdp_features(void);
void unit_guard(void);
void unit_decimal(void);

#endif
