/*
 * suites.h - the Check suites of polc-unit, one per tested module.
 */
#ifndef POLC_TESTS_UNIT_SUITES_H
#define POLC_TESTS_UNIT_SUITES_H

#include <check.h>

Suite *suite_scanner(void);
Suite *suite_parser(void);
Suite *suite_check(void);
Suite *suite_print(void);
Suite *suite_diag(void);
Suite *suite_resolve(void);
Suite *suite_decide(void);
Suite *suite_stdlib(void);
Suite *suite_seccomp(void);
Suite *suite_learn(void);
Suite *suite_seatbelt(void);
Suite *suite_run(void);
Suite *suite_import(void);

#endif
