/*
 * tidy.c - drop the instructions a program never needs.
 *
 * lower.c emits each rule's conditions whole, then points its jumps past
 * what an earlier test already settled (after `arg0.hi > 0` failed, the
 * next rule's own test of arg0.hi is jumped over).  What it jumps over
 * stays in the program, and so do loads of a word the accumulator already
 * holds and comparisons no word can fail or pass.  None of them changes a
 * decision, but the kernel compiles every instruction at each start
 * (about a quarter of a microsecond each here) and runs the loads at each
 * call.  One pass in program order finds them (jumps only go forward, so
 * every predecessor of an instruction comes before it); one pass back
 * finds the jumps that land on the next instruction once the dropped ones
 * are gone.  Removing an instruction only shortens the jumps over it, so
 * every offset still fits.
 */
#include "backends/seccomp/seccomp.h"

#include <stdint.h>

#include "common/ctx.h"

/* What the accumulator holds before an instruction. */
enum {
	NOT_REACHED = -2, /* no path leads here (yet) */
	UNKNOWN = -1,	  /* differs between paths, or was computed */
	/* >= 0: the word of struct seccomp_data at that offset */
};

/* Join @holds into what reaches instruction @to. */
static void reach(int32_t *state, size_t to, int32_t holds)
{
	if (state[to] == NOT_REACHED)
		state[to] = holds;
	else if (state[to] != holds)
		state[to] = UNKNOWN;
}

static bool is_word_load(const struct sock_filter *f)
{
	return f->code == (BPF_LD | BPF_W | BPF_ABS);
}

/* Where control goes after @f, at @i; its targets in @to, how many. */
static size_t successors(const struct sock_filter *f, size_t i, size_t to[2])
{
	if (BPF_CLASS(f->code) == BPF_RET)
		return 0;
	if (BPF_CLASS(f->code) != BPF_JMP) {
		to[0] = i + 1;
		return 1;
	}
	if (BPF_OP(f->code) == BPF_JA) {
		to[0] = i + 1 + f->k;
		return 1;
	}
	to[0] = i + 1 + f->jt;
	to[1] = i + 1 + f->jf;
	/* No 32-bit word exceeds 0xffffffff; every one reaches 0. */
	if (f->code == (BPF_JMP | BPF_JGT | BPF_K) && f->k == UINT32_MAX)
		to[0] = to[1];
	if (f->code == (BPF_JMP | BPF_JGE | BPF_K) && f->k == 0)
		to[1] = to[0];
	return to[0] == to[1] ? 1 : 2;
}

size_t sc_tidy(struct polc_ctx *ctx, struct sock_filter *insns, size_t len)
{
	int32_t *state = arena_alloc(&ctx->arena, len * sizeof(*state));
	bool *keep = arena_alloc(&ctx->arena, len * sizeof(*keep));
	/* Kept instructions before each index: where a kept one lands, and
	 * where a dropped one's successor does (it falls through wherever
	 * it is reached at all). */
	size_t *moved_to =
		arena_alloc(&ctx->arena, (len + 1) * sizeof(*moved_to));

	if (arena_failed(&ctx->arena) || !len)
		return len; /* the caller reports the arena's failure */
	for (size_t i = 0; i < len; i++)
		state[i] = NOT_REACHED;
	state[0] = UNKNOWN;
	/* Forward: what reaches each instruction, and what it passes on. */
	for (size_t i = 0; i < len; i++) {
		const struct sock_filter *f = &insns[i];
		size_t to[2];
		size_t n = successors(f, i, to);
		int32_t holds = is_word_load(f)			? (int32_t)f->k
				: BPF_CLASS(f->code) == BPF_JMP ? state[i]
								: UNKNOWN;

		keep[i] = state[i] != NOT_REACHED &&
			  !(is_word_load(f) && state[i] == holds);
		for (size_t s = 0; state[i] != NOT_REACHED && s < n; s++)
			if (to[s] < len)
				reach(state, to[s], holds);
	}
	/* Backward: a jump with one way to go, over nothing kept, goes
	 * nowhere.  (moved_to counts kept ones from the end for now.) */
	moved_to[len] = 0;
	for (size_t i = len; i-- > 0;) {
		size_t to[2];

		if (keep[i] && BPF_CLASS(insns[i].code) == BPF_JMP &&
		    successors(&insns[i], i, to) == 1 && to[0] <= len &&
		    moved_to[i + 1] == moved_to[to[0]])
			keep[i] = false;
		moved_to[i] = moved_to[i + 1] + keep[i];
	}
	size_t kept = moved_to[0];
	for (size_t i = 0; i <= len; i++)
		moved_to[i] = kept - moved_to[i];
	for (size_t i = 0; i < len; i++) {
		struct sock_filter f = insns[i];
		size_t at = moved_to[i];

		if (!keep[i])
			continue;
		if (BPF_CLASS(f.code) == BPF_JMP && BPF_OP(f.code) == BPF_JA)
			f.k = (uint32_t)(moved_to[i + 1 + f.k] - at - 1);
		else if (BPF_CLASS(f.code) == BPF_JMP) {
			f.jt = (uint8_t)(moved_to[i + 1 + f.jt] - at - 1);
			f.jf = (uint8_t)(moved_to[i + 1 + f.jf] - at - 1);
		}
		insns[at] = f;
	}
	return kept;
}
