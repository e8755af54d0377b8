/*
 * lower.c - the IR's syscall rules to a classic-BPF program.
 *
 * Planning first.  Each syscall number gets a leaf: a constant action
 * when its outcome ignores the arguments (no rule, a most restrictive rule
 * without conditions, or rules that all give one action), else a block
 * that tries its rules most
 * restrictive first (errno rules by ascending errno) and returns the first
 * that applies, which is the spec's answer by construction.  Numbers
 * with equal leaves coalesce into intervals, and a decision tree over the
 * intervals finds a number's leaf: `jge` splits, a run of `jeq` for
 * single numbers that stand out of a common background, or, in a small
 * range, a `jeq` that peels one such number so that its neighbours merge
 * and the rest of the range needs a split fewer.  The tree's shape
 * minimises program size plus the expected instructions executed, by
 * dynamic programming over ranges of intervals.  A constant leaf is a
 * jump straight to a shared `ret`, so a number whose action ignores the
 * arguments never loads one and the kernel's action cache covers it.
 *
 * Then emitting, backward from the last instruction, kafel-style: every
 * jump target is already placed when its jump is emitted, so offsets are
 * exact in one pass, and a target beyond an 8-bit offset is reached
 * through a `ja`.
 */
#include "backends/seccomp/seccomp.h"
#include "backends/seccomp/numbers.h"
#include "backends/seccomp/plans.h"

#include <errno.h>
#include <math.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "ir/ir.h"

enum {
	X32_SYSCALL_BIT = 0x40000000, /* x86_64's x32 ABI: the same numbers */
	MAX_NR = 1024,	   /* numbers planned; above, the default holds */
	MAX_PLANNED = 255, /* intervals the optimal tree is sought for */
	PEEL_SPAN = 8,	   /* the most intervals a range may peel within */
	PEEL_MASKS = 1 << (PEEL_SPAN - 2), /* its interior's subsets */
	SHAPE_PEEL = 255, /* in a shape: a peel, its interval's index next */
};

/*
 * How many instructions of program size one more instruction run per call,
 * on average, is worth: the trade-off the tree's shape optimises.
 */
static const double EXEC_COST = 200;

/* How much a refused number weighs against one that proceeds. */
static const double REFUSED_WEIGHT = 0.1;

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

/* ---- emitting backward ------------------------------------------------ */

/*
 * The program is built from its end: a label is the position of an
 * instruction counted from the last one (0), so a target is always
 * emitted, and known, before the jumps to it.
 */
struct emitter {
	struct sock_filter *rev;
	size_t len, cap;
	struct polc_ctx *ctx;
};

static size_t put(struct emitter *e, uint16_t code, uint32_t k, uint8_t jt,
		  uint8_t jf)
{
	struct sock_filter *slot =
		arena_array_push(&e->ctx->arena, (void **)&e->rev, &e->len,
				 &e->cap, sizeof(*slot));

	*slot = (struct sock_filter){ code, jt, jf, k };
	return e->len - 1;
}

/* Where control goes after the next instruction emitted: @target. */
static size_t jump_to(struct emitter *e, size_t target)
{
	if (e->len && target == e->len - 1)
		return target; /* falls through */
	return put(e, BPF_JMP | BPF_JA, (uint32_t)(e->len - target - 1), 0, 0);
}

/* A conditional jump on A against @k; a far target goes through a `ja`. */
static size_t branch(struct emitter *e, uint16_t op, uint32_t k, size_t if_true,
		     size_t if_false)
{
	if (if_true == if_false)
		return jump_to(e, if_true);
	/* Each `ja` pushes the other target one further: check it again. */
	if (e->len - if_false - 1 > 255)
		if_false = jump_to(e, if_false);
	if (e->len - if_true - 1 > 255)
		if_true = jump_to(e, if_true);
	if (e->len - if_false - 1 > 255)
		if_false = jump_to(e, if_false);
	return put(e, BPF_JMP | op | BPF_K, k, (uint8_t)(e->len - if_true - 1),
		   (uint8_t)(e->len - if_false - 1));
}

/* Load word @hi (1) or the low word of argument @arg, masked. */
static size_t load_arg(struct emitter *e, unsigned arg, int hi, uint32_t mask)
{
	/* Little-endian: the low word first. */
	uint32_t offset = (uint32_t)(offsetof(struct seccomp_data, args) +
				     8 * arg + (hi ? 4 : 0));

	if (mask != UINT32_MAX)
		put(e, BPF_ALU | BPF_AND | BPF_K, mask, 0, 0);
	return put(e, BPF_LD | BPF_W | BPF_ABS, offset, 0, 0);
}

/* ---- conditions ------------------------------------------------------- */

/* (word & mask) == value: to @eq or @ne. */
static size_t word_equal(struct emitter *e, unsigned arg, int hi, uint32_t mask,
			 uint32_t value, size_t eq, size_t ne)
{
	if (value & ~mask)
		return ne; /* bits the mask clears: never equal */
	if (!mask)
		return eq; /* 0 == 0 */
	branch(e, BPF_JEQ, value, eq, ne);
	return load_arg(e, arg, hi, mask);
}

/*
 * Where a condition goes, and where it starts: @ok or @fail, and, once it
 * has found the masked high word of its argument 0, @ok0 or @fail0 (the
 * next rule entered past a high-word test that can only fail then);
 * entry0 is where it starts when that high word is already known to be 0.
 */
struct cond_flow {
	size_t ok, fail, ok0, fail0;
	size_t entry0;
};

/*
 * (x & mask) > value, or >= when !@strict, on 64 bits: to @yes or @no,
 * @yes0 or @no0 after a high word found 0.
 */
