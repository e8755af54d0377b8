/*
 * decide.c - the decision procedure (spec/semantics.md, "Decisions").
 *
 * Every question is answered from the rules alone, for one platform, so the
 * answer cannot depend on the order in which rules were written or loaded.
 * Path rules are sorted by path, so the rules covering a path are found by
 * a binary search on the path and on each of its ancestors; the other
 * kinds of rules are few and scanned.
 */
#include <stdlib.h>
#include <string.h>

#include "common/ctx.h"
#include "common/hash.h"
#include "ir/ir.h"

bool ir_path_covers(const char *rule_path, bool file, const char *path)
{
	size_t n = strlen(rule_path);

	if (strcmp(rule_path, path) == 0)
		return true;
	if (file)
		return false;
	if (n == 1 && rule_path[0] == '/')
		return path[0] == '/';
	return strncmp(rule_path, path, n) == 0 && path[n] == '/';
}

/* Where the @k bytes of @needle first occur in the @n of @hay, or NULL.
 * Names are short: a plain scan beats memmem's set-up. */
static const char *find(const char *hay, size_t n, const char *needle, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, k))
			return hay + i;
	return NULL;
}

/*
 * A pattern of literals and '*' only: the first literal is a prefix, the
 * last a suffix, and each one between matches at its leftmost place after
 * the one before (a later place leaves less room for the rest, never
 * more).  Every name in the environment meets every env rule (polc run
 * decides them all at each start), so this path searches instead of
 * backtracking.
 */
static bool stars_match(const char *pattern, const char *name)
{
	for (; *pattern && *pattern != '*'; pattern++, name++)
		if (*pattern != *name)
			return false;
	if (!*pattern)
		return !*name;
	size_t left = strlen(name);
	for (;;) {
		while (*pattern == '*')
			pattern++;
		size_t lit = strcspn(pattern, "*");
		if (!pattern[lit]) /* the last literal ends the name */
			return lit <= left &&
			       memcmp(name + left - lit, pattern, lit) == 0;
		const char *at = find(name, left, pattern, lit);
		if (!at)
			return false;
		left -= (size_t)(at - name) + lit;
		name = at + lit;
		pattern += lit;
	}
}

bool ir_glob_match(const char *pattern, const char *name)
{
	if (!strchr(pattern, '?'))
		return stars_match(pattern, name);
	/* Iterative matching with one backtrack point for the last '*'. */
	const char *star = NULL, *resume = NULL;

	while (*name) {
		if (*pattern == '*') {
			star = pattern++;
			resume = name;
		} else if (*pattern == '?' || *pattern == *name) {
			pattern++;
			name++;
		} else if (star) {
			pattern = star + 1;
			name = ++resume;
		} else {
			return false;
		}
	}
	while (*pattern == '*')
		pattern++;
	return *pattern == '\0';
}

/* The bit of @c in a set of characters: letters, digits and '_' have
 * one each, everything else shares the last. */
static uint64_t char_bit(unsigned char c)
{
	unsigned i = 63;

	if (c >= 'A' && c <= 'Z')
		i = (unsigned)(c - 'A');
	else if (c >= 'a' && c <= 'z')
		i = 26 + (unsigned)(c - 'a');
	else if (c >= '0' && c <= '9')
		i = 52 + (unsigned)(c - '0');
	else if (c == '_')
		i = 62;
	return 1ull << i;
}

uint64_t ir_glob_needs(const char *pattern)
{
	uint64_t needs = 0;

	for (; *pattern; pattern++)
		if (*pattern != '*' && *pattern != '?')
			needs |= char_bit((unsigned char)*pattern);
	return needs;
}

