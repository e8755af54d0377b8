/*
 * main.c - runs every unit suite; exits non-zero when any test fails.
 * POLC_UNIT_NO_SANDBOX=1 leaves out the suites that sandbox or trace real
 * processes (run, learn): valgrind, which runs the others, knows neither
 * the Landlock system calls nor how to follow a traced child.
 */
#include <stdlib.h>
#include <string.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(suite_scanner());
	int failed;

	srunner_add_suite(sr, suite_parser());
	srunner_add_suite(sr, suite_check());
	srunner_add_suite(sr, suite_print());
	srunner_add_suite(sr, suite_diag());
	srunner_add_suite(sr, suite_resolve());
	srunner_add_suite(sr, suite_decide());
	srunner_add_suite(sr, suite_stdlib());
	srunner_add_suite(sr, suite_seccomp());
	srunner_add_suite(sr, suite_seatbelt());
	const char *no_sandbox = getenv("POLC_UNIT_NO_SANDBOX");
	if (!no_sandbox || strcmp(no_sandbox, "1")) {
		srunner_add_suite(sr, suite_learn());
		srunner_add_suite(sr, suite_run());
	}
	srunner_add_suite(sr, suite_import());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
