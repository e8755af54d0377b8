/*
 * plans_none.c - no plans yet: the table polc-gen-seccomp-plans links
 * while it makes the real one (see plans.h).
 */
#include "backends/seccomp/plans.h"

const struct sc_known_plan sc_known_plans[] = { { 0 } };
const size_t sc_known_plan_count = 0;
