/*
 * lower.c - the IR's syscall rules to a classic-BPF program.
 *
 * The program checks the architecture, rejects x32 calls on x86_64, finds
 * the syscall number by binary search among the numbers some rule decides,
 * and for each of them tries its rules most restrictive first (errno rules
 * by ascending errno): the first rule whose conditions all hold returns its
 * action, which is the spec's answer by construction; when none holds the
 * default action returns.  Numbers no rule decides return the default
 * without loading an argument, so the kernel's action cache covers them.
 *
 * Conditional jumps only ever skip one instruction, onto or past a `ja`
 * whose 32-bit offset reaches the real target: no 8-bit offset can
 * overflow, whatever the program's size.
 */
#include "backends/seccomp/seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "ir/ir.h"

/* x86_64's x32 ABI: the same numbers with this bit set. */
enum { X32_SYSCALL_BIT = 0x40000000 };

uint32_t sc_native_arch(void)
{
#if defined(__x86_64__)
	return AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
	return AUDIT_ARCH_AARCH64;
#else
#error "polc's seccomp backend knows x86_64 and aarch64"
#endif
}

int sc_arch_named(const char *name, uint32_t *arch)
{
	if (!strcmp(name, "x86_64"))
		*arch = AUDIT_ARCH_X86_64;
	else if (!strcmp(name, "aarch64"))
		*arch = AUDIT_ARCH_AARCH64;
	else
		return -1;
	return 0;
}

/* ---- the assembler ---------------------------------------------------- */

struct assembler {
	struct sock_filter *insns;
	size_t len, cap;
	size_t *label_at; /* label -> instruction index; SIZE_MAX: unplaced */
	size_t nlabels, label_cap;
	struct polc_ctx *ctx;
};

static void emit(struct assembler *as, uint16_t code, uint32_t k, uint8_t jt,
		 uint8_t jf)
{
	struct sock_filter *slot =
		arena_array_push(&as->ctx->arena, (void **)&as->insns, &as->len,
				 &as->cap, sizeof(*slot));

	*slot = (struct sock_filter){ code, jt, jf, k };
}

static size_t new_label(struct assembler *as)
{
	size_t *slot =
		arena_array_push(&as->ctx->arena, (void **)&as->label_at,
				 &as->nlabels, &as->label_cap, sizeof(*slot));

	*slot = SIZE_MAX;
	return as->nlabels - 1;
}

static void place(struct assembler *as, size_t label)
{
	as->label_at[label] = as->len;
}

/* A jump to @label: its k holds the label until link() resolves it. */
static void jump(struct assembler *as, size_t label)
{
	emit(as, BPF_JMP | BPF_JA, (uint32_t)label, 0, 0);
}

static void ret(struct assembler *as, uint32_t action)
{
	emit(as, BPF_RET | BPF_K, action, 0, 0);
}

static void load(struct assembler *as, uint32_t offset)
{
	emit(as, BPF_LD | BPF_W | BPF_ABS, offset, 0, 0);
}

/* Resolve every `ja` from its label to a relative offset. */
static void link_jumps(struct assembler *as)
{
	for (size_t pc = 0; pc < as->len; pc++) {
		struct sock_filter *in = &as->insns[pc];

		if (in->code == (BPF_JMP | BPF_JA))
			in->k = (uint32_t)(as->label_at[in->k] - pc - 1);
	}
}

/* ---- conditions ------------------------------------------------------- */

/* Word @hi (1) or low word (0) of argument @arg: little-endian only. */
static uint32_t arg_word(unsigned arg, int hi)
{
	return (uint32_t)(offsetof(struct seccomp_data, args) + 8 * arg +
			  (hi ? 4 : 0));
}

/* Load a word of the argument, masked. */
static void load_masked(struct assembler *as, unsigned arg, int hi,
			uint32_t mask)
{
	load(as, arg_word(arg, hi));
	if (mask != UINT32_MAX)
		emit(as, BPF_ALU | BPF_AND | BPF_K, mask, 0, 0);
}

/* Go on when (word & mask) == value, else jump to @differ. */
static void word_equal(struct assembler *as, unsigned arg, int hi,
		       uint32_t mask, uint32_t value, size_t differ)
{
	if (value & ~mask) { /* bits the mask clears: never equal */
		jump(as, differ);
		return;
	}
	if (!mask)
		return; /* 0 == 0 */
	load_masked(as, arg, hi, mask);
	emit(as, BPF_JMP | BPF_JEQ | BPF_K, value, 1, 0);
	jump(as, differ);
}

/*
 * (x & mask) > value, or >= when !@strict, on 64 bits: jump to @yes or
 * @no, never falling through.
 */