static size_t order(struct emitter *e, const struct ir_sys_cond *c, bool strict,
		    size_t yes, size_t no, size_t yes0, size_t no0,
		    size_t *entry0)
{
	uint32_t mhi = (uint32_t)(c->mask >> 32), mlo = (uint32_t)c->mask;
	uint32_t vhi = (uint32_t)(c->value >> 32), vlo = (uint32_t)c->value;

	if (!mhi && vhi)
		return *entry0 = no; /* the high word is 0, below vhi */
	/* Equal high words: the low words decide. */
	if (mhi && !vhi)
		branch(e, strict ? BPF_JGT : BPF_JGE, vlo, yes0, no0);
	else
		branch(e, strict ? BPF_JGT : BPF_JGE, vlo, yes, no);
	size_t low = load_arg(e, c->arg, 0, mlo);
	if (!mhi)
		return *entry0 = low; /* both high words are 0 */
	/* After "not above vhi": at vhi, or (for vhi 0) nothing else. */
	size_t at = vhi ? branch(e, BPF_JEQ, vhi, low, no) : low;
	*entry0 = vhi ? no0 : low;
	branch(e, BPF_JGT, vhi, yes, at);
	return load_arg(e, c->arg, 1, mhi);
}

/* @c as @f says; returns where it starts. */
static size_t condition(struct emitter *e, const struct ir_sys_cond *c,
			struct cond_flow *f)
{
	uint32_t mhi = (uint32_t)(c->mask >> 32), mlo = (uint32_t)c->mask;
	uint32_t vhi = (uint32_t)(c->value >> 32), vlo = (uint32_t)c->value;
	/* The low word is compared after a high word found 0 (or unread). */
	bool hi0 = mhi && !vhi;
	size_t low;

	switch (c->op) {
	case IR_CMP_EQ:
		low = word_equal(e, c->arg, 0, mlo, vlo, hi0 ? f->ok0 : f->ok,
				 hi0 ? f->fail0 : f->fail);
		f->entry0 = vhi ? f->fail0 : low;
		return word_equal(e, c->arg, 1, mhi, vhi, low, f->fail);
	case IR_CMP_NE:
		low = word_equal(e, c->arg, 0, mlo, vlo,
				 hi0 ? f->fail0 : f->fail,
				 hi0 ? f->ok0 : f->ok);
		f->entry0 = vhi ? f->ok0 : low;
		return word_equal(e, c->arg, 1, mhi, vhi, low, f->ok);
	case IR_CMP_GT:
		return order(e, c, true, f->ok, f->fail, f->ok0, f->fail0,
			     &f->entry0);
	case IR_CMP_GE:
		return order(e, c, false, f->ok, f->fail, f->ok0, f->fail0,
			     &f->entry0);
	case IR_CMP_LT: /* not >= */
		return order(e, c, false, f->fail, f->ok, f->fail0, f->ok0,
			     &f->entry0);
	case IR_CMP_LE: /* not > */
		return order(e, c, true, f->fail, f->ok, f->fail0, f->ok0,
			     &f->entry0);
	}
	return f->entry0 = f->fail;
}

/* ---- returns ------------------------------------------------------------ */

uint32_t sc_action_value(enum ir_sys_action action, unsigned err)
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

/* The shared `ret` of each action value the program uses. */
struct returns {
	uint32_t value[64];
	size_t label[64];
	size_t n;
};

/* The label of `ret @value`, emitted on first use. */
static size_t ret_of(struct emitter *e, struct returns *rets, uint32_t value)
{
	for (size_t i = 0; i < rets->n; i++)
		if (rets->value[i] == value)
			return rets->label[i];
	size_t label = put(e, BPF_RET | BPF_K, value, 0, 0);
	if (rets->n < sizeof(rets->value) / sizeof(*rets->value)) {
		rets->value[rets->n] = value;
		rets->label[rets->n++] = label;
	}
	return label;
}

/* ---- rules ------------------------------------------------------------ */

/* One syscall number and the rules that decide it, best first. */
struct decided {
	int nr;
	const struct ir_sys_rule **rules;
	size_t n, cap;
};

/* Most restrictive first; errno rules by ascending errno. */
int sc_rule_order(const void *a, const void *b)
{
	const struct ir_sys_rule *x = *(const struct ir_sys_rule *const *)a;
	const struct ir_sys_rule *y = *(const struct ir_sys_rule *const *)b;

	if (x->action != y->action)
		return x->action > y->action ? -1 : 1;
	if (x->errno_value != y->errno_value)
		return x->errno_value < y->errno_value ? -1 : 1;
	/* Unconditional first: it makes the rest unreachable. */
	if (x->nconds != y->nconds)
		return x->nconds < y->nconds ? -1 : 1;
	/* Then the IR's order (the rules are one array): a stable output. */
	return (x > y) - (x < y);
}

uint32_t sc_rule_value(const struct ir_sys_rule *r)
{
	return sc_action_value(r->action, r->errno_value);
}

/*
 * Whether the high word of @c's argument, found 0 under @c's mask, is 0
 * under the mask of @later too, which reads it next.
 */
static bool zero_known(const struct ir_sys_cond *c,
		       const struct ir_sys_cond *later)
{
	return later && later->arg == c->arg &&
	       !(later->mask >> 32 & ~(c->mask >> 32));
}

/*
 * The block of @d: each rule's conditions in order, the first rule whose
 * conditions all hold returning its action; @fallback when none does.
 * Nothing after an unconditional rule can decide.  A condition that found
 * the high word of its argument 0 goes on past the next one's test of
 * that word (rules on one argument, such as socket's families, read it
 * once).
 */
static size_t block_code(struct emitter *e, struct returns *rets,
			 const struct decided *d, size_t fallback)
{
	size_t u = 0;

	while (u < d->n && d->rules[u]->nconds)
		u++;
	size_t next = u < d->n ? ret_of(e, rets, sc_rule_value(d->rules[u]))
			       : fallback;
	size_t next0 = next;
	const struct ir_sys_cond *next_first = NULL;
	while (u-- > 0) {
		const struct ir_sys_rule *r = d->rules[u];
		size_t here = ret_of(e, rets, sc_rule_value(r)), here0 = here;
		const struct ir_sys_cond *then = NULL;

		for (size_t k = r->nconds; k-- > 0;) {
			const struct ir_sys_cond *c = &r->conds[k];
			struct cond_flow f = {
				.ok = here,
				.fail = next,
				.ok0 = zero_known(c, then) ? here0 : here,
				.fail0 = zero_known(c, next_first) ? next0
								   : next,
			};

			here = condition(e, c, &f);
			here0 = f.entry0;
			then = c;
		}
		next = here;
		next0 = here0;
		next_first = then;
	}
	return next;
}

