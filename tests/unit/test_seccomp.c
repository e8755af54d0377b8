/*
 * test_seccomp.c - the seccomp backend (backends/seccomp/) against the IR.
 *
 * The classic-BPF interpreter (backends/seccomp/interp.c, itself tested
 * here) runs every emitted program over every syscall
 * number 0-1023 of x86_64 and aarch64, with argument vectors that take
 * every condition's boundaries, over x32 numbers and from a foreign
 * architecture, and compares each return value with the oracle of
 * tests/oracle/seccomp.h (ir_syscall_action() and the spec): zero mismatches,
 * for every stdlib profile and for policies built to exercise overlapping
 * rules, every comparison and masks.
 */
#include <check.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/seccomp/seccomp.h"
#include "common/json.h"
#include "common/source.h"
#include "helpers.h"
#include "suites.h"
#include "tests/oracle/seccomp.h"

static struct polc_ctx *ctx;
static struct load_unit unit;
static struct ir_options opts;

static void setup(void)
{
	ctx = stdlib_ctx(&unit, &opts);
}

static void teardown(void)
{
	polc_ctx_free(ctx);
	ctx = NULL;
}

/* ---- the interpreter ---------------------------------------------------- */

/* Set by interpret() when the run loaded an argument. */
static bool loaded_argument;

/* sc_interpret() on @data, failing the test on an invalid program. */
static uint32_t interpret(const struct sc_program *prog,
			  const struct seccomp_data *data, size_t *steps)
{
	struct sc_trace t;

	if (sc_interpret(prog->insns, prog->len, data, &t) != 0)
		ck_abort_msg("invalid program: %s", t.error);
	*steps = t.steps;
	loaded_argument = t.loaded_argument;
	return t.action;
}

