/*
 * plans_none.c - no plans yet: the tables polc-gen-seccomp-plans links
 * while it makes the real ones (see plans.h).
 */
#include "backends/seccomp/plans.h"

const struct sc_known_plan sc_known_plans[] = { { 0 } };
const size_t sc_known_plan_count = 0;
const struct sc_known_program sc_known_programs[] = { { 0 } };
const size_t sc_known_program_count = 0;