/* First index in [lo, hi) whose path is not below @key in sort order. */
static size_t lower_bound(const struct ir_policy *p, const char *key)
{
	size_t lo = 0, hi = p->npaths;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		/* @key is NUL-terminated at @keylen: strcmp orders it. */
		if (strcmp(p->paths[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* One distinct path of a policy: its run of rules in p->paths. */
struct path_run {
	uint64_t hash;	   /* of the path */
	uint32_t first, n; /* n == 0: an empty slot */
};

struct ir_path_index {
	const struct ir_path_rule *paths; /* what it was made for */
	size_t npaths;
	struct path_run *slots;
	size_t mask; /* slots - 1, a power of two less one */
};

static struct path_run *run_slot(const struct ir_path_index *x,
				 const char *path, size_t len, uint64_t h)
{
	size_t i = h & x->mask;

	while (x->slots[i].n &&
	       (x->slots[i].hash != h ||
		strncmp(x->paths[x->slots[i].first].path, path, len + 1)))
		i = (i + 1) & x->mask;
	return &x->slots[i];
}

void ir_index_paths(struct polc_ctx *ctx, struct ir_policy *p)
{
	struct ir_path_index *x = arena_alloc(&ctx->arena, sizeof(*x));
	size_t cap = 16;

	p->path_index = NULL;
	while (cap < 2 * p->npaths)
		cap *= 2;
	if (!x || p->npaths > UINT32_MAX)
		return;
	x->slots = arena_alloc(&ctx->arena, cap * sizeof(*x->slots));
	if (!x->slots || arena_failed(&ctx->arena))
		return;
	x->paths = p->paths;
	x->npaths = p->npaths;
	x->mask = cap - 1;
	for (size_t i = 0; i < p->npaths;) {
		const char *path = p->paths[i].path;
		size_t len = strlen(path), n = 1;

		while (i + n < p->npaths && !strcmp(p->paths[i + n].path, path))
			n++;
		uint64_t h = polc_hash(path, len);
		*run_slot(x, path, len, h) = (struct path_run){
			.hash = h, .first = (uint32_t)i, .n = (uint32_t)n
		};
		i += n;
	}
	p->path_index = x;
}

/* The index of @p, when it holds for p's paths. */
static const struct ir_path_index *index_of(const struct ir_policy *p)
{
	const struct ir_path_index *x = p->path_index;

	return x && x->paths == p->paths && x->npaths == p->npaths ? x : NULL;
}

size_t ir_rules_on(const struct ir_policy *p, const char *path, size_t *first)
{
	const struct ir_path_index *x = index_of(p);

	if (x) {
		size_t len = strlen(path);
		const struct path_run *run =
			run_slot(x, path, len, polc_hash(path, len));

		/* No rule on @path: an empty run where it would sort. */
		*first = run->n ? run->first : lower_bound(p, path);
		return run->n;
	}
	size_t i = lower_bound(p, path), n = 0;

	*first = i;
	while (i + n < p->npaths && strcmp(p->paths[i + n].path, path) == 0)
		n++;
	return n;
}

size_t ir_rules_below(const struct ir_policy *p, const char *path,
		      size_t *first)
{
	/* "/" is the parent of every absolute path; else below is "path/". */
	size_t len = strlen(path);
	char *prefix = __builtin_alloca(len + 2);
	size_t plen = len == 1 && path[0] == '/' ? 1 : len + 1;

	memcpy(prefix, path, len);
	prefix[plen - 1] = '/';
	prefix[plen] = '\0';
	size_t i = lower_bound(p, prefix), n = 0;
	/* Skip "/" itself when listing below the root. */
	while (i < p->npaths && strcmp(p->paths[i].path, path) == 0)
		i++;
	*first = i;
	while (i + n < p->npaths &&
	       strncmp(p->paths[i + n].path, prefix, plen) == 0)
		n++;
	return n;
}

void ir_for_covering(const struct ir_policy *p, const char *path,
		     bool (*fn)(const struct ir_path_rule *rule, void *arg),
		     void *arg)
{
	const struct ir_path_index *x = index_of(p);
	size_t len = strlen(path);
	char *prefix = __builtin_alloca(len + 1);

	memcpy(prefix, path, len + 1);
	/* The path itself, then each ancestor up to "/". */
	for (bool self = true;; self = false) {
		size_t first = 0, n;

		if (x) {
			const struct path_run *run = run_slot(
				x, prefix, len, polc_hash(prefix, len));
			first = run->first;
			n = run->n;
		} else {
			n = ir_rules_on(p, prefix, &first);
		}
		for (size_t i = first; i < first + n; i++) {
			const struct ir_path_rule *r = &p->paths[i];

			if ((self || !r->file) && !fn(r, arg))
				return;
		}
		if (prefix[0] == '/' && prefix[1] == '\0')
			return;
		char *slash = strrchr(prefix, '/');
		if (!slash)
			return;
		if (slash == prefix)
			slash[1] = '\0';
		else
			*slash = '\0';
		len = slash == prefix ? 1 : (size_t)(slash - prefix);
	}
}

static void push(struct polc_ctx *ctx, const struct ir_path_rule ***v,
		 size_t *n, size_t *cap, const struct ir_path_rule *rule)
{
	const struct ir_path_rule **slot =
		arena_array_push(&ctx->arena, (void **)v, n, cap, sizeof(**v));

	*slot = rule;
}

struct path_question {
	struct polc_ctx *ctx;
	unsigned platform;
	unsigned access;
	const struct ir_path_rule **denies, **allows;
	size_t ndeny, cdeny, nallow, callow;
	bool overridden;
};

static bool collect(const struct ir_path_rule *r, void *arg)
{
	struct path_question *q = arg;

	if (!(r->platforms & q->platform) || !(r->modes & q->access))
		return true;
	if (r->verdict == IR_DENY) {
		push(q->ctx, &q->denies, &q->ndeny, &q->cdeny, r);
		return true;
	}
	q->overridden |= r->override;
	push(q->ctx, &q->allows, &q->nallow, &q->callow, r);
	return true;
}

/* p->paths is sorted: the address order of its rules is the policy's. */
static int by_address(const void *a, const void *b)
{
	const struct ir_path_rule *x = *(const struct ir_path_rule *const *)a;
	const struct ir_path_rule *y = *(const struct ir_path_rule *const *)b;

	return (x > y) - (x < y);
}

void ir_decide_path(struct polc_ctx *ctx, const struct ir_policy *p,
		    unsigned platform, const char *path, unsigned access,
		    struct ir_decision *out)
{
	struct path_question q = { .ctx = ctx,
				   .platform = platform,
				   .access = access };

	ir_for_covering(p, path, collect, &q);
	/* Report rules in the policy's order (by path, broadest first). */
	if (q.ndeny > 1)
		qsort(q.denies, q.ndeny, sizeof(*q.denies), by_address);
	if (q.nallow > 1)
		qsort(q.allows, q.nallow, sizeof(*q.allows), by_address);
	*out = (struct ir_decision){ 0 };
	if (q.ndeny && !q.overridden) {
		out->verdict = IR_DENY;
		out->rules = q.denies;
		out->nrules = q.ndeny;
		return;
	}
	out->verdict = q.nallow ? IR_ALLOW : IR_DENY;
	out->rules = q.allows;
	out->nrules = q.nallow;
	out->lifted = q.denies;
	out->nlifted = q.ndeny;
}

enum ir_verdict ir_decide_net(const struct ir_policy *p, unsigned platform,
			      enum ir_net_kind kind, unsigned proto,
			      unsigned port, const struct ir_net_rule **why)
{
	const struct ir_settings *st =
		&p->settings[ir_platform_index(platform)];

	*why = NULL;
	if (st->network_allow)
		return IR_ALLOW;
	for (size_t i = 0; i < p->nnet; i++) {
		const struct ir_net_rule *r = &p->net[i];

		if ((r->platforms & platform) && r->kind == kind &&
		    r->proto == proto && r->lo <= port && port <= r->hi) {
			*why = r;
			return IR_ALLOW;
		}
	}
	return IR_DENY;
}

enum ir_verdict ir_decide_env(const struct ir_policy *p, unsigned platform,
			      const char *name, const struct ir_env_rule **why)
{
	const struct ir_env_rule *pass = NULL, *drop = NULL, *lift = NULL;
	uint64_t has = 0;

	for (const char *c = name; *c; c++)
		has |= char_bit((unsigned char)*c);
	*why = NULL;
	for (size_t i = 0; i < p->nenv; i++) {
		const struct ir_env_rule *r = &p->env[i];

		if (!(r->platforms & platform) || (r->needs & ~has))
			continue;
		if (r->kind == IR_ENV_SET) {
			if (strcmp(r->pattern, name) == 0) {
				*why = r; /* replaced: not its own value */
				return IR_DENY;
			}
			continue;
		}
		if (!ir_glob_match(r->pattern, name))
			continue;
		if (r->kind == IR_ENV_DROP && !drop)
			drop = r;
		else if (r->kind == IR_ENV_PASS && r->override && !lift)
			lift = r;
		else if (r->kind == IR_ENV_PASS && !pass)
			pass = r;
	}
	if (!pass && !lift)
		return IR_DENY; /* nothing passes it: the default decides */
	if (drop && !lift) {
		*why = drop;
		return IR_DENY;
	}
	*why = lift ? lift : pass;
	return IR_ALLOW;
}

enum ir_verdict ir_decide_seatbelt(const struct ir_policy *p, unsigned platform,
				   const char *operation, const char *name,
				   const struct ir_sb_rule **why)
{
	const struct ir_sb_rule *allow = NULL;

	*why = NULL;
	for (size_t i = 0; i < p->nsb; i++) {
		const struct ir_sb_rule *r = &p->sb[i];

		if (!(r->platforms & platform) ||
		    strcmp(r->operation, operation) != 0 ||
		    (r->name && (!name || strcmp(r->name, name) != 0)))
			continue;
		if (r->verdict == IR_DENY) {
			*why = r;
			return IR_DENY;
		}
		if (!allow)
			allow = r;
	}
	*why = allow;
	return allow ? IR_ALLOW : IR_DENY;
}

/* ---- syscalls -------------------------------------------------------- */

/*
 * The outcome of a syscall over all 2^384 argument vectors is decided
 * exactly by evaluating the rules on representative vectors.  Conditions on
 * different arguments are independent, so each argument gets its own set of
 * representatives, chosen so that every combination of truth values its
 * conditions can take is taken by one of them:
 *   - full-width comparisons only: the values 0 and UINT64_MAX and, for
 *     every compared value v, v - 1, v and v + 1 (the truth of x OP v only
 *     changes at v);
 *   - masked equality with a single mask m only: each compared value v and,
 *     for every bit b of m, v ^ b (x & m equals one of the values or none;
 *     some v ^ b differs from all of them unless they cover every pattern,
 *     in which case "none" cannot happen).
 * An argument compared both ways, or with two masks, is beyond this and
 * makes the question undecidable here; callers report it.
 */

enum { MAX_REPS = 256, MAX_VECTORS = 1u << 16 };

struct arg_reps {
	uint64_t v[MAX_REPS];
	size_t n;
};

static void rep_add(struct arg_reps *r, uint64_t v)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i] == v)
			return;
	if (r->n < MAX_REPS)
		r->v[r->n++] = v;
}

static bool cond_holds(const struct ir_sys_cond *c, const uint64_t *args)
{
	uint64_t x = args[c->arg] & c->mask;

	switch (c->op) {
	case IR_CMP_EQ: return x == c->value;
	case IR_CMP_NE: return x != c->value;
	case IR_CMP_LT: return x < c->value;
	case IR_CMP_LE: return x <= c->value;
	case IR_CMP_GT: return x > c->value;
	case IR_CMP_GE: return x >= c->value;
	}
	return false;
}

/* Representatives for argument @arg; false when beyond the method. */
static bool arg_representatives(const struct ir_sys_rule **rules, size_t n,
				unsigned arg, struct arg_reps *out)
{
	bool full = false, masked = false;
	uint64_t mask = 0;

	out->n = 0;
	rep_add(out, 0);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < rules[i]->nconds; k++) {
			const struct ir_sys_cond *c = &rules[i]->conds[k];

			if (c->arg != arg)
				continue;
			if (c->mask == UINT64_MAX) {
				full = true;
				rep_add(out, c->value - 1);
				rep_add(out, c->value);
				rep_add(out, c->value + 1);
				rep_add(out, UINT64_MAX);
				continue;
			}
			if (masked && c->mask != mask)
				return false;
			masked = true;
			mask = c->mask;
			rep_add(out, c->value);
			for (unsigned b = 0; b < 64; b++)
				if (mask & (1ull << b))
					rep_add(out, c->value ^ (1ull << b));
		}
	}
	return !(full && masked) && out->n < MAX_REPS;
}