START_TEST(test_interpreter_refuses_what_the_kernel_refuses)
{
	static const struct sock_filter off_end[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	};
	static const struct sock_filter far_jump[] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_filter outside[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_filter scratch[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_STMT(BPF_ST, 3),
		BPF_STMT(BPF_LDX | BPF_W | BPF_MEM, 3),
		BPF_STMT(BPF_MISC | BPF_TXA, 0),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct seccomp_data d = { .nr = 42 };
	struct sc_trace t;

	ck_assert_int_eq(sc_interpret(off_end, 1, &d, &t), -1);
	ck_assert_str_eq(t.error, "runs off the end");
	ck_assert_int_eq(sc_interpret(far_jump, 2, &d, &t), -1);
	ck_assert_str_eq(t.error, "jump out of the program");
	ck_assert_int_eq(sc_interpret(outside, 2, &d, &t), -1);
	ck_assert_str_eq(t.error, "load outside seccomp_data");
	ck_assert_int_eq(sc_interpret(scratch, 5, &d, &t), 0);
	ck_assert_uint_eq(t.action, 42);
	ck_assert_uint_eq(t.steps, 5);
}
END_TEST

/* ---- argument vectors --------------------------------------------------- */

enum { MAX_VALUES = 200, MAX_VECTORS = 4096 };

struct values {
	uint64_t v[MAX_VALUES];
	size_t n;
};

/*
 * Check @prog against @p for syscall number @nr: every combination of the
 * arguments' boundary values when there are few, else each argument's
 * values with the others at 0.  Returns the mismatches (reported).
 */
static size_t check_number(const struct sc_program *prog,
			   const struct ir_policy *p, uint32_t arch, int nr,
			   size_t *checked)
{
	const char *name = oracle_sc_name(arch, (uint32_t)nr);
	struct values vs[6];
	size_t combos = 1, mismatches = 0;

	for (unsigned a = 0; a < 6; a++) {
		vs[a].n = oracle_sc_boundaries(p, name, a, vs[a].v, MAX_VALUES);
		combos = combos <= MAX_VECTORS ? combos * vs[a].n : combos;
	}
	bool product = combos <= MAX_VECTORS;
	size_t vectors = product ? combos : 1 + 6 * MAX_VALUES;
	for (size_t v = 0; v < vectors; v++) {
		struct seccomp_data data = { .nr = nr, .arch = arch };
		size_t rest = v, steps;

		if (product) {
			for (unsigned a = 0; a < 6; a++) {
				data.args[a] = vs[a].v[rest % vs[a].n];
				rest /= vs[a].n;
			}
		} else if (v > 0) {
			unsigned a = (unsigned)((v - 1) / MAX_VALUES);
			size_t i = (v - 1) % MAX_VALUES;

			if (i >= vs[a].n)
				continue;
			data.args[a] = vs[a].v[i];
		}
		uint32_t got = interpret(prog, &data, &steps);
		uint32_t want = oracle_sc_expect(p, arch, &data);
		++*checked;
		if (got != want && mismatches++ < 5)
			fprintf(stderr,
				"seccomp mismatch: %s (%d) args %llx %llx "
				"%llx: "
				"program 0x%08x, IR 0x%08x\n",
				name ? name : "?", nr,
				(unsigned long long)data.args[0],
				(unsigned long long)data.args[1],
				(unsigned long long)data.args[2], got, want);
	}
	return mismatches;
}

/* The whole check of @p on @arch; returns the number of vectors run. */
static size_t check_policy(const struct ir_policy *p, uint32_t arch)
{
	const struct sc_program *prog;
	size_t checked = 0, mismatches = 0, steps;

	if (sc_lower(ctx, p, arch, &prog) != 0)
		ck_abort_msg("sc_lower failed:\n%s", diags_text(ctx));
	for (int nr = 0; nr < 1024; nr++)
		mismatches += check_number(prog, p, arch, nr, &checked);
	/* Another architecture is killed; x32 calls fail with ENOSYS. */
	struct seccomp_data foreign = { .nr = 0, .arch = AUDIT_ARCH_I386 };
	ck_assert_uint_eq(interpret(prog, &foreign, &steps),
			  SECCOMP_RET_KILL_PROCESS);
	/* x32: the default when it refuses, else ENOSYS. */
	for (uint32_t nr = 0x40000000;
	     arch == AUDIT_ARCH_X86_64 && nr < 0x40000000 + 1024; nr++) {
		struct seccomp_data x32 = { .nr = (int)nr, .arch = arch };
		ck_assert_uint_eq(interpret(prog, &x32, &steps),
				  oracle_sc_expect(p, arch, &x32));
	}
	ck_assert_msg(mismatches == 0, "%zu mismatches", mismatches);
	return checked;
}

static const struct ir_policy *resolve(const char *profile)
{
	const struct ir_policy *p = ir_resolve(ctx, &unit, profile, &opts);

	if (!p || ctx->nerrors)
		ck_abort_msg("'%s' does not resolve:\n%s", profile,
			     diags_text(ctx));
	return p;
}

/* ---- tests -------------------------------------------------------------- */

static const char *const stdlib_profiles[] = {
	"default",    "strict",	  "claude-code", "codex",
	"opencode",   "aider",	  "gemini-cli",	 "node-dev",
	"python-dev", "rust-dev", "go-dev",	 "java-dev",
};

START_TEST(test_stdlib_profiles_agree_with_the_ir)
{
	size_t checked = 0;

	for (size_t i = 0;
	     i < sizeof(stdlib_profiles) / sizeof(*stdlib_profiles); i++) {
		const struct ir_policy *p = resolve(stdlib_profiles[i]);

		checked += check_policy(p, AUDIT_ARCH_X86_64);
		checked += check_policy(p, AUDIT_ARCH_AARCH64);
	}
	ck_assert_uint_gt(checked, 24 * 1024);
}
END_TEST

/* Call @check on every stdlib profile for each architecture. */
static void each_stdlib_profile(void (*check)(const struct ir_policy *p,
					      uint32_t arch))
{
	for (size_t i = 0;
	     i < sizeof(stdlib_profiles) / sizeof(*stdlib_profiles); i++) {
		const struct ir_policy *p = resolve(stdlib_profiles[i]);

		check(p, AUDIT_ARCH_X86_64);
		check(p, AUDIT_ARCH_AARCH64);
	}
}

/* The program made when polc was built for @p is the search's. */
static void check_known_is_the_search_s(const struct ir_policy *p,
					uint32_t arch)
{
	const struct sc_program *known, *searched;
	struct sc_plan_record r;

	ck_assert_int_eq(sc_lower(ctx, p, arch, &known), 0);
	ck_assert_int_eq(sc_lower_recording(ctx, p, arch, &searched, &r), 0);
	ck_assert_msg(known->known_plan, "%s: no plan made at build time",
		      p->profile);
	ck_assert(!searched->known_plan);
	ck_assert_ptr_nonnull(r.key);
	ck_assert_uint_eq(known->len, searched->len);
	ck_assert(!memcmp(known->insns, searched->insns,
			  known->len * sizeof(*known->insns)));
	ck_assert_int_eq(known->needed, searched->needed);
	ck_assert_int_eq(known->notifies, searched->notifies);
	ck_assert_uint_eq(known->nskipped, searched->nskipped);
	for (size_t k = 0; k < known->nskipped; k++)
		ck_assert_str_eq(known->skipped[k], searched->skipped[k]);
	/* The whole program was made at build time. */
	ck_assert_ptr_nonnull(sc_known_program(p, arch));
}

/*
 * The plans made when polc was built (backends/seccomp/plans.h): every
 * stdlib profile finds one, and it is the search's, instruction for
 * instruction.
 */
START_TEST(test_stdlib_plans_are_the_search_s)
{
	each_stdlib_profile(check_known_is_the_search_s);
}
END_TEST

/* @p's program is the search's, instruction for instruction. */
static void check_is_the_search_s(const struct ir_policy *p, uint32_t arch,
				  const char *what)
{
	const struct sc_program *got, *searched;
	struct sc_plan_record r;

	ck_assert_int_eq(sc_lower(ctx, p, arch, &got), 0);
	ck_assert_int_eq(sc_lower_recording(ctx, p, arch, &searched, &r), 0);
	ck_assert_msg(got->len == searched->len &&
			      !memcmp(got->insns, searched->insns,
				      got->len * sizeof(*got->insns)),
		      "%s: not the search's program", what);
}

/*
 * A program made at build time is taken for exactly its input: with any
 * one field that lowering reads changed in the default profile's rules,
 * the program is the one the search makes for the changed rules.  (Were
 * the field missing from sc_program_key(), the old program would come.)
 */
START_TEST(test_known_programs_need_their_exact_input)
{
	const struct ir_policy *p = resolve("default");
	size_t k = 0;

	/* A rule with conditions and an errno: personality(2)'s. */
	while (k < p->nsys &&
	       !(p->sys[k].nconds && p->sys[k].action == IR_SYS_ERRNO))
		k++;
	ck_assert_uint_lt(k, p->nsys);
	ck_assert_ptr_nonnull(sc_known_program(p, AUDIT_ARCH_X86_64));
	for (int change = 0; change < 11; change++) {
		struct ir_policy q = *p;
		struct ir_sys_rule *sys =
			arena_alloc(&ctx->arena, p->nsys * sizeof(*sys));
		struct ir_sys_cond *conds = arena_alloc(
			&ctx->arena, p->sys[k].nconds * sizeof(*conds));
		uint32_t arch = AUDIT_ARCH_X86_64;

		memcpy(sys, p->sys, p->nsys * sizeof(*sys));
		memcpy(conds, p->sys[k].conds,
		       p->sys[k].nconds * sizeof(*conds));
		sys[k].conds = conds;
		q.sys = sys;
		switch (change) {
		case 0: sys[k].action = IR_SYS_KILL; break;
		case 1: sys[k].errno_value += 1; break;
		case 2: sys[k].syscall = "getpid"; break;
		case 3: sys[k].platforms = IR_MACOS; break;
		case 4: conds[0].arg = (conds[0].arg + 1) % 6; break;
		case 5:
			conds[0].op = conds[0].op == IR_CMP_EQ ? IR_CMP_NE
							       : IR_CMP_EQ;
			break;
		case 6: conds[0].mask = 0xff; break;
		case 7: conds[0].value += 1; break;
		case 8: sys[k].nconds -= 1; break;
		case 9:
			q.settings[ir_platform_index(IR_LINUX)].sys_default =
				IR_SYS_ERRNO;
			break;
		case 10: arch = AUDIT_ARCH_AARCH64; break;
		}
		check_is_the_search_s(&q, arch, "a changed rule");
	}
}
END_TEST

/* @p's program has nothing left for sc_tidy() to drop. */
static void check_tidy(const struct ir_policy *p, uint32_t arch)
{
	const struct sc_program *prog;

	ck_assert_int_eq(sc_lower(ctx, p, arch, &prog), 0);
	struct sock_filter *copy =
		arena_alloc(&ctx->arena, prog->len * sizeof(*copy));
	memcpy(copy, prog->insns, prog->len * sizeof(*copy));
	ck_assert_uint_eq(sc_tidy(ctx, copy, prog->len), prog->len);
}

/*
 * sc_tidy() leaves nothing for a second pass: no instruction of a stdlib
 * program is unreachable, a jump to the next one or a load of what the
 * accumulator holds.  (That it changes no decision, the tests above and
 * below check on every number.)
 */
START_TEST(test_stdlib_programs_are_tidy)
{
	const struct sc_program *prog;

	each_stdlib_profile(check_tidy);
	/* The default profile's personality(2) rules: one test of arg0's
	 * upper half and one load of its lower half, not one per rule. */
	ck_assert_int_eq(
		sc_lower(ctx, resolve("default"), AUDIT_ARCH_X86_64, &prog), 0);
	ck_assert_uint_le(prog->len, 66);
}
END_TEST

/* Overlapping rules of every action, every comparison, masks, two args. */
static const char overlap_src[] =
	"profile sc_overlap {\n"
	"    syscall default errno EACCES;\n"
	"    syscall allow read write close ioctl openat ptrace mmap;\n"
	"    syscall deny ioctl if arg1 & 0xffffffff == 0x5412;\n"
	"    syscall log ioctl if arg2 > 0x100000000;\n"
	"    syscall errno 13 openat if arg2 & 0x3 == 1;\n"
	"    syscall errno 5 openat if arg1 != 0;\n"
	"    syscall kill ptrace if arg0 >= 0x10 && arg1 < 0x200000000;\n"
	"    syscall trap ptrace if arg0 < 0x20;\n"
	"    syscall kill_thread ptrace if arg0 <= 4;\n"
	"    syscall errno 22 mmap if arg2 & 0x4 == 0x4 && arg3 == 0x22;\n"
	"    syscall notify mmap if arg0 == 0xffffffff00000000;\n"
	"    syscall deny mmap if arg1 & 0xff00000000 == 0x100000000;\n"
	"    syscall allow getpid if arg0 == 7;\n"
	"}\n";

START_TEST(test_overlapping_rules_agree_with_the_ir)
{
	unit_add(ctx, &unit, "t.pol", overlap_src);
	const struct ir_policy *p = resolve("sc_overlap");

	ck_assert_uint_gt(check_policy(p, AUDIT_ARCH_X86_64), 1024);
	ck_assert_uint_gt(check_policy(p, AUDIT_ARCH_AARCH64), 1024);
	/* Nothing planned at build time fits it: it was searched. */
	const struct sc_program *prog;
	ck_assert_int_eq(sc_lower(ctx, p, AUDIT_ARCH_X86_64, &prog), 0);
	ck_assert(!prog->known_plan);
}
END_TEST

/*
 * A program longer than an 8-bit jump reaches: 150 syscalls with two
 * conditions each, so jumps from the tree to the blocks and from the
 * blocks to the shared returns go through `ja`.
 */
START_TEST(test_far_jumps_agree_with_the_ir)
{
	static char src[64 * 1024]; /* outlives ctx, as unit_add() needs */
	size_t cap = sizeof(src), len = 0;
	int named = 0;

	len += (size_t)snprintf(src + len, cap - len,
				"profile sc_big {\n"
				"    syscall default errno EPERM;\n");
	for (int nr = 0; nr < 1024 && named < 150; nr++) {
		char *name =
			seccomp_syscall_resolve_num_arch(AUDIT_ARCH_X86_64, nr);

		if (!name || !strcmp(name, "ipc") || !strcmp(name, "syscall")) {
			free(name);
			continue;
		}
		len += (size_t)snprintf(src + len, cap - len,
					"    syscall allow %s if arg0 > %d && "
					"arg1 != 0x%x00000000;\n",
					name, nr, nr + 1);
		free(name);
		named++;
	}
	snprintf(src + len, cap - len, "}\n");
	unit_add(ctx, &unit, "t.pol", src);
	const struct ir_policy *p = resolve("sc_big");
	const struct sc_program *prog;
	ck_assert_int_eq(sc_lower(ctx, p, AUDIT_ARCH_X86_64, &prog), 0);
	ck_assert_uint_gt(prog->len, 256);
	ck_assert_uint_gt(check_policy(p, AUDIT_ARCH_X86_64), 1024);
}
END_TEST

/* Numbers no rule decides never load an argument (action cache). */
START_TEST(test_undecided_numbers_load_no_argument)
{
	const struct ir_policy *p = resolve("default");
	const struct sc_program *prog;

	ck_assert_int_eq(sc_lower(ctx, p, AUDIT_ARCH_X86_64, &prog), 0);
	ck_assert(prog->needed);
	for (int nr = 0; nr < 1024; nr++) {
		char *name =
			seccomp_syscall_resolve_num_arch(AUDIT_ARCH_X86_64, nr);
		bool named = false;

		for (size_t i = 0; name && i < p->nsys; i++)
			named |= !strcmp(p->sys[i].syscall, name);
		free(name);
		if (named)
			continue;
		struct seccomp_data data = { .nr = nr,
					     .arch = AUDIT_ARCH_X86_64 };
		size_t steps;

		interpret(prog, &data, &steps);
		ck_assert_msg(!loaded_argument, "syscall %d loads an argument",
			      nr);
		ck_assert_uint_le(steps, 20);
	}
}
END_TEST

START_TEST(test_allow_everything_needs_no_program)
{
	unit_add(ctx, &unit, "t.pol",
		 "profile sc_open {\n    network allow;\n}\n");
	const struct sc_program *prog;

	ck_assert_int_eq(
		sc_lower(ctx, resolve("sc_open"), AUDIT_ARCH_X86_64, &prog), 0);
	ck_assert(!prog->needed);
}
END_TEST

/* ---- a notified call (polc run's connect(2) mediation) ------------------
 */

/* What the kernel returns when one filter says @earlier and a later one
 * @later: the more restrictive action, the later filter's on a tie. */
static uint32_t kernel_takes(uint32_t earlier, uint32_t later)
{
	int32_t e = (int32_t)(earlier & SECCOMP_RET_ACTION_FULL);
	int32_t l = (int32_t)(later & SECCOMP_RET_ACTION_FULL);

	return e < l ? earlier : later;
}

/* The filter sc_notify_calls() folds in: it notifies @nr, kills other
 * architectures and fails x32 calls with ENOSYS. */
static uint32_t notifying_filter(const struct seccomp_data *d, uint32_t arch,
				 int nr)
{
	if (d->arch != arch)
		return SECCOMP_RET_KILL_PROCESS;
	if (arch == AUDIT_ARCH_X86_64 && (uint32_t)d->nr >= 0x40000000)
		return SECCOMP_RET_ERRNO | ENOSYS;
	return d->nr == nr ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_ALLOW;
}

/*
 * sc_notify_calls(@p's program, connect) against the two filters it
 * replaces, on every number with its arguments' boundaries, x32 numbers
 * and a foreign architecture.  Returns the vectors checked.
 */
static size_t check_notified(const struct ir_policy *p, uint32_t arch)
{
	const struct sc_program *prog, *both;
	int nr = seccomp_syscall_resolve_name_arch(arch, "connect");
	size_t checked = 0, mismatches = 0, steps;

	ck_assert_int_eq(sc_lower(ctx, p, arch, &prog), 0);
	ck_assert_int_eq(sc_notify_calls(ctx, prog, (uint32_t)nr, &both), 0);
	ck_assert(both->needed && both->notifies);
	for (uint32_t i = 0; i < 1024 + 64 + 1; i++) {
		struct seccomp_data d = { .nr = (int)i, .arch = arch };

		if (i >= 1024 && i < 1024 + 64)
			d.nr = (int)(0x40000000 + i - 1024);
		if (i == 1024 + 64)
			d.arch = AUDIT_ARCH_I386;
		const char *name = oracle_sc_name(arch, (uint32_t)d.nr);
		for (unsigned a = 0; a < 6; a++) {
			uint64_t v[MAX_VALUES];
			size_t n =
				oracle_sc_boundaries(p, name, a, v, MAX_VALUES);

			for (size_t k = 0; k < n; k++) {
				struct seccomp_data e = d;

				e.args[a] = v[k];
				uint32_t want = kernel_takes(
					notifying_filter(&e, arch, nr),
					prog->needed
						? interpret(prog, &e, &steps)
						: SECCOMP_RET_ALLOW);
				uint32_t got = interpret(both, &e, &steps);

				checked++;
				if (got != want && mismatches++ < 5)
					fprintf(stderr,
						"notify mismatch: %s nr 0x%x "
						"arch 0x%x arg%u %llx: 0x%08x, "
						"two filters 0x%08x\n",
						p->profile, (unsigned)e.nr,
						e.arch, a,
						(unsigned long long)v[k], got,
						want);
			}
		}
	}
	ck_assert_msg(mismatches == 0, "%zu mismatches", mismatches);
	return checked;
}

START_TEST(test_notified_call_decides_as_two_filters)
{
	size_t checked = 0;

	unit_add(ctx, &unit, "t.pol", overlap_src);
	unit_add(ctx, &unit, "n.pol",
		 "profile sc_logs {\n"
		 "    syscall default log;\n"
		 "    syscall errno 13 connect if arg2 > 16;\n"
		 "    syscall trap accept;\n"
		 "    syscall kill_thread bind;\n"
		 "}\n"
		 "profile sc_open {\n    network allow;\n}\n");
	for (size_t i = 0;
	     i < sizeof(stdlib_profiles) / sizeof(*stdlib_profiles); i++) {
		checked += check_notified(resolve(stdlib_profiles[i]),
					  AUDIT_ARCH_X86_64);
		checked += check_notified(resolve(stdlib_profiles[i]),
					  AUDIT_ARCH_AARCH64);
	}
	static const char *const built[] = { "sc_overlap", "sc_logs",
					     "sc_open" };
	for (size_t i = 0; i < sizeof(built) / sizeof(*built); i++) {
		checked += check_notified(resolve(built[i]), AUDIT_ARCH_X86_64);
		checked +=
			check_notified(resolve(built[i]), AUDIT_ARCH_AARCH64);
	}
	ck_assert_uint_gt(checked, 30 * 1024);
}
END_TEST

/* ---- OCI seccomp JSON -----------------------------------------------------
 */

static uint64_t number(const struct json_value *v)
{
	uint64_t x = 0;

	ck_assert_msg(json_uint64(v, &x), "not an unsigned number");
	return x;
}

static const char *text(const struct json_value *v)
{
	ck_assert_msg(v && v->kind == JSON_STRING, "not a string");
	return v->text;
}

static uint32_t oci_action(const struct json_value *action,
			   const struct json_value *errno_ret)
{
	static const struct {
		const char *name;
		uint32_t value;
	} actions[] = {
		{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW },
		{ "SCMP_ACT_LOG", SCMP_ACT_LOG },
		{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP },
		{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD },
		{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS },
	};
	const char *name = text(action);

	if (!strcmp(name, "SCMP_ACT_ERRNO"))
		return SCMP_ACT_ERRNO((uint16_t)number(errno_ret));
	for (size_t i = 0; i < sizeof(actions) / sizeof(*actions); i++)
		if (!strcmp(name, actions[i].name))
			return actions[i].value;
	ck_abort_msg("unknown action %s", name);
	return 0;
}

static enum scmp_compare oci_op(const char *op)
{
	static const char *const names[] = {
		[SCMP_CMP_NE] = "SCMP_CMP_NE",
		[SCMP_CMP_LT] = "SCMP_CMP_LT",
		[SCMP_CMP_LE] = "SCMP_CMP_LE",
		[SCMP_CMP_EQ] = "SCMP_CMP_EQ",
		[SCMP_CMP_GE] = "SCMP_CMP_GE",
		[SCMP_CMP_GT] = "SCMP_CMP_GT",
		[SCMP_CMP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
	};

	for (int i = SCMP_CMP_NE; i <= SCMP_CMP_MASKED_EQ; i++)
		if (!strcmp(op, names[i]))
			return (enum scmp_compare)i;
	ck_abort_msg("unknown op %s", op);
	return SCMP_CMP_EQ;
}

/*
 * Load the exported JSON @json into libseccomp as runc does (names
 * resolved natively, one rule per entry and name, its conditions ANDed)
 * and return libseccomp's program, allocated in ctx's arena.
 */
static struct sc_program *load_oci(const char *json, size_t len, uint32_t arch)
{
	uint32_t file = source_add(ctx, "export.json", json, len);
	const struct json_value *doc = json_parse(ctx, file);

	ck_assert_msg(doc, "exported JSON does not parse:\n%s",
		      diags_text(ctx));
	/* The program is only exported, never loaded: the actions of API
	 * level 3 (log, kill_process) whatever the running kernel (or
	 * valgrind, which hides seccomp(2) from libseccomp's probe) says. */
	ck_assert_int_eq(seccomp_api_set(3), 0);
	scmp_filter_ctx f =
		seccomp_init(oci_action(json_member(doc, "defaultAction"),
					json_member(doc, "defaultErrnoRet")));
	const struct json_value *arches = json_member(doc, "architectures");
	ck_assert_uint_eq(arches->n, 1);
	ck_assert_str_eq(text(arches->items[0]), arch == AUDIT_ARCH_X86_64
							 ? "SCMP_ARCH_X86_64"
							 : "SCMP_ARCH_AARCH64");
	if (arch != seccomp_arch_native()) {
		ck_assert_int_eq(seccomp_arch_add(f, arch), 0);
		ck_assert_int_eq(seccomp_arch_remove(f, SCMP_ARCH_NATIVE), 0);
	}
	const struct json_value *all = json_member(doc, "syscalls");
	for (size_t i = 0; i < all->n; i++) {
		const struct json_value *sc = all->items[i];
		const struct json_value *args = json_member(sc, "args");
		const struct json_value *names = json_member(sc, "names");
		struct scmp_arg_cmp cmp[6];
		size_t nargs = args ? args->n : 0;
		unsigned seen = 0;

		ck_assert_uint_le(nargs, 6);
		for (size_t k = 0; k < nargs; k++) {
			const struct json_value *a = args->items[k];
			unsigned index =
				(unsigned)number(json_member(a, "index"));

			/* runc makes two conditions on one argument an OR. */
			ck_assert_msg(!(seen & 1u << index),
				      "two conditions on arg%u", index);
			seen |= 1u << index;
			cmp[k] = (struct scmp_arg_cmp){
				index,
				oci_op(text(json_member(a, "op"))),
				number(json_member(a, "value")),
				number(json_member(a, "valueTwo")),
			};
		}
		for (size_t k = 0; k < names->n; k++) {
			int nr = seccomp_syscall_resolve_name(
				text(names->items[k]));
			int rc = seccomp_rule_add_array(
				f,
				oci_action(json_member(sc, "action"),
					   json_member(sc, "errnoRet")),
				nr, (unsigned)nargs, cmp);

			ck_assert_msg(rc == 0, "libseccomp refuses %s: %d",
				      text(names->items[k]), rc);
		}
	}

	FILE *bpf = tmpfile();
	ck_assert_ptr_nonnull(bpf);
	ck_assert_int_eq(seccomp_export_bpf(f, fileno(bpf)), 0);
	seccomp_release(f);
	off_t size = lseek(fileno(bpf), 0, SEEK_END);
	struct sc_program *prog = arena_alloc(&ctx->arena, sizeof(*prog));
	struct sock_filter *insns = arena_alloc(&ctx->arena, (size_t)size);
	ck_assert_int_eq(pread(fileno(bpf), insns, (size_t)size, 0), size);
	fclose(bpf);
	*prog = (struct sc_program){ .arch = arch,
				     .insns = insns,
				     .len = (size_t)size / sizeof(*insns),
				     .needed = true };
	return prog;
}

/*
 * Export @p for @arch, load the JSON into libseccomp and compare its
 * program with the IR over every number and argument boundary.
 */
static size_t check_oci(const struct ir_policy *p, uint32_t arch)
{
	char *json = NULL;
	size_t len = 0, checked = 0, mismatches = 0;
	FILE *out = open_memstream(&json, &len);

	ck_assert_int_eq(sc_export_oci(ctx, p, arch, out), 0);
	fclose(out);
	const struct sc_program *prog =
		load_oci(arena_strndup(&ctx->arena, json, len), len, arch);
	free(json);
	for (int nr = 0; nr < 1024; nr++)
		mismatches += check_number(prog, p, arch, nr, &checked);
	ck_assert_msg(mismatches == 0, "%s: %zu mismatches", p->profile,
		      mismatches);
	return checked;
}

START_TEST(test_oci_export_of_stdlib_profiles_agrees_with_the_ir)
{
	static const char *const oci_profiles[] = { "default", "strict",
						    "claude-code", "codex" };
	size_t checked = 0;

	for (size_t i = 0; i < sizeof(oci_profiles) / sizeof(*oci_profiles);
	     i++) {
		const struct ir_policy *p = resolve(oci_profiles[i]);

		checked += check_oci(p, AUDIT_ARCH_X86_64);
		checked += check_oci(p, AUDIT_ARCH_AARCH64);
	}
	ck_assert_uint_gt(checked, 8 * 1024);
}
END_TEST

/*
 * Overlapping rules whose actions differ: each exported rule must cover
 * only what the IR gives its action (negated masks, orderings, two
 * arguments, errno tiers, a rule with the default's action).
 */
static const char oci_src[] =
	"profile sc_oci {\n"
	"    syscall default errno EACCES;\n"
	"    syscall allow read write close ioctl openat ptrace mmap;\n"
	"    syscall deny ioctl if arg1 & 0xffffffff == 0x5412;\n"
	"    syscall log ioctl if arg2 > 0x100000000;\n"
	"    syscall errno 13 openat if arg2 & 0x3 == 1;\n"
	"    syscall errno 5 openat if arg1 != 0;\n"
	"    syscall kill ptrace if arg0 >= 0x10 && arg1 < 0x200000000;\n"
	"    syscall trap ptrace if arg0 < 0x20;\n"
	"    syscall kill_thread ptrace if arg0 <= 4;\n"
	"    syscall errno 22 mmap if arg2 & 0x4 == 0x4 && arg3 == 0x22;\n"
	"    syscall deny mmap if arg1 & 0xff00000000 == 0x100000000;\n"
	"    syscall allow getpid if arg0 == 7;\n"
	"    syscall allow personality if arg0 > 8 && arg0 < 0x20000;\n"
	"}\n";

START_TEST(test_oci_export_of_overlapping_rules_agrees_with_the_ir)
{
	unit_add(ctx, &unit, "t.pol", oci_src);
	const struct ir_policy *p = resolve("sc_oci");

	ck_assert_uint_gt(check_oci(p, AUDIT_ARCH_X86_64), 1024);
	ck_assert_uint_gt(check_oci(p, AUDIT_ARCH_AARCH64), 1024);
}
END_TEST

START_TEST(test_oci_export_refuses_notify)
{
	unit_add(ctx, &unit, "t.pol",
		 "profile sc_notify {\n"
		 "    syscall notify read;\n"
		 "}\n");
	FILE *out = fopen("/dev/null", "w");

	ck_assert_int_eq(sc_export_oci(ctx, resolve("sc_notify"),
				       AUDIT_ARCH_X86_64, out),
			 -1);
	const char *text = diags_text(ctx);
	ck_assert_ptr_nonnull(strstr(text, "t.pol:2:5: error:"));
	ck_assert_ptr_nonnull(strstr(text, "listener"));
	fclose(out);
}
END_TEST

/* ---- polc import ----------------------------------------------------------
 */

/* The contents of @path, in ctx's arena (it outlives what parses it). */
static const char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[256 * 1024];
	size_t n;

	ck_assert_msg(f != NULL, "cannot read %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	return arena_strndup(&ctx->arena, buf, n);
}

/*
 * Docker's own default profile, imported for x86_64, compiles to a program
 * that decides every number and argument boundary as bench/seccomp/
 * docker.pol (the flat lists written by hand) does, and the other way
 * round.  The profile lives next to the checkout (POLC_SECCOMP_DATA).
 */
START_TEST(test_imported_docker_profile_agrees_with_docker_pol)
{
	const char *data = getenv("POLC_SECCOMP_DATA");
	const char *src = getenv("POLC_SOURCE_DIR");
	char path[4096];
	struct polc_import_options o = { .arch = "x86_64" };
	char *text;
	size_t len, checked = 0, mismatches = 0;

	snprintf(path, sizeof(path), "%s/moby-default.json", data);
	ck_assert_int_eq(polc_import(ctx, path, &o, &text, &len), 0);
	unit_add(ctx, &unit, "moby.pol", arena_strndup(&ctx->arena, text, len));
	free(text);
	snprintf(path, sizeof(path), "%s/bench/seccomp/docker.pol", src);
	unit_add(ctx, &unit, "docker.pol", slurp(path));
	const struct ir_policy *imported = resolve("moby-default");
	const struct ir_policy *by_hand = resolve("docker_default");
	const struct sc_program *a, *b;

	ck_assert_int_eq(sc_lower(ctx, imported, AUDIT_ARCH_X86_64, &a), 0);
	ck_assert_int_eq(sc_lower(ctx, by_hand, AUDIT_ARCH_X86_64, &b), 0);
	for (int nr = 0; nr < 1024; nr++) {
		mismatches += check_number(a, by_hand, AUDIT_ARCH_X86_64, nr,
					   &checked);
		mismatches += check_number(b, imported, AUDIT_ARCH_X86_64, nr,
					   &checked);
	}
	ck_assert_msg(mismatches == 0, "%zu mismatches", mismatches);
	ck_assert_uint_gt(checked, 2 * 1024);
}
END_TEST

/*
 * The benchmark's workload, Docker's default profile (bench/seccomp/
 * docker.pol): its program peels single numbers out of small ranges (a
 * `jeq` on the number whose other branch splits the rest with a `jge`,
 * which neither a jeq run nor a split makes), decides every number as the
 * IR does, and keeps the bounds the peeling must not cost: at most 100
 * instructions, and every syscall whose action ignores the arguments runs
 * at most 11 and loads no argument.
 */
START_TEST(test_docker_profile_peels_within_the_bounds)
{
	const char *src = getenv("POLC_SOURCE_DIR");
	char path[4096];
	const struct sc_program *prog;
	bool peels = false;

	snprintf(path, sizeof(path), "%s/bench/seccomp/docker.pol", src);
	unit_add(ctx, &unit, "docker.pol", slurp(path));
	const struct ir_policy *p = resolve("docker_default");
	ck_assert_int_eq(sc_lower(ctx, p, AUDIT_ARCH_X86_64, &prog), 0);
	ck_assert_uint_le(prog->len, 100);
	for (size_t i = 0; i < prog->len; i++) {
		const struct sock_filter *f = &prog->insns[i];
		size_t to = i + 1 + f->jf;

		peels |= f->code == (BPF_JMP | BPF_JEQ | BPF_K) &&
			 to < prog->len &&
			 prog->insns[to].code == (BPF_JMP | BPF_JGE | BPF_K);
	}
	ck_assert(peels);
	for (int nr = 0; nr < 1024; nr++) {
		char *name =
			seccomp_syscall_resolve_num_arch(AUDIT_ARCH_X86_64, nr);
		bool conditional = false;

		for (size_t i = 0; name && i < p->nsys; i++)
			conditional |= !strcmp(p->sys[i].syscall, name) &&
				       p->sys[i].nconds;
		if (name && !conditional) {
			struct seccomp_data data = {
				.nr = nr, .arch = AUDIT_ARCH_X86_64
			};
			size_t steps;

			interpret(prog, &data, &steps);
			ck_assert_msg(!loaded_argument, "%s loads an argument",
				      name);
			ck_assert_msg(steps <= 11, "%s runs %zu instructions",
				      name, steps);
		}
		free(name);
	}
	ck_assert_uint_gt(check_policy(p, AUDIT_ARCH_X86_64), 1024);
}
END_TEST

/*
 * Export @p for x86_64, import the JSON back as profile @name and check
 * that its program decides as @p does: the exporter's rules and the
 * importer's reading of them (runc's) mean the same thing.
 */
static void check_round_trip(const struct ir_policy *p, const char *name)
{
	char path[] = "/tmp/polc-oci-XXXXXX";
	int fd = mkstemp(path);
	FILE *out = fdopen(fd, "w");
	struct polc_import_options o = { .arch = "x86_64", .name = name };
	const struct sc_program *prog;
	char *text;
	size_t len, checked = 0, mismatches = 0;

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(sc_export_oci(ctx, p, AUDIT_ARCH_X86_64, out), 0);
	fclose(out);
	int rc = polc_import(ctx, path, &o, &text, &len);
	unlink(path);
	ck_assert_msg(rc == 0, "import fails:\n%s", diags_text(ctx));
	unit_add(ctx, &unit, name, arena_strndup(&ctx->arena, text, len));
	free(text);
	ck_assert_int_eq(sc_lower(ctx, resolve(name), AUDIT_ARCH_X86_64, &prog),
			 0);
	for (int nr = 0; nr < 1024; nr++)
		mismatches +=
			check_number(prog, p, AUDIT_ARCH_X86_64, nr, &checked);
	ck_assert_msg(mismatches == 0, "%s: %zu mismatches", name, mismatches);
}

START_TEST(test_export_then_import_keeps_every_decision)
{
	unit_add(ctx, &unit, "t.pol", oci_src);
	check_round_trip(resolve("default"), "rt_default");
	check_round_trip(resolve("strict"), "rt_strict");
	check_round_trip(resolve("sc_oci"), "rt_oci");
}
END_TEST

Suite *suite_seccomp(void)
{
	Suite *s = suite_create("seccomp");
	TCase *tc = tcase_create("seccomp");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_interpreter_refuses_what_the_kernel_refuses);
	tcase_add_test(tc, test_stdlib_profiles_agree_with_the_ir);
	tcase_add_test(tc, test_stdlib_plans_are_the_search_s);
	tcase_add_test(tc, test_stdlib_programs_are_tidy);
	tcase_add_test(tc, test_known_programs_need_their_exact_input);
	tcase_add_test(tc, test_overlapping_rules_agree_with_the_ir);
	tcase_add_test(tc, test_far_jumps_agree_with_the_ir);
	tcase_add_test(tc, test_undecided_numbers_load_no_argument);
	tcase_add_test(tc, test_docker_profile_peels_within_the_bounds);
	tcase_add_test(tc, test_allow_everything_needs_no_program);
	tcase_add_test(tc, test_notified_call_decides_as_two_filters);
	tcase_add_test(tc,
		       test_oci_export_of_stdlib_profiles_agrees_with_the_ir);
	tcase_add_test(tc,
		       test_oci_export_of_overlapping_rules_agrees_with_the_ir);
	tcase_add_test(tc, test_oci_export_refuses_notify);
	tcase_add_test(tc, test_export_then_import_keeps_every_decision);
	/* Docker's profile is data next to the checkout, not in it. */
	if (getenv("POLC_SECCOMP_DATA"))
		tcase_add_test(
			tc,
			test_imported_docker_profile_agrees_with_docker_pol);
	suite_add_tcase(s, tc);
	return s;
}
