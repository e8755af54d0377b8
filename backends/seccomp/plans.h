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
 *
 * It also writes down each whole program, under the rules it came from
 * (sc_program_key()): a profile with the syscall rules of a stdlib
 * profile gets its program without lowering at all (known.c).
 */
#ifndef POLC_BACKENDS_SECCOMP_PLANS_H
#define POLC_BACKENDS_SECCOMP_PLANS_H

#include <linux/filter.h>
#include <stdbool.h>
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

/* A program as sc_lower() made it, under sc_program_key()'s bytes. */
struct sc_known_program {
	const unsigned char *key;
	size_t keylen;
	const struct sock_filter *insns;
	size_t len;
	bool needed, notifies;
	const char **skipped;
	size_t nskipped;
};

extern const struct sc_known_program sc_known_programs[];
extern const size_t sc_known_program_count;

#endif
