/*
 * resolve.c - from checked syntax trees to the resolved policy of a profile.
 *
 * Steps, each reporting and carrying on so one run lists every problem:
 *   1. the extends chain, from the profile up to its root;
 *   2. the groups: along the chain from the root down, a profile's use adds
 *      groups and its exclude removes them, per platform; groups are then
 *      followed transitively through their own uses, skipping excluded ones;
 *   3. the rules of every profile on the chain and every group reached, each
 *      with its platforms (platform clauses and blocks) and provenance;
 *   4. the settings, per platform, from the nearest profile that makes them;
 *   5. the network closure (spec/semantics.md §4.7): syscall rules derived
 *      from a network mode of deny, then sorting, so nothing depends on
 *      statement or file order;
 *   6. overrides that lift nothing are errors, allows wholly inside a deny
 *      are warnings.
 * Provenance never depends on statement order either: where a group is
 * reachable several ways, the way recorded is the first in a fixed order
 * (profiles from the root down, group names sorted).
 */
#include "ir/ir.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "common/misspell.h"
#include "common/source.h"
#include "frontend/ast.h"
#include "frontend/load.h"
#include "frontend/names.h"
#include "ir/vars.h"

enum { MAX_CHAIN = 16, MAX_SET_DEPTH = 16 };

/**
 * struct group_state - one group of the library during resolution
 * @item: its definition
 * @clause: platforms of its platform clause
 * @excluded_at: per platform, the chain level nearest the profile that
 *               excludes it (SIZE_MAX: none); an exclusion at level M
 *               cancels the uses made at levels M and above
 * @reached: platforms on which it ends up in the policy
 * @would_reach: where it would end up if nothing were excluded
 * @via: per platform, the chain of links that first reached it (the group
 *       first)
 * @via_len: entries in @via
 * @visiting: on the current use path (cycle detection)
 * @required: its 'required;' statement, or NULL
 */
struct group_state {
	const struct ast_item *item;
	unsigned clause;
	size_t excluded_at[2];
	unsigned reached;
	unsigned would_reach;
	struct ir_link *via[2];
	size_t via_len[2];
	bool visiting;
	bool checked;
	const struct ast_stmt *required;
	/* Its uses and excludes, sorted once (refs_sorted) and walked often. */
	struct ptrvec refs;
	bool refs_sorted;
};

struct resolver {
	struct polc_ctx *ctx;
	const struct load_unit *unit;
	const struct ir_options *opts;
	struct var_env vars;
	struct ir_policy *p;
	const struct ast_item *chain[MAX_CHAIN + 1];
	struct ptrvec chain_refs[MAX_CHAIN + 1]; /* sorted refs per level */
	size_t chain_len;
	struct group_state *groups;
	struct group_state **by_name; /* the groups, sorted by name */
	size_t ngroups;
	bool failed;
	/* Growable rule arrays (ir_policy holds const views of them). */
	struct ir_path_rule *paths;
	size_t npaths, cpaths;
	struct ir_net_rule *net;
	size_t nnet, cnet;
	struct ir_sys_rule *sys;
	size_t nsys, csys;
	struct ir_env_rule *env;
	size_t nenv, cenv;
	struct ir_sb_rule *sb;
	size_t nsb, csb;
	struct ir_expect *expects;
	size_t nexpects, cexpects;
};

__attribute__((format(printf, 3, 4))) static struct diag *
error(struct resolver *r, struct polc_loc loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->failed = true;
	return diag_at(r->ctx, DIAG_ERROR, loc, "%s", msg);
}

static unsigned platform_mask(const struct ptrvec *names)
{
	unsigned mask = 0;

	for (size_t i = 0; i < names->len; i++) {
		const struct ast_word *w = names->items[i];

		if (strcmp(w->text, "linux") == 0)
			mask |= IR_LINUX;
		else if (strcmp(w->text, "macos") == 0)
			mask |= IR_MACOS;
	}
	return mask ? mask : IR_ALL_PLATFORMS;
}

/* ---- names ------------------------------------------------------------- */

static const struct ast_item *find_item(const struct load_unit *unit,
					enum ast_item_kind kind,
					const char *name)
{
	return load_find(unit, kind, name);
}

/* "did you mean" among the names of @kind. */
static const char *suggest(const struct load_unit *unit,
			   enum ast_item_kind kind, const char *name)
{
	struct misspell m;

	misspell_init(&m, name);
	for (size_t i = 0; i < unit->files.len; i++) {
		const struct ast_file *f = unit->files.items[i];

		for (size_t j = 0; j < f->items.len; j++) {
			const struct ast_item *it = f->items.items[j];

			if (it->kind == kind)
				misspell_offer(&m, it->name->text);
		}
	}
	return misspell_result(&m);
}

static void report_undefined(struct resolver *r, const struct ast_word *w,
			     enum ast_item_kind kind)
{
	const char *what = kind == AST_ITEM_PROFILE ? "profile"
			   : kind == AST_ITEM_GROUP ? "group"
						    : "syscall set";
	const char *other_kind = NULL;
	const char *s = suggest(r->unit, kind, w->text);

	if (kind == AST_ITEM_PROFILE &&
	    find_item(r->unit, AST_ITEM_GROUP, w->text))
		other_kind = "a group";
	else if (kind == AST_ITEM_GROUP &&
		 find_item(r->unit, AST_ITEM_PROFILE, w->text))
		other_kind = "a profile";
	if (other_kind)
		error(r, w->loc, "'%s' is %s, not a %s", w->text, other_kind,
		      what);
	else if (s)
		error(r, w->loc, "undefined %s '%s'; did you mean '%s'?", what,
		      w->text, s);
	else
		error(r, w->loc, "undefined %s '%s'", what, w->text);
}

/* ---- 1. the extends chain ------------------------------------------------ */

/*
 * The cycle r->chain[start..] extends back to r->chain[start].  Reported
 * from the profile with the smallest name, so resolving any profile on
 * the cycle gives the same message (and it is printed once).
 */
static void report_cycle_at(struct resolver *r, size_t start)
{
	size_t n = r->chain_len - start, first = start;

	for (size_t i = start; i < r->chain_len; i++)
		if (strcmp(r->chain[i]->name->text,
			   r->chain[first]->name->text) < 0)
			first = i;
	const struct ast_item *head = r->chain[first];
	struct diag *d =
		error(r, head->parent->loc,
		      "extends cycle: '%s' extends '%s', which leads "
		      "back to '%s'",
		      head->name->text, head->parent->text, head->name->text);
	/* The rest of the cycle, from the head's parent round to the head. */
	for (size_t k = 1; k < n; k++) {
		const struct ast_item *it =
			r->chain[start + (first - start + k) % n];

		diag_note(r->ctx, d, it->parent->loc, "'%s' extends '%s' here",
			  it->name->text, it->parent->text);
	}
}

static bool build_chain(struct resolver *r, const struct ast_item *profile)
{
	r->chain[0] = profile;
	r->chain_len = 1;
	for (const struct ast_item *cur = profile; cur->parent;) {
		const struct ast_item *parent =
			find_item(r->unit, AST_ITEM_PROFILE, cur->parent->text);

		if (!parent) {
			report_undefined(r, cur->parent, AST_ITEM_PROFILE);
			return false;
		}
		for (size_t i = 0; i < r->chain_len; i++) {
			if (r->chain[i] != parent)
				continue;
			report_cycle_at(r, i);
			return false;
		}
		if (r->chain_len == MAX_CHAIN) {
			error(r, cur->parent->loc,
			      "extends chains are limited to %d profiles",
			      MAX_CHAIN);
			return false;
		}
		r->chain[r->chain_len++] = parent;
		cur = parent;
	}
	return true;
}

/* ---- 2. groups -------------------------------------------------------------
 */

/* The group called @name (the first so called, were there two), or NULL:
 * a binary search of r->by_name. */
static struct group_state *group_named(struct resolver *r, const char *name)
{
	size_t lo = 0, hi = r->ngroups;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->by_name[mid]->item->name->text, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->ngroups &&
			       !strcmp(r->by_name[lo]->item->name->text, name)
		       ? r->by_name[lo]
		       : NULL;
}

/* By name, then by place in r->groups. */
static int by_name_cmp(const void *pa, const void *pb)
{
	const struct group_state *a = *(const struct group_state *const *)pa;
	const struct group_state *b = *(const struct group_state *const *)pb;
	int c = strcmp(a->item->name->text, b->item->name->text);

	return c ? c : (a > b) - (a < b);
}

static const struct ast_stmt *find_required(const struct ast_item *group)
{
	for (size_t i = 0; i < group->body.len; i++) {
		const struct ast_stmt *s = group->body.items[i];

		if (s->kind == AST_REQUIRED)
			return s;
	}
	return NULL;
}

static void collect_groups(struct resolver *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->unit->files.len; i++) {
		const struct ast_file *f = r->unit->files.items[i];

		for (size_t j = 0; j < f->items.len; j++)
			n += ((const struct ast_item *)f->items.items[j])
				     ->kind == AST_ITEM_GROUP;
	}
	r->groups = arena_alloc(&r->ctx->arena, (n + 1) * sizeof(*r->groups));
	if (!r->groups)
		return;
	for (size_t i = 0; i < r->unit->files.len; i++) {
		const struct ast_file *f = r->unit->files.items[i];

		for (size_t j = 0; j < f->items.len; j++) {
			const struct ast_item *it = f->items.items[j];

			if (it->kind != AST_ITEM_GROUP)
				continue;
			struct group_state *g = &r->groups[r->ngroups++];
			g->item = it;
			g->clause = platform_mask(&it->platforms);
			g->required = find_required(it);
			g->excluded_at[0] = g->excluded_at[1] = SIZE_MAX;
		}
	}
	/* Groups are looked up by name some thousand times. */
	r->by_name = arena_alloc(&r->ctx->arena, (n + 1) * sizeof(*r->by_name));
	if (!r->by_name || arena_failed(&r->ctx->arena)) {
		r->ngroups = 0; /* ir_resolve() fails */
		return;
	}
	for (size_t i = 0; i < r->ngroups; i++)
		r->by_name[i] = &r->groups[i];
	qsort(r->by_name, r->ngroups, sizeof(*r->by_name), by_name_cmp);
}

