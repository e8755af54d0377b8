/*
 * main.c - runs every unit suite; exits non-zero when any test fails.
 */
#include <stdlib.h>

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
	srunner_add_suite(sr, suite_learn());
	srunner_add_suite(sr, suite_seatbelt());
	srunner_add_suite(sr, suite_run());
	srunner_add_suite(sr, suite_import());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
