/*
 * lower.c - observations to the rules a learned profile needs (learn.h).
 *
 * Each observed access becomes a need: (path, file or subtree, mode).  A
 * read, write or exec needs its file; creating or deleting an entry needs
 * write or delete on its directory, which is where Landlock checks it.
 * The base decides each need on the observed path; what it allows is
 * dropped.  Needs then move off what will not exist when the sandbox is
 * next built (entries the run created, or that are gone now), merge,
 * disappear into directory grants that cover them, and collapse
 * bottom-up: a directory with at least N entries used with a mode becomes
 * one grant of that mode.
 * Everything is sorted with '/' ordered first, so a subtree is one
 * contiguous run and nothing depends on the order of the observations.
 */
#include "learn/learn.h"

#include <stdlib.h>
#include <string.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "ir/ir.h"

/* One observed access the base does not allow. */
struct need {
	const char *path; /* where the grant goes */
	bool file;
	bool override;
	unsigned modes;
	unsigned kind; /* TRACE_* bit number */
	unsigned count;
	const char *seen; /* the observed path */
};

/* strcmp with '/' before every other byte: a subtree sorts together. */
static int path_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = *a == '/' ? 1 : (unsigned char)*a;
		unsigned char y = *b == '/' ? 1 : (unsigned char)*b;

		if (x != y || !x)
			return (int)x - (int)y;
	}
}

static bool is_below(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return path[0] == '/' && path[1];
	return !strncmp(dir, path, n) && path[n] == '/';
}

static const char *parent_of(struct polc_ctx *ctx, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash || slash == path)
		return "/";
	return arena_strndup(&ctx->arena, path, (size_t)(slash - path));
}

static int need_cmp(const void *a, const void *b)
{
	const struct need *x = a, *y = b;
	int c = path_cmp(x->path, y->path);

	if (c)
		return c;
	if (x->file != y->file)
		return x->file ? -1 : 1;
	if (x->override != y->override)
		return x->override ? 1 : -1;
	return path_cmp(x->seen, y->seen);
}

static int rule_cmp(const void *a, const void *b)
{
	const struct learn_rule *x = a, *y = b;
	int c = path_cmp(x->path, y->path);

	if (c)
		return c;
	if (x->file != y->file)
		return x->file ? -1 : 1;
	return (int)x->override - (int)y->override;
}

/* ---- deciding on the base --------------------------------------------------
 */

/* The required group a deny arrived through, or NULL. */
static const char *required_group(const struct ir_path_rule *r,
				  const struct learn_options *o)
{
	for (size_t i = 0; o->is_required && i < r->origin.chain_len; i++) {
		const struct ir_link *l = &r->origin.chain[i];

		if (l->group && o->is_required(l->name, o->arg))
			return l->name;
	}
	return NULL;
}

static const char *mode_word(unsigned mode)
{
	return mode == IR_READ	  ? "read"
	       : mode == IR_WRITE ? "write"
	       : mode == IR_EXEC  ? "exec"
				  : "delete";
}

struct lowering {
	struct polc_ctx *ctx;
	const struct ir_policy *base;
	const struct learn_options *o;
	const struct trace_result *obs;
	bool (*exists)(const char *path, void *arg);
	void *exists_arg;
	struct learn_result *out;
	struct need *needs;
	size_t nneeds, needs_cap;
};

/* Decide one access on the base; queue a need when it lacks it. */
static void add_need(struct lowering *l, const struct trace_path *p,
		     unsigned kind, const char *grant_path, bool file,
		     unsigned mode)
{
	struct ir_decision d;
	unsigned count = p->count[kind];

	ir_decide_path(l->ctx, l->base, IR_LINUX, p->path, mode, &d);
	if (d.verdict == IR_ALLOW) {
		l->out->covered += count;
		return;
	}
	bool override = false;
	for (size_t i = 0; i < d.nrules; i++) {
		const char *g = required_group(d.rules[i], l->o);

		if (g) {
			diag_subject(l->ctx, DIAG_WARNING, p->path,
				     "not learned: the command used %s on it, "
				     "which required group '%s' denies",
				     mode_word(mode), g);
			l->out->refused += count;
			return;
		}
	}
	if (d.nrules) {
		/* A deny the profile may lift: exactly, on one file. */
		if (!file) {
			diag_subject(
				l->ctx, DIAG_WARNING, p->path,
				"not learned: the command used %s on it, "
				"which '%s' denies (%s); exclude that "
				"group or override it by hand",
				mode_word(mode), d.rules[0]->raw,
				ir_origin_chain(l->ctx, &d.rules[0]->origin));
			l->out->denied += count;
			return;
		}
		override = true;
	}
	struct need *n =
		arena_array_push(&l->ctx->arena, (void **)&l->needs, &l->nneeds,
				 &l->needs_cap, sizeof(*n));
	*n = (struct need){ .path = grant_path,
			    .file = file,
			    .override = override,
			    .modes = mode,
			    .kind = kind,
			    .count = count,
			    .seen = p->path };
}