/* A use or exclude of @name on @mask, written at @w. */
struct group_ref {
	const struct ast_word *w;
	unsigned mask;
	bool exclude;
};

static void refs_of(struct resolver *r, const struct ptrvec *body,
		    unsigned mask, struct ptrvec *out)
{
	for (size_t i = 0; i < body->len; i++) {
		const struct ast_stmt *s = body->items[i];

		if (s->kind == AST_PLATFORM) {
			refs_of(r, &s->u.platform.body,
				mask & platform_mask(&s->u.platform.names),
				out);
			continue;
		}
		if (s->kind != AST_USE && s->kind != AST_EXCLUDE)
			continue;
		for (size_t j = 0; j < s->u.names.len; j++) {
			struct group_ref *ref =
				arena_alloc(&r->ctx->arena, sizeof(*ref));
			ref->w = s->u.names.items[j];
			ref->mask = mask;
			ref->exclude = s->kind == AST_EXCLUDE;
			ptrvec_push(&r->ctx->arena, out, ref);
		}
	}
}

static int ref_cmp(const void *a, const void *b)
{
	const struct group_ref *x = *(const struct group_ref *const *)a;
	const struct group_ref *y = *(const struct group_ref *const *)b;
	int c = strcmp(x->w->text, y->w->text);

	if (c)
		return c;
	if (x->exclude != y->exclude)
		return (int)x->exclude - (int)y->exclude;
	/* Same file: the order they were written in, for stable notes. */
	return (x->w->loc.start > y->w->loc.start) -
	       (x->w->loc.start < y->w->loc.start);
}

/*
 * The refs of @body on every platform, sorted by name so that order never
 * matters; a ref's mask is where its platform blocks hold.
 */
static struct ptrvec sorted_refs(struct resolver *r, const struct ptrvec *body)
{
	struct ptrvec refs = { 0 };

	refs_of(r, body, IR_ALL_PLATFORMS, &refs);
	/* Out of memory, the refs may share the arena's scratch block with
	 * the array itself: nothing to sort, the resolution fails anyway. */
	if (arena_failed(&r->ctx->arena))
		refs.len = 0;
	if (refs.len)
		qsort(refs.items, refs.len, sizeof(void *), ref_cmp);
	return refs;
}

static const struct ptrvec *group_refs(struct resolver *r,
				       struct group_state *g)
{
	if (!g->refs_sorted) {
		g->refs = sorted_refs(r, &g->item->body);
		g->refs_sorted = true;
	}
	return &g->refs;
}

/* Apply the uses and excludes of chain entry @level (0: the profile). */
static void apply_profile_refs(struct resolver *r, size_t level)
{
	const struct ast_item *prof = r->chain[level];
	const struct ptrvec refs = r->chain_refs[level];

	for (size_t i = 0; i < refs.len; i++) {
		const struct group_ref *ref = refs.items[i];
		struct group_state *g = group_named(r, ref->w->text);

		if (!g) {
			report_undefined(r, ref->w, AST_ITEM_GROUP);
			continue;
		}
		if (!ref->exclude)
			continue;
		/* Uses of the same group sort just before its excludes. */
		const struct group_ref *use = NULL;
		for (size_t j = i; j-- > 0 && !use;) {
			const struct group_ref *prev = refs.items[j];

			if (strcmp(prev->w->text, ref->w->text) != 0)
				break;
			if (!prev->exclude && (prev->mask & ref->mask))
				use = prev;
		}
		if (use) {
			struct diag *d = error(r, ref->w->loc,
					       "profile '%s' both uses and "
					       "excludes group '%s'",
					       prof->name->text, ref->w->text);
			diag_note(r->ctx, d, use->w->loc, "used here");
			continue;
		}
		if (g->required) {
			struct diag *d = error(r, ref->w->loc,
					       "group '%s' is required and "
					       "cannot be excluded",
					       ref->w->text);
			diag_note(r->ctx, d, g->required->loc,
				  "'%s' is required here", ref->w->text);
			continue;
		}
		for (unsigned pi = 0; pi < 2; pi++)
			if ((ref->mask & (1u << pi)) &&
			    level < g->excluded_at[pi])
				g->excluded_at[pi] = level;
	}
}

/**
 * struct reach - one walk from a profile's use through groups' uses
 * @level: the chain level of the profile whose use started it
 * @dry: ignore exclusions and record only would_reach (for warnings)
 * @stack: the groups on the current path, and the use that entered each
 */
struct reach {
	size_t level;
	bool dry;
	struct group_state *stack[64];
	const struct ast_word *entered_by[64];
	size_t depth;
};

/* Whether @g's provenance on platform @pi is the same on the other one. */
static bool same_links(const struct group_state *g, unsigned pi)
{
	const struct ir_link *a = g->via[pi], *b = g->via[pi ^ 1];

	if (a == b || !b)
		return true;
	if (!a || g->via_len[pi] != g->via_len[pi ^ 1])
		return false;
	for (size_t i = 0; i < g->via_len[pi]; i++)
		if (a[i].group != b[i].group || strcmp(a[i].name, b[i].name))
			return false;
	return true;
}

/*
 * A use cycle: cycle[k] uses cycle[k + 1] at uses[k], and the last uses
 * the first.  Reported from the group with the smallest name, so every
 * walk that finds the cycle gives the same message (printed once).
 */
static void report_group_cycle(struct resolver *r,
			       struct group_state *const *cycle,
			       const struct ast_word *const *uses, size_t n)
{
	size_t head = 0;

	for (size_t k = 1; k < n; k++)
		if (strcmp(cycle[k]->item->name->text,
			   cycle[head]->item->name->text) < 0)
			head = k;
	struct diag *d = error(r, uses[head]->loc,
			       "use cycle: group '%s' uses '%s', which leads "
			       "back to '%s'",
			       cycle[head]->item->name->text, uses[head]->text,
			       cycle[head]->item->name->text);
	for (size_t k = 1; k < n; k++) {
		size_t at = (head + k) % n;

		diag_note(r->ctx, d, uses[at]->loc, "'%s' uses '%s' here",
			  cycle[at]->item->name->text, uses[at]->text);
	}
}

/* Platforms on which @g is not excluded for a walk from @level. */
static unsigned not_excluded(const struct group_state *g, size_t level)
{
	unsigned m = 0;

	for (unsigned pi = 0; pi < 2; pi++)
		if (g->excluded_at[pi] > level)
			m |= 1u << pi;
	return m;
}

/*
 * Reach @g on @mask through @via (links out to the profile), entered by
 * the use @at, and follow its uses.
 */
static void visit_group(struct resolver *r, struct reach *w,
			struct group_state *g, unsigned mask,
			const struct ir_link *via, size_t via_len,
			const struct ast_word *at)
{
	unsigned *reached = w->dry ? &g->would_reach : &g->reached;
	unsigned m = mask & g->clause &
		     (w->dry ? IR_ALL_PLATFORMS : not_excluded(g, w->level));

	/* Cycles are reported by check_group_uses(), platforms aside. */
	if (g->visiting)
		return;
	/* Out of memory, @via may be the scratch block links would get. */
	if (!(m & ~*reached) || w->depth == 64 || arena_failed(&r->ctx->arena))
		return;
	struct ir_link *links = NULL;
	for (unsigned pi = 0; pi < 2 && !w->dry; pi++) {
		if (!(m & (1u << pi)) || g->via[pi])
			continue;
		if (!links) {
			links = arena_alloc(&r->ctx->arena,
					    (via_len + 1) * sizeof(*links));
			links[0] =
				(struct ir_link){ true, g->item->name->text };
			memcpy(links + 1, via, via_len * sizeof(*via));
		}
		g->via[pi] = links;
		g->via_len[pi] = via_len + 1;
	}
	*reached |= m;
	g->visiting = true;
	w->stack[w->depth] = g;
	w->entered_by[w->depth] = at;
	w->depth++;
	const struct ptrvec refs = *group_refs(r, g);
	for (size_t i = 0; i < refs.len; i++) {
		const struct group_ref *ref = refs.items[i];
		struct group_state *h = group_named(r, ref->w->text);
		unsigned on = ref->mask & m;

		if (ref->exclude)
			continue; /* the checker reported it */
		if (!h) {
			if (!w->dry)
				report_undefined(r, ref->w, AST_ITEM_GROUP);
			continue;
		}
		/* Each platform continues along its own provenance. */
		for (unsigned pi = 0; pi < 2; pi++) {
			unsigned bit = 1u << pi;

			if (!(on & bit))
				continue;
			if (w->dry || same_links(g, pi) ||
			    !(on & (bit ^ IR_ALL_PLATFORMS))) {
				visit_group(
					r, w, h, on, w->dry ? NULL : g->via[pi],
					w->dry ? 0 : g->via_len[pi], ref->w);
				break;
			}
			visit_group(r, w, h, bit, g->via[pi], g->via_len[pi],
				    ref->w);
		}
	}
	w->depth--;
	g->visiting = false;
}

