/*
 * notify.c - a program that also sends one system call to a supervisor.
 *
 * The kernel runs every loaded filter and takes the most restrictive
 * action, the later filter's on a tie.  So a notifying filter loaded
 * before @prog can be folded into @prog: each return of @prog is replaced
 * by a jump to a short tail that asks what the notifying filter would
 * have answered (it looks at the architecture and the number only) and
 * returns the more restrictive of the two.  A return the notifying filter
 * can never beat stays as it is.  The tails follow the program, so every
 * new jump goes forward, as classic BPF requires, and no jump of @prog
 * moves.  One program costs the kernel one compilation and one attach.
 */
#include "backends/seccomp/seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>

#include "common/ctx.h"
#include "common/diag.h"

enum { X32_SYSCALL_BIT = 0x40000000 };

/* The kernel's order of actions: the smaller, the more restrictive. */
static int32_t severity(uint32_t value)
{
	return (int32_t)(value & SECCOMP_RET_ACTION_FULL);
}

/* What the kernel returns when one filter says @earlier and a later one
 * @later. */
static uint32_t combined(uint32_t earlier, uint32_t later)
{
	return severity(earlier) < severity(later) ? earlier : later;
}

/* The answers of the notifying filter, by what the call is. */
struct answers {
	uint32_t other_arch, x32, notified, rest;
};

/* Whether @a can change a return of @value at all. */
static bool changes(const struct answers *a, uint32_t value)
{
	return combined(a->other_arch, value) != value ||
	       combined(a->x32, value) != value ||
	       combined(a->notified, value) != value ||
	       combined(a->rest, value) != value;
}

/* Instructions being emitted forward; jumps are relative to the next. */
struct tail {
	struct sock_filter *insns;
	size_t len;
};

static void put(struct tail *t, uint16_t code, uint32_t k, uint8_t jt,
		uint8_t jf)
{
	t->insns[t->len++] = (struct sock_filter){ code, jt, jf, k };
}

/* Return combined(@answer, @value) when the accumulator equals (@op
 * BPF_JEQ) or reaches (BPF_JGE) @k, else go on. */
static void test(struct tail *t, uint16_t op, uint32_t k, uint32_t answer,
		 uint32_t value)
{
	uint32_t result = combined(answer, value);

	if (result == value)
		return;
	put(t, BPF_JMP | op | BPF_K, k, 0, 1);
	put(t, BPF_RET | BPF_K, result, 0, 0);
}

/* The tail that replaces the returns of @value. */
static void emit_tail(struct tail *t, const struct answers *a, uint32_t arch,
		      uint32_t nr, uint32_t value)
{
	uint32_t arch_result = combined(a->other_arch, value);

	if (arch_result != value) {
		put(t, BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch), 0, 0);
		put(t, BPF_JMP | BPF_JEQ | BPF_K, arch, 1, 0);
		put(t, BPF_RET | BPF_K, arch_result, 0, 0);
	}
	put(t, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0,
	    0);
	if (arch == AUDIT_ARCH_X86_64)
		test(t, BPF_JGE, X32_SYSCALL_BIT, a->x32, value);
	test(t, BPF_JEQ, nr, a->notified, value);
	put(t, BPF_RET | BPF_K, combined(a->rest, value), 0, 0);
}

int sc_notify_calls(struct polc_ctx *ctx, const struct sc_program *prog,
		    uint32_t nr, const struct sc_program **out)
{
	struct arena *arena = &ctx->arena;
	static const struct sock_filter allow_all =
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	const struct answers a = {
		.other_arch = SECCOMP_RET_KILL_PROCESS,
		.x32 = SECCOMP_RET_ERRNO | ENOSYS,
		.notified = SECCOMP_RET_USER_NOTIF,
		.rest = SECCOMP_RET_ALLOW,
	};
	/* A program with nothing to refuse is not loaded: it allows all. */
	const struct sock_filter *in = prog->needed ? prog->insns : &allow_all;
	size_t len = prog->needed ? prog->len : 1;
	/* Each distinct value gets one tail, of at most 9 instructions. */
	enum { MAX_TAIL = 9 };
	uint32_t *values = arena_alloc(arena, len * sizeof(*values));
	size_t *starts = arena_alloc(arena, len * sizeof(*starts));
	struct tail t = {
		.insns = arena_alloc(arena,
				     len * (1 + MAX_TAIL) * sizeof(*t.insns)),
	};
	struct sc_program *p = arena_alloc(arena, sizeof(*p));
	size_t nvalues = 0;

	if (arena_failed(arena)) {
		diag_subject(ctx, DIAG_ERROR, "seccomp", "out of memory");
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		t.insns[t.len++] = in[i];
	for (size_t i = 0; i < len; i++) {
		uint32_t value = in[i].k;
		size_t v = 0;

		if (BPF_CLASS(in[i].code) != BPF_RET)
			continue;
		if (BPF_RVAL(in[i].code) != BPF_K) {
			/* lower.c returns constants only */
			diag_subject(ctx, DIAG_ERROR, "seccomp",
				     "instruction %zu returns a computed "
				     "action, which cannot be combined",
				     i);
			return -1;
		}
		if (!changes(&a, value))
			continue;
		while (v < nvalues && values[v] != value)
			v++;
		if (v == nvalues) {
			values[nvalues] = value;
			starts[nvalues++] = t.len;
			emit_tail(&t, &a, prog->arch, nr, value);
		}
		t.insns[i] = (struct sock_filter)BPF_JUMP(
			BPF_JMP | BPF_JA, (uint32_t)(starts[v] - i - 1), 0, 0);
	}
	if (t.len > BPF_MAXINSNS) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "with the notified call the program has %zu "
			     "instructions; the kernel takes at most %d",
			     t.len, BPF_MAXINSNS);
		return -1;
	}
	*p = *prog;
	p->insns = t.insns;
	p->len = t.len;
	p->needed = true;
	p->notifies = true;
	*out = p;
	return 0;
}
