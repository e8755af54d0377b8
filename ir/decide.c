/*
 * decide.c - the decision procedure (spec/semantics.md, "Decisions").
 *
 * Every question is answered from the rules alone, for one platform, so the
 * answer cannot depend on the order in which rules were written or loaded.
 * Scans are linear: a policy holds hundreds of rules, and the questions
 * come from validate, explain and diff, not from a hot path.
 */
#include <string.h>

#include "common/ctx.h"
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

bool ir_glob_match(const char *pattern, const char *name)
{
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

static void push(struct polc_ctx *ctx, const struct ir_path_rule ***v,
		 size_t *n, size_t *cap, const struct ir_path_rule *rule)
{
	const struct ir_path_rule **slot =
		arena_array_push(&ctx->arena, (void **)v, n, cap, sizeof(**v));

	*slot = rule;
}

void ir_decide_path(struct polc_ctx *ctx, const struct ir_policy *p,
		    unsigned platform, const char *path, unsigned access,
		    struct ir_decision *out)
{
	const struct ir_path_rule **denies = NULL, **allows = NULL;
	size_t ndeny = 0, cdeny = 0, nallow = 0, callow = 0;
	bool overridden = false;

	for (size_t i = 0; i < p->npaths; i++) {
		const struct ir_path_rule *r = &p->paths[i];

		if (!(r->platforms & platform) || !(r->modes & access) ||
		    !ir_path_covers(r->path, r->file, path))
			continue;
		if (r->verdict == IR_DENY) {
			push(ctx, &denies, &ndeny, &cdeny, r);
			continue;
		}
		overridden |= r->override;
		push(ctx, &allows, &nallow, &callow, r);
	}
	*out = (struct ir_decision){ 0 };
	if (ndeny && !overridden) {
		out->verdict = IR_DENY;
		out->rules = denies;
		out->nrules = ndeny;
		return;
	}
	out->verdict = nallow ? IR_ALLOW : IR_DENY;
	out->rules = allows;
	out->nrules = nallow;
	out->lifted = denies;
	out->nlifted = ndeny;
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

	*why = NULL;
	for (size_t i = 0; i < p->nenv; i++) {
		const struct ir_env_rule *r = &p->env[i];

		if (!(r->platforms & platform))
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
	if (drop && !lift) {
		*why = drop;
		return IR_DENY;
	}
	*why = lift ? lift : pass;
	return lift || pass ? IR_ALLOW : IR_DENY;
}

static bool proceeds(enum ir_sys_action a)
{
	return a == IR_SYS_ALLOW || a == IR_SYS_LOG;
}

enum ir_verdict ir_decide_syscall(const struct ir_policy *p, unsigned platform,
				  const char *name, bool *mixed,
				  const struct ir_sys_rule **why)
{
	const struct ir_settings *st =
		&p->settings[ir_platform_index(platform)];
	const struct ir_sys_rule *always = NULL, *sometimes_stop = NULL,
				 *sometimes_go = NULL;

	*mixed = false;
	*why = NULL;
	for (size_t i = 0; i < p->nsys; i++) {
		const struct ir_sys_rule *r = &p->sys[i];

		if (!(r->platforms & platform) || strcmp(r->syscall, name))
			continue;
		if (r->nconds == 0) {
			/* The most restrictive unconditional rule. */
			if (!always || r->action > always->action)
				always = r;
		} else if (!proceeds(r->action)) {
			sometimes_stop = sometimes_stop ? sometimes_stop : r;
		} else {
			sometimes_go = sometimes_go ? sometimes_go : r;
		}
	}
	enum ir_sys_action base = always ? always->action : st->sys_default;
	/*
	 * The most restrictive applicable action wins.  An unconditional
	 * stop decides every call; conditional rules make the outcome depend
	 * on the arguments when they point the other way.
	 */
	if (!proceeds(base)) {
		*why = always;
		if (!always && sometimes_go) {
			*mixed = true;
			*why = sometimes_go;
		}
		return IR_DENY;
	}
	if (sometimes_stop) {
		*mixed = true;
		*why = sometimes_stop;
		return IR_DENY;
	}
	*why = always;
	return IR_ALLOW;
}