/* The profile part of a provenance chain: chain[level] down to chain[0]. */
static struct ir_link *profile_links(struct resolver *r, size_t level,
				     size_t *len)
{
	struct ir_link *links =
		arena_alloc(&r->ctx->arena, (level + 1) * sizeof(*links));

	for (size_t i = 0; i <= level; i++)
		links[i] = (struct ir_link){ false,
					     r->chain[level - i]->name->text };
	*len = level + 1;
	return links;
}

/*
 * Reach groups from the profiles' uses: nearest the root first, so the
 * provenance recorded is the first in a fixed order; a use at level L is
 * cancelled, per platform, by an exclusion at level L or nearer the
 * profile (excluded_at), which is how a child's use brings back a group
 * its parent excluded, and only from the child.
 */
static void reach_groups(struct resolver *r, bool dry)
{
	for (size_t level = r->chain_len; level-- > 0;) {
		const struct ptrvec refs = r->chain_refs[level];
		size_t plen;
		struct ir_link *plinks = profile_links(r, level, &plen);

		for (size_t i = 0; i < refs.len; i++) {
			const struct group_ref *ref = refs.items[i];
			struct group_state *g = group_named(r, ref->w->text);
			struct reach w = { .level = level, .dry = dry };

			if (g && !ref->exclude)
				visit_group(r, &w, g, ref->mask, plinks, plen,
					    ref->w);
		}
	}
}

/*
 * Walk the uses of @g for cycles and undefined names, whatever profile
 * uses it: validate's check of groups that no profile reaches.
 */
static void check_group_uses(struct resolver *r, struct reach *w,
			     struct group_state *g, const struct ast_word *at)
{
	if (g->visiting) {
		size_t from = w->depth;

		while (from > 0 && w->stack[from - 1] != g)
			from--;
		const struct ast_word *uses[64];
		size_t n = w->depth - from + 1;
		for (size_t k = 0; k + 1 < n; k++)
			uses[k] = w->entered_by[from + k];
		uses[n - 1] = at;
		report_group_cycle(r, &w->stack[from - 1], uses, n);
		return;
	}
	if (g->checked || w->depth == 64)
		return;
	g->checked = true;
	g->visiting = true;
	w->stack[w->depth] = g;
	w->entered_by[w->depth] = at;
	w->depth++;
	const struct ptrvec refs = *group_refs(r, g);
	for (size_t i = 0; i < refs.len; i++) {
		const struct group_ref *ref = refs.items[i];
		struct group_state *h = group_named(r, ref->w->text);

		if (ref->exclude)
			continue;
		if (!h)
			report_undefined(r, ref->w, AST_ITEM_GROUP);
		else
			check_group_uses(r, w, h, ref->w);
	}
	w->depth--;
	g->visiting = false;
}

static void resolve_groups(struct resolver *r)
{
	collect_groups(r);
	for (size_t level = 0; level < r->chain_len; level++)
		r->chain_refs[level] = sorted_refs(r, &r->chain[level]->body);
	/* Use cycles among the groups the chain uses, whatever platform. */
	for (size_t level = 0; level < r->chain_len; level++) {
		const struct ptrvec refs = r->chain_refs[level];

		for (size_t i = 0; i < refs.len; i++) {
			const struct group_ref *ref = refs.items[i];
			struct group_state *g = group_named(r, ref->w->text);
			struct reach w = { 0 };

			if (g && !ref->exclude)
				check_group_uses(r, &w, g, ref->w);
		}
	}
	for (size_t level = r->chain_len; level-- > 0;)
		apply_profile_refs(r, level);
	reach_groups(r, true);
	reach_groups(r, false);
	/* Excluding what the profile would not get anyway is a mistake. */
	for (size_t level = 0; level < r->chain_len; level++) {
		const struct ptrvec refs = r->chain_refs[level];

		for (size_t i = 0; i < refs.len; i++) {
			const struct group_ref *ref = refs.items[i];
			struct group_state *g = group_named(r, ref->w->text);

			if (ref->exclude && g && !g->required &&
			    !(g->would_reach & ref->mask))
				diag_at(r->ctx, DIAG_WARNING, ref->w->loc,
					"excluding group '%s', which profile "
					"'%s' does not get anyway",
					ref->w->text,
					r->chain[level]->name->text);
		}
	}
}

/* ---- 3. rules
 * ---------------------------------------------------------------- */

/**
 * struct source_body - a body whose statements become rules
 * @links: provenance from the holder out to the resolved profile
 * @level: the chain entry that contributes it (for settings)
 * @is_profile: a profile's own body (settings count only there)
 * @expects: its expects apply (not those of ancestor profiles: a profile's
 *           assertions pin its own promises; guards for every profile that
 *           gets them belong in groups)
 */
struct source_body {
	const struct ptrvec *body;
	struct var_scope scope;
	const struct ir_link *links;
	size_t links_len;
	size_t level;
	bool is_profile;
	bool expects;
};

static struct ir_origin origin_of(const struct source_body *b,
				  struct polc_loc loc)
{
	return (struct ir_origin){ loc, b->links, b->links_len };
}

/* The variable a path starts with ("$NAME" or "${NAME}"), or NULL. */
static const char *leading_variable(struct polc_ctx *ctx, const char *text)
{
	size_t start, n = 0;

	if (text[0] != '$' || text[1] == '$')
		return NULL;
	start = text[1] == '{' ? 2 : 1;
	while (text[start + n] == '_' ||
	       (text[start + n] >= 'a' && text[start + n] <= 'z') ||
	       (text[start + n] >= 'A' && text[start + n] <= 'Z') ||
	       (n && text[start + n] >= '0' && text[start + n] <= '9'))
		n++;
	return n ? arena_strndup(&ctx->arena, text + start, n) : NULL;
}

/* A path as written, with a leading "~" spelled as the variable it is. */
static const char *spelled(struct resolver *r, const char *text)
{
	if (text[0] != '~' || (text[1] != '/' && text[1]))
		return text;
	/* Every "~" rule comes here: no printf. */
	size_t n = strlen(text + 1);
	char *out = arena_alloc(&r->ctx->arena, n + sizeof("$HOME"));

	if (!out)
		return text;
	memcpy(out, "$HOME", 5);
	memcpy(out + 5, text + 1, n + 1);
	return out;
}

/* A bad expansion: not absolute, or holding a pattern character. */
static void report_expansion(struct resolver *r, const struct source_body *b,
			     const struct ast_word *w, const char *v,
			     unsigned platform, const char *why)
{
	const char *var = leading_variable(r->ctx, w->text);
	struct polc_loc at;
	struct diag *d = error(r, w->loc, "path '%s' is '%s' once expanded, %s",
			       w->text, v, why);

	if (var && vars_let_at(&r->vars, &b->scope, var, platform, &at))
		diag_note(r->ctx, d, at, "'$%s' is defined here", var);
}

/*
 * Expand and normalise a path on each platform of @mask, into one entry
 * per distinct result with the platforms it holds for.
 */
struct expanded {
	const char *path[2];
	unsigned mask[2];
	size_t n;
};

static bool expand_path(struct resolver *r, const struct source_body *b,
			const struct ast_word *w, unsigned mask,
			struct expanded *out)
{
	static const unsigned platforms[] = { IR_LINUX, IR_MACOS };
	bool reported = false, by_platform = true;

	out->n = 0;
	for (size_t i = 0; i < 2; i++) {
		const char *v;

		if (!(mask & platforms[i]))
			continue;
		/* The same text on both: expanded and normalised once. */
		if (out->n == 1 && !by_platform) {
			out->mask[0] |= platforms[i];
			continue;
		}
		if (r->opts->raw) {
			v = spelled(r, w->text);
		} else {
			v = vars_expand(&r->vars, &b->scope, w, platforms[i],
					!reported, &by_platform);
			if (v && v[0] != '/' && !reported)
				report_expansion(r, b, w, v, platforms[i],
						 "which is not absolute");
			else if (v && strpbrk(v, "*?") && !reported)
				report_expansion(r, b, w, v, platforms[i],
						 "which holds a pattern "
						 "character");
			if (!v || v[0] != '/' || strpbrk(v, "*?")) {
				r->failed = true;
				reported = true;
				continue;
			}
			v = vars_normalise(r->ctx, v);
		}
		if (out->n == 1 && strcmp(out->path[0], v) == 0) {
			out->mask[0] |= platforms[i];
			continue;
		}
		out->path[out->n] = v;
		out->mask[out->n] = platforms[i];
		out->n++;
	}
	return out->n > 0;
}

static void add_path_rule(struct resolver *r, const struct source_body *b,
			  const struct ast_stmt *s, const struct ast_word *w,
			  unsigned mask)
{
	struct expanded e;

	if (!expand_path(r, b, w, mask, &e))
		return;
	for (size_t i = 0; i < e.n; i++) {
		struct ir_path_rule *rule =
			arena_array_push(&r->ctx->arena, (void **)&r->paths,
					 &r->npaths, &r->cpaths, sizeof(*rule));

		rule->verdict =
			s->u.rule.verdict == AST_ALLOW ? IR_ALLOW : IR_DENY;
		rule->override = s->override;
		rule->file = s->u.rule.file;
		rule->create = s->u.rule.create;
		rule->existing = s->u.rule.existing;
		rule->modes = s->u.rule.access.present ? s->u.rule.access.modes
						       : IR_ALL_ACCESS;
		rule->rights = s->u.rule.access.rights;
		rule->platforms = e.mask[i];
		rule->path = e.path[i];
		rule->raw = spelled(r, w->text);
		rule->origin = origin_of(b, w->loc);
	}
}