/* Whether the run created @path (it will not be there next time). */
static bool created(const struct trace_result *obs, const char *path)
{
	size_t lo = 0, hi = obs->npaths;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(obs->paths[mid].path, path);

		if (!c)
			return obs->paths[mid].kinds & TRACE_CREATE;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * Move a need off a path that will not exist when the sandbox is built:
 * onto the nearest directory above it that existed before the run.
 */
static void relocate(struct lowering *l, struct need *n)
{
	const char *p = n->path;

	while (strcmp(p, "/") != 0 &&
	       (created(l->obs, p) || !l->exists(p, l->exists_arg)))
		p = parent_of(l->ctx, p);
	if (p == n->path)
		return;
	n->path = p;
	n->file = false;
	if (n->override) {
		/* A subtree override would lift more than was observed. */
		n->override = false;
		diag_subject(l->ctx, DIAG_WARNING, n->seen,
			     "granted through '%s', where a deny of the base "
			     "still holds: the path did not exist before the "
			     "run",
			     p);
	}
}

/* ---- merging, absorbing, collapsing ----------------------------------------
 */

static void add_example(struct learn_rule *r, const char *seen)
{
	for (size_t i = 0; i < r->nexamples; i++)
		if (!strcmp(r->examples[i], seen))
			return;
	if (r->nexamples < LEARN_EXAMPLES)
		r->examples[r->nexamples++] = seen;
}

/* Fold rule @from into @into (modes, counts, examples). */
static void fold(struct learn_rule *into, const struct learn_rule *from)
{
	into->modes |= from->modes;
	for (int k = 0; k < TRACE_NKINDS; k++)
		into->count[k] += from->count[k];
	for (size_t i = 0; i < from->nexamples; i++)
		add_example(into, from->examples[i]);
	into->paths += from->paths;
}

/* Needs (sorted) to rules: one per (path, file, override). */
static void merge_needs(struct lowering *l, struct learn_rule **rules,
			size_t *nrules)
{
	size_t cap = 0;
	const char *last_seen = NULL;

	*rules = NULL;
	*nrules = 0;
	for (size_t i = 0; i < l->nneeds; i++) {
		const struct need *n = &l->needs[i];
		struct learn_rule *r = *nrules ? &(*rules)[*nrules - 1] : NULL;

		if (!r || strcmp(r->path, n->path) || r->file != n->file ||
		    r->override != n->override) {
			r = arena_array_push(&l->ctx->arena, (void **)rules,
					     nrules, &cap, sizeof(*r));
			r->path = n->path;
			r->file = n->file;
			r->override = n->override;
			last_seen = NULL;
		}
		r->modes |= n->modes;
		r->count[n->kind] += n->count;
		if (!last_seen || strcmp(last_seen, n->seen)) {
			r->paths++;
			add_example(r, n->seen);
			last_seen = n->seen;
		}
	}
}

/* Drop rules that a directory grant above them already gives. */
static size_t absorb(struct learn_rule *rules, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		struct learn_rule *d = NULL;

		/* The kept rules are rules[0..k), ancestors first. */
		for (size_t j = k; !rules[i].override && j-- > 0;) {
			struct learn_rule *c = &rules[j];

			if (!c->file && !c->override &&
			    (!strcmp(c->path, rules[i].path) ||
			     is_below(c->path, rules[i].path)) &&
			    (rules[i].modes & ~c->modes) == 0) {
				d = c;
				break;
			}
		}
		if (d)
			fold(d, &rules[i]);
		else
			rules[k++] = rules[i];
	}
	return k;
}

/* Whether a grant on all of @dir is out of the question. */
static bool never_collapse(struct lowering *l, const char *dir)
{
	const char *home = l->o->home;
	size_t first, n;

	if (!strcmp(dir, "/"))
		return true;
	if (home && (!strcmp(dir, home) || is_below(dir, home)))
		return true;
	n = ir_rules_on(l->base, dir, &first);
	for (size_t i = first; i < first + n; i++)
		if (l->base->paths[i].verdict == IR_DENY &&
		    required_group(&l->base->paths[i], l->o))
			return true;
	n = ir_rules_below(l->base, dir, &first);
	for (size_t i = first; i < first + n; i++)
		if (l->base->paths[i].verdict == IR_DENY &&
		    required_group(&l->base->paths[i], l->o))
			return true;
	return false;
}