/*
 * Whether every call of @d gets the same action, whatever its arguments
 * (into *value): its first rule has no condition, or every rule up to the
 * first that has none, and the default if none, give the same action.
 */
static bool one_outcome(const struct decided *d, uint32_t fallback,
			uint32_t *value)
{
	*value = sc_rule_value(d->rules[0]);
	for (size_t i = 0; i < d->n; i++) {
		if (sc_rule_value(d->rules[i]) != *value)
			return false;
		if (!d->rules[i]->nconds)
			return true;
	}
	return fallback == *value;
}

/* ---- the plan ----------------------------------------------------------- */

/*
 * A run of numbers [lo, next interval's lo) with one leaf: a constant
 * action value, or the block of decided[block].
 */
struct interval {
	uint32_t lo;
	bool is_block;
	uint32_t value;
	size_t block;
	double weight; /* how often its numbers are expected to be called */
	bool real;     /* holds a number some syscall has */
	size_t label;  /* its target once emitted */
};

static bool same_leaf(const struct interval *a, const struct interval *b)
{
	return a->is_block == b->is_block &&
	       (a->is_block ? a->block == b->block : a->value == b->value);
}

/*
 * The tree over intervals [i, j) in at most d levels: a `jge` at a split
 * (one instruction, run by every call in the range), or, when every
 * interval but those of one background leaf is a single number, a `jeq`
 * per such number (as many levels).  cost is the program size plus
 * exec_weight times the expected instructions run.  Bounding the depth
 * bounds the worst case of every call whose action ignores the arguments.
 *
 * Level d bounds the depth of real numbers only: a range without one may
 * split at level 0, its halves staying at level 0.  Level d only reads
 * level d - 1, so the costs are kept for two levels (the memory a plan
 * touches is most of what it costs), and the choices for all of them.
 */
struct planner {
	const struct interval *iv;
	size_t n, depth;
	uint8_t *split;	    /* [d][i][j]: where to split, 0 for the jeq run,
			       SPLIT_PEELED for the peel tables' tree */
	double *run;	    /* [i][j]: the jeq run's cost, or INFINITY */
	uint8_t *deepest;   /* [i][j]: the level the run reaches */
	uint8_t *need;	    /* [i][j]: the lowest level a split works from */
	double *weight_sum; /* prefix sums */
	size_t *real_sum;   /* prefix counts of real intervals */
	double exec_weight;
	/*
	 * Peeling, in ranges of at most PEEL_SPAN intervals: [d][i][len][mask]
	 * with mask the peeled intervals (bit b: interval i + b, never the
	 * first or last): the choice at level d (0 a leaf, b a split at
	 * i + b, PEEL_BIT | b a peel of i + b); the costs for two levels.
	 */
	uint8_t *peel_choice;
	double *peel_cost[2];
	uint8_t *peel_fit; /* [i][len][mask]: the lowest level it fits in */
};

enum { PEEL_BIT = 0x80, SPLIT_PEELED = 255 };

/* Whether [i, j) holds a real number, whose depth the bound limits. */
static bool has_real(const struct planner *pl, size_t i, size_t j)
{
	return pl->real_sum[j] > pl->real_sum[i];
}

/* The index of [i, j) in an [i][j] table. */
static size_t pair(const struct planner *pl, size_t i, size_t j)
{
	return i * (pl->n + 1) + j;
}

static double range_weight(const struct planner *pl, size_t i, size_t j)
{
	return pl->weight_sum[j] - pl->weight_sum[i];
}

/* The index of [i, i + len) with @mask peeled in a peel table's level. */
static size_t peel_at(size_t i, size_t len, unsigned mask)
{
	return (i * (PEEL_SPAN + 1) + len) * PEEL_MASKS + (mask >> 1);
}

/*
 * The leaf of position @b of [i, i + len) with @mask peeled: a peeled
 * interval has the leaf of the first interval on its left kept (its
 * neighbours had one leaf when it was peeled).
 */
static const struct interval *peel_leaf(const struct interval *iv, size_t i,
					unsigned mask, size_t b)
{
	while (mask >> b & 1)
		b--;
	return &iv[i + b];
}

/* The peeled of a range's part from position @b, and of the part below. */
static unsigned mask_from(unsigned mask, size_t b)
{
	return b < PEEL_SPAN ? mask >> b : 0;
}

static unsigned mask_below(unsigned mask, size_t b)
{
	return b < PEEL_SPAN ? mask & ((1u << b) - 1) : mask;
}

/* Whether the intervals of [i, i + len) not in @mask share one leaf. */
static bool peel_uniform(const struct interval *iv, size_t i, size_t len,
			 unsigned mask)
{
	for (size_t b = 1; b < len; b++)
		if (!(mask >> b & 1) && !same_leaf(&iv[i + b], &iv[i]))
			return false;
	return true;
}

/*
 * Whether interval i + @b of [i, i + len) with @mask peeled may be
 * peeled: a single number inside the range, not yet peeled, between
 * neighbours of one other leaf, which then merge.
 */
static bool peelable(const struct interval *iv, size_t n, size_t i, size_t len,
		     unsigned mask, size_t b)
{
	size_t k = i + b;

	if (b == 0 || b + 1 >= len || mask >> b & 1 || mask >> (b + 1) & 1)
		return false;
	if (k + 1 >= n || iv[k + 1].lo != iv[k].lo + 1)
		return false;
	const struct interval *left = peel_leaf(iv, i, mask, b - 1);
	return same_leaf(left, &iv[k + 1]) && !same_leaf(left, &iv[k]);
}