static void add_net_rule(struct resolver *r, const struct source_body *b,
			 struct polc_loc loc, unsigned mask,
			 const struct ir_net_rule *proto)
{
	struct ir_net_rule *rule =
		arena_array_push(&r->ctx->arena, (void **)&r->net, &r->nnet,
				 &r->cnet, sizeof(*rule));

	*rule = *proto;
	rule->platforms = mask;
	rule->origin = origin_of(b, loc);
}

static void add_network(struct resolver *r, const struct source_body *b,
			const struct ast_stmt *s, unsigned mask)
{
	const struct ast_network *n = &s->u.network;

	switch (n->form) {
	case AST_NET_MODE: break; /* a setting */
	case AST_NET_WORD:
		add_net_rule(r, b, s->loc, mask,
			     &(struct ir_net_rule){ .kind = IR_NET_LOOPBACK });
		break;
	case AST_NET_PORTS:
		for (size_t i = 0; i < n->ports.len; i++) {
			const struct ast_port *port = n->ports.items[i];
			unsigned long lo = strtoul(port->lo->text, NULL, 0);
			unsigned long hi =
				port->hi ? strtoul(port->hi->text, NULL, 0)
					 : lo;

			add_net_rule(
				r, b, port->loc, mask,
				&(struct ir_net_rule){
					.kind = strcmp(n->op->text, "bind")
							? IR_NET_CONNECT
							: IR_NET_BIND,
					.proto = strcmp(n->proto->text, "udp")
							 ? 6
							 : 17,
					.lo = (uint16_t)lo,
					.hi = (uint16_t)hi });
		}
		break;
	case AST_NET_HOSTS:
		for (size_t i = 0; i < n->hosts.len; i++) {
			const struct ast_word *h = n->hosts.items[i];

			add_net_rule(r, b, h->loc, mask,
				     &(struct ir_net_rule){ .kind = IR_NET_HOST,
							    .host = h->text });
		}
		break;
	}
}

/* ---- syscalls
 * ------------------------------------------------------------------ */

static const struct {
	const char *word;
	enum ir_sys_action action;
} sys_actions[] = {
	{ "allow", IR_SYS_ALLOW },
	{ "deny", IR_SYS_ERRNO },
	{ "errno", IR_SYS_ERRNO },
	{ "kill", IR_SYS_KILL },
	{ "kill_thread", IR_SYS_KILL_THREAD },
	{ "trap", IR_SYS_TRAP },
	{ "log", IR_SYS_LOG },
	{ "notify", IR_SYS_NOTIFY },
};

/* EPERM, for 'deny'. */
enum { ERRNO_EPERM = 1 };

static uint64_t cond_value(const struct ast_word *w)
{
	uint64_t v = 0;

	if (w->text[0] >= '0' && w->text[0] <= '9')
		return strtoull(w->text, NULL, 0);
	names_lookup(&names_constant, w->text, &v);
	return v;
}

/* Parse the action words of @s; returns the index of the first target. */
static size_t parse_action(const struct ast_stmt *s, size_t first,
			   enum ir_sys_action *action, unsigned *errno_value)
{
	const struct ptrvec *w = &s->u.syscall.words;
	const char *word = ((const struct ast_word *)w->items[first])->text;
	size_t next = first + 1;

	*action = IR_SYS_ALLOW;
	*errno_value = 0;
	for (size_t i = 0; i < sizeof(sys_actions) / sizeof(*sys_actions); i++)
		if (strcmp(sys_actions[i].word, word) == 0)
			*action = sys_actions[i].action;
	if (strcmp(word, "deny") == 0)
		*errno_value = ERRNO_EPERM;
	if (strcmp(word, "errno") == 0) {
		const char *v = ((const struct ast_word *)w->items[next])->text;
		int e = 0;

		if (v[0] >= '0' && v[0] <= '9')
			e = (int)strtoul(v, NULL, 0);
		else
			names_errno_lookup(v, &e);
		*errno_value = (unsigned)e;
		next++;
	}
	return next;
}

static void add_sys(struct resolver *r, const struct source_body *b,
		    const struct ast_stmt *s, unsigned mask,
		    const struct ast_word *name, const char *via_set,
		    enum ir_sys_action action, unsigned errno_value,
		    const struct ir_sys_cond *conds, size_t nconds)
{
	struct ir_sys_rule *rule =
		arena_array_push(&r->ctx->arena, (void **)&r->sys, &r->nsys,
				 &r->csys, sizeof(*rule));

	rule->syscall = name->text;
	rule->action = action;
	rule->errno_value = errno_value;
	rule->conds = conds;
	rule->nconds = nconds;
	rule->via_set = via_set;
	rule->platforms = mask;
	rule->origin = origin_of(b, s->loc);
}

/* Add a rule for each syscall of set @name, following nested sets. */
static void add_set(struct resolver *r, const struct source_body *b,
		    const struct ast_stmt *s, unsigned mask,
		    const struct ast_word *name, const char *top,
		    const struct ast_item **stack, size_t depth,
		    enum ir_sys_action action, unsigned errno_value,
		    const struct ir_sys_cond *conds, size_t nconds)
{
	const struct ast_item *set =
		find_item(r->unit, AST_ITEM_SET, name->text);

	if (!set) {
		report_undefined(r, name, AST_ITEM_SET);
		return;
	}
	for (size_t i = 0; i < depth; i++) {
		if (stack[i] == set) {
			struct diag *d = error(
				r, name->loc,
				"syscall set '%s' contains itself", name->text);
			for (size_t k = i; k < depth; k++)
				diag_note(r->ctx, d, stack[k]->name->loc,
					  "'%s' is declared here",
					  stack[k]->name->text);
			return;
		}
	}
	if (depth == MAX_SET_DEPTH) {
		error(r, name->loc, "syscall sets nest more than %d deep",
		      MAX_SET_DEPTH);
		return;
	}
	stack[depth] = set;
	for (size_t i = 0; i < set->members.len; i++) {
		const struct ast_word *m = set->members.items[i];

		if (m->text[0] == '@')
			add_set(r, b, s, mask, m, top, stack, depth + 1, action,
				errno_value, conds, nconds);
		else
			add_sys(r, b, s, mask, m, top, action, errno_value,
				conds, nconds);
	}
}

static int cond_cmp(const void *pa, const void *pb)
{
	const struct ir_sys_cond *a = pa, *b = pb;

	if (a->arg != b->arg)
		return a->arg < b->arg ? -1 : 1;
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	if (a->mask != b->mask)
		return a->mask < b->mask ? -1 : 1;
	return (a->value > b->value) - (a->value < b->value);
}

static void add_syscall(struct resolver *r, const struct source_body *b,
			const struct ast_stmt *s, unsigned mask)
{
	const struct ptrvec *w = &s->u.syscall.words;
	enum ir_sys_action action;
	unsigned errno_value;

	if (strcmp(((const struct ast_word *)w->items[0])->text, "default") ==
	    0)
		return; /* a setting */
	size_t first = parse_action(s, 0, &action, &errno_value);
	size_t nconds = s->u.syscall.conds.len;
	struct ir_sys_cond *conds =
		arena_alloc(&r->ctx->arena, (nconds + 1) * sizeof(*conds));

	for (size_t i = 0; i < nconds; i++) {
		const struct ast_cond *c = s->u.syscall.conds.items[i];
		static const char *const ops[] = { "==", "!=", "<",
						   "<=", ">",  ">=" };

		conds[i].arg = (unsigned)(c->arg->text[3] - '0');
		for (unsigned k = 0; k < 6; k++)
			if (strcmp(ops[k], c->op) == 0)
				conds[i].op = (enum ir_cmp)k;
		conds[i].mask = c->mask ? cond_value(c->mask) : UINT64_MAX;
		conds[i].value = cond_value(c->value);
	}
	/* A canonical order, so equal condition sets compare equal. */
	if (nconds > 1)
		qsort(conds, nconds, sizeof(*conds), cond_cmp);
	for (size_t i = first; i < w->len; i++) {
		const struct ast_word *t = w->items[i];
		const struct ast_item *stack[MAX_SET_DEPTH + 1];

		if (t->text[0] == '@')
			add_set(r, b, s, mask, t, t->text, stack, 0, action,
				errno_value, conds, nconds);
		else
			add_sys(r, b, s, mask, t, NULL, action, errno_value,
				conds, nconds);
	}
}

static void push_sb(struct resolver *r, const struct source_body *b,
		    const struct ast_stmt *s, unsigned mask,
		    const struct ast_word *name)
{
	struct ir_sb_rule *rule;

	/* Seatbelt is macOS's: on Linux the rule means nothing. */
	if (!(mask & IR_MACOS))
		return;
	rule = arena_array_push(&r->ctx->arena, (void **)&r->sb, &r->nsb,
				&r->csb, sizeof(*rule));

	rule->verdict = s->u.seatbelt.verdict == AST_ALLOW ? IR_ALLOW : IR_DENY;
	rule->operation = s->u.seatbelt.op->text;
	rule->name = name ? name->text : NULL;
	rule->platforms = IR_MACOS;
	rule->origin = origin_of(b, name ? name->loc : s->u.seatbelt.op->loc);
}

/* One rule per name, or one for the whole operation. */
static void add_seatbelt(struct resolver *r, const struct source_body *b,
			 const struct ast_stmt *s, unsigned mask)
{
	if (!s->u.seatbelt.names.len)
		push_sb(r, b, s, mask, NULL);
	for (size_t i = 0; i < s->u.seatbelt.names.len; i++)
		push_sb(r, b, s, mask, s->u.seatbelt.names.items[i]);
}

