/*
 * check.c - expect assertions, evaluated with the decision procedure.
 *
 * Each assertion is checked on every platform it applies to.  A failure is
 * one error at the assertion that names the profile, the platforms and the
 * question that went the other way, with a note at each rule that decided
 * (or a note saying that no rule did, for a default).
 */
#include <stdlib.h>
#include <string.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "frontend/ast.h"
#include "ir/ir.h"

static const char *const mode_names[] = { "read", "write", "exec", "delete" };

/**
 * struct failure - the first way an assertion failed
 * @platforms: every platform on which it failed
 * @what: the question, e.g. "read of '/home/u/.ssh/id_rsa'"
 * @answer: "allowed" or "denied"
 * @path: the deciding path rules (path assertions)
 * @rule_loc: the deciding rule of other assertions, file 0 for a default
 * @rule_chain: its provenance chain
 */
struct failure {
	unsigned platforms;
	const char *what;
	const char *answer;
	struct ir_decision path;
	bool have_rule;
	struct ir_origin rule;
};

static const char *verdict_word(enum ir_verdict v)
{
	return v == IR_ALLOW ? "allowed" : "denied";
}

static void fail(struct failure *f, unsigned platform, const char *what,
		 const char *answer)
{
	if (!f->platforms) {
		f->what = what;
		f->answer = answer;
	}
	f->platforms |= platform;
}

static void check_path(struct polc_ctx *ctx, const struct ir_policy *p,
		       const struct ir_expect *x, size_t i, unsigned platform,
		       enum ir_verdict want, struct failure *f)
{
	const struct ast_access *a = &x->stmt->u.expect.access;
	unsigned modes = a->present ? a->modes : IR_ALL_ACCESS;

	for (unsigned b = 0; b < 4; b++) {
		struct ir_decision d;

		if (!(modes & (1u << b)))
			continue;
		ir_decide_path(ctx, p, platform, x->subjects[i], 1u << b, &d);
		if (d.verdict == want)
			continue;
		if (!f->platforms)
			f->path = d;
		fail(f, platform,
		     arena_printf(&ctx->arena, "%s of '%s'", mode_names[b],
				  x->subjects[i]),
		     verdict_word(d.verdict));
	}
}

/* Port (range) @i of a network assertion: every port in it. */
static void check_port(struct polc_ctx *ctx, const struct ir_policy *p,
		       const struct ir_expect *x, size_t i, unsigned platform,
		       enum ir_verdict want, struct failure *f)
{
	const struct ast_network *n = &x->stmt->u.expect.network;
	const struct ast_port *port = n->ports.items[i];
	enum ir_net_kind kind =
		strcmp(n->op->text, "bind") ? IR_NET_CONNECT : IR_NET_BIND;
	unsigned proto = strcmp(n->proto->text, "udp") ? 6 : 17;
	unsigned long lo = strtoul(port->lo->text, NULL, 0);
	unsigned long hi = port->hi ? strtoul(port->hi->text, NULL, 0) : lo;

	for (unsigned long pt = lo; pt <= hi; pt++) {
		const struct ir_net_rule *why;
		enum ir_verdict v = ir_decide_net(p, platform, kind, proto,
						  (unsigned)pt, &why);

		if (v == want)
			continue;
		if (!f->platforms && why) {
			f->have_rule = true;
			f->rule = why->origin;
		}
		fail(f, platform,
		     arena_printf(&ctx->arena, "%s to %s port %lu", n->op->text,
				  n->proto->text, pt),
		     verdict_word(v));
		return;
	}
}

static void check_env(struct polc_ctx *ctx, const struct ir_policy *p,
		      const struct ir_expect *x, size_t i, unsigned platform,
		      enum ir_verdict want, struct failure *f)
{
	const struct ir_env_rule *why;
	enum ir_verdict v = ir_decide_env(p, platform, x->subjects[i], &why);

	if (v == want)
		return;
	if (!f->platforms && why) {
		f->have_rule = true;
		f->rule = why->origin;
	}
	fail(f, platform,
	     arena_printf(&ctx->arena, "environment variable '%s'",
			  x->subjects[i]),
	     v == IR_ALLOW ? "passed" : "not passed");
}

