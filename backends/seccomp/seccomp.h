/*
 * seccomp.h - the IR's syscall rules as a classic-BPF seccomp program.
 *
 * sc_lower() turns the Linux syscall rules of a resolved policy into a
 * program for one architecture that gives, for every call, exactly the
 * action spec/semantics.md §4.6 decides: the most restrictive applicable
 * rule's action (the smallest errno among errno rules), else the default.
 * A call from any other architecture is killed; on x86_64 the x32 ABI,
 * whose numbers the rules do not describe, fails with ENOSYS.  libseccomp
 * supplies the syscall numbers only.  Includes no other backend and not the
 * frontend.
 */
#ifndef POLC_BACKENDS_SECCOMP_H
#define POLC_BACKENDS_SECCOMP_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ir/ir.h"

struct polc_ctx;
struct ir_policy;

/**
 * struct sc_program - a seccomp filter
 * @arch: the AUDIT_ARCH_* value it accepts
 * @insns: the instructions, @len of them
 * @needed: false when the policy allows every call (nothing to load)
 * @notifies: some rule's action is notify (needs a listener to run)
 * @skipped: names of syscalls some rule names that @arch lacks, @nskipped
 * @known_plan: the program, or its decision tree's shape, was made when
 *              polc was built (plans.h), not searched for now
 */
struct sc_program {
	uint32_t arch;
	const struct sock_filter *insns;
	size_t len;
	bool needed;
	bool notifies;
	const char **skipped;
	size_t nskipped;
	bool known_plan;
};

/* The AUDIT_ARCH_* of the running kernel's native ABI. */
uint32_t sc_native_arch(void);

/* The AUDIT_ARCH_* of "x86_64" or "aarch64" into *@arch; -1 for others. */
int sc_arch_named(const char *name, uint32_t *arch);

/*
 * Lower @p's Linux syscall rules for @arch (AUDIT_ARCH_X86_64 or
 * AUDIT_ARCH_AARCH64) into *@out, allocated in ctx's arena.  A rule naming
 * a syscall unknown to libseccomp is an error; one naming a syscall the
 * architecture lacks is vacuous there, dropped and listed in @skipped.  Returns
 * 0, or -1 with errors reported.
 */
int sc_lower(struct polc_ctx *ctx, const struct ir_policy *p, uint32_t arch,
	     const struct sc_program **out);

/**
 * struct sc_plan_record - what sc_lower_recording() planned
 * @key: the planner's input as bytes (NULL when nothing was planned)
 * @shape: the decision tree's shape it found for that input
 */
struct sc_plan_record {
	const unsigned char *key;
	size_t keylen;
	const uint8_t *shape;
	size_t shapelen;
};

/*
 * sc_lower() without the plans made when polc was built: the search runs,
 * and *@record gets its input and its result.  For polc-gen-seccomp-plans,
 * which makes those plans, and for the tests that check them.
 */
int sc_lower_recording(struct polc_ctx *ctx, const struct ir_policy *p,
		       uint32_t arch, const struct sc_program **out,
		       struct sc_plan_record *record);

/*
 * The bytes that decide @p's program for @arch: the architecture, the
 * syscall default and each Linux syscall rule's name, action, errno and
 * conditions, in the IR's order.  Into @buf[@cap]; returns their length,
 * or 0 when they do not fit.  polc-gen-seccomp-plans files the programs
 * it makes under them (plans.h).
 */
size_t sc_program_key(const struct ir_policy *p, uint32_t arch,
		      unsigned char *buf, size_t cap);

struct sc_known_program;

/* The program made when polc was built for @p's key on @arch, or NULL. */
const struct sc_known_program *sc_known_program(const struct ir_policy *p,
						uint32_t arch);

/*
 * The last step of sc_lower(): drop from @insns[@len] what never changes a
 * decision (instructions no path reaches, jumps that can only go to the
 * next instruction, loads of the word the accumulator already holds) and
 * re-aim the jumps.  Returns the new length.  Scratch comes from ctx's
 * arena (on failure, @insns are left as they were).
 */
size_t sc_tidy(struct polc_ctx *ctx, struct sock_filter *insns, size_t len);

/*
 * *@out: @prog, a program of sc_lower() (needed or not), except that a
 * call to @nr it would let through (allow, log or trace) goes to a
 * user-space supervisor (SECCOMP_RET_USER_NOTIF).  It decides every call
 * exactly as the kernel would with @prog loaded over a filter that
 * notifies @nr, kills the calls of other architectures and fails x32
 * calls with ENOSYS, in one program instead of two, at most four
 * instructions longer per value that changes.  Allocated in ctx's arena.
 * Returns 0, or -1 with errors reported.
 */
int sc_notify_calls(struct polc_ctx *ctx, const struct sc_program *prog,
		    uint32_t nr, const struct sc_program **out);

/*
 * Install @prog on the calling thread (no_new_privs must already be set).
 * For polc run's child: async-signal-safe, reports into @err.
 */
int sc_apply(const struct sc_program *prog, char *err, size_t errlen);

/*
 * sc_apply() for a program that notifies: also ask the kernel for the
 * listener that receives the notifications.  Returns the listener (a
 * descriptor that closes on exec), or -1 with errno set (EBUSY: a filter
 * loaded earlier, an outer sandbox's, already has one) and @err filled.
 */
int sc_apply_listening(const struct sc_program *prog, char *err, size_t errlen);

/**
 * struct sc_trace - what one run of a program did
 * @action: the value it returned
 * @steps: instructions executed
 * @loaded_argument: it read a syscall argument (so the kernel's action
 *                   cache cannot answer that call)
 * @error: why the program is invalid, when sc_interpret() fails
 */
struct sc_trace {
	uint32_t action;
	size_t steps;
	bool loaded_argument;
	const char *error;
};

struct seccomp_data;

/*
 * Run the classic-BPF program @insns[@len] on @data as the kernel would,
 * any program, polc's or libseccomp's.  Returns 0, or -1 with @trace->error
 * set for what the kernel's checker refuses: an unknown opcode, a jump out
 * of the program, a load outside seccomp_data, running off the end.
 */
int sc_interpret(const struct sock_filter *insns, size_t len,
		 const struct seccomp_data *data, struct sc_trace *trace);

/* A readable listing of @prog, one instruction per line. */
void sc_print_listing(const struct sc_program *prog, FILE *out);

/*
 * Print @p's Linux syscall rules for @arch as the OCI runtime-spec
 * `linux.seccomp` object (what runc, crun and docker --security-opt
 * seccomp= read), meaning exactly what the IR decides: each rule covers
 * only calls the IR gives its action, so libseccomp's handling of
 * overlapping rules never matters.  What cannot be written exactly (an
 * ordering under a mask, notify) is an error at the rule.  Returns 0, or
 * -1 with errors reported.
 */
int sc_export_oci(struct polc_ctx *ctx, const struct ir_policy *p,
		  uint32_t arch, FILE *out);

/* ---- shared by lower.c and oci.c ---- */

/* The SECCOMP_RET_* value of @action (with @err for errno). */
uint32_t sc_action_value(enum ir_sys_action action, unsigned err);

/* The value @r returns. */
uint32_t sc_rule_value(const struct ir_sys_rule *r);

/*
 * qsort() order of rule pointers, the order a block tries them: most
 * restrictive first, errno rules by ascending errno, unconditional first.
 */
int sc_rule_order(const void *a, const void *b);

/*
 * @name's number on @arch; negative when the architecture lacks it,
 * __NR_SCMP_ERROR when libseccomp does not know it.
 */
int sc_syscall_number(uint32_t arch, const char *name);

#endif