/* Whether every condition of @r holds for @args. */
static bool rule_applies(const struct ir_sys_rule *r, const uint64_t *args)
{
	for (size_t k = 0; k < r->nconds; k++)
		if (!cond_holds(&r->conds[k], args))
			return false;
	return true;
}

/* The action for one argument vector, and the rule that decided it. */
static enum ir_sys_action action_for(const struct ir_sys_rule **rules, size_t n,
				     const uint64_t *args,
				     enum ir_sys_action fallback,
				     const struct ir_sys_rule **why)
{
	enum ir_sys_action best = fallback;
	bool any = false;

	*why = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!rule_applies(rules[i], args))
			continue;
		if (!any || rules[i]->action > best) {
			best = rules[i]->action;
			*why = rules[i];
		}
		any = true;
	}
	return best;
}

enum ir_sys_action ir_syscall_action(const struct ir_policy *p,
				     unsigned platform, const char *name,
				     const uint64_t args[6],
				     unsigned *errno_value,
				     const struct ir_sys_rule **why)
{
	const struct ir_settings *st =
		&p->settings[ir_platform_index(platform)];
	enum ir_sys_action best = st->sys_default;

	*errno_value = st->sys_default_errno;
	*why = NULL;
	for (size_t i = 0; i < p->nsys; i++) {
		const struct ir_sys_rule *r = &p->sys[i];

		if (!(r->platforms & platform) || strcmp(r->syscall, name) ||
		    !rule_applies(r, args))
			continue;
		if (!*why || r->action > best ||
		    (r->action == best && best == IR_SYS_ERRNO &&
		     r->errno_value < *errno_value)) {
			best = r->action;
			*errno_value = r->errno_value;
			*why = r;
		}
	}
	return best;
}