/*
 * Whether [i, j) can be a jeq run over its heaviest interval @bg, every
 * other interval being a single number; *deepest gets the deepest level a
 * real number reaches in it.
 */
static bool run_fits(const struct planner *pl, size_t i, size_t j, size_t bg,
		     size_t *deepest)
{
	size_t runs = 0;

	*deepest = 0;
	for (size_t k = i; k < j; k++) {
		bool single =
			k + 1 < pl->n && pl->iv[k + 1].lo == pl->iv[k].lo + 1;

		if (same_leaf(&pl->iv[k], &pl->iv[bg]))
			continue;
		if (!single)
			return false;
		++runs;
		if (pl->iv[k].real)
			*deepest = runs;
	}
	for (size_t k = i; k < j; k++)
		if (same_leaf(&pl->iv[k], &pl->iv[bg]) && pl->iv[k].real)
			*deepest = runs;
	return true;
}

static double run_cost(const struct planner *pl, size_t i, size_t j, size_t bg)
{
	double size = 0, exec = 0, seen = 0;

	for (size_t k = i; k < j; k++) {
		if (same_leaf(&pl->iv[k], &pl->iv[bg]))
			continue;
		size++;
		exec += pl->iv[k].weight * size;
		seen += pl->iv[k].weight;
	}
	exec += (range_weight(pl, i, j) - seen) * size;
	return size + pl->exec_weight * exec;
}

/*
 * Whether @mask can be what was peeled of a range from interval @i: single
 * numbers, never two neighbours (the second would have merged with the
 * first's neighbours).  The others are not planned.
 */
static bool peel_possible(const struct interval *iv, size_t n, size_t i,
			  unsigned mask)
{
	if (mask & 1 || mask & mask >> 1)
		return false;
	for (size_t b = 1; mask >> b; b++)
		if (mask >> b & 1 &&
		    (i + b + 1 >= n || iv[i + b + 1].lo != iv[i + b].lo + 1))
			return false;
	return true;
}

/*
 * The lowest level each range that may peel fits in, into pl->peel_fit:
 * a level more than its parts for a range holding a real number.
 */
static void peel_fits(struct planner *pl)
{
	for (size_t len = 1; len <= PEEL_SPAN; len++) {
		for (size_t i = 0; i + len <= pl->n; i++) {
			unsigned masks = len > 2 ? 1u << (len - 1) : 1;

			for (unsigned mask = masks; mask-- > 0;) {
				bool real = false;
				size_t best = 0;

				if (!peel_possible(pl->iv, pl->n, i, mask))
					continue;
				for (size_t b = 0; b < len; b++)
					real |= !(mask >> b & 1) &&
						pl->iv[i + b].real;
				if (!peel_uniform(pl->iv, i, len, mask))
					best = 255;
				for (size_t b = 1; best && b < len; b++) {
					if (mask >> b & 1 ||
					    mask >> (b - 1) & 1)
						continue;
					size_t l = pl->peel_fit[peel_at(
						i, b, mask & ((1u << b) - 1))];
					size_t r = pl->peel_fit[peel_at(
						i + b, len - b, mask >> b)];
					size_t fit = (l > r ? l : r) + real;
					best = fit < best ? fit : best;
				}
				for (size_t b = 1; best && b + 1 < len; b++) {
					if (!peelable(pl->iv, pl->n, i, len,
						      mask, b))
						continue;
					size_t fit = pl->peel_fit[peel_at(
							     i, len,
							     mask | 1u << b)] +
						     real;
					best = fit < best ? fit : best;
				}
				pl->peel_fit[peel_at(i, len, mask)] =
					(uint8_t)(best < 255 ? best : 255);
			}
		}
	}
}

/*
 * What does not depend on the level: each range's jeq run, and the lowest
 * level it fits in (min_level), from which the level a split needs
 * follows: a split can only work from the level above the lowest its
 * halves fit in, so the levels below are not searched.  The heaviest
 * interval of a range grows from that of the range one shorter, kept in
 * @heaviest[i] for the ranges from i (the first of equals).
 */
static void prepare(struct planner *pl, uint8_t *min_level, uint8_t *heaviest)
{
	size_t n = pl->n;

	peel_fits(pl);
	for (size_t i = 0; i < n; i++)
		heaviest[i] = (uint8_t)i;
	for (size_t len = 2; len <= n; len++) {
		for (size_t i = 0; i + len <= n; i++) {
			size_t j = i + len, at = pair(pl, i, j), deepest;
			size_t bg = heaviest[i];
			size_t need = SIZE_MAX, real = has_real(pl, i, j);

			if (pl->iv[j - 1].weight > pl->iv[bg].weight)
				bg = j - 1;
			heaviest[i] = (uint8_t)bg;
			if (!run_fits(pl, i, j, bg, &deepest))
				bg = SIZE_MAX;

			for (size_t k = i + 1; k < j; k++) {
				size_t l = min_level[pair(pl, i, k)];
				size_t r = min_level[pair(pl, k, j)];
				size_t fits = (l > r ? l : r) + real;

				need = fits < need ? fits : need;
			}
			pl->run[at] = bg == SIZE_MAX ? INFINITY
						     : run_cost(pl, i, j, bg);
			if (bg == SIZE_MAX)
				deepest = SIZE_MAX;
			pl->deepest[at] =
				(uint8_t)(deepest < 255 ? deepest : 255);
			pl->need[at] = (uint8_t)need;
			if (len <= PEEL_SPAN) {
				size_t peeled =
					pl->peel_fit[peel_at(i, len, 0)];
				need = peeled < need ? peeled : need;
			}
			min_level[at] =
				(uint8_t)(deepest < need ? deepest : need);
		}
	}
}

/*
 * Level @d of the trees that may peel a single number out of a range with
 * a `jeq` (its neighbours then merge into one interval) as well as split
 * it, for ranges of at most PEEL_SPAN intervals: a number that stands out
 * of a common background leaves the range without costing a level to the
 * rest of it.  Level d reads level d - 1 (level 0 itself, supersets of a
 * mask first).
 */