static size_t depth(const char *path)
{
	size_t d = 0;

	for (; *path; path++)
		d += *path == '/';
	return d;
}

static int deeper_first(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t dx = depth(x), dy = depth(y);

	if (dx != dy)
		return dx > dy ? -1 : 1;
	return path_cmp(x, y);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first rule at or below @dir: rules sort with their subtree. */
static size_t subtree_start(const struct learn_rule *rules, size_t n,
			    const char *dir)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (path_cmp(rules[mid].path, dir) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Distinct entries directly in @dir that hold a rule of rules[i..j)
 * granting @mode (overrides aside: they stay exact).
 */
static size_t entries_in(const struct learn_rule *rules, size_t i, size_t j,
			 const char *dir, unsigned mode)
{
	size_t count = 0, skip = strcmp(dir, "/") ? strlen(dir) + 1 : 1;
	const char *last = NULL;
	size_t last_len = 0;

	for (; i < j; i++) {
		if (!strcmp(rules[i].path, dir) || rules[i].override ||
		    !(rules[i].modes & mode))
			continue;
		const char *name = rules[i].path + skip;
		size_t len = strcspn(name, "/");

		if (last && len == last_len && !strncmp(last, name, len))
			continue;
		count++;
		last = name;
		last_len = len;
	}
	return count;
}

/*
 * Bottom-up: a directory with >= N entries used with a mode becomes one
 * grant of that mode.
 */
static size_t collapse(struct lowering *l, struct learn_rule *rules, size_t n)
{
	const char **dirs = NULL;
	size_t ndirs = 0, cap = 0;

	if (!l->o->collapse || !n)
		return n;
	for (size_t i = 0; i < n; i++)
		for (const char *p = rules[i].path; strcmp(p, "/") != 0;) {
			p = parent_of(l->ctx, p);
			const char **slot =
				arena_array_push(&l->ctx->arena, (void **)&dirs,
						 &ndirs, &cap, sizeof(*slot));
			*slot = p;
		}
	if (!ndirs || arena_failed(&l->ctx->arena))
		return n;
	qsort(dirs, ndirs, sizeof(*dirs), str_cmp);
	size_t k = 0;
	for (size_t i = 0; i < ndirs; i++)
		if (!k || strcmp(dirs[k - 1], dirs[i]))
			dirs[k++] = dirs[i];
	ndirs = k;
	qsort(dirs, ndirs, sizeof(*dirs), deeper_first);

	for (size_t d = 0; d < ndirs; d++) {
		const char *dir = dirs[d];
		size_t i = subtree_start(rules, n, dir), j = i;

		while (j < n && (!strcmp(rules[j].path, dir) ||
				 is_below(dir, rules[j].path)))
			j++;
		/* Collapse each mode used in at least N entries; a rule
		 * with a mode that is not (running one script of a tree
		 * that was read) keeps its own grant. */
		unsigned modes = 0;
		for (unsigned bit = 1; bit <= IR_DELETE; bit <<= 1)
			if (entries_in(rules, i, j, dir, bit) >= l->o->collapse)
				modes |= bit;
		if (!modes || never_collapse(l, dir))
			continue;
		struct learn_rule merged = { .path = dir, .modes = modes };
		struct learn_rule *kept =
			arena_alloc(&l->ctx->arena, (j - i) * sizeof(*kept));
		size_t nkept = 0;
		if (!kept)
			return n;
		for (size_t m = i; m < j; m++) {
			const struct learn_rule *r = &rules[m];
			bool on_dir = !strcmp(r->path, dir) && !r->file;

			/* A grant on dir itself already covers the subtree. */
			if (!r->override && (on_dir || !(r->modes & ~modes)))
				fold(&merged, r);
			else
				kept[nkept++] = *r;
		}
		rules[i] = merged;
		memcpy(&rules[i + 1], kept, nkept * sizeof(*kept));
		memmove(&rules[i + 1 + nkept], &rules[j],
			(n - j) * sizeof(*rules));
		n -= j - i - 1 - nkept;
		/* A file rule on dir itself sorts before the merged one. */
		qsort(&rules[i], nkept + 1, sizeof(*rules), rule_cmp);
	}
	return n;
}

/* ---- network ---------------------------------------------------------------
 */

static int net_cmp(const void *a, const void *b)
{
	const struct learn_net *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return x->port < y->port ? -1 : x->port > y->port;
}

static void lower_net(struct lowering *l)
{
	size_t cap = 0;
	struct learn_result *out = l->out;

	for (size_t i = 0; i < l->obs->nnet; i++) {
		const struct trace_net *t = &l->obs->net[i];
		enum ir_net_kind kind =
			t->kind == TRACE_BIND ? IR_NET_BIND : IR_NET_CONNECT;
		const struct ir_net_rule *why;

		if (ir_decide_net(l->base, IR_LINUX, kind, t->proto, t->port,
				  &why) == IR_ALLOW) {
			out->covered += t->count;
			continue;
		}
		struct learn_net *n = NULL;
		for (size_t j = 0; j < out->nnet; j++)
			if (out->net[j].kind == kind &&
			    out->net[j].proto == t->proto &&
			    out->net[j].port == t->port)
				n = &out->net[j];
		if (!n) {
			n = arena_array_push(&l->ctx->arena, (void **)&out->net,
					     &out->nnet, &cap, sizeof(*n));
			*n = (struct learn_net){ .kind = kind,
						 .proto = t->proto,
						 .port = t->port,
						 .addr = t->addr };
		}
		n->count += t->count;
	}
	if (out->nnet)
		qsort(out->net, out->nnet, sizeof(*out->net), net_cmp);
}

/*
 * The allow-list of the syscalls recorded: all of them but those a rule
 * of the base refuses (they failed, and would again); when the base's
 * default already refuses, only those it does not let through yet.
 */
static void lower_syscalls(struct lowering *l)
{
	const struct ir_settings *s = &l->base->settings[0];
	struct learn_result *out = l->out;
	size_t cap = 0;

	if (!l->obs->nsyscalls)
		return;
	out->sys_default_errno =
		s->sys_default == IR_SYS_ALLOW || s->sys_default == IR_SYS_LOG;
	for (size_t i = 0; i < l->obs->nsyscalls; i++) {
		const char *name = l->obs->syscalls[i];
		const struct ir_sys_rule *why;
		enum ir_sys_outcome o = ir_decide_syscall(l->ctx, l->base,
							  IR_LINUX, name, &why);

		if ((o == IR_SYS_BLOCKS && why) ||
		    (!out->sys_default_errno && o == IR_SYS_PROCEEDS))
			continue;
		const char **slot = arena_array_push(
			&l->ctx->arena, (void **)&out->syscalls,
			&out->nsyscalls, &cap, sizeof(*slot));
		*slot = name;
	}
}

int learn_lower(struct polc_ctx *ctx, const struct ir_policy *base,
		const struct trace_result *obs, const struct learn_options *o,
		bool (*exists)(const char *path, void *arg), void *exists_arg,
		struct learn_result *out)
{
	struct lowering l = { .ctx = ctx,
			      .base = base,
			      .o = o,
			      .obs = obs,
			      .exists = exists,
			      .exists_arg = exists_arg,
			      .out = out };

	memset(out, 0, sizeof(*out));
	out->covered = obs->covered;
	for (size_t i = 0; i < obs->npaths; i++) {
		const struct trace_path *p = &obs->paths[i];

		if (strpbrk(p->path, "*?")) {
			diag_subject(ctx, DIAG_WARNING, p->path,
				     "not learned: a policy cannot name a path "
				     "with '*' or '?'");
			out->skipped++;
			continue;
		}
		const char *dir = parent_of(ctx, p->path);
		/* Listing a directory needs read on it, which only a
		 * subtree rule gives (a file rule has file rights only). */
		if (p->kinds & TRACE_READ)
			add_need(&l, p, 0, p->path, !p->dir, IR_READ);
		if (p->kinds & TRACE_WRITE)
			add_need(&l, p, 1, p->path, true, IR_WRITE);
		if (p->kinds & TRACE_EXEC)
			add_need(&l, p, 2, p->path, true, IR_EXEC);
		if (p->kinds & TRACE_CREATE)
			add_need(&l, p, 3, dir, false, IR_WRITE);
		if (p->kinds & TRACE_DELETE)
			add_need(&l, p, 4, dir, false, IR_DELETE);
	}
	for (size_t i = 0; i < l.nneeds; i++)
		relocate(&l, &l.needs[i]);
	if (l.nneeds)
		qsort(l.needs, l.nneeds, sizeof(*l.needs), need_cmp);
	merge_needs(&l, &out->rules, &out->nrules);
	if (out->nrules)
		qsort(out->rules, out->nrules, sizeof(*out->rules), rule_cmp);
	out->nrules = absorb(out->rules, out->nrules);
	out->nrules = collapse(&l, out->rules, out->nrules);
	out->nrules = absorb(out->rules, out->nrules);
	lower_net(&l);
	lower_syscalls(&l);
	return arena_failed(&ctx->arena) ? -1 : 0;
}
