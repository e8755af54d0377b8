/*
 * seccomp.h - what a seccomp program built from a policy must return for
 * a call, from the IR and the spec alone: spec/semantics.md §4.6 (through
 * ir_syscall_action()) and spec/backends/seccomp.md §1 and §4 (foreign
 * architectures, x32, the encoding of actions).  It knows nothing of
 * backends/seccomp/lower.c, which it checks: the unit tests and the
 * differential fuzzer run the backend's programs in its interpreter and
 * compare every answer with this one.  Syscall numbers and names come from
 * libseccomp at run time, not from the backend's tables.
 */
#ifndef POLC_TESTS_ORACLE_SECCOMP_H
#define POLC_TESTS_ORACLE_SECCOMP_H

#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"

struct seccomp_data;

/* The SECCOMP_RET_* value of @action (with @err for errno). */
uint32_t oracle_sc_value(enum ir_sys_action action, unsigned err);

/*
 * The name of syscall @nr on @arch (AUDIT_ARCH_X86_64 or
 * AUDIT_ARCH_AARCH64), or NULL when it has none.  The string is static.
 */
const char *oracle_sc_name(uint32_t arch, uint32_t nr);

/*
 * What the program @p lowers to for @arch must return for the call @d: a
 * call from another architecture kills the process; on x86_64 a number
 * from 0x40000000 up (the x32 ABI) gets the default when it refuses the
 * call, else ENOSYS; a number without a name gets the default; any other
 * the action of @p's Linux rules for its name and arguments.
 */
uint32_t oracle_sc_expect(const struct ir_policy *p, uint32_t arch,
			  const struct seccomp_data *d);

/*
 * The values of argument @arg at which @name's conditions in @p change
 * (each compared value, its neighbours, its high word added, taken, cleared
 * and filled, bits outside the mask, single bits flipped) into @out[@max], 0
 * first and each once; just 0 when no condition reads it.  Returns how many.
 */
size_t oracle_sc_boundaries(const struct ir_policy *p, const char *name,
			    unsigned arg, uint64_t *out, size_t max);

#endif
