/*
 * plans.h - decision trees planned when polc was built.
 *
 * The search for the best tree (lower.c) is most of what lowering costs,
 * and polc run lowers at every start.  When polc is built,
 * polc-gen-seccomp-plans lowers every stdlib profile for every
 * architecture with sc_lower_recording() and writes down, per distinct
 * planner input, that input (the key: every interval's numbers, weight,
 * reality and leaf identity, all that the search reads) and the tree's
 * shape the search found.  sc_lower() takes a recorded shape when its
 * input equals a key byte for byte, so the program is the one the search
 * would make; any other input is searched as ever.
 */
#ifndef POLC_BACKENDS_SECCOMP_PLANS_H
#define POLC_BACKENDS_SECCOMP_PLANS_H

#include <stddef.h>
#include <stdint.h>

struct sc_known_plan {
	const unsigned char *key;
	size_t keylen;
	const uint8_t *shape;
	size_t shapelen;
};

extern const struct sc_known_plan sc_known_plans[];
extern const size_t sc_known_plan_count;

#endif
