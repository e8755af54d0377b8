/*
 * notify.c - a program that also sends one system call to a supervisor.
 *
 * The kernel runs every loaded filter and takes the most restrictive
 * action, the later filter's on a tie.  So a filter that notifies one
 * call, loaded before @prog, can be folded into @prog: each return that a
 * notification would beat (allow, log, trace) becomes a jump to a short
 * tail that notifies when the call is the one notified and returns as
 * before otherwise.  The tails follow the program, so every new jump goes
 * forward, as classic BPF requires, and no jump of @prog moves.  The
 * notifying filter's other answers never win over a program of
 * sc_lower(), which kills the calls of other architectures and refuses
 * x32 calls at least as strictly as ENOSYS: the tails need not ask.  One
 * program costs the kernel one compilation and one attach, and every
 * instruction more costs its compiler time at each start.
 */
#include "backends/seccomp/seccomp.h"

#include <linux/seccomp.h>
#include <stddef.h>

#include "common/ctx.h"
#include "common/diag.h"

/* The kernel's order of actions: the smaller, the more restrictive. */
static int32_t severity(uint32_t value)
{
	return (int32_t)(value & SECCOMP_RET_ACTION_FULL);
}

int sc_notify_calls(struct polc_ctx *ctx, const struct sc_program *prog,
		    uint32_t nr, const struct sc_program **out)
{
	/* Emitted even when not needed: it still kills other architectures. */
	const struct sock_filter *in = prog->insns;
	size_t len = prog->len;
	enum { TAIL = 4 }; /* ld nr; jeq nr; ret notify; ret as before */
	uint32_t *values = arena_alloc(&ctx->arena, len * sizeof(*values));
	size_t *starts = arena_alloc(&ctx->arena, len * sizeof(*starts));
	struct sock_filter *insns =
		arena_alloc(&ctx->arena, len * (1 + TAIL) * sizeof(*insns));
	struct sc_program *p = arena_alloc(&ctx->arena, sizeof(*p));
	size_t n = len, nvalues = 0;

	if (arena_failed(&ctx->arena)) {
		diag_subject(ctx, DIAG_ERROR, "seccomp", "out of memory");
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		insns[i] = in[i];
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
		if (severity(SECCOMP_RET_USER_NOTIF) >= severity(value))
			continue;
		while (v < nvalues && values[v] != value)
			v++;
		if (v == nvalues) {
			values[nvalues] = value;
			starts[nvalues++] = n;
			insns[n++] = (struct sock_filter)BPF_STMT(
				BPF_LD | BPF_W | BPF_ABS,
				offsetof(struct seccomp_data, nr));
			insns[n++] = (struct sock_filter)BPF_JUMP(
				BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1);
			insns[n++] = (struct sock_filter)BPF_STMT(
				BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
			insns[n++] = (struct sock_filter)BPF_STMT(
				BPF_RET | BPF_K, value);
		}
		insns[i] = (struct sock_filter)BPF_JUMP(
			BPF_JMP | BPF_JA, (uint32_t)(starts[v] - i - 1), 0, 0);
	}
	if (n > BPF_MAXINSNS) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "with the notified call the program has %zu "
			     "instructions; the kernel takes at most %d",
			     n, BPF_MAXINSNS);
		return -1;
	}
	*p = *prog;
	p->insns = insns;
	/* The last return, allow as a rule, now jumps to the next one. */
	p->len = sc_tidy(ctx, insns, n);
	p->needed = true;
	p->notifies = true;
	*out = p;
	return 0;
}