static void peel_level(struct planner *pl, size_t d)
{
	size_t n = pl->n, level = (size_t)(PEEL_SPAN + 1) * PEEL_MASKS * n;
	double *cost = pl->peel_cost[d & 1];
	const double *below = d ? pl->peel_cost[(d - 1) & 1] : cost;
	uint8_t *choice = &pl->peel_choice[d * level];

	for (size_t len = 1; len <= PEEL_SPAN; len++) {
		for (size_t i = 0; i + len <= n; i++) {
			unsigned masks = len > 2 ? 1u << (len - 1) : 1;

			for (unsigned mask = masks; mask-- > 0;) {
				if (!peel_possible(pl->iv, n, i, mask))
					continue;
				size_t at = peel_at(i, len, mask);
				double w = 0, best = 0;
				bool real = false;
				uint8_t pick = 0;

				for (size_t b = 0; b < len; b++)
					if (!(mask >> b & 1)) {
						w += pl->iv[i + b].weight;
						real |= pl->iv[i + b].real;
					}
				if (!peel_uniform(pl->iv, i, len, mask)) {
					double step = 1 + pl->exec_weight * w;

					best = INFINITY;
					for (size_t b = 1; b < len; b++) {
						if (mask >> b & 1 ||
						    mask >> (b - 1) & 1)
							continue;
						unsigned low = (1u << b) - 1;
						double c =
							step +
							below[peel_at(
								i, b,
								mask & low)] +
							below[peel_at(
								i + b, len - b,
								mask >> b)];
						if (c < best) {
							best = c;
							pick = (uint8_t)b;
						}
					}
					for (size_t b = 1; b + 1 < len; b++) {
						if (!peelable(pl->iv, n, i, len,
							      mask, b))
							continue;
						double c =
							step +
							below[peel_at(
								i, len,
								mask | 1u << b)];
						if (c < best) {
							best = c;
							pick = (uint8_t)(PEEL_BIT |
									 b);
						}
					}
					if (real && !d)
						best = INFINITY;
				}
				cost[at] = best;
				choice[at] = pick;
			}
		}
	}
}

/*
 * One level: @cost gets each range's least cost in @d levels, from @below,
 * the costs at level d - 1 (at level 0, @cost itself, filled by
 * increasing length).
 */
static void plan_level(struct planner *pl, size_t d, double *cost,
		       const double *below)
{
	size_t n = pl->n, stride = n + 1;
	uint8_t *split = &pl->split[d * stride * stride];

	for (size_t len = 2; len <= n; len++) {
		for (size_t i = 0; i + len <= n; i++) {
			size_t j = i + len, at = pair(pl, i, j), best_split = 0;
			double best =
				pl->deepest[at] <= d ? pl->run[at] : INFINITY;
			double split_cost =
				1 + pl->exec_weight * range_weight(pl, i, j);
			const double *left = &below[pair(pl, i, 0)];
			const double *right = &below[pair(pl, 0, j)];

			for (size_t k = i + 1; d >= pl->need[at] && k < j;
			     k++) {
				double c = split_cost + left[k] +
					   right[k * stride];
				if (c < best) {
					best = c;
					best_split = k;
				}
			}
			if (len <= PEEL_SPAN) {
				double c = pl->peel_cost[d & 1]
							[peel_at(i, len, 0)];
				if (c < best) {
					best = c;
					best_split = SPLIT_PEELED;
				}
			}
			cost[at] = best;
			split[at] = (uint8_t)best_split;
		}
	}
}

static void plan(struct planner *pl, double *cost, double *below,
		 uint8_t *min_level, uint8_t *heaviest)
{
	prepare(pl, min_level, heaviest);
	peel_level(pl, 0);
	plan_level(pl, 0, below, below);
	for (size_t d = 1; d <= pl->depth; d++) {
		double *swap = below;

		peel_level(pl, d);
		plan_level(pl, d, cost, below);
		below = cost;
		cost = swap;
	}
}

/* ---- the shape of the tree -------------------------------------------- */

/*
 * Where each node of the tree splits, in the order tree_code() visits the
 * nodes (the right half first), 0 for a jeq run, SHAPE_PEEL and the
 * interval's index for a peel: from the planner's tables, or from a plan
 * made when polc was built (plans.h).  A range whose intervals not peeled
 * share one leaf is a leaf and has no entry.
 */
struct shape {
	uint8_t *at;
	size_t len, next;
};

static void shape_of_peel(const struct planner *pl, struct shape *s, size_t i,
			  size_t len, unsigned mask, size_t d)
{
	size_t level = (size_t)(PEEL_SPAN + 1) * PEEL_MASKS * pl->n;
	uint8_t pick = pl->peel_choice[d * level + peel_at(i, len, mask)];
	size_t b = pick & ~PEEL_BIT, below = d ? d - 1 : 0;

	if (peel_uniform(pl->iv, i, len, mask))
		return;
	if (pick & PEEL_BIT) {
		s->at[s->len++] = SHAPE_PEEL;
		s->at[s->len++] = (uint8_t)(i + b);
		shape_of_peel(pl, s, i, len, mask | 1u << b, below);
		return;
	}
	s->at[s->len++] = (uint8_t)(i + b);
	shape_of_peel(pl, s, i + b, len - b, mask >> b, below);
	shape_of_peel(pl, s, i, b, mask & ((1u << b) - 1), below);
}

static void shape_of_plan(const struct planner *pl, struct shape *s, size_t i,
			  size_t j, size_t d)
{
	size_t stride = pl->n + 1;

	if (j == i + 1)
		return;
	size_t k = pl->split[d * stride * stride + pair(pl, i, j)];
	if (k == SPLIT_PEELED) {
		shape_of_peel(pl, s, i, j - i, 0, d);
		return;
	}
	s->at[s->len++] = (uint8_t)k;
	if (k) {
		shape_of_plan(pl, s, k, j, d ? d - 1 : 0);
		shape_of_plan(pl, s, i, k, d ? d - 1 : 0);
	}
}