static void check_syscall(struct polc_ctx *ctx, const struct ir_policy *p,
			  const struct ir_expect *x, size_t i,
			  unsigned platform, enum ir_verdict want,
			  struct failure *f)
{
	static const char *const outcome[] = {
		[IR_SYS_PROCEEDS] = "allowed",
		[IR_SYS_BLOCKS] = "denied",
		[IR_SYS_DEPENDS] = "allowed or denied depending on its "
				   "arguments (or left to a supervisor)",
		[IR_SYS_UNDECIDABLE] = "beyond what polc decides exactly (an "
				       "argument compared both masked and "
				       "unmasked, or with two masks)",
	};
	const struct ir_sys_rule *why;
	enum ir_sys_outcome o =
		ir_decide_syscall(ctx, p, platform, x->subjects[i], &why);

	if ((want == IR_ALLOW && o == IR_SYS_PROCEEDS) ||
	    (want == IR_DENY && o == IR_SYS_BLOCKS))
		return;
	if (!f->platforms && why) {
		f->have_rule = true;
		f->rule = why->origin;
	}
	fail(f, platform,
	     arena_printf(&ctx->arena, "syscall '%s'", x->subjects[i]),
	     outcome[o]);
}

static void report(struct polc_ctx *ctx, const struct ir_policy *p,
		   struct polc_loc at, const struct failure *f)
{
	struct diag *d = diag_at(ctx, DIAG_ERROR, at,
				 "expectation fails for profile '%s' on %s: "
				 "%s is %s",
				 p->profile,
				 f->platforms == IR_ALL_PLATFORMS
					 ? "linux and macos"
					 : ir_platform_name(f->platforms),
				 f->what, f->answer);

	for (size_t i = 0; i < f->path.nrules; i++)
		diag_note(ctx, d, f->path.rules[i]->origin.loc,
			  "%s by this rule, from %s",
			  f->path.verdict == IR_ALLOW ? "allowed" : "denied",
			  ir_origin_chain(ctx, &f->path.rules[i]->origin));
	for (size_t i = 0; i < f->path.nlifted; i++)
		diag_note(ctx, d, f->path.lifted[i]->origin.loc,
			  "this deny is lifted by an override");
	if (f->have_rule)
		diag_note(ctx, d, f->rule.loc, "decided by this rule, from %s",
			  ir_origin_chain(ctx, &f->rule));
	if (!f->path.nrules && !f->have_rule)
		diag_note(ctx, d, at,
			  "no rule decides it: this is the default");
}

typedef void check_fn(struct polc_ctx *ctx, const struct ir_policy *p,
		      const struct ir_expect *x, size_t i, unsigned platform,
		      enum ir_verdict want, struct failure *f);

/* Check one assertion subject by subject, each on every platform. */
static int check_expect(struct polc_ctx *ctx, const struct ir_policy *p,
			const struct ir_expect *x)
{
	static const unsigned platforms[] = { IR_LINUX, IR_MACOS };
	static check_fn *const checks[] = {
		[AST_EXPECT_PATH] = check_path,
		[AST_EXPECT_NETWORK] = check_port,
		[AST_EXPECT_ENV] = check_env,
		[AST_EXPECT_SYSCALL] = check_syscall,
	};
	enum ir_verdict want =
		x->stmt->u.expect.verdict == AST_ALLOW ? IR_ALLOW : IR_DENY;
	bool network = x->stmt->u.expect.form == AST_EXPECT_NETWORK;
	size_t n = network ? x->stmt->u.expect.network.ports.len : x->nsubjects;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		struct failure f = { 0 };
		struct polc_loc at =
			network ? ((const struct ast_port *)x->stmt->u.expect
					   .network.ports.items[i])
					  ->loc
				: x->subject_locs[i];

		for (size_t k = 0; k < 2; k++)
			if (x->platforms & platforms[k])
				checks[x->stmt->u.expect.form](
					ctx, p, x, i, platforms[k], want, &f);
		if (f.platforms) {
			report(ctx, p, at, &f);
			rc = -1;
		}
	}
	return rc;
}

int ir_check_expects(struct polc_ctx *ctx, const struct ir_policy *p)
{
	int rc = 0;

	for (size_t i = 0; i < p->nexpects; i++)
		if (check_expect(ctx, p, &p->expects[i]) != 0)
			rc = -1;
	return rc;
}