enum ir_sys_outcome ir_decide_syscall(struct polc_ctx *ctx,
				      const struct ir_policy *p,
				      unsigned platform, const char *name,
				      const struct ir_sys_rule **why)
{
	const struct ir_settings *st =
		&p->settings[ir_platform_index(platform)];
	const struct ir_sys_rule **rules = NULL;
	size_t n = 0, cap = 0;
	struct arg_reps reps[6];
	size_t vectors = 1, idx[6] = { 0 };
	bool proceeds = false, blocks = false, neither = false;

	*why = NULL;
	for (size_t i = 0; i < p->nsys; i++) {
		const struct ir_sys_rule *r = &p->sys[i];
		const struct ir_sys_rule **slot;

		if (!(r->platforms & platform) || strcmp(r->syscall, name))
			continue;
		slot = arena_array_push(&ctx->arena, (void **)&rules, &n, &cap,
					sizeof(*rules));
		*slot = r;
	}
	for (unsigned a = 0; a < 6; a++) {
		if (!arg_representatives(rules, n, a, &reps[a]))
			return IR_SYS_UNDECIDABLE;
		vectors *= reps[a].n;
		if (vectors > MAX_VECTORS)
			return IR_SYS_UNDECIDABLE;
	}
	/* Every combination of the arguments' representatives. */
	for (size_t v = 0; v < vectors; v++) {
		uint64_t args[6];
		const struct ir_sys_rule *w;
		size_t rest = v;

		for (unsigned a = 0; a < 6; a++) {
			idx[a] = rest % reps[a].n;
			rest /= reps[a].n;
			args[a] = reps[a].v[idx[a]];
		}
		enum ir_sys_action act =
			action_for(rules, n, args, st->sys_default, &w);
		bool go = act == IR_SYS_ALLOW || act == IR_SYS_LOG;
		bool stop = act >= IR_SYS_ERRNO;

		/* Remember a rule behind the first outcome of each kind. */
		if ((go && !proceeds) || (stop && !blocks) ||
		    (!go && !stop && !neither))
			*why = *why ? *why : w;
		proceeds |= go;
		blocks |= stop;
		neither |= !go && !stop;
	}
	if (proceeds && !blocks && !neither)
		return IR_SYS_PROCEEDS;
	if (blocks && !proceeds && !neither)
		return IR_SYS_BLOCKS;
	return IR_SYS_DEPENDS;
}