static void add_env(struct resolver *r, const struct source_body *b,
		    const struct ast_stmt *s, unsigned mask)
{
	if (!s->u.env.action) {
		struct ir_env_rule *rule =
			arena_array_push(&r->ctx->arena, (void **)&r->env,
					 &r->nenv, &r->cenv, sizeof(*rule));

		rule->kind = IR_ENV_SET;
		rule->pattern = s->u.env.name->text;
		rule->needs = ir_glob_needs(rule->pattern);
		rule->value = s->u.env.value->text;
		rule->platforms = mask;
		rule->origin = origin_of(b, s->loc);
		return;
	}
	for (size_t i = 0; i < s->u.env.patterns.len; i++) {
		const struct ast_word *w = s->u.env.patterns.items[i];
		struct ir_env_rule *rule =
			arena_array_push(&r->ctx->arena, (void **)&r->env,
					 &r->nenv, &r->cenv, sizeof(*rule));

		rule->kind = strcmp(s->u.env.action->text, "pass")
				     ? IR_ENV_DROP
				     : IR_ENV_PASS;
		rule->override = s->override;
		rule->pattern = w->text;
		rule->needs = ir_glob_needs(rule->pattern);
		rule->platforms = mask;
		rule->origin = origin_of(b, w->loc);
	}
}

static void add_expect(struct resolver *r, const struct source_body *b,
		       const struct ast_stmt *s, unsigned mask)
{
	const struct ptrvec *subj = &s->u.expect.subjects;
	struct ir_expect *x =
		arena_array_push(&r->ctx->arena, (void **)&r->expects,
				 &r->nexpects, &r->cexpects, sizeof(*x));
	struct polc_loc *locs;

	x->stmt = s;
	x->platforms = mask;
	x->origin = origin_of(b, s->loc);
	if (s->u.expect.form == AST_EXPECT_NETWORK) {
		/* The subjects are the ports, read from the statement. */
		return;
	}
	x->subjects = arena_alloc(&r->ctx->arena,
				  (subj->len + 1) * sizeof(*x->subjects));
	locs = arena_alloc(&r->ctx->arena, (subj->len + 1) * sizeof(*locs));
	x->subject_locs = locs;
	if (!x->subjects || !locs)
		return;
	for (size_t i = 0; i < subj->len; i++) {
		const struct ast_word *w = subj->items[i];
		struct expanded e;

		locs[x->nsubjects] = w->loc;
		if (s->u.expect.form != AST_EXPECT_PATH) {
			x->subjects[x->nsubjects++] = w->text;
			continue;
		}
		/* Expects are checked per platform; one expansion each. */
		if (!expand_path(r, b, w, mask, &e))
			continue;
		if (e.n > 1 || e.mask[0] != mask) {
			error(r, w->loc,
			      "'%s' expands differently per platform; write "
			      "one expect per platform block",
			      w->text);
			continue;
		}
		x->subjects[x->nsubjects++] = e.path[0];
	}
}

/* ---- 4. settings
 * ---------------------------------------------------------------- */

static void set_setting(struct resolver *r, const struct source_body *b,
			const struct ast_stmt *s, unsigned mask)
{
	for (unsigned pi = 0; pi < 2; pi++) {
		struct ir_settings *st = &r->p->settings[pi];
		struct ir_setting from = { true, origin_of(b, s->loc) };

		if (!(mask & (1u << pi)))
			continue;
		switch (s->kind) {
		case AST_WORKDIR:
			st->workdir =
				s->u.workdir.none ? 0 : s->u.workdir.modes;
			st->workdir_from = from;
			break;
		case AST_NETWORK:
			st->network_allow = s->u.network.mode == AST_ALLOW;
			st->network_from = from;
			break;
		case AST_SYSCALL:
			parse_action(s, 1, &st->sys_default,
				     &st->sys_default_errno);
			st->sys_default_from = from;
			break;
		case AST_IPC:
			for (size_t i = 0; i < s->u.ipc.kinds.len; i++) {
				const struct ast_word *k =
					s->u.ipc.kinds.items[i];
				bool allow = s->u.ipc.verdict == AST_ALLOW;

				from.origin.loc = k->loc;
				if (strcmp(k->text, "signal") == 0) {
					st->ipc_signal = allow;
					st->ipc_signal_from = from;
				} else {
					st->ipc_abstract_unix = allow;
					st->ipc_abstract_unix_from = from;
				}
			}
			break;
		default: break;
		}
	}
}

static bool is_setting(const struct ast_stmt *s)
{
	return s->kind == AST_WORKDIR || s->kind == AST_IPC ||
	       (s->kind == AST_NETWORK && s->u.network.form == AST_NET_MODE) ||
	       (s->kind == AST_SYSCALL &&
		strcmp(((const struct ast_word *)s->u.syscall.words.items[0])
			       ->text,
		       "default") == 0);
}

static void add_body(struct resolver *r, const struct source_body *b,
		     const struct ptrvec *stmts, unsigned mask)
{
	for (size_t i = 0; i < stmts->len; i++) {
		const struct ast_stmt *s = stmts->items[i];

		if (is_setting(s)) {
			if (b->is_profile)
				set_setting(r, b, s, mask);
			continue;
		}
		switch (s->kind) {
		case AST_RULE:
			for (size_t j = 0; j < s->u.rule.paths.len; j++)
				add_path_rule(r, b, s, s->u.rule.paths.items[j],
					      mask);
			break;
		case AST_PLATFORM:
			add_body(r, b, &s->u.platform.body,
				 mask & platform_mask(&s->u.platform.names));
			break;
		case AST_NETWORK: add_network(r, b, s, mask); break;
		case AST_SYSCALL: add_syscall(r, b, s, mask); break;
		case AST_ENV: add_env(r, b, s, mask); break;
		case AST_SEATBELT: add_seatbelt(r, b, s, mask); break;
		case AST_EXPECT:
			if (b->expects)
				add_expect(r, b, s, mask);
			break;
		default: break; /* description, use, let, …: not rules */
		}
	}
}

/* The workdir setting becomes an allow on $WORKDIR, per platform. */
static void add_workdir_rules(struct resolver *r)
{
	for (unsigned pi = 0; pi < 2; pi++) {
		const struct ir_settings *st = &r->p->settings[pi];
		const char *wd = r->opts->builtins[IR_VAR_WORKDIR];

		if (!st->workdir)
			continue;
		if (!wd && !r->opts->raw) {
			error(r, st->workdir_from.origin.loc,
			      "'workdir' needs a value for $WORKDIR (give it "
			      "with --workdir DIR)");
			return;
		}
		struct ir_path_rule *rule =
			arena_array_push(&r->ctx->arena, (void **)&r->paths,
					 &r->npaths, &r->cpaths, sizeof(*rule));
		rule->verdict = IR_ALLOW;
		rule->workdir = true;
		rule->modes = st->workdir;
		rule->platforms = 1u << pi;
		rule->path =
			r->opts->raw ? "$WORKDIR" : vars_normalise(r->ctx, wd);
		rule->raw = "$WORKDIR";
		rule->origin = st->workdir_from.origin;
		/* One rule when both platforms agree. */
		if (pi == 1 && r->npaths >= 2) {
			struct ir_path_rule *prev = &r->paths[r->npaths - 2];
			if (prev->workdir && prev->modes == rule->modes &&
			    prev->origin.loc.start == rule->origin.loc.start &&
			    prev->origin.loc.file == rule->origin.loc.file) {
				prev->platforms |= rule->platforms;
				r->npaths--;
			}
		}
	}
}

/* The paths the rules of @stmts name, platform blocks included. */
static size_t count_rule_paths(const struct ptrvec *stmts)
{
	size_t n = 0;

	for (size_t i = 0; i < stmts->len; i++) {
		const struct ast_stmt *s = stmts->items[i];

		if (s->kind == AST_RULE)
			n += s->u.rule.paths.len;
		else if (s->kind == AST_PLATFORM)
			n += count_rule_paths(&s->u.platform.body);
	}
	return n;
}

/*
 * Room for the path rules collect_rules() will make, allocated once: the
 * array is the largest a resolution makes (~400 rules of 80 bytes for
 * default), and growing it by doubling would leave as much again behind
 * in the arena.  A path that expands differently per platform makes two
 * rules, so this is a first size, not a bound: pushing past it grows.
 */
static void reserve_path_rules(struct resolver *r)
{
	size_t n = 2; /* the workdir's rules */

	for (size_t level = 0; level < r->chain_len; level++)
		n += count_rule_paths(&r->chain[level]->body);
	for (size_t i = 0; i < r->ngroups; i++)
		if (r->groups[i].reached)
			n += count_rule_paths(&r->groups[i].item->body);
	n += n / 8;
	r->paths = arena_alloc(&r->ctx->arena, n * sizeof(*r->paths));
	r->cpaths = r->paths ? n : 0;
}

static void collect_rules(struct resolver *r)
{
	reserve_path_rules(r);
	/* Profiles from the root down: a nearer setting overwrites. */
	for (size_t level = r->chain_len; level-- > 0;) {
		struct source_body b = { .body = &r->chain[level]->body,
					 .level = level,
					 .is_profile = true,
					 .expects = level == 0 };

		vars_scope_init(r->ctx, &b.scope, b.body);
		b.links = profile_links(r, level, &b.links_len);
		add_body(r, &b, b.body, IR_ALL_PLATFORMS);
	}
	for (size_t i = 0; i < r->ngroups; i++) {
		const struct group_state *g = &r->groups[i];
		struct source_body b = { .body = &g->item->body,
					 .expects = true };

		if (!g->reached)
			continue;
		vars_scope_init(r->ctx, &b.scope, b.body);
		/* One pass, or one per platform when they came differently. */
		for (unsigned pi = 0; pi < 2; pi++) {
			unsigned mask = same_links(g, pi)
						? g->reached
						: g->reached & (1u << pi);

			if (!(mask & (1u << pi)))
				continue;
			b.links = g->via[pi];
			b.links_len = g->via_len[pi];
			add_body(r, &b, b.body, mask);
			if (mask == g->reached)
				break;
		}
	}
	add_workdir_rules(r);
}