static void compare_order(struct assembler *as, const struct ir_sys_cond *c,
			  bool strict, size_t yes, size_t no)
{
	uint32_t mhi = (uint32_t)(c->mask >> 32), mlo = (uint32_t)c->mask;
	uint32_t vhi = (uint32_t)(c->value >> 32), vlo = (uint32_t)c->value;

	load_masked(as, c->arg, 1, mhi);
	emit(as, BPF_JMP | BPF_JGT | BPF_K, vhi, 0, 1);
	jump(as, yes);
	emit(as, BPF_JMP | BPF_JEQ | BPF_K, vhi, 1, 0);
	jump(as, no);
	load_masked(as, c->arg, 0, mlo);
	emit(as, BPF_JMP | (strict ? BPF_JGT : BPF_JGE) | BPF_K, vlo, 1, 0);
	jump(as, no);
	jump(as, yes);
}

/* Go on when @c holds, else jump to @fail. */
static void condition(struct assembler *as, const struct ir_sys_cond *c,
		      size_t fail)
{
	uint32_t mhi = (uint32_t)(c->mask >> 32), mlo = (uint32_t)c->mask;
	uint32_t vhi = (uint32_t)(c->value >> 32), vlo = (uint32_t)c->value;
	size_t ok;

	switch (c->op) {
	case IR_CMP_EQ:
		word_equal(as, c->arg, 1, mhi, vhi, fail);
		word_equal(as, c->arg, 0, mlo, vlo, fail);
		return;
	case IR_CMP_NE:
		/* Holds when either word differs. */
		ok = new_label(as);
		word_equal(as, c->arg, 1, mhi, vhi, ok);
		word_equal(as, c->arg, 0, mlo, vlo, ok);
		jump(as, fail);
		place(as, ok);
		return;
	case IR_CMP_GT:
	case IR_CMP_GE:
		ok = new_label(as);
		compare_order(as, c, c->op == IR_CMP_GT, ok, fail);
		place(as, ok);
		return;
	case IR_CMP_LT: /* not >= */
	case IR_CMP_LE: /* not > */
		ok = new_label(as);
		compare_order(as, c, c->op == IR_CMP_LE, fail, ok);
		place(as, ok);
		return;
	}
}

/* ---- rules ------------------------------------------------------------ */

/* One syscall number and the rules that decide it, best first. */
struct decided {
	int nr;
	const struct ir_sys_rule **rules;
	size_t n, cap;
	size_t label;
};

static uint32_t action_value(enum ir_sys_action action, unsigned err)
{
	switch (action) {
	case IR_SYS_ALLOW: return SECCOMP_RET_ALLOW;
	case IR_SYS_LOG: return SECCOMP_RET_LOG;
	case IR_SYS_NOTIFY: return SECCOMP_RET_USER_NOTIF;
	case IR_SYS_ERRNO: return SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA);
	case IR_SYS_TRAP: return SECCOMP_RET_TRAP;
	case IR_SYS_KILL_THREAD: return SECCOMP_RET_KILL_THREAD;
	case IR_SYS_KILL: return SECCOMP_RET_KILL_PROCESS;
	}
	return SECCOMP_RET_KILL_PROCESS;
}

/* Most restrictive first; errno rules by ascending errno. */
static int rule_order(const void *a, const void *b)
{
	const struct ir_sys_rule *x = *(const struct ir_sys_rule *const *)a;
	const struct ir_sys_rule *y = *(const struct ir_sys_rule *const *)b;

	if (x->action != y->action)
		return x->action > y->action ? -1 : 1;
	if (x->errno_value != y->errno_value)
		return x->errno_value < y->errno_value ? -1 : 1;
	/* Unconditional first: it makes the rest of the tier unreachable. */
	return (x->nconds > y->nconds) - (x->nconds < y->nconds);
}

static int decided_order(const void *a, const void *b)
{
	const struct decided *x = a, *y = b;

	return (x->nr > y->nr) - (x->nr < y->nr);
}

static void rules_code(struct assembler *as, const struct decided *d,
		       uint32_t fallback)
{
	place(as, d->label);
	for (size_t i = 0; i < d->n; i++) {
		const struct ir_sys_rule *r = d->rules[i];
		size_t next = new_label(as);

		for (size_t k = 0; k < r->nconds; k++)
			condition(as, &r->conds[k], next);
		ret(as, action_value(r->action, r->errno_value));
		place(as, next);
		if (!r->nconds)
			return; /* always applies: nothing after it can */
	}
	ret(as, fallback);
}

/* Binary search over d[lo, hi) by syscall number; misses go to @miss. */
static void dispatch(struct assembler *as, const struct decided *d, size_t lo,
		     size_t hi, size_t miss)
{
	if (hi - lo <= 3) {
		for (size_t i = lo; i < hi; i++) {
			emit(as, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)d[i].nr,
			     0, 1);
			jump(as, d[i].label);
		}
		jump(as, miss);
		return;
	}
	size_t mid = lo + (hi - lo) / 2, right = new_label(as);
	emit(as, BPF_JMP | BPF_JGE | BPF_K, (uint32_t)d[mid].nr, 0, 1);
	jump(as, right);
	dispatch(as, d, lo, mid, miss);
	place(as, right);
	dispatch(as, d, mid, hi, miss);
}

/* ---- lowering --------------------------------------------------------- */