/*
 * Whether @s describes a whole tree over [i, j) with @mask peeled (bit b:
 * interval i + b), using all of it; @iv and @n, the intervals, to check
 * that what it peels is a single number.
 */
static bool shape_fits(struct shape *s, const struct interval *iv, size_t n,
		       size_t i, size_t j, unsigned mask)
{
	if (j == i + 1 || (mask && peel_uniform(iv, i, j - i, mask)))
		return true;
	if (s->next >= s->len)
		return false;
	size_t k = s->at[s->next++];
	if (k == SHAPE_PEEL) {
		if (s->next >= s->len)
			return false;
		k = s->at[s->next++];
		return k > i && j - i <= PEEL_SPAN &&
		       peelable(iv, n, i, j - i, mask, k - i) &&
		       shape_fits(s, iv, n, i, j, mask | 1u << (k - i));
	}
	if (!k)
		return !mask;
	return k > i && k < j && !(mask_from(mask, k - i - 1) & 3) &&
	       shape_fits(s, iv, n, k, j, mask_from(mask, k - i)) &&
	       shape_fits(s, iv, n, i, k, mask_below(mask, k - i));
}

/* The planner's input as bytes: all that plan() reads of the intervals. */
static size_t plan_key(const struct planner *pl, unsigned char *key)
{
	size_t len = 0;

	key[len++] = (unsigned char)pl->n;
	for (size_t i = 0; i < pl->n; i++) {
		const struct interval *v = &pl->iv[i];
		size_t same = 0;

		while (!same_leaf(&pl->iv[same], v))
			same++;
		for (int b = 0; b < 4; b++)
			key[len++] = (unsigned char)(v->lo >> (8 * b));
		memcpy(key + len, &v->weight, sizeof(v->weight));
		len += sizeof(v->weight);
		key[len++] = v->real;
		key[len++] = (unsigned char)same;
	}
	return len;
}

enum { KEY_BYTES_PER_INTERVAL = 4 + sizeof(double) + 2 };

static const struct sc_known_plan *known_plan(const unsigned char *key,
					      size_t len)
{
	for (size_t i = 0; i < sc_known_plan_count; i++)
		if (sc_known_plans[i].keylen == len &&
		    !memcmp(sc_known_plans[i].key, key, len))
			return &sc_known_plans[i];
	return NULL;
}

/* The heaviest interval of [i, j), the first of equals, as plan() has it. */
static size_t heaviest(const struct planner *pl, size_t i, size_t j)
{
	size_t best = i;

	for (size_t k = i + 1; k < j; k++)
		if (pl->iv[k].weight > pl->iv[best].weight)
			best = k;
	return best;
}

/*
 * Emit the tree over [i, j) with @mask peeled (bit b: interval i + b,
 * already taken out by a `jeq`) as @s shapes it, or balanced without one;
 * returns its first instruction.
 */
static size_t tree_code(struct emitter *e, const struct planner *pl,
			struct shape *s, size_t i, size_t j, unsigned mask)
{
	if (j == i + 1 || (mask && peel_uniform(pl->iv, i, j - i, mask)))
		return pl->iv[i].label;
	size_t k = s ? s->at[s->next++] : i + (j - i) / 2;
	if (s && k == SHAPE_PEEL) {
		k = s->at[s->next++];
		size_t rest = tree_code(e, pl, s, i, j, mask | 1u << (k - i));

		return branch(e, BPF_JEQ, pl->iv[k].lo, pl->iv[k].label, rest);
	}
	if (k) {
		size_t right =
			tree_code(e, pl, s, k, j, mask_from(mask, k - i));
		size_t left =
			tree_code(e, pl, s, i, k, mask_below(mask, k - i));

		return branch(e, BPF_JGE, pl->iv[k].lo, right, left);
	}
	size_t bg = heaviest(pl, i, j);
	size_t next = pl->iv[bg].label;
	for (size_t m = j; m-- > i;)
		if (!same_leaf(&pl->iv[m], &pl->iv[bg]))
			next = branch(e, BPF_JEQ, pl->iv[m].lo, pl->iv[m].label,
				      next);
	return next;
}

/* ---- lowering --------------------------------------------------------- */

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

static int name_order(const void *key, const void *entry)
{
	return strcmp(key, ((const struct sc_syscall_name *)entry)->name);
}

/*
 * @name's number on @arch, from the tables made at build time; a name
 * they do not hold (another architecture's, or unknown) goes to
 * libseccomp, which tells the two apart.
 */
int sc_syscall_number(uint32_t arch, const char *name)
{
	bool x86 = arch == AUDIT_ARCH_X86_64;
	const struct sc_syscall_name *hit =
		bsearch(name, x86 ? sc_names_x86_64 : sc_names_aarch64,
			x86 ? sc_names_x86_64_len : sc_names_aarch64_len,
			sizeof(struct sc_syscall_name), name_order);

	return hit ? hit->nr : seccomp_syscall_resolve_name_arch(arch, name);
}

/*
 * Rules that repeat an earlier one's action and conditions (a group and
 * the network closure may both say "deny socket if arg0 != 1") decide
 * nothing more: keep the first.
 */
static void drop_repeats(struct decided *d)
{
	size_t kept = 0;

	for (size_t i = 0; i < d->n; i++) {
		const struct ir_sys_rule *r = d->rules[i];
		bool repeat = false;

		for (size_t k = 0; k < kept && !repeat; k++) {
			const struct ir_sys_rule *e = d->rules[k];

			repeat = sc_rule_value(e) == sc_rule_value(r) &&
				 e->nconds == r->nconds &&
				 (!r->nconds ||
				  !memcmp(e->conds, r->conds,
					  r->nconds * sizeof(*r->conds)));
		}
		if (!repeat)
			d->rules[kept++] = r;
	}
	d->n = kept;
}