/* ---- 5. sorting
 * ------------------------------------------------------------------ */

/* Provenance order: source name, then offset; never load order. */
static int origin_cmp(struct polc_ctx *ctx, const struct ir_origin *a,
		      const struct ir_origin *b)
{
	const struct source *sa = source_get(ctx, a->loc.file);
	const struct source *sb = source_get(ctx, b->loc.file);
	int c = strcmp(sa ? sa->name : "", sb ? sb->name : "");

	if (c)
		return c;
	if (a->loc.start != b->loc.start)
		return a->loc.start < b->loc.start ? -1 : 1;
	/* The same statement reached twice: by its chain. */
	for (size_t i = 0; i < a->chain_len && i < b->chain_len; i++) {
		c = strcmp(a->chain[i].name, b->chain[i].name);
		if (c)
			return c;
	}
	return (a->chain_len > b->chain_len) - (a->chain_len < b->chain_len);
}

#define CMP(x, y)                                  \
	do {                                       \
		if ((x) != (y))                    \
			return (x) < (y) ? -1 : 1; \
	} while (0)

static int path_cmp(const void *pa, const void *pb, void *arg)
{
	const struct ir_path_rule *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	CMP(a->verdict, b->verdict);
	CMP(a->override, b->override);
	CMP(a->file, b->file);
	CMP(a->modes, b->modes);
	CMP(a->platforms, b->platforms);
	return origin_cmp(arg, &a->origin, &b->origin);
}

/*
 * Sort r->paths by path_cmp(), the largest sort of a resolution (~400
 * rules).  Their paths share long prefixes ($HOME/.config/…), which a
 * comparison sort compares again at every step; a multikey quicksort
 * (Bentley and Sedgewick) looks at each character position once per
 * partition, and compares whole rules only where their paths are equal.
 * It orders (path, index) pairs, then places each rule once.
 */
struct path_key {
	const char *path;
	size_t index;
};

static void swap_keys(struct path_key *a, struct path_key *b)
{
	struct path_key t = *a;

	*a = *b;
	*b = t;
}

/* Whether @a goes before @b, their paths equal up to @depth. */
static bool key_before(const struct resolver *r, const struct path_key *a,
		       const struct path_key *b, size_t depth)
{
	int c = strcmp(a->path + depth, b->path + depth);

	if (!c)
		c = path_cmp(&r->paths[a->index], &r->paths[b->index], r->ctx);
	return c < 0;
}

static int tie_cmp(const void *pa, const void *pb, void *arg)
{
	const struct resolver *r = arg;
	const struct path_key *a = pa, *b = pb;

	return path_cmp(&r->paths[a->index], &r->paths[b->index], r->ctx);
}

static void sort_keys(const struct resolver *r, struct path_key *k, size_t n,
		      size_t depth);

/* @k[0..n), whose paths are equal up to @depth and hold @c there. */
static void sort_equal(const struct resolver *r, struct path_key *k, size_t n,
		       size_t depth, unsigned char c)
{
	if (c)
		sort_keys(r, k, n, depth + 1);
	else if (n > 1) /* equal paths: by the rest of path_cmp() */
		qsort_r(k, n, sizeof(*k), tie_cmp, (void *)r);
}

/*
 * @k[0..n), whose paths are equal up to @depth, in order.  Of the three
 * parts of a partition, the two smaller are sorted by recursion and the
 * largest by the loop, so the stack stays O(log n) whatever the paths.
 */
static void sort_keys(const struct resolver *r, struct path_key *k, size_t n,
		      size_t depth)
{
	while (n > 8) {
		unsigned char pivot = (unsigned char)k[n / 2].path[depth];
		size_t lt = 0, i = 0, gt = n;

		/* [0, lt) below the pivot, [lt, gt) at it, [gt, n) above. */
		while (i < gt) {
			unsigned char c = (unsigned char)k[i].path[depth];

			if (c < pivot)
				swap_keys(&k[lt++], &k[i++]);
			else if (c > pivot)
				swap_keys(&k[i], &k[--gt]);
			else
				i++;
		}
		size_t neq = gt - lt, ngt = n - gt;
		if (lt >= neq && lt >= ngt) {
			sort_equal(r, k + lt, neq, depth, pivot);
			sort_keys(r, k + gt, ngt, depth);
			n = lt;
		} else if (ngt >= neq) {
			sort_keys(r, k, lt, depth);
			sort_equal(r, k + lt, neq, depth, pivot);
			k += gt;
			n = ngt;
		} else {
			sort_keys(r, k, lt, depth);
			sort_keys(r, k + gt, ngt, depth);
			k += lt;
			n = neq;
			if (!pivot) {
				sort_equal(r, k, n, depth, pivot);
				return;
			}
			depth++;
		}
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i;
		     j > 0 && key_before(r, &k[j], &k[j - 1], depth); j--)
			swap_keys(&k[j], &k[j - 1]);
}

static void sort_path_rules(struct resolver *r)
{
	size_t n = r->npaths;
	struct path_key *keys = arena_alloc(&r->ctx->arena, n * sizeof(*keys));
	const size_t placed = (size_t)-1;

	if (!keys || arena_failed(&r->ctx->arena))
		return; /* ir_resolve() fails */
	for (size_t i = 0; i < n; i++)
		keys[i] = (struct path_key){ r->paths[i].path, i };
	sort_keys(r, keys, n, 0);
	/* Place the rules, one cycle of the permutation at a time. */
	for (size_t i = 0; i < n; i++) {
		if (keys[i].index == i || keys[i].index == placed)
			continue;
		struct ir_path_rule held = r->paths[i];
		for (size_t j = i;;) {
			size_t from = keys[j].index;

			keys[j].index = placed;
			if (from == i) {
				r->paths[j] = held;
				break;
			}
			r->paths[j] = r->paths[from];
			j = from;
		}
	}
}

static int net_cmp(const void *pa, const void *pb, void *arg)
{
	const struct ir_net_rule *a = pa, *b = pb;

	CMP(a->kind, b->kind);
	CMP(a->proto, b->proto);
	CMP(a->lo, b->lo);
	CMP(a->hi, b->hi);
	int c = strcmp(a->host ? a->host : "", b->host ? b->host : "");
	if (c)
		return c;
	CMP(a->platforms, b->platforms);
	return origin_cmp(arg, &a->origin, &b->origin);
}

static int sb_cmp(const void *pa, const void *pb, void *arg)
{
	const struct ir_sb_rule *a = pa, *b = pb;
	int c = strcmp(a->operation, b->operation);

	if (c)
		return c;
	/* The operation as a whole first, then its names. */
	if (!a->name != !b->name)
		return a->name ? 1 : -1;
	c = a->name ? strcmp(a->name, b->name) : 0;
	if (c)
		return c;
	CMP(a->verdict, b->verdict);
	CMP(a->platforms, b->platforms);
	return origin_cmp(arg, &a->origin, &b->origin);
}

static int sys_cmp(const void *pa, const void *pb, void *arg)
{
	const struct ir_sys_rule *a = pa, *b = pb;
	int c = strcmp(a->syscall, b->syscall);

	if (c)
		return c;
	CMP(a->nconds, b->nconds);
	for (size_t i = 0; i < a->nconds; i++) {
		c = cond_cmp(&a->conds[i], &b->conds[i]);
		if (c)
			return c;
	}
	CMP(a->action, b->action);
	CMP(a->errno_value, b->errno_value);
	CMP(a->platforms, b->platforms);
	return origin_cmp(arg, &a->origin, &b->origin);
}

static int env_cmp(const void *pa, const void *pb, void *arg)
{
	const struct ir_env_rule *a = pa, *b = pb;
	int c = strcmp(a->pattern, b->pattern);

	if (c)
		return c;
	CMP(a->kind, b->kind);
	CMP(a->override, b->override);
	c = strcmp(a->value ? a->value : "", b->value ? b->value : "");
	if (c)
		return c;
	CMP(a->platforms, b->platforms);
	return origin_cmp(arg, &a->origin, &b->origin);
}