/* A rule with the default's own action (and errno). */
static bool is_default(const struct ir_sys_rule *r,
		       const struct ir_settings *st)
{
	return r->action == st->sys_default &&
	       (r->action != IR_SYS_ERRNO ||
		r->errno_value == st->sys_default_errno);
}

static struct decided *decided_for(struct polc_ctx *ctx, struct decided **all,
				   size_t *n, size_t *cap, int nr)
{
	for (size_t i = 0; i < *n; i++)
		if ((*all)[i].nr == nr)
			return &(*all)[i];
	struct decided *d = arena_array_push(&ctx->arena, (void **)all, n, cap,
					     sizeof(**all));
	d->nr = nr;
	return d;
}

/* Remember @name among the syscalls the architecture lacks, once. */
static void skip(struct polc_ctx *ctx, struct sc_program *prog,
		 const char *name, size_t *cap)
{
	for (size_t i = 0; i < prog->nskipped; i++)
		if (!strcmp(prog->skipped[i], name))
			return;
	const char **slot =
		arena_array_push(&ctx->arena, (void **)&prog->skipped,
				 &prog->nskipped, cap, sizeof(*slot));
	*slot = name;
}

int sc_lower(struct polc_ctx *ctx, const struct ir_policy *p, uint32_t arch,
	     const struct sc_program **out)
{
	const struct ir_settings *st =
		&p->settings[ir_platform_index(IR_LINUX)];
	struct sc_program *prog = arena_alloc(&ctx->arena, sizeof(*prog));
	struct assembler as = { .ctx = ctx };
	struct decided *all = NULL;
	size_t n = 0, cap = 0;
	uint32_t fallback =
		action_value(st->sys_default, st->sys_default_errno);
	size_t skipped_cap = 0;
	int failed = 0;

	if (arch != AUDIT_ARCH_X86_64 && arch != AUDIT_ARCH_AARCH64) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "unsupported architecture 0x%x (this version "
			     "builds x86_64 and aarch64)",
			     (unsigned)arch);
		return -1;
	}
	*out = prog;
	prog->arch = arch;
	for (size_t i = 0; i < p->nsys; i++) {
		const struct ir_sys_rule *r = &p->sys[i];

		if (!(r->platforms & IR_LINUX))
			continue;
		int nr = seccomp_syscall_resolve_name_arch(arch, r->syscall);
		if (nr == __NR_SCMP_ERROR) {
			diag_at(ctx, DIAG_ERROR, r->origin.loc,
				"syscall '%s' is unknown to libseccomp",
				r->syscall);
			failed = -1;
			continue;
		}
		if (nr < 0) { /* not on this architecture */
			skip(ctx, prog, r->syscall, &skipped_cap);
			continue;
		}
		prog->notifies |= r->action == IR_SYS_NOTIFY;
		struct decided *d = decided_for(ctx, &all, &n, &cap, nr);
		const struct ir_sys_rule **slot =
			arena_array_push(&ctx->arena, (void **)&d->rules, &d->n,
					 &d->cap, sizeof(*slot));
		*slot = r;
	}
	if (failed)
		return -1;
	/* A number whose every rule is the default's action needs no code. */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		bool all_default = true;

		for (size_t k = 0; k < all[i].n; k++)
			all_default &= is_default(all[i].rules[k], st);
		if (!all_default)
			all[kept++] = all[i];
	}
	n = kept;
	prog->notifies |= st->sys_default == IR_SYS_NOTIFY;
	prog->needed = n > 0 || st->sys_default != IR_SYS_ALLOW;
	if (n)
		qsort(all, n, sizeof(*all), decided_order);
	for (size_t i = 0; i < n; i++) {
		qsort(all[i].rules, all[i].n, sizeof(*all[i].rules),
		      rule_order);
		all[i].label = new_label(&as);
	}

	size_t deflt = new_label(&as);
	load(&as, offsetof(struct seccomp_data, arch));
	emit(&as, BPF_JMP | BPF_JEQ | BPF_K, arch, 1, 0);
	ret(&as, SECCOMP_RET_KILL_PROCESS);
	load(&as, offsetof(struct seccomp_data, nr));
	if (arch == AUDIT_ARCH_X86_64) {
		emit(&as, BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1);
		ret(&as, SECCOMP_RET_ERRNO | ENOSYS);
	}
	if (n)
		dispatch(&as, all, 0, n, deflt);
	place(&as, deflt);
	ret(&as, fallback);
	for (size_t i = 0; i < n; i++)
		rules_code(&as, &all[i], fallback);
	link_jumps(&as);
	if (arena_failed(&ctx->arena)) {
		diag_subject(ctx, DIAG_ERROR, "seccomp", "out of memory");
		return -1;
	}
	if (as.len > BPF_MAXINSNS) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "the program has %zu instructions; the kernel "
			     "takes at most %d",
			     as.len, BPF_MAXINSNS);
		return -1;
	}
	prog->insns = as.insns;
	prog->len = as.len;
	return 0;
}