/* The rules of @p by syscall number on @arch, each list sorted. */
static int collect(struct polc_ctx *ctx, const struct ir_policy *p,
		   uint32_t arch, struct sc_program *prog, struct decided **all,
		   size_t *n)
{
	size_t cap = 0, skipped_cap = 0;
	int rc = 0;

	for (size_t i = 0; i < p->nsys; i++) {
		const struct ir_sys_rule *r = &p->sys[i];

		if (!(r->platforms & IR_LINUX))
			continue;
		int nr = sc_syscall_number(arch, r->syscall);
		if (nr == __NR_SCMP_ERROR || nr >= MAX_NR) {
			diag_at(ctx, DIAG_ERROR, r->origin.loc,
				"syscall '%s' is unknown to libseccomp",
				r->syscall);
			rc = -1;
			continue;
		}
		if (nr < 0) { /* not on this architecture */
			skip(ctx, prog, r->syscall, &skipped_cap);
			continue;
		}
		prog->notifies |= r->action == IR_SYS_NOTIFY;
		struct decided *d = decided_for(ctx, all, n, &cap, nr);
		const struct ir_sys_rule **slot =
			arena_array_push(&ctx->arena, (void **)&d->rules, &d->n,
					 &d->cap, sizeof(*slot));
		*slot = r;
	}
	/* Out of memory, the arrays may be missing or alias the scratch. */
	if (arena_failed(&ctx->arena))
		return -1;
	for (size_t i = 0; i < *n; i++) {
		qsort((*all)[i].rules, (*all)[i].n, sizeof(*(*all)[i].rules),
		      sc_rule_order);
		drop_repeats(&(*all)[i]);
	}
	return rc;
}

/*
 * The intervals of numbers 0 .. MAX_NR - 1 and beyond: each number's leaf
 * (constant when its best rule has no condition), equal neighbours
 * merged.  Without a frequency table every syscall is as likely as any
 * other, a refused one less (a working program rarely makes them), and a
 * number no syscall has is never called.
 */
static struct interval *intervals(struct polc_ctx *ctx, uint32_t arch,
				  const struct decided *all, size_t n,
				  uint32_t fallback, size_t *count)
{
	const uint8_t *exists = arch == AUDIT_ARCH_X86_64 ? sc_numbers_x86_64
							  : sc_numbers_aarch64;
	struct interval *iv = NULL;
	size_t len = 0, cap = 0;
	const struct decided *by_nr[MAX_NR] = { 0 };

	for (size_t i = 0; i < n; i++)
		by_nr[all[i].nr] = &all[i];
	for (uint32_t nr = 0; nr < MAX_NR; nr++) {
		const struct decided *d = by_nr[nr];
		struct interval leaf = { .lo = nr, .value = fallback };

		if (d && !one_outcome(d, fallback, &leaf.value)) {
			leaf.is_block = true;
			leaf.block = (size_t)(d - all);
		}
		if (!len || !same_leaf(&iv[len - 1], &leaf))
			*(struct interval *)arena_array_push(
				&ctx->arena, (void **)&iv, &len, &cap,
				sizeof(*iv)) = leaf;
		/* Out of memory, iv was never grown: stop, lower() fails. */
		if (arena_failed(&ctx->arena)) {
			*count = 0;
			return NULL;
		}
		if (!sc_number_exists(exists, nr))
			continue;
		iv[len - 1].real = true;
		iv[len - 1].weight +=
			leaf.is_block || leaf.value == SECCOMP_RET_ALLOW ||
					leaf.value == SECCOMP_RET_LOG
				? 1
				: REFUSED_WEIGHT;
	}
	*count = len;
	return iv;
}

/*
 * The tree's shape for @pl into *@s: a plan made when polc was built for
 * this very input when there is one (and @use_known), else the search's.
 * NULL in *@s: a balanced tree.
 */
static int shape_tree(struct polc_ctx *ctx, struct planner *pl, bool use_known,
		      struct sc_plan_record *record, struct shape **out,
		      bool *known)
{
	size_t niv = pl->n;
	struct shape *s = arena_alloc(&ctx->arena, sizeof(*s));

	*out = NULL;
	*known = false;
	if (niv > MAX_PLANNED)
		return 0;
	unsigned char *key =
		arena_alloc(&ctx->arena, 1 + niv * KEY_BYTES_PER_INTERVAL);
	s->at = arena_alloc(&ctx->arena, 2 * niv);
	if (arena_failed(&ctx->arena))
		return -1;
	size_t keylen = plan_key(pl, key);
	const struct sc_known_plan *kp =
		use_known ? known_plan(key, keylen) : NULL;
	if (kp) {
		struct shape check = { (uint8_t *)kp->shape, kp->shapelen, 0 };

		if (shape_fits(&check, pl->iv, niv, 0, niv, 0) &&
		    check.next == check.len) {
			memcpy(s->at, kp->shape, kp->shapelen);
			s->len = kp->shapelen;
			*out = s;
			*known = true;
			return 0;
		}
	}
	size_t pairs = (niv + 1) * (niv + 1);
	double *cost = arena_alloc(&ctx->arena, pairs * sizeof(double));
	double *below = arena_alloc(&ctx->arena, pairs * sizeof(double));
	uint8_t *min_level = arena_alloc(&ctx->arena, pairs);
	uint8_t *heaviest = arena_alloc(&ctx->arena, niv);

	size_t peels = (size_t)(PEEL_SPAN + 1) * PEEL_MASKS * niv;

	pl->split = arena_alloc(&ctx->arena, (pl->depth + 1) * pairs);
	pl->peel_choice = arena_alloc(&ctx->arena, (pl->depth + 1) * peels);
	pl->peel_cost[0] = arena_alloc(&ctx->arena, peels * sizeof(double));
	pl->peel_cost[1] = arena_alloc(&ctx->arena, peels * sizeof(double));
	pl->peel_fit = arena_alloc(&ctx->arena, peels);
	pl->run = arena_alloc(&ctx->arena, pairs * sizeof(double));
	pl->deepest = arena_alloc(&ctx->arena, pairs);
	pl->need = arena_alloc(&ctx->arena, pairs);
	pl->weight_sum = arena_alloc(&ctx->arena, (niv + 1) * sizeof(double));
	pl->real_sum = arena_alloc(&ctx->arena, (niv + 1) * sizeof(size_t));
	if (arena_failed(&ctx->arena))
		return -1;
	for (size_t i = 0; i < niv; i++) {
		pl->weight_sum[i + 1] = pl->weight_sum[i] + pl->iv[i].weight;
		pl->real_sum[i + 1] = pl->real_sum[i] + pl->iv[i].real;
	}
	pl->exec_weight =
		pl->weight_sum[niv] > 0 ? EXEC_COST / pl->weight_sum[niv] : 0;
	plan(pl, cost, below, min_level, heaviest);
	shape_of_plan(pl, s, 0, niv, pl->depth);
	if (record) {
		record->key = key;
		record->keylen = keylen;
		record->shape = s->at;
		record->shapelen = s->len;
	}
	*out = s;
	return 0;
}