static int expect_cmp(const void *pa, const void *pb, void *arg)
{
	const struct ir_expect *a = pa, *b = pb;

	return origin_cmp(arg, &a->origin, &b->origin);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- the network closure
 * ---------------------------------------------------------------- */

/* Linux values the closure compares with (the same on every architecture). */
enum {
	CLOSE_AF_UNIX = 1,
	CLOSE_AF_INET = 2,
	CLOSE_AF_INET6 = 10,
	CLOSE_SOCK_STREAM = 1,
	CLOSE_SOCK_DGRAM = 2,
	CLOSE_SOCK_TYPE_MASK =
		0xf, /* the type's low bits; the rest are flags */
	CLOSE_IPPROTO_TCP = 6,
	CLOSE_IPPROTO_UDP = 17,
	CLOSE_EPERM = 1,
};

static void add_closure(struct resolver *r, const char *syscall,
			const struct ir_origin *origin,
			const struct ir_sys_cond *conds, size_t nconds)
{
	struct ir_sys_rule *rule =
		arena_array_push(&r->ctx->arena, (void **)&r->sys, &r->nsys,
				 &r->csys, sizeof(*rule));
	struct ir_sys_cond *own =
		arena_alloc(&r->ctx->arena, (nconds + 1) * sizeof(*own));

	if (nconds)
		memcpy(own, conds, nconds * sizeof(*own));
	qsort(own, nconds, sizeof(*own), cond_cmp);
	rule->syscall = syscall;
	rule->action = IR_SYS_ERRNO;
	rule->errno_value = CLOSE_EPERM;
	rule->conds = own;
	rule->nconds = nconds;
	rule->platforms = IR_LINUX;
	rule->origin = *origin;
	rule->closure = true;
}

#define COND(a, o, v) ((struct ir_sys_cond){ (a), IR_CMP_##o, UINT64_MAX, (v) })
#define TYPE(o, v) \
	((struct ir_sys_cond){ 1, IR_CMP_##o, CLOSE_SOCK_TYPE_MASK, (v) })

/* The first Linux connect or bind grant of @proto (r->net is sorted). */
static const struct ir_net_rule *first_grant(const struct resolver *r,
					     unsigned proto)
{
	for (size_t i = 0; i < r->nnet; i++)
		if ((r->net[i].kind == IR_NET_CONNECT ||
		     r->net[i].kind == IR_NET_BIND) &&
		    r->net[i].proto == proto &&
		    (r->net[i].platforms & IR_LINUX))
			return &r->net[i];
	return NULL;
}

/*
 * spec/semantics.md §4.7: when the Linux network mode is deny, deny what
 * Landlock cannot mediate.  Landlock sees TCP bind and connect only, so
 * every other socket is refused: all families but AF_UNIX; with a TCP
 * grant, TCP over AF_INET/AF_INET6 too; with a UDP grant (name lookups
 * need one), UDP too, which no kernel mechanism can limit to its ports;
 * and io_uring, which creates sockets without socket(2).  The rules carry
 * the origin of what called for them: the network mode, or the first
 * grant of each protocol.
 */
static void close_network(struct resolver *r)
{
	const struct ir_settings *st =
		&r->p->settings[ir_platform_index(IR_LINUX)];
	struct ir_origin mode = st->network_from.origin;
	const struct ir_net_rule *tcp = first_grant(r, CLOSE_IPPROTO_TCP);
	const struct ir_net_rule *udp = first_grant(r, CLOSE_IPPROTO_UDP);
	static const char *const io_uring[] = { "io_uring_setup",
						"io_uring_enter",
						"io_uring_register" };

	if (st->network_allow)
		return;
	if (!st->network_from.set) /* the default mode: the profile */
		mode = (struct ir_origin){ r->p->loc, NULL, 0 };
	for (size_t i = 0; i < 3; i++)
		add_closure(r, io_uring[i], &mode, NULL, 0);
	if (!tcp && !udp) {
		add_closure(r, "socket", &mode, &COND(0, NE, CLOSE_AF_UNIX), 1);
		return;
	}
	const struct ir_origin *grant = tcp ? &tcp->origin : &udp->origin;
	const struct ir_sys_cond family[][2] = {
		{ COND(0, LT, CLOSE_AF_UNIX) },
		{ COND(0, GT, CLOSE_AF_INET), COND(0, LT, CLOSE_AF_INET6) },
		{ COND(0, GT, CLOSE_AF_INET6) },
	};
	add_closure(r, "socket", grant, family[0], 1);
	add_closure(r, "socket", grant, family[1], 2);
	add_closure(r, "socket", grant, family[2], 1);
	for (unsigned inet = 0; inet < 2; inet++) {
		uint64_t af = inet ? CLOSE_AF_INET6 : CLOSE_AF_INET;
		/* A type no grant allows; with both, neither stream nor
		 * datagram. */
		struct ir_sys_cond other_type[3] = { COND(0, EQ, af) };
		size_t n = 1;

		if (tcp)
			other_type[n++] = TYPE(NE, CLOSE_SOCK_STREAM);
		if (udp)
			other_type[n++] = TYPE(NE, CLOSE_SOCK_DGRAM);
		add_closure(r, "socket", grant, other_type, n);
		/* An allowed type with another protocol (raw, SCTP, MPTCP,
		 * ICMP datagrams): only 0 and the type's own. */
		for (unsigned k = 0; k < 2; k++) {
			const struct ir_net_rule *g = k ? udp : tcp;
			uint64_t type =
				k ? CLOSE_SOCK_DGRAM : CLOSE_SOCK_STREAM;
			uint64_t proto =
				k ? CLOSE_IPPROTO_UDP : CLOSE_IPPROTO_TCP;
			struct ir_sys_cond other_proto[4] = {
				COND(0, EQ, af),
				COND(2, NE, 0),
				COND(2, NE, proto),
				TYPE(EQ, type),
			};

			if (g)
				add_closure(r, "socket", &g->origin,
					    other_proto, tcp && udp ? 4 : 3);
		}
	}
}

#undef TYPE
#undef COND

static void finish_policy(struct resolver *r)
{
	struct ir_policy *p = r->p;
	size_t ng = 0;

	sort_path_rules(r);
	/* qsort_r must not see NULL, even for zero elements. */
	if (r->nnet)
		qsort_r(r->net, r->nnet, sizeof(*r->net), net_cmp, r->ctx);
	close_network(r);
	if (r->nsys)
		qsort_r(r->sys, r->nsys, sizeof(*r->sys), sys_cmp, r->ctx);
	if (r->nenv)
		qsort_r(r->env, r->nenv, sizeof(*r->env), env_cmp, r->ctx);
	if (r->nsb)
		qsort_r(r->sb, r->nsb, sizeof(*r->sb), sb_cmp, r->ctx);
	if (r->nexpects)
		qsort_r(r->expects, r->nexpects, sizeof(*r->expects),
			expect_cmp, r->ctx);
	p->paths = r->paths;
	p->npaths = r->npaths;
	p->net = r->net;
	p->nnet = r->nnet;
	p->sys = r->sys;
	p->nsys = r->nsys;
	p->env = r->env;
	p->nenv = r->nenv;
	p->sb = r->sb;
	p->nsb = r->nsb;
	p->expects = r->expects;
	p->nexpects = r->nexpects;

	const char **names =
		arena_alloc(&r->ctx->arena, (r->ngroups + 1) * sizeof(*names));
	unsigned *masks =
		arena_alloc(&r->ctx->arena, (r->ngroups + 1) * sizeof(*masks));
	for (size_t i = 0; i < r->ngroups; i++)
		if (r->groups[i].reached)
			names[ng++] = r->groups[i].item->name->text;
	qsort(names, ng, sizeof(*names), name_cmp);
	for (size_t i = 0; i < ng; i++)
		masks[i] = group_named(r, names[i])->reached;
	p->groups = names;
	p->group_platforms = masks;
	p->ngroups = ng;

	const char **chain =
		arena_alloc(&r->ctx->arena, r->chain_len * sizeof(*chain));
	for (size_t i = 0; i < r->chain_len; i++)
		chain[i] = r->chain[i]->name->text;
	p->chain = chain;
	p->chain_len = r->chain_len;
}

/* ---- 6. overrides and dead rules
 * ----------------------------------------------- */

/*
 * The rules that share paths with @rule: those covering its path, and, for
 * a subtree rule, those on paths below it.  @fn is called with each.
 */
struct overlap_walk {
	const struct ir_path_rule *rule;
	bool (*fn)(const struct ir_path_rule *other, void *arg);
	void *arg;
};

static bool skip_self(const struct ir_path_rule *other, void *arg)
{
	struct overlap_walk *w = arg;

	return other == w->rule || w->fn(other, w->arg);
}

static void for_overlapping(const struct ir_policy *p,
			    const struct ir_path_rule *rule,
			    bool (*fn)(const struct ir_path_rule *, void *),
			    void *arg)
{
	struct overlap_walk w = { rule, fn, arg };
	size_t first, n;

	ir_for_covering(p, rule->path, skip_self, &w);
	if (rule->file)
		return;
	n = ir_rules_below(p, rule->path, &first);
	for (size_t i = first; i < first + n; i++)
		if (!fn(&p->paths[i], arg))
			return;
}

/* What an override finds among the denies that share its paths. */
struct override_check {
	const struct ir_path_rule *o;
	bool lifts;
	const struct ir_path_rule *path_only[3]; /* other modes */
	size_t npath_only;
};

static bool lifted(const struct ir_path_rule *d, void *arg)
{
	struct override_check *c = arg;

	if (d->verdict != IR_DENY || !(d->platforms & c->o->platforms))
		return true;
	if (d->modes & c->o->modes) {
		c->lifts = true;
		return false;
	}
	if (c->npath_only < 3)
		c->path_only[c->npath_only++] = d;
	return true;
}

static void check_overrides(struct resolver *r)
{
	const struct ir_policy *p = r->p;

	for (size_t i = 0; i < p->npaths; i++) {
		struct override_check c = { .o = &p->paths[i] };

		if (!c.o->override)
			continue;
		for_overlapping(p, c.o, lifted, &c);
		if (c.lifts)
			continue;
		struct diag *d =
			error(r, c.o->origin.loc,
			      "override of '%s' lifts no deny", c.o->path);
		for (size_t k = 0; k < c.npath_only; k++)
			diag_note(r->ctx, d, c.path_only[k]->origin.loc,
				  "this deny covers the path, but for other "
				  "access");
		if (!c.npath_only)
			diag_note(r->ctx, d, c.o->origin.loc,
				  "no deny in profile '%s' covers this path; "
				  "write 'allow' instead",
				  p->profile);
	}
}

/* A deny that makes an allow dead, and whether an override saves it. */
struct dead_check {
	const struct ir_path_rule *a;
	const struct ir_path_rule *dead_by;
	bool saved;
};

/* Whether every path and mode @a covers on its platforms is denied by @d. */
static bool wholly_inside(const struct ir_path_rule *a,
			  const struct ir_path_rule *d)
{
	if ((a->platforms & d->platforms) != a->platforms ||
	    (a->modes & d->modes) != a->modes)
		return false;
	if (d->file)
		return a->file && strcmp(a->path, d->path) == 0;
	return ir_path_covers(d->path, false, a->path);
}

static bool find_dead_by(const struct ir_path_rule *d, void *arg)
{
	struct dead_check *c = arg;

	if (d->verdict == IR_DENY && wholly_inside(c->a, d)) {
		c->dead_by = d;
		return false;
	}
	return true;
}

static bool find_saving_override(const struct ir_path_rule *o, void *arg)
{
	struct dead_check *c = arg;

	if (o->override && (o->platforms & c->a->platforms) &&
	    (o->modes & c->a->modes)) {
		c->saved = true;
		return false;
	}
	return true;
}

static void check_dead_rules(struct resolver *r)
{
	const struct ir_policy *p = r->p;

	for (size_t i = 0; i < p->npaths; i++) {
		struct dead_check c = { .a = &p->paths[i] };

		if (c.a->verdict != IR_ALLOW || c.a->override || c.a->workdir ||
		    c.a->rights)
			continue;
		ir_for_covering(p, c.a->path, find_dead_by, &c);
		if (!c.dead_by)
			continue;
		for_overlapping(p, c.a, find_saving_override, &c);
		if (c.saved)
			continue;
		struct diag *d = diag_at(r->ctx, DIAG_WARNING, c.a->origin.loc,
					 "dead rule: '%s' lies wholly inside "
					 "a deny",
					 c.a->path);
		diag_note(r->ctx, d, c.dead_by->origin.loc,
			  "denied here, by %s",
			  ir_origin_chain(r->ctx, &c.dead_by->origin));
	}
}

/* ---- env and syscall conflicts -------------------------------------- */

/* The chain entry a rule came through: 0 for the profile itself. */
static size_t chain_level(const struct ir_origin *o)
{
	size_t profiles = 0;

	for (size_t i = 0; i < o->chain_len; i++)
		profiles += !o->chain[i].group;
	return profiles ? profiles - 1 : 0;
}

static bool is_literal(const char *pattern)
{
	return !strpbrk(pattern, "*?");
}

/*
 * An env set is a setting per name: the nearest profile's wins (on each
 * platform), and two different values at the same distance are an error.
 * Sets that lose keep no platform and are dropped.
 */
static void resolve_env_sets(struct resolver *r)
{
	for (size_t i = 0; i < r->nenv; i++) {
		struct ir_env_rule *a = &r->env[i];

		if (a->kind != IR_ENV_SET)
			continue;
		for (size_t j = 0; j < r->nenv && a->platforms; j++) {
			struct ir_env_rule *b = &r->env[j];
			size_t la = chain_level(&a->origin);
			size_t lb = chain_level(&b->origin);

			if (j == i || b->kind != IR_ENV_SET ||
			    strcmp(a->pattern, b->pattern) ||
			    !(a->platforms & b->platforms))
				continue;
			if (lb < la) {
				a->platforms &= ~b->platforms;
			} else if (lb == la &&
				   strcmp(a->value, b->value) != 0 && j < i) {
				struct diag *d = error(
					r, a->origin.loc,
					"'%s' is set to two values in profile "
					"'%s'",
					a->pattern, r->chain[la]->name->text);
				diag_note(r->ctx, d, b->origin.loc,
					  "also set here");
			}
		}
	}
	size_t kept = 0;
	for (size_t i = 0; i < r->nenv; i++)
		if (r->env[i].platforms)
			r->env[kept++] = r->env[i];
	r->nenv = kept;
}

static void check_env_overrides(struct resolver *r)
{
	for (size_t i = 0; i < r->nenv; i++) {
		const struct ir_env_rule *o = &r->env[i];
		bool lifts = false;

		if (!o->override)
			continue;
		for (size_t j = 0; j < r->nenv && !lifts; j++) {
			const struct ir_env_rule *d = &r->env[j];

			if (d->kind != IR_ENV_DROP ||
			    !(d->platforms & o->platforms))
				continue;
			/* Two patterns with wildcards may overlap: assume so.
			 */
			lifts = is_literal(o->pattern)
					? ir_glob_match(d->pattern, o->pattern)
				: is_literal(d->pattern)
					? ir_glob_match(o->pattern, d->pattern)
					: true;
		}
		if (!lifts) {
			struct diag *d = error(r, o->origin.loc,
					       "override of '%s' lifts no drop",
					       o->pattern);
			diag_note(r->ctx, d, o->origin.loc,
				  "no 'env drop' in profile '%s' matches it; "
				  "write 'env pass' instead",
				  r->p->profile);
		}
	}
}

/*
 * One syscall with two errno values under the same conditions: the rules
 * are sorted by syscall, then conditions (each rule's conditions sorted,
 * so any order of writing compares equal), then action and errno, so such
 * pairs are neighbours on each platform.
 */
static bool same_conds(const struct ir_sys_rule *a, const struct ir_sys_rule *b)
{
	return a->nconds == b->nconds &&
	       (a->nconds == 0 ||
		memcmp(a->conds, b->conds, a->nconds * sizeof(*a->conds)) == 0);
}

static void check_errno_conflicts(struct resolver *r)
{
	const struct ir_policy *p = r->p;

	for (size_t i = 1; i < p->nsys; i++) {
		const struct ir_sys_rule *a = &p->sys[i];

		if (a->action != IR_SYS_ERRNO)
			continue;
		/* Earlier errno rules for the same syscall and conditions. */
		for (size_t j = i; j-- > 0;) {
			const struct ir_sys_rule *b = &p->sys[j];

			if (b->action != IR_SYS_ERRNO ||
			    strcmp(a->syscall, b->syscall) || !same_conds(a, b))
				break;
			if (b->errno_value == a->errno_value ||
			    !(a->platforms & b->platforms))
				continue;
			/* Reported at the one written later. */
			const struct ir_sys_rule *here = a, *there = b;
			if (origin_cmp(r->ctx, &a->origin, &b->origin) < 0) {
				here = b;
				there = a;
			}
			struct diag *d =
				error(r, here->origin.loc,
				      "syscall '%s' gets errno %u here "
				      "and errno %u elsewhere, under "
				      "the same conditions",
				      here->syscall, here->errno_value,
				      there->errno_value);
			diag_note(r->ctx, d, there->origin.loc, "errno %u here",
				  there->errno_value);
			break;
		}
	}
}

/* ---- entry point
 * -------------------------------------------------------------- */

static const char *description_of(const struct ast_item *it)
{
	for (size_t i = 0; i < it->body.len; i++) {
		const struct ast_stmt *s = it->body.items[i];

		if (s->kind == AST_DESCRIPTION)
			return s->u.text->text;
	}
	return "";
}

int ir_check_groups(struct polc_ctx *ctx, const struct load_unit *unit,
		    const struct ir_options *opts)
{
	struct resolver r = { .ctx = ctx, .unit = unit, .opts = opts };

	r.p = arena_alloc(&ctx->arena, sizeof(*r.p));
	vars_env_init(&r.vars, ctx, unit, opts);
	collect_groups(&r);
	for (size_t i = 0; i < r.ngroups; i++) {
		struct group_state *g = &r.groups[i];
		struct reach w = { 0 };
		struct source_body b = { .body = &g->item->body,
					 .expects = true };

		check_group_uses(&r, &w, g, g->item->name);
		/* Names of sets and variables: the rules go nowhere. */
		vars_scope_init(ctx, &b.scope, b.body);
		add_body(&r, &b, b.body, g->clause);
	}
	return r.failed ? -1 : 0;
}

const struct ir_policy *ir_resolve(struct polc_ctx *ctx,
				   const struct load_unit *unit,
				   const char *name,
				   const struct ir_options *opts)
{
	struct resolver r = { .ctx = ctx, .unit = unit, .opts = opts };
	const struct ast_item *profile =
		find_item(unit, AST_ITEM_PROFILE, name);

	if (!profile) {
		const char *s = suggest(unit, AST_ITEM_PROFILE, name);

		if (s)
			diag_subject(ctx, DIAG_ERROR, name,
				     "no profile named '%s'; did you mean "
				     "'%s'?",
				     name, s);
		else
			diag_subject(ctx, DIAG_ERROR, name,
				     "no profile named '%s'", name);
		return NULL;
	}
	r.p = arena_alloc(&ctx->arena, sizeof(*r.p));
	r.p->profile = profile->name->text;
	r.p->description = description_of(profile);
	r.p->item = profile;
	r.p->loc = profile->name->loc;
	for (unsigned pi = 0; pi < 2; pi++)
		r.p->settings[pi].sys_default = IR_SYS_ALLOW;
	vars_env_init(&r.vars, ctx, unit, opts);
	if (!build_chain(&r, profile) || arena_failed(&ctx->arena))
		return NULL;
	/* Out of memory, what a stage built may alias the arena's scratch
	 * block: no later stage may read it. */
	resolve_groups(&r);
	if (r.failed || arena_failed(&ctx->arena))
		return NULL;
	collect_rules(&r);
	resolve_env_sets(&r);
	if (arena_failed(&ctx->arena))
		return NULL;
	finish_policy(&r);
	if (arena_failed(&ctx->arena))
		return NULL;
	check_errno_conflicts(&r);
	if (!r.failed && !opts->raw) {
		check_env_overrides(&r);
		check_overrides(&r);
		check_dead_rules(&r);
	}
	if (r.failed || arena_failed(&ctx->arena))
		return NULL;
	return r.p;
}