static int lower(struct polc_ctx *ctx, const struct ir_policy *p, uint32_t arch,
		 bool use_known, struct sc_plan_record *record,
		 const struct sc_program **out)
{
	const struct ir_settings *st =
		&p->settings[ir_platform_index(IR_LINUX)];
	struct sc_program *prog = arena_alloc(&ctx->arena, sizeof(*prog));
	struct emitter e = { .ctx = ctx };
	struct returns rets = { .n = 0 };
	struct decided *all = NULL;
	size_t n = 0, niv;
	uint32_t fallback =
		sc_action_value(st->sys_default, st->sys_default_errno);

	if (arch != AUDIT_ARCH_X86_64 && arch != AUDIT_ARCH_AARCH64) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "unsupported architecture 0x%x (this version "
			     "builds x86_64 and aarch64)",
			     (unsigned)arch);
		return -1;
	}
	*out = prog;
	prog->arch = arch;
	const struct sc_known_program *known =
		use_known ? sc_known_program(p, arch) : NULL;
	if (known) {
		*prog = (struct sc_program){
			.arch = arch,
			.insns = known->insns,
			.len = known->len,
			.needed = known->needed,
			.notifies = known->notifies,
			.skipped = known->skipped,
			.nskipped = known->nskipped,
			.known_plan = true,
		};
		return 0;
	}
	if (collect(ctx, p, arch, prog, &all, &n) != 0)
		return -1;
	prog->notifies |= st->sys_default == IR_SYS_NOTIFY;

	struct interval *iv = intervals(ctx, arch, all, n, fallback, &niv);
	if (arena_failed(&ctx->arena))
		return -1;
	prog->needed = niv > 1 || fallback != SECCOMP_RET_ALLOW;
	/*
	 * The tree's depth: one level more than a balanced tree needs, room
	 * for the weights to shape it.
	 */
	struct planner pl = { .iv = iv, .n = niv, .depth = 1 };
	while (((size_t)1 << (pl.depth - 1)) < niv)
		pl.depth++;
	struct shape *shape;
	if (shape_tree(ctx, &pl, use_known, record, &shape,
		       &prog->known_plan) != 0) {
		diag_subject(ctx, DIAG_ERROR, "seccomp", "out of memory");
		return -1;
	}
	/* The end of the program: returns, then the blocks, then the tree. */
	size_t deflt = ret_of(&e, &rets, fallback);
	for (size_t i = 0; i < niv; i++)
		if (!iv[i].is_block)
			iv[i].label = ret_of(&e, &rets, iv[i].value);
	for (size_t i = 0; i < niv; i++)
		if (iv[i].is_block)
			iv[i].label =
				block_code(&e, &rets, &all[iv[i].block], deflt);
	size_t start = tree_code(&e, &pl, shape, 0, niv, 0);
	/* x32 calls: the default when it refuses, else ENOSYS. */
	bool refuses = st->sys_default >= IR_SYS_ERRNO;
	if (arch == AUDIT_ARCH_X86_64 && !refuses)
		start = branch(&e, BPF_JGE, X32_SYSCALL_BIT,
			       ret_of(&e, &rets, SECCOMP_RET_ERRNO | ENOSYS),
			       start);
	jump_to(&e, start);
	size_t number = put(&e, BPF_LD | BPF_W | BPF_ABS,
			    offsetof(struct seccomp_data, nr), 0, 0);
	branch(&e, BPF_JEQ, arch, number,
	       ret_of(&e, &rets, SECCOMP_RET_KILL_PROCESS));
	put(&e, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch),
	    0, 0);
	if (arena_failed(&ctx->arena)) {
		diag_subject(ctx, DIAG_ERROR, "seccomp", "out of memory");
		return -1;
	}
	if (e.len > BPF_MAXINSNS) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "the program has %zu instructions; the kernel "
			     "takes at most %d",
			     e.len, BPF_MAXINSNS);
		return -1;
	}
	struct sock_filter *insns =
		arena_alloc(&ctx->arena, e.len * sizeof(*insns));
	for (size_t i = 0; i < e.len; i++)
		insns[i] = e.rev[e.len - 1 - i];
	prog->insns = insns;
	prog->len = sc_tidy(ctx, insns, e.len);
	if (arena_failed(&ctx->arena)) {
		diag_subject(ctx, DIAG_ERROR, "seccomp", "out of memory");
		return -1;
	}
	return 0;
}

int sc_lower(struct polc_ctx *ctx, const struct ir_policy *p, uint32_t arch,
	     const struct sc_program **out)
{
	return lower(ctx, p, arch, true, NULL, out);
}

int sc_lower_recording(struct polc_ctx *ctx, const struct ir_policy *p,
		       uint32_t arch, const struct sc_program **out,
		       struct sc_plan_record *record)
{
	*record = (struct sc_plan_record){ 0 };
	return lower(ctx, p, arch, false, record, out);
}
