/*
 * test_resolve.c - resolution (ir/resolve.c, ir/vars.c): extends chains,
 * groups (use, exclude, required, platform clauses), variables and paths,
 * overrides and dead rules, provenance, syscall sets and env rules, each
 * error with its exact message, location and notes; and the property that
 * the resolved policy does not depend on the order of statements, items or
 * files (spec/semantics.md §1.3, DESIGN.md §3).
 *
 * Tests marked BUG assert what spec/semantics.md requires and the library
 * does not do yet; they fail until it does.
 */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ir/vars.h"
#include "suites.h"

static struct polc_ctx *ctx;
static struct load_unit unit;
static struct ir_options opts;

static void setup(void)
{
	ctx = polc_ctx_new();
	ck_assert_ptr_nonnull(ctx);
	unit = (struct load_unit){ 0 };
	test_options(ctx, &opts);
}

static void teardown(void)
{
	polc_ctx_free(ctx);
	ctx = NULL;
}

/* Add @text as t.pol (once per test) and resolve @profile. */
static const struct ir_policy *resolve(const char *text, const char *profile)
{
	unit_add(ctx, &unit, "t.pol", text);
	return ir_resolve(ctx, &unit, profile, &opts);
}

/* Resolve another profile of the unit built by resolve(). */
static const struct ir_policy *again(const char *profile)
{
	return ir_resolve(ctx, &unit, profile, &opts);
}

static void assert_clean(const struct ir_policy *p, const char *profile)
{
	if (!p || ctx->nerrors || ctx->nwarnings)
		ck_abort_msg("'%s' does not resolve cleanly:\n%s", profile,
			     diags_text(ctx));
}

static const struct ir_policy *resolve_clean(const char *text,
					     const char *profile)
{
	const struct ir_policy *p = resolve(text, profile);

	assert_clean(p, profile);
	return p;
}

/* The provenance chain of the only rule of @p on @path. */
static const char *chain_of(const struct ir_policy *p, const char *path)
{
	const struct ir_path_rule *r = find_path_rule(p, path);

	ck_assert_msg(r != NULL, "no rule on %s", path);
	ck_assert_uint_eq(count_path_rules(p, path), 1);
	return ir_origin_chain(ctx, &r->origin);
}

static unsigned line_of(struct polc_loc loc)
{
	unsigned line, col;

	loc_line_col(ctx, loc, &line, &col);
	return line;
}

/* Whether @d has a note on line @line. */
static bool has_note_on_line(const struct diag *d, unsigned line)
{
	for (const struct diag *n = d->notes; n; n = n->next)
		if (line_of(n->loc) == line)
			return true;
	return false;
}

/* ---- extends chains ------------------------------------------------------ */

static const char chain_src[] = "profile base {\n"	       /* 1 */
				"    use g;\n"		       /* 2 */
				"    allow read /usr;\n"       /* 3 */
				"    deny /usr/secret;\n"      /* 4 */
				"}\n"			       /* 5 */
				"profile mid extends base {\n" /* 6 */
				"    allow rw /data;\n"	       /* 7 */
				"}\n"			       /* 8 */
				"profile leaf extends mid {\n" /* 9 */
				"    allow rx /bin;\n"	       /* 10 */
				"}\n"			       /* 11 */
				"group g {\n"		       /* 12 */
				"    deny write /etc;\n"       /* 13 */
				"}\n";

START_TEST(test_chain_inherits_rules)
{
	const struct ir_policy *p = resolve_clean(chain_src, "leaf");

	ck_assert_str_eq(p->profile, "leaf");
	ck_assert_uint_eq(p->chain_len, 3);
	ck_assert_str_eq(p->chain[0], "leaf");
	ck_assert_str_eq(p->chain[1], "mid");
	ck_assert_str_eq(p->chain[2], "base");
	ck_assert_uint_eq(p->ngroups, 1);
	ck_assert_str_eq(p->groups[0], "g");
	ck_assert_uint_eq(p->group_platforms[0], IR_ALL_PLATFORMS);
	/* Sorted by path. */
	ck_assert_uint_eq(p->npaths, 5);
	ck_assert_str_eq(p->paths[0].path, "/bin");
	ck_assert_str_eq(p->paths[1].path, "/data");
	ck_assert_str_eq(p->paths[2].path, "/etc");
	ck_assert_str_eq(p->paths[3].path, "/usr");
	ck_assert_str_eq(p->paths[4].path, "/usr/secret");
	ck_assert_str_eq(chain_of(p, "/bin"), "leaf");
	ck_assert_str_eq(chain_of(p, "/data"), "mid ← leaf");
	ck_assert_str_eq(chain_of(p, "/usr"), "base ← mid ← leaf");
	ck_assert_str_eq(chain_of(p, "/etc"), "g ← base ← mid ← leaf");
	ck_assert_int_eq(find_path_rule(p, "/etc")->modes, IR_WRITE);
	ck_assert_int_eq(find_path_rule(p, "/usr/secret")->modes,
			 IR_ALL_ACCESS);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/usr/lib/x", IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/usr/secret/k", IR_READ),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/data/x", IR_WRITE),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/data/x", IR_DELETE),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/bin/sh", IR_EXEC),
			 IR_ALLOW);

	/* The parent has its own and its parent's rules, not the child's. */
	const struct ir_policy *mid = again("mid");
	assert_clean(mid, "mid");
	ck_assert_uint_eq(mid->chain_len, 2);
	ck_assert_uint_eq(mid->npaths, 4);
	ck_assert_uint_eq(count_path_rules(mid, "/bin"), 0);
	ck_assert_str_eq(chain_of(mid, "/etc"), "g ← base ← mid");
	ck_assert_int_eq(decide(ctx, mid, IR_LINUX, "/bin/sh", IR_EXEC),
			 IR_DENY);
}
END_TEST

static const char settings_src[] =
	"profile base {\n"			  /* 1 */
	"    workdir read;\n"			  /* 2 */
	"    network allow;\n"			  /* 3 */
	"    syscall default kill;\n"		  /* 4 */
	"    ipc allow signal;\n"		  /* 5 */
	"}\n"					  /* 6 */
	"profile mid extends base {\n"		  /* 7 */
	"    platform linux {\n"		  /* 8 */
	"        workdir rw;\n"			  /* 9 */
	"    }\n"				  /* 10 */
	"    network deny;\n"			  /* 11 */
	"}\n"					  /* 12 */
	"profile leaf extends mid {\n"		  /* 13 */
	"    platform macos {\n"		  /* 14 */
	"        syscall default errno EACCES;\n" /* 15 */
	"    }\n"				  /* 16 */
	"}\n";

START_TEST(test_nearest_setting_wins_per_platform)
{
	const struct ir_policy *p = resolve_clean(settings_src, "leaf");
	const struct ir_settings *lx = &p->settings[0], *mac = &p->settings[1];

	ck_assert_uint_eq(lx->workdir, IR_READ | IR_WRITE);
	ck_assert(lx->workdir_from.set);
	ck_assert_uint_eq(line_of(lx->workdir_from.origin.loc), 9);
	ck_assert_str_eq(ir_origin_chain(ctx, &lx->workdir_from.origin),
			 "mid ← leaf");
	ck_assert_uint_eq(mac->workdir, IR_READ);
	ck_assert_uint_eq(line_of(mac->workdir_from.origin.loc), 2);
	ck_assert_str_eq(ir_origin_chain(ctx, &mac->workdir_from.origin),
			 "base ← mid ← leaf");

	for (unsigned i = 0; i < 2; i++) {
		ck_assert(!p->settings[i].network_allow);
		ck_assert(p->settings[i].network_from.set);
		ck_assert_uint_eq(
			line_of(p->settings[i].network_from.origin.loc), 11);
		ck_assert(p->settings[i].ipc_signal);
		ck_assert(p->settings[i].ipc_signal_from.set);
		ck_assert(!p->settings[i].ipc_abstract_unix);
		ck_assert(!p->settings[i].ipc_abstract_unix_from.set);
	}
	ck_assert_int_eq(lx->sys_default, IR_SYS_KILL);
	ck_assert_uint_eq(line_of(lx->sys_default_from.origin.loc), 4);
	ck_assert_int_eq(mac->sys_default, IR_SYS_ERRNO);
	ck_assert_uint_eq(mac->sys_default_errno, 13);
	ck_assert_str_eq(ir_origin_chain(ctx, &mac->sys_default_from.origin),
			 "leaf");

	/* The workdir grant follows each platform's setting. */
	ck_assert_uint_eq(count_path_rules(p, "/work/project"), 2);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/work/project/x", IR_WRITE),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/work/project/x", IR_WRITE),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/work/project/x", IR_READ),
			 IR_ALLOW);

	/* base alone: its own settings; the defaults elsewhere. */
	const struct ir_policy *b = again("base");
	assert_clean(b, "base");
	ck_assert(b->settings[0].network_allow);
	ck_assert_uint_eq(b->settings[0].workdir, IR_READ);
	ck_assert_int_eq(b->settings[1].sys_default, IR_SYS_KILL);
}
END_TEST

START_TEST(test_settings_default)
{
	const struct ir_policy *p = resolve_clean("profile p {\n}\n", "p");

	for (unsigned i = 0; i < 2; i++) {
		const struct ir_settings *st = &p->settings[i];

		ck_assert_uint_eq(st->workdir, 0);
		ck_assert(!st->workdir_from.set);
		ck_assert(!st->network_allow);
		ck_assert(!st->network_from.set);
		ck_assert_int_eq(st->sys_default, IR_SYS_ALLOW);
		ck_assert(!st->sys_default_from.set);
		ck_assert(!st->ipc_signal);
		ck_assert(!st->ipc_abstract_unix);
	}
	ck_assert_uint_eq(p->npaths, 0);
	ck_assert_uint_eq(p->chain_len, 1);
}
END_TEST

START_TEST(test_extends_cycle)
{
	const char *src = "profile a extends c {\n"
			  "}\n"
			  "profile b extends a {\n"
			  "}\n"
			  "profile c extends b {\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "a"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	/* Named from its smallest profile, whichever profile is resolved. */
	static const char want[] =
		"t.pol:1:19: error: extends cycle: 'a' extends 'c', which "
		"leads back to 'a'\n"
		"t.pol:5:19: note: 'c' extends 'b' here\n"
		"t.pol:3:19: note: 'b' extends 'a' here\n";
	ck_assert_str_eq(diags_brief(ctx), want);
	ck_assert_ptr_null(again("b"));
	ck_assert_str_eq(diags_brief(ctx), want);
	ck_assert_ptr_null(again("c"));
	ck_assert_str_eq(diags_brief(ctx), want);
}
END_TEST

START_TEST(test_extends_self)
{
	ck_assert_ptr_null(resolve("profile s extends s {\n}\n", "s"));
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:1:19: error: extends cycle: 's' extends 's', "
			 "which leads back to 's'\n");
}
END_TEST

START_TEST(test_extends_undefined_did_you_mean)
{
	const char *src = "profile default {\n"
			  "}\n"
			  "profile p extends defualt {\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:3:19: error: undefined profile 'defualt'; did "
			 "you mean 'default'?\n");
}
END_TEST

START_TEST(test_extends_undefined_no_suggestion)
{
	ck_assert_ptr_null(resolve("profile p extends zzzzzz {\n}\n", "p"));
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:1:19: error: undefined profile 'zzzzzz'\n");
}
END_TEST

START_TEST(test_extends_group)
{
	const char *src = "group base {\n"
			  "}\n"
			  "profile p extends base {\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:3:19: error: 'base' is a group, not a "
			 "profile\n");
}
END_TEST

START_TEST(test_resolve_unknown_profile)
{
	ck_assert_ptr_null(resolve("profile default {\n}\n", "defualt"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diags_brief(ctx),
			 "defualt: error: no profile named 'defualt'; did you "
			 "mean 'default'?\n");
}
END_TEST

/* p0 … p16, each extending the previous one: p16's chain has 17. */
START_TEST(test_chain_limit)
{
	char *src = arena_alloc(&ctx->arena, 17 * 40);
	size_t len = 0;

	len += (size_t)sprintf(src + len, "profile p0 {\n}\n");
	for (int i = 1; i <= 16; i++)
		len += (size_t)sprintf(
			src + len, "profile p%d extends p%d {\n}\n", i, i - 1);
	const struct ir_policy *p15 = resolve(src, "p15");
	assert_clean(p15, "p15");
	ck_assert_uint_eq(p15->chain_len, 16);
	ck_assert_ptr_null(again("p16"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	/* Reported at the extends that adds the 17th: p1's, on line 3. */
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:3:20: error: extends chains are limited to 16 "
			 "profiles\n");
}
END_TEST

/* ---- groups -------------------------------------------------------------- */

START_TEST(test_use_undefined_group)
{
	const char *src = "group node_runtime {\n" /* 1 */
			  "}\n"			   /* 2 */
			  "profile q {\n"	   /* 3 */
			  "}\n"			   /* 4 */
			  "group a {\n"		   /* 5 */
			  "    use nope;\n"	   /* 6 */
			  "}\n"			   /* 7 */
			  "profile p {\n"	   /* 8 */
			  "    use node_runtme;\n" /* 9 */
			  "    use q;\n"	   /* 10 */
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 2);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:9:9: error: undefined group 'node_runtme'; did "
			 "you mean 'node_runtime'?\n"
			 "t.pol:10:9: error: 'q' is a profile, not a group\n");
}
END_TEST

START_TEST(test_use_undefined_in_group)
{
	const char *src = "group a {\n"
			  "    use nope;\n"
			  "}\n"
			  "profile p {\n"
			  "    use a;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:2:9: error: undefined group 'nope'\n");
}
END_TEST

START_TEST(test_exclude_required)
{
	const char *src = "group r {\n"
			  "    required;\n"
			  "    deny /r;\n"
			  "}\n"
			  "profile base {\n"
			  "    use r;\n"
			  "}\n"
			  "profile p extends base {\n"
			  "    exclude r;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:9:13: error: group 'r' is required and cannot "
			 "be excluded\n"
			 "t.pol:2:5: note: 'r' is required here\n");
}
END_TEST

static const char exclude_src[] = "group a {\n"
				  "    use shared onlya;\n"
				  "    deny /a;\n"
				  "}\n"
				  "group onlya {\n"
				  "    deny /onlya;\n"
				  "}\n"
				  "group shared {\n"
				  "    deny /shared;\n"
				  "}\n"
				  "group b {\n"
				  "    use shared;\n"
				  "    deny /b;\n"
				  "}\n"
				  "profile base {\n"
				  "    use a b;\n"
				  "    allow read /;\n"
				  "}\n"
				  "profile child extends base {\n"
				  "    exclude a;\n"
				  "}\n";

START_TEST(test_exclude_removes_group_and_what_only_it_brings)
{
	const struct ir_policy *base = resolve_clean(exclude_src, "base");

	ck_assert_uint_eq(base->ngroups, 4);
	ck_assert_str_eq(base->groups[0], "a");
	ck_assert_str_eq(base->groups[1], "b");
	ck_assert_str_eq(base->groups[2], "onlya");
	ck_assert_str_eq(base->groups[3], "shared");
	ck_assert_uint_eq(base->npaths, 5);
	/* Reached through a and through b: a's path is the first. */
	ck_assert_str_eq(chain_of(base, "/shared"), "shared ← a ← base");
	ck_assert_str_eq(chain_of(base, "/onlya"), "onlya ← a ← base");

	const struct ir_policy *child = again("child");
	assert_clean(child, "child");
	ck_assert_uint_eq(child->ngroups, 2);
	ck_assert_str_eq(child->groups[0], "b");
	ck_assert_str_eq(child->groups[1], "shared");
	ck_assert_uint_eq(child->npaths, 3);
	ck_assert_uint_eq(count_path_rules(child, "/a"), 0);
	ck_assert_uint_eq(count_path_rules(child, "/onlya"), 0);
	/* shared is still reached around a, through b. */
	ck_assert_str_eq(chain_of(child, "/shared"),
			 "shared ← b ← base ← child");
	ck_assert_int_eq(decide(ctx, child, IR_LINUX, "/a/x", IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, child, IR_MACOS, "/onlya", IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, child, IR_LINUX, "/shared/x", IR_READ),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, child, IR_LINUX, "/b", IR_READ), IR_DENY);
}
END_TEST

/* spec/semantics.md §6.3. */
static const char exclude63_src[] =
	"group deny_credentials {\n"		   /* 1 */
	"    required;\n"			   /* 2 */
	"    deny ~/.ssh;\n"			   /* 3 */
	"}\n"					   /* 4 */
	"group deny_history {\n"		   /* 5 */
	"    deny file ~/.bash_history;\n"	   /* 6 */
	"}\n"					   /* 7 */
	"group deny_keychains {\n"		   /* 8 */
	"    deny ~/.local/share/keyrings;\n"	   /* 9 */
	"}\n"					   /* 10 */
	"profile base {\n"			   /* 11 */
	"    use deny_credentials deny_history;\n" /* 12 */
	"    allow rw ~;\n"			   /* 13 */
	"}\n"					   /* 14 */
	"profile loose extends base {\n"	   /* 15 */
	"    exclude deny_history;\n"		   /* 16 */
	"}\n"					   /* 17 */
	"profile tidy extends base {\n"		   /* 18 */
	"    exclude deny_keychains;\n"		   /* 19 */
	"}\n"					   /* 20 */
	"profile bad extends base {\n"		   /* 21 */
	"    exclude deny_credentials;\n"	   /* 22 */
	"}\n"					   /* 23 */
	"profile strict extends loose {\n"	   /* 24 */
	"    use deny_history;\n"		   /* 25 */
	"}\n";

START_TEST(test_exclude_worked_example)
{
	struct ir_decision d;
	const struct ir_policy *loose = resolve_clean(exclude63_src, "loose");

	ir_decide_path(ctx, loose, IR_LINUX, "/home/user/.bash_history",
		       IR_WRITE, &d);
	ck_assert_int_eq(d.verdict, IR_ALLOW);
	ck_assert_uint_eq(d.nrules, 1);
	ck_assert_str_eq(ir_origin_chain(ctx, &d.rules[0]->origin),
			 "base ← loose");
	ck_assert_int_eq(
		decide(ctx, loose, IR_MACOS, "/home/user/.ssh/id_rsa", IR_READ),
		IR_DENY);
	ck_assert_uint_eq(loose->ngroups, 1);
	ck_assert_str_eq(loose->groups[0], "deny_credentials");

	const struct ir_policy *tidy = again("tidy");
	ck_assert_ptr_nonnull(tidy);
	ck_assert_uint_eq(ctx->nerrors, 0);
	ck_assert_uint_eq(ctx->nwarnings, 1);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:19:13: warning: excluding group "
			 "'deny_keychains', which profile 'tidy' does not get "
			 "anyway\n");

	ck_assert_ptr_null(again("bad"));
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:22:13: error: group 'deny_credentials' is "
			 "required and cannot be excluded\n"
			 "t.pol:2:5: note: 'deny_credentials' is required "
			 "here\n");
	ctx->nerrors = ctx->nwarnings = 0;

	/* A child's use re-adds what its parent excluded. */
	const struct ir_policy *strict = again("strict");
	assert_clean(strict, "strict");
	ck_assert_uint_eq(strict->ngroups, 2);
	ck_assert_str_eq(strict->groups[1], "deny_history");
	ir_decide_path(ctx, strict, IR_LINUX, "/home/user/.bash_history",
		       IR_WRITE, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ck_assert_uint_eq(d.nrules, 1);
	ck_assert(d.rules[0]->file);
}
END_TEST

/*
 * BUG: ir/resolve.c reach_groups() follows every use from the root down and
 * ignores that a later profile excluded the group, so the chain recorded is
 * the root's (deny_history ← base ← loose ← strict).  §1.2 makes (i, g) a
 * direct use only when no later profile excludes g, and §6.3 gives the rule
 * as (deny_history ← strict).
 */
START_TEST(test_reused_group_chain_is_the_direct_use)
{
	const struct ir_policy *strict = resolve_clean(exclude63_src, "strict");

	ck_assert_str_eq(chain_of(strict, "/home/user/.bash_history"),
			 "deny_history ← strict");
}
END_TEST

START_TEST(test_use_and_exclude_same_group)
{
	const char *src = "group g {\n"
			  "    deny /g;\n"
			  "}\n"
			  "profile p {\n"
			  "    use g;\n"
			  "    exclude g;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:6:13: error: profile 'p' both uses and "
			 "excludes group 'g'\n"
			 "t.pol:5:9: note: used here\n");
}
END_TEST

START_TEST(test_use_and_exclude_on_different_platforms)
{
	const char *src = "group g {\n"
			  "    deny /g;\n"
			  "}\n"
			  "profile base {\n"
			  "    use g;\n"
			  "}\n"
			  "profile p extends base {\n"
			  "    platform linux {\n"
			  "        use g;\n"
			  "    }\n"
			  "    platform macos {\n"
			  "        exclude g;\n"
			  "    }\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_uint_eq(p->ngroups, 1);
	ck_assert_uint_eq(p->group_platforms[0], IR_LINUX);
	ck_assert_uint_eq(find_path_rule(p, "/g")->platforms, IR_LINUX);
	ck_assert_str_eq(chain_of(p, "/g"), "g ← base ← p");
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/g", IR_READ), IR_DENY);
}
END_TEST

START_TEST(test_needless_exclude_on_one_platform)
{
	/* g applies on linux only, so excluding it on macos is needless. */
	const char *src = "group g platform linux {\n"
			  "    deny /g;\n"
			  "}\n"
			  "profile base {\n"
			  "    use g;\n"
			  "}\n"
			  "profile p extends base {\n"
			  "    platform macos {\n"
			  "        exclude g;\n"
			  "    }\n"
			  "}\n";
	const struct ir_policy *p = resolve(src, "p");

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(ctx->nerrors, 0);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:9:17: warning: excluding group 'g', which "
			 "profile 'p' does not get anyway\n");
	ck_assert_uint_eq(find_path_rule(p, "/g")->platforms, IR_LINUX);
}
END_TEST

static const char cycle_src[] = "group a {\n"	/* 1 */
				"    use b;\n"	/* 2 */
				"}\n"		/* 3 */
				"group b {\n"	/* 4 */
				"    use c;\n"	/* 5 */
				"}\n"		/* 6 */
				"group c {\n"	/* 7 */
				"    use a;\n"	/* 8 */
				"}\n"		/* 9 */
				"profile p {\n" /* 10 */
				"    use a;\n"	/* 11 */
				"}\n";

START_TEST(test_group_use_cycle)
{
	ck_assert_ptr_null(resolve(cycle_src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_uint_eq(diag_count(ctx), 1);
	const struct diag *d = diag_nth(ctx, 0);
	unsigned line, col;
	loc_line_col(ctx, d->loc, &line, &col);
	/* Reported from the smallest name, at the use that leaves it. */
	ck_assert_str_eq(d->message,
			 "use cycle: group 'a' uses 'b', which leads back to "
			 "'a'");
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 9);
}
END_TEST

/* Notes follow the cycle: b uses c, c uses a. */
START_TEST(test_group_use_cycle_notes)
{
	ck_assert_ptr_null(resolve(cycle_src, "p"));
	const struct diag *d = diag_nth(ctx, 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_msg(has_note_on_line(d, 5) && has_note_on_line(d, 8),
		      "no notes along the cycle:\n%s", diags_text(ctx));
}
END_TEST

/*
 * A use cycle between groups that the profile does not use leaves the
 * profile alone, and ir_check_groups() (what validate runs over the whole
 * library) reports it.
 */
START_TEST(test_group_use_cycle_unused)
{
	const char *src = "group q {\n"
			  "    use r;\n"
			  "}\n"
			  "group r {\n"
			  "    use q;\n"
			  "}\n"
			  "profile p {\n"
			  "    allow read /x;\n"
			  "}\n";

	ck_assert_ptr_nonnull(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 0);
	ck_assert_int_eq(ir_check_groups(ctx, &unit, &opts), -1);
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "use cycle: group 'q' uses 'r', which leads back to "
			 "'q'");
}
END_TEST

START_TEST(test_group_cycle_across_platform_blocks)
{
	const char *src = "group a {\n"
			  "    platform linux {\n"
			  "        use b;\n"
			  "    }\n"
			  "}\n"
			  "group b {\n"
			  "    platform macos {\n"
			  "        use a;\n"
			  "    }\n"
			  "}\n"
			  "profile p {\n"
			  "    use a;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "use cycle: group 'a' uses 'b', which leads back to "
			 "'a'");
}
END_TEST

START_TEST(test_group_platform_clause)
{
	const char *src = "group mac platform macos {\n"
			  "    deny ~/Library/Keychains;\n"
			  "    use inner;\n"
			  "}\n"
			  "group inner {\n"
			  "    deny /inner;\n"
			  "}\n"
			  "profile p {\n"
			  "    use mac;\n"
			  "    allow read /;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_uint_eq(p->ngroups, 2);
	ck_assert_str_eq(p->groups[0], "inner");
	ck_assert_uint_eq(p->group_platforms[0], IR_MACOS);
	ck_assert_str_eq(p->groups[1], "mac");
	ck_assert_uint_eq(p->group_platforms[1], IR_MACOS);
	ck_assert_uint_eq(
		find_path_rule(p, "/home/user/Library/Keychains")->platforms,
		IR_MACOS);
	ck_assert_uint_eq(find_path_rule(p, "/inner")->platforms, IR_MACOS);
	ck_assert_str_eq(chain_of(p, "/inner"), "inner ← mac ← p");
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/inner/x", IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/inner/x", IR_READ),
			 IR_DENY);
}
END_TEST

START_TEST(test_platform_blocks)
{
	const char *src = "group g platform linux {\n"
			  "    platform linux macos {\n"
			  "        deny /g;\n"
			  "    }\n"
			  "}\n"
			  "profile p {\n"
			  "    use g;\n"
			  "    platform linux {\n"
			  "        deny /l;\n"
			  "    }\n"
			  "    platform macos {\n"
			  "        deny /m;\n"
			  "        use h;\n"
			  "    }\n"
			  "    platform linux macos {\n"
			  "        deny /both;\n"
			  "    }\n"
			  "    deny /all;\n"
			  "}\n"
			  "group h {\n"
			  "    deny /h;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_uint_eq(p->npaths, 6);
	ck_assert_uint_eq(find_path_rule(p, "/g")->platforms, IR_LINUX);
	ck_assert_uint_eq(find_path_rule(p, "/l")->platforms, IR_LINUX);
	ck_assert_uint_eq(find_path_rule(p, "/m")->platforms, IR_MACOS);
	ck_assert_uint_eq(find_path_rule(p, "/h")->platforms, IR_MACOS);
	ck_assert_uint_eq(find_path_rule(p, "/both")->platforms,
			  IR_ALL_PLATFORMS);
	ck_assert_uint_eq(find_path_rule(p, "/all")->platforms,
			  IR_ALL_PLATFORMS);
	ck_assert_uint_eq(p->ngroups, 2);
	ck_assert_str_eq(p->groups[0], "g");
	ck_assert_uint_eq(p->group_platforms[0], IR_LINUX);
	ck_assert_str_eq(p->groups[1], "h");
	ck_assert_uint_eq(p->group_platforms[1], IR_MACOS);
}
END_TEST

/* 'existing' reaches the IR and changes no decision. */
START_TEST(test_existing_deny_decides_like_a_deny)
{
	const char *src = "profile p {\n"
			  "    workdir all;\n"
			  "    deny wd $WORKDIR/.git/hooks existing;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");
	const struct ir_path_rule *r =
		find_path_rule(p, "/work/project/.git/hooks");

	ck_assert_ptr_nonnull(r);
	ck_assert(r->existing);
	ck_assert_int_eq(r->verdict, IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX,
				"/work/project/.git/hooks/pre-commit",
				IR_WRITE),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX,
				"/work/project/.git/hooks/pre-commit", IR_READ),
			 IR_ALLOW);
}
END_TEST

/* spec/semantics.md §6.4. */
START_TEST(test_platforms_worked_example)
{
	const char *src = "group keychain platform macos {\n"
			  "    deny ~/Library/Keychains;\n"
			  "}\n"
			  "profile p {\n"
			  "    use keychain;\n"
			  "    platform linux {\n"
			  "        let CACHE = ~/.cache;\n"
			  "    }\n"
			  "    platform macos {\n"
			  "        let CACHE = ~/Library/Caches;\n"
			  "        allow read ~/Library;\n"
			  "    }\n"
			  "    allow rw $CACHE/tool create;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");
	const struct ir_path_rule *lx =
		find_path_rule(p, "/home/user/.cache/tool");
	const struct ir_path_rule *mac =
		find_path_rule(p, "/home/user/Library/Caches/tool");
	struct ir_decision d;

	/* One statement, split into one rule per platform. */
	ck_assert_ptr_nonnull(lx);
	ck_assert_ptr_nonnull(mac);
	ck_assert_uint_eq(lx->platforms, IR_LINUX);
	ck_assert_uint_eq(mac->platforms, IR_MACOS);
	ck_assert_str_eq(lx->raw, "$CACHE/tool");
	ck_assert_str_eq(mac->raw, "$CACHE/tool");
	ck_assert(lx->create && mac->create);
	ck_assert_uint_eq(lx->origin.loc.start, mac->origin.loc.start);
	ck_assert_uint_eq(lx->modes, IR_READ | IR_WRITE);
	ck_assert_uint_eq(p->npaths, 4);

	ck_assert_int_eq(
		decide(ctx, p, IR_LINUX, "/home/user/.cache/tool/x", IR_WRITE),
		IR_ALLOW);
	ck_assert_int_eq(
		decide(ctx, p, IR_MACOS, "/home/user/.cache/tool/x", IR_WRITE),
		IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX,
				"/home/user/Library/Caches/tool/x", IR_WRITE),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS,
				"/home/user/Library/Caches/tool/x", IR_WRITE),
			 IR_ALLOW);
	ir_decide_path(ctx, p, IR_LINUX,
		       "/home/user/Library/Keychains/login.keychain-db",
		       IR_READ, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ck_assert_uint_eq(d.nrules, 0);
	ir_decide_path(ctx, p, IR_MACOS,
		       "/home/user/Library/Keychains/login.keychain-db",
		       IR_READ, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ck_assert_uint_eq(d.nrules, 1);
	ck_assert_str_eq(ir_origin_chain(ctx, &d.rules[0]->origin),
			 "keychain ← p");
	ck_assert_int_eq(decide(ctx, p, IR_LINUX,
				"/home/user/Library/Preferences/x.plist",
				IR_READ),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS,
				"/home/user/Library/Preferences/x.plist",
				IR_READ),
			 IR_ALLOW);
}
END_TEST

/* ---- variables and paths --------------------------------------------------
 */

START_TEST(test_builtin_variables)
{
	static const char *const want[] = {
		"/home/user/a",
		"/tmp/b",
		"/work/project/c",
		"/u/1000/user",
		"/home/user/.config",
		"/home/user/.cache",
		"/home/user/.local/share",
		"/home/user/.local/state",
		"/run/user/1000",
		"/home/userx",
		"/home/user",
		"/home/user/t",
	};
	const char *src =
		"profile p {\n"
		"    allow read $HOME/a $TMPDIR/b $WORKDIR/c /u/$UID/$USER;\n"
		"    allow read $XDG_CONFIG_HOME $XDG_CACHE_HOME;\n"
		"    allow read $XDG_DATA_HOME $XDG_STATE_HOME;\n"
		"    allow read $XDG_RUNTIME_DIR ${HOME}x ~ ~/t;\n"
		"}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_uint_eq(p->npaths, sizeof(want) / sizeof(*want));
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		ck_assert_msg(count_path_rules(p, want[i]) == 1,
			      "no rule on %s", want[i]);
	ck_assert_str_eq(find_path_rule(p, "/u/1000/user")->raw,
			 "/u/$UID/$USER");
}
END_TEST

START_TEST(test_user_variables)
{
	const char *src = "let ROOT = /opt;\n"
			  "let TOOL = $ROOT/tool;\n"
			  "group g {\n"
			  "    let ROOT = /gopt;\n"
			  "    allow read $TOOL $ROOT/g;\n"
			  "}\n"
			  "profile p {\n"
			  "    use g;\n"
			  "    let ROOT = /popt;\n"
			  "    let SUB = \"sub/dir\";\n"
			  "    allow read $ROOT/p $TOOL/$SUB ${ROOT}x;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	/* A global's value is expanded in the global scope. */
	ck_assert_uint_eq(count_path_rules(p, "/opt/tool"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/gopt/g"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/popt/p"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/opt/tool/sub/dir"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/poptx"), 1);
	ck_assert_uint_eq(p->npaths, 5);
	ck_assert_str_eq(chain_of(p, "/gopt/g"), "g ← p");
}
END_TEST

START_TEST(test_group_variables_not_visible_in_profile)
{
	const char *src = "group g {\n"
			  "    let GV = /g;\n"
			  "}\n"
			  "profile p {\n"
			  "    use g;\n"
			  "    allow read $GV;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:6:16: error: undefined variable '$GV'\n");
}
END_TEST

START_TEST(test_undefined_variable_did_you_mean)
{
	const char *src = "profile p {\n"
			  "    allow read $HOMR/x;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:2:16: error: undefined variable '$HOMR'; did "
			 "you mean '$HOME'?\n");
}
END_TEST

/*
 * BUG: ir/vars.c report_undefined() does not name the platform; §2.2 wants
 * a reference that is undefined on one platform where its statement
 * applies reported "naming the platform".
 */
START_TEST(test_undefined_variable_on_one_platform)
{
	const char *src = "profile p {\n"
			  "    platform linux {\n"
			  "        let C = /x;\n"
			  "    }\n"
			  "    allow read $C;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	const struct diag *d = diag_nth(ctx, 0);
	ck_assert_uint_eq(line_of(d->loc), 5);
	ck_assert_msg(strstr(d->message, "macos") != NULL,
		      "does not name the platform: %s", d->message);
}
END_TEST

START_TEST(test_cyclic_variables)
{
	const char *src = "let A = $B/x;\n"
			  "let B = $A/y;\n"
			  "profile p {\n"
			  "    allow read $A;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:2:9: error: variable '$A' is defined in terms "
			 "of itself\n"
			 "t.pol:1:5: note: '$A' is defined here\n"
			 "t.pol:2:5: note: '$B' is defined here\n");
}
END_TEST

START_TEST(test_body_variable_does_not_reach_global)
{
	const char *src = "let X = /global;\n"
			  "profile p {\n"
			  "    let X = $X/sub;\n"
			  "    allow read $X;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:3:13: error: variable '$X' is defined in terms "
			 "of itself\n"
			 "t.pol:3:9: note: '$X' is defined here\n");
}
END_TEST

START_TEST(test_dollar_dollar_and_tilde)
{
	const char *src = "profile p {\n"
			  "    allow read \"/a/$$HOME/b\" /x/~ ~ \"~/s p\";\n"
			  "    allow read \"/c/$${X}\";\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_uint_eq(p->npaths, 5);
	ck_assert_uint_eq(count_path_rules(p, "/a/$HOME/b"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/x/~"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/home/user"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/home/user/s p"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/c/${X}"), 1);
}
END_TEST

START_TEST(test_path_normalisation)
{
	const char *src = "let D = /x/;\n"
			  "profile p {\n"
			  "    allow read /a/./b//c/../d \"/..\" /../e /f/g/;\n"
			  "    allow read /h/../.. $D/y \"/i/...\" //j///k/.;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_uint_eq(p->npaths, 8);
	ck_assert_uint_eq(count_path_rules(p, "/a/b/d"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/"), 2);
	ck_assert_uint_eq(count_path_rules(p, "/e"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/f/g"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/x/y"), 1);
	ck_assert_uint_eq(count_path_rules(p, "/i/..."), 1);
	ck_assert_uint_eq(count_path_rules(p, "/j/k"), 1);
	ck_assert_str_eq(find_path_rule(p, "/a/b/d")->raw, "/a/./b//c/../d");
}
END_TEST

static const char relative_src[] = "profile p {\n"
				   "    let R = \"rel\";\n"
				   "    allow read $R/x;\n"
				   "}\n";

START_TEST(test_relative_after_expansion)
{
	ck_assert_ptr_null(resolve(relative_src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	const struct diag *d = diag_nth(ctx, 0);
	unsigned line, col;
	loc_line_col(ctx, d->loc, &line, &col);
	ck_assert_uint_eq(line, 3);
	ck_assert_uint_eq(col, 16);
	ck_assert_str_eq(d->message, "path '$R/x' is 'rel/x' once expanded, "
				     "which is not absolute");
}
END_TEST

/*
 * BUG: ir/resolve.c expand_path() reports a path that is not absolute
 * once expanded without the note at the let that supplied the value
 * (spec/semantics.md §2.3 and §5).
 */
START_TEST(test_relative_after_expansion_note)
{
	ck_assert_ptr_null(resolve(relative_src, "p"));
	const struct diag *d = diag_nth(ctx, 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_msg(has_note_on_line(d, 2), "no note at the let:\n%s",
		      diags_text(ctx));
}
END_TEST

/*
 * BUG: ir/resolve.c expand_path() does not check that an expanded path is
 * free of '*' and '?' (spec/semantics.md §2.3, language.md §2.8): a
 * built-in value with a '*' reaches the policy as a path.
 */
START_TEST(test_wildcard_after_expansion)
{
	opts.builtins[IR_VAR_HOME] = "/h*me";
	ck_assert_ptr_null(
		resolve("profile p {\n    allow read ~/x;\n}\n", "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
}
END_TEST

START_TEST(test_unbound_builtins)
{
	const char *src = "profile p {\n"
			  "    allow read ~/x;\n"
			  "    allow read $WORKDIR/y;\n"
			  "}\n";

	opts.builtins[IR_VAR_HOME] = NULL;
	opts.builtins[IR_VAR_WORKDIR] = NULL;
	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:2:16: error: '$HOME' has no value here (give "
			 "it one with --home DIR)\n"
			 "t.pol:3:16: error: '$WORKDIR' has no value here "
			 "(give it one with --workdir DIR)\n");
}
END_TEST

START_TEST(test_workdir_needs_workdir)
{
	opts.builtins[IR_VAR_WORKDIR] = NULL;
	ck_assert_ptr_null(resolve("profile p {\n    workdir rw;\n}\n", "p"));
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:2:5: error: 'workdir' needs a value for "
			 "$WORKDIR (give it with --workdir DIR)\n");
}
END_TEST

/*
 * BUG: ir/vars.c value_of() names --home for every unbound built-in but
 * $WORKDIR; §2.1 says the error names the option, which is --uid for $UID.
 */
START_TEST(test_unbound_uid_names_its_option)
{
	opts.builtins[IR_VAR_UID] = NULL;
	ck_assert_ptr_null(
		resolve("profile p {\n    allow read /run/$UID;\n}\n", "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	const struct diag *d = diag_nth(ctx, 0);
	ck_assert_msg(strstr(d->message, "--uid") != NULL,
		      "does not name --uid: %s", d->message);
}
END_TEST

/*
 * BUG: ir/resolve.c add_path_rule() keeps the path exactly as written in
 * @raw ("~/t"); ir/ir.h and spec/semantics.md §2.3 say it is the text as
 * written with "~" spelled "$HOME".
 */
START_TEST(test_raw_spells_tilde_as_home)
{
	const struct ir_policy *p = resolve_clean(
		"profile p {\n    allow read ~/t ~ $HOME/u;\n}\n", "p");

	ck_assert_str_eq(find_path_rule(p, "/home/user/u")->raw, "$HOME/u");
	ck_assert_str_eq(find_path_rule(p, "/home/user/t")->raw, "$HOME/t");
	ck_assert_str_eq(find_path_rule(p, "/home/user")->raw, "$HOME");
}
END_TEST

/*
 * BUG: a name declared twice in one scope on a common platform is not
 * reported (spec/semantics.md §2.2); ir/vars.c body_let() takes the first
 * declaration in statement order, so the policy depends on that order.
 */
START_TEST(test_duplicate_let_in_one_scope)
{
	const char *src = "profile p {\n"
			  "    let X = /a;\n"
			  "    platform linux {\n"
			  "        let X = /b;\n"
			  "    }\n"
			  "    allow read $X;\n"
			  "}\n";
	int rc;

	/* The checker refuses it: no file gets that far. */
	check_str(ctx, src, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "variable 'X' is defined twice for the same platform");
}
END_TEST

/* ---- overrides and dead rules -----------------------------------------------
 */

START_TEST(test_dead_override)
{
	const char *src = "profile p {\n"
			  "    allow read ~/projects;\n"
			  "    override allow read ~/projects/notes;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:3:25: error: override of "
			 "'/home/user/projects/notes' lifts no deny\n"
			 "t.pol:3:25: note: no deny in profile 'p' covers this "
			 "path; write 'allow' instead\n");
}
END_TEST

START_TEST(test_dead_override_other_platform)
{
	/* The deny and the override share no platform. */
	const char *src = "profile p {\n"
			  "    platform linux {\n"
			  "        deny /s;\n"
			  "    }\n"
			  "    platform macos {\n"
			  "        override allow read /s/x;\n"
			  "    }\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "override of '/s/x' lifts no deny");
}
END_TEST

/*
 * BUG: ir/resolve.c check_overrides() puts its note at the override
 * itself; §4.2 and §6.8 want a note at a deny that overlaps the override in
 * path but not in mode ("deny write ~/.config, which covers the path for
 * write only").
 */
START_TEST(test_dead_override_note_at_partial_deny)
{
	const char *src = "profile p {\n"
			  "    deny write ~/.config;\n"
			  "    override allow read ~/.config/app;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	const struct diag *d = diag_nth(ctx, 0);
	ck_assert_uint_eq(line_of(d->loc), 3);
	ck_assert_msg(has_note_on_line(d, 2), "no note at the deny:\n%s",
		      diags_text(ctx));
}
END_TEST

/* spec/semantics.md §6.2. */
static const char override_src[] =
	"group deny_credentials {\n"
	"    required;\n"
	"    deny ~/.ssh;\n"
	"}\n"
	"profile base {\n"
	"    use deny_credentials;\n"
	"    allow read ~;\n"
	"}\n"
	"profile dev extends base {\n"
	"    override allow read file ~/.ssh/known_hosts;\n"
	"}\n";

START_TEST(test_live_override)
{
	struct ir_decision d;
	const struct ir_policy *dev = resolve_clean(override_src, "dev");
	const struct ir_path_rule *o =
		find_path_rule(dev, "/home/user/.ssh/known_hosts");

	ck_assert(o->override && o->file);
	ck_assert_int_eq(o->verdict, IR_ALLOW);
	ir_decide_path(ctx, dev, IR_LINUX, "/home/user/.ssh/known_hosts",
		       IR_READ, &d);
	ck_assert_int_eq(d.verdict, IR_ALLOW);
	/* The grants that cover it: the plain allow and the override. */
	ck_assert_uint_eq(d.nrules, 2);
	ck_assert_str_eq(d.rules[0]->path, "/home/user");
	ck_assert_ptr_eq(d.rules[1], o);
	ck_assert_uint_eq(d.nlifted, 1);
	ck_assert_str_eq(ir_origin_chain(ctx, &d.lifted[0]->origin),
			 "deny_credentials ← base ← dev");
	ir_decide_path(ctx, dev, IR_MACOS, "/home/user/.ssh/known_hosts",
		       IR_WRITE, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ck_assert_uint_eq(d.nrules, 1);
	ck_assert_str_eq(d.rules[0]->path, "/home/user/.ssh");
	ck_assert_int_eq(
		decide(ctx, dev, IR_LINUX, "/home/user/.ssh/id_rsa", IR_READ),
		IR_DENY);
	ck_assert_int_eq(decide(ctx, dev, IR_LINUX,
				"/home/user/.ssh/known_hosts/x", IR_READ),
			 IR_DENY);

	const struct ir_policy *base = again("base");
	assert_clean(base, "base");
	ir_decide_path(ctx, base, IR_LINUX, "/home/user/.ssh/known_hosts",
		       IR_READ, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ck_assert_str_eq(ir_origin_chain(ctx, &d.rules[0]->origin),
			 "deny_credentials ← base");
}
END_TEST

START_TEST(test_dead_rules)
{
	const char *src = "profile p {\n"			   /* 1 */
			  "    deny ~/.ssh;\n"			   /* 2 */
			  "    allow read ~/.ssh/config;\n"	   /* 3 */
			  "    deny write file /f;\n"		   /* 4 */
			  "    allow write file /f;\n"		   /* 5 */
			  "    allow read file /f;\n"		   /* 6 */
			  "    allow rw /f;\n"			   /* 7 */
			  "    platform linux {\n"		   /* 8 */
			  "        deny /lin;\n"		   /* 9 */
			  "    }\n"				   /* 10 */
			  "    allow read /lin/x;\n"		   /* 11 */
			  "    deny /o;\n"			   /* 12 */
			  "    allow read /o/x;\n"		   /* 13 */
			  "    override allow read file /o/x/y;\n" /* 14 */
			  "    allow read,landlock(refer) /o/z;\n" /* 15 */
			  "}\n";
	const struct ir_policy *p = resolve(src, "p");

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(ctx->nerrors, 0);
	ck_assert_uint_eq(ctx->nwarnings, 2);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:3:16: warning: dead rule: "
			 "'/home/user/.ssh/config' lies wholly inside a "
			 "deny\n"
			 "t.pol:2:10: note: denied here, by p\n"
			 "t.pol:5:22: warning: dead rule: '/f' lies wholly "
			 "inside a deny\n"
			 "t.pol:4:21: note: denied here, by p\n");
}
END_TEST

/* ---- provenance ------------------------------------------------------------
 */

START_TEST(test_origin_chains)
{
	const char *src = "group inner {\n"
			  "    deny /inner;\n"
			  "}\n"
			  "group deny_credentials {\n"
			  "    use inner;\n"
			  "    deny ~/.ssh;\n"
			  "}\n"
			  "profile default {\n"
			  "    use deny_credentials;\n"
			  "}\n"
			  "profile claude-code extends default {\n"
			  "    allow read /usr;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "claude-code");
	const struct ir_path_rule *ssh = find_path_rule(p, "/home/user/.ssh");

	ck_assert_str_eq(chain_of(p, "/home/user/.ssh"),
			 "deny_credentials ← default ← claude-code");
	ck_assert_str_eq(chain_of(p, "/inner"),
			 "inner ← deny_credentials ← default ← claude-code");
	ck_assert_str_eq(chain_of(p, "/usr"), "claude-code");
	ck_assert_uint_eq(ssh->origin.chain_len, 3);
	ck_assert(ssh->origin.chain[0].group);
	ck_assert(!ssh->origin.chain[1].group);
	ck_assert(!ssh->origin.chain[2].group);
	ck_assert_str_eq(ir_origin_where(ctx, &ssh->origin), "t.pol:6:10");
}
END_TEST

START_TEST(test_origin_first_use_path)
{
	const char *src = "group shared {\n"
			  "    deny /s;\n"
			  "}\n"
			  "group zz {\n"
			  "    use shared;\n"
			  "}\n"
			  "group aa {\n"
			  "    use shared;\n"
			  "}\n"
			  "profile base {\n"
			  "    use zz;\n"
			  "}\n"
			  "profile p extends base {\n"
			  "    use aa;\n"
			  "}\n"
			  "profile q {\n"
			  "    use zz aa;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	/* The profile nearest the root first, whatever the names. */
	ck_assert_str_eq(chain_of(p, "/s"), "shared ← zz ← base ← p");
	/* One profile: the least list of group names. */
	const struct ir_policy *q = again("q");
	assert_clean(q, "q");
	ck_assert_str_eq(chain_of(q, "/s"), "shared ← aa ← q");
}
END_TEST

/*
 * BUG: a group keeps one provenance for all platforms (struct group_state
 * has one via), so a rule reached through different first use paths on
 * linux and macos is not split (spec/semantics.md §1.4): here macos's only
 * path is xb's, yet the rule says xa.
 */
START_TEST(test_origin_split_per_platform)
{
	const char *src = "group xa {\n"
			  "    platform linux {\n"
			  "        use xc;\n"
			  "    }\n"
			  "}\n"
			  "group xb {\n"
			  "    use xc;\n"
			  "}\n"
			  "group xc {\n"
			  "    deny /x;\n"
			  "}\n"
			  "profile p {\n"
			  "    use xa xb;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_uint_eq(count_path_rules(p, "/x"), 2);
	for (size_t i = 0; i < p->npaths; i++) {
		const struct ir_path_rule *r = &p->paths[i];
		const char *c = ir_origin_chain(ctx, &r->origin);

		if (r->platforms == IR_LINUX)
			ck_assert_str_eq(c, "xc ← xa ← p");
		else
			ck_assert_str_eq(c, "xc ← xb ← p");
	}
}
END_TEST

/* ---- syscalls
 * ----------------------------------------------------------------- */

START_TEST(test_syscall_sets_expanded)
{
	const char *src = "set @inner = ptrace;\n"
			  "set @outer = @inner mount;\n"
			  "profile p {\n"
			  "    network allow;\n"
			  "    syscall deny @outer kexec_load;\n"
			  "    syscall errno EACCES ioctl if arg1 == TIOCSTI;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_uint_eq(p->nsys, 4);
	ck_assert_str_eq(p->sys[0].syscall, "ioctl");
	ck_assert_int_eq(p->sys[0].action, IR_SYS_ERRNO);
	ck_assert_uint_eq(p->sys[0].errno_value, 13);
	ck_assert_uint_eq(p->sys[0].nconds, 1);
	ck_assert_uint_eq(p->sys[0].conds[0].arg, 1);
	ck_assert_int_eq(p->sys[0].conds[0].op, IR_CMP_EQ);
	ck_assert(p->sys[0].conds[0].mask == UINT64_MAX);
	ck_assert(p->sys[0].conds[0].value == 0x5412);
	ck_assert_str_eq(p->sys[1].syscall, "kexec_load");
	ck_assert_ptr_null(p->sys[1].via_set);
	ck_assert_str_eq(p->sys[2].syscall, "mount");
	ck_assert_str_eq(p->sys[2].via_set, "@outer");
	ck_assert_str_eq(p->sys[3].syscall, "ptrace");
	ck_assert_str_eq(p->sys[3].via_set, "@outer");
	for (size_t i = 1; i < 4; i++) {
		ck_assert_int_eq(p->sys[i].action, IR_SYS_ERRNO);
		ck_assert_uint_eq(p->sys[i].errno_value, 1);
		ck_assert_uint_eq(p->sys[i].nconds, 0);
		ck_assert_uint_eq(p->sys[i].platforms, IR_ALL_PLATFORMS);
		ck_assert_str_eq(ir_origin_chain(ctx, &p->sys[i].origin), "p");
	}
}
END_TEST

/* §4.7: network deny closes sockets Landlock cannot see, and io_uring. */
START_TEST(test_network_closure)
{
	const char *src = "profile closed {\n"
			  "    network deny;\n"
			  "}\n"
			  "profile tcp {\n"
			  "    network connect tcp 443;\n"
			  "}\n"
			  "profile both {\n"
			  "    network connect tcp 443;\n"
			  "    network connect udp 53;\n"
			  "}\n"
			  "profile open {\n"
			  "    network allow;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "closed");
	const uint64_t unix_stream[6] = { 1, 1 }, udp[6] = { 2, 2 };
	const uint64_t tcp_nonblock[6] = { 10, 1 | 04000, 6 };
	const uint64_t raw[6] = { 2, 3 }, packet[6] = { 17, 3 };
	const uint64_t sctp[6] = { 2, 1, 132 }, high[6] = { 1ull << 32 | 2, 1 };
	const struct ir_sys_rule *why;
	unsigned err;

	ck_assert_uint_eq(p->nsys, 4);
	ck_assert_int_eq(ir_syscall_action(p, IR_LINUX, "socket", unix_stream,
					   &err, &why),
			 IR_SYS_ALLOW);
	ck_assert_int_eq(ir_syscall_action(p, IR_LINUX, "socket", tcp_nonblock,
					   &err, &why),
			 IR_SYS_ERRNO);
	ck_assert_str_eq(ir_origin_where(ctx, &why->origin), "t.pol:2:5");
	ck_assert_int_eq(ir_syscall_action(p, IR_LINUX, "io_uring_setup", udp,
					   &err, &why),
			 IR_SYS_ERRNO);
	ck_assert_int_eq(
		ir_syscall_action(p, IR_MACOS, "socket", udp, &err, &why),
		IR_SYS_ALLOW);

	p = resolve_clean(src, "tcp");
	ck_assert_int_eq(ir_syscall_action(p, IR_LINUX, "socket", tcp_nonblock,
					   &err, &why),
			 IR_SYS_ALLOW);
	ck_assert_int_eq(ir_syscall_action(p, IR_LINUX, "socket", unix_stream,
					   &err, &why),
			 IR_SYS_ALLOW);
	const uint64_t *refused[] = { udp, raw, packet, sctp, high };
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(ir_syscall_action(p, IR_LINUX, "socket",
						   refused[i], &err, &why),
				 IR_SYS_ERRNO);
		ck_assert_uint_eq(err, 1);
		ck_assert_str_eq(ir_origin_where(ctx, &why->origin),
				 "t.pol:5:25");
	}

	/* A udp grant opens UDP (no more: not ICMP datagrams), and keeps
	 * the rest of the closure. */
	p = resolve_clean(src, "both");
	const uint64_t udp_proto[6] = { 10, 2, 17 }, icmp[6] = { 2, 2, 1 };
	const uint64_t *allowed[] = { udp, udp_proto, tcp_nonblock };
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(ir_syscall_action(p, IR_LINUX, "socket",
						   allowed[i], &err, &why),
				 IR_SYS_ALLOW);
	ck_assert_int_eq(
		ir_syscall_action(p, IR_LINUX, "socket", icmp, &err, &why),
		IR_SYS_ERRNO);
	ck_assert_str_eq(ir_origin_where(ctx, &why->origin), "t.pol:9:25");
	const uint64_t *still[] = { raw, packet, sctp, high };
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(ir_syscall_action(p, IR_LINUX, "socket",
						   still[i], &err, &why),
				 IR_SYS_ERRNO);

	p = resolve_clean(src, "open");
	ck_assert_uint_eq(p->nsys, 0);
}
END_TEST

START_TEST(test_syscall_reached_twice)
{
	const char *src = "set @debug = ptrace;\n"
			  "profile p {\n"
			  "    network allow;\n"
			  "    syscall deny ptrace @debug;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_uint_eq(p->nsys, 2);
	ck_assert_str_eq(p->sys[0].syscall, "ptrace");
	ck_assert_str_eq(p->sys[1].syscall, "ptrace");
	ck_assert((p->sys[0].via_set == NULL) != (p->sys[1].via_set == NULL));
}
END_TEST

START_TEST(test_undefined_set)
{
	const char *src = "set @mount = mount;\n"
			  "profile p {\n"
			  "    syscall deny @mout;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_str_eq(
		diags_brief(ctx),
		"t.pol:3:18: error: undefined syscall set '@mout'; did "
		"you mean '@mount'?\n");
}
END_TEST

static const char set_cycle_src[] = "set @a = @b;\n"
				    "set @b = ptrace @a;\n"
				    "profile p {\n"
				    "    syscall deny @a;\n"
				    "}\n";

START_TEST(test_set_cycle)
{
	ck_assert_ptr_null(resolve(set_cycle_src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	const struct diag *d = diag_nth(ctx, 0);
	unsigned line, col;
	loc_line_col(ctx, d->loc, &line, &col);
	ck_assert_str_eq(d->message, "syscall set '@a' contains itself");
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 17);
}
END_TEST

/*
 * BUG: ir/resolve.c add_set() reports a set cycle without notes; §5 wants
 * notes at each step of a set cycle.
 */
START_TEST(test_set_cycle_notes)
{
	ck_assert_ptr_null(resolve(set_cycle_src, "p"));
	const struct diag *d = diag_nth(ctx, 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_msg(d->notes != NULL, "no notes along the cycle:\n%s",
		      diags_text(ctx));
	ck_assert_msg(has_note_on_line(d, 1), "no note at @a:\n%s",
		      diags_text(ctx));
}
END_TEST

START_TEST(test_errno_conflicts)
{
	const char *src =
		"profile p {\n"
		"    syscall errno EPERM ptrace;\n"
		"    syscall errno EACCES ptrace;\n"
		"    syscall errno EACCES ioctl if arg0 == 1 && arg1 == 2;\n"
		"    syscall errno EPERM ioctl if arg1 == 2 && arg0 == 1;\n"
		"    syscall errno EPERM mount if arg0 == 1;\n"
		"    syscall errno EACCES mount if arg0 == 2;\n"
		"    syscall deny umount2;\n"
		"    syscall errno EPERM umount2;\n"
		"    platform linux {\n"
		"        syscall errno EPERM chroot;\n"
		"    }\n"
		"    platform macos {\n"
		"        syscall errno EACCES chroot;\n"
		"    }\n"
		"}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 2);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:3:5: error: syscall 'ptrace' gets errno 13 "
			 "here and errno 1 elsewhere, under the same "
			 "conditions\n"
			 "t.pol:2:5: note: errno 1 here\n"
			 "t.pol:5:5: error: syscall 'ioctl' gets errno 1 here "
			 "and errno 13 elsewhere, under the same conditions\n"
			 "t.pol:4:5: note: errno 13 here\n");
}
END_TEST

/* ---- env --------------------------------------------------------------------
 */

START_TEST(test_env_rules)
{
	const char *src = "group secrets {\n"
			  "    env drop *_TOKEN AWS_*;\n"
			  "}\n"
			  "profile base {\n"
			  "    use secrets;\n"
			  "    env pass PATH LC_*;\n"
			  "    env set A = \"1\";\n"
			  "    env set B = \"1\";\n"
			  "}\n"
			  "profile p extends base {\n"
			  "    override env pass GITHUB_TOKEN;\n"
			  "    env set A = \"2\";\n"
			  "    platform linux {\n"
			  "        env set B = \"3\";\n"
			  "    }\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");
	const struct ir_env_rule *e = p->env;
	const struct ir_env_rule *why;

	ck_assert_uint_eq(p->nenv, 8);
	ck_assert_str_eq(e[0].pattern, "*_TOKEN");
	ck_assert_int_eq(e[0].kind, IR_ENV_DROP);
	ck_assert_str_eq(ir_origin_chain(ctx, &e[0].origin),
			 "secrets ← base ← p");
	/* The nearest profile's env set replaces its parent's. */
	ck_assert_str_eq(e[1].pattern, "A");
	ck_assert_int_eq(e[1].kind, IR_ENV_SET);
	ck_assert_str_eq(e[1].value, "2");
	ck_assert_uint_eq(e[1].platforms, IR_ALL_PLATFORMS);
	ck_assert_str_eq(e[2].pattern, "AWS_*");
	ck_assert_int_eq(e[2].kind, IR_ENV_DROP);
	/* Per platform: linux from p, macos still from base. */
	ck_assert_str_eq(e[3].pattern, "B");
	ck_assert_str_eq(e[3].value, "1");
	ck_assert_uint_eq(e[3].platforms, IR_MACOS);
	ck_assert_str_eq(e[4].pattern, "B");
	ck_assert_str_eq(e[4].value, "3");
	ck_assert_uint_eq(e[4].platforms, IR_LINUX);
	ck_assert_str_eq(e[5].pattern, "GITHUB_TOKEN");
	ck_assert_int_eq(e[5].kind, IR_ENV_PASS);
	ck_assert(e[5].override);
	ck_assert_str_eq(e[6].pattern, "LC_*");
	ck_assert(!e[6].override);
	ck_assert_str_eq(e[7].pattern, "PATH");

	ck_assert_int_eq(ir_decide_env(p, IR_LINUX, "B", &why), IR_DENY);
	ck_assert_str_eq(why->value, "3");
	ck_assert_int_eq(ir_decide_env(p, IR_MACOS, "B", &why), IR_DENY);
	ck_assert_str_eq(why->value, "1");
	ck_assert_int_eq(ir_decide_env(p, IR_LINUX, "GITHUB_TOKEN", &why),
			 IR_ALLOW);
	ck_assert_ptr_eq(why, &e[5]);
	ck_assert_int_eq(ir_decide_env(p, IR_LINUX, "NPM_TOKEN", &why),
			 IR_DENY);
}
END_TEST

START_TEST(test_env_set_conflict)
{
	const char *src = "group g {\n"
			  "    env set A = \"g\";\n"
			  "}\n"
			  "profile p {\n"
			  "    use g;\n"
			  "    env set A = \"p\";\n"
			  "    env set C = \"same\";\n"
			  "    env set C = \"same\";\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:2:5: error: 'A' is set to two values in "
			 "profile 'p'\n"
			 "t.pol:6:5: note: also set here\n");
}
END_TEST

START_TEST(test_dead_env_override)
{
	const char *src = "profile p {\n"
			  "    env pass *;\n"
			  "    env drop AWS_*;\n"
			  "    override env pass FOO;\n"
			  "    override env pass AWS_KEY;\n"
			  "}\n";

	ck_assert_ptr_null(resolve(src, "p"));
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:4:23: error: override of 'FOO' lifts no drop\n"
			 "t.pol:4:23: note: no 'env drop' in profile 'p' "
			 "matches it; write 'env pass' instead\n");
}
END_TEST

/* ---- order independence
 * -------------------------------------------------------- */

/*
 * One policy of about fifty statements over a profile, its parent, three
 * groups and a file of top-level lets and sets, one body per file: rules,
 * overrides, platform blocks, lets, exclusions, env, network and syscalls.
 */
struct src_file {
	const char *name;
	const char *head; /* "profile agent extends base {", or NULL */
	const char *const *stmts;
	size_t nstmts;
};

static const char *const top_stmts[] = {
	"let TOOLS = /opt/tools;",
	"let CACHE = $XDG_CACHE_HOME/agent;",
	"set @ns = unshare setns;",
	"set @danger = @ns ptrace mount;",
};

static const char *const g1_stmts[] = {
	"required;",
	"deny ~/.ssh ~/.aws;",
	"deny file ~/.netrc;",
	"env drop *_TOKEN AWS_*;",
	"syscall deny @danger;",
	"use g3;",
	"platform macos { deny ~/Library/Keychains; }",
	"expect deny read ~/.aws/credentials;",
};

static const char *const g2_stmts[] = {
	"let SDK = $TOOLS/sdk;",
	"allow rx $SDK /usr;",
	"allow read /etc;",
	"deny write /etc/shadow;",
	"network connect tcp 443 8000-8100;",
	"platform linux { allow rw /dev/shm; syscall log ioctl; }",
	"use g3;",
};

static const char *const g3_stmts[] = {
	"deny write /usr/local/bin;",
	"env pass LC_* LANG;",
	"syscall errno EACCES ioctl if arg1 == TIOCSTI;",
	"network bind udp 5353;",
};

static const char *const base_stmts[] = {
	"use g1 g2;",
	"platform linux { workdir rw; }",
	"platform macos { let LIB = ~/Library; workdir read; }",
	"platform macos { allow read $LIB/Preferences; }",
	"network deny;",
	"syscall default allow;",
	"allow read ~;",
	"env pass PATH HOME;",
	"env set EDITOR = \"vi\";",
	"expect deny read ~/.ssh/id_rsa;",
};

static const char *const agent_stmts[] = {
	"use g3;",
	"platform linux { exclude g2; }",
	"workdir all;",
	"network connect tcp 22;",
	"network host \"api.example.com\";",
	"network loopback;",
	"override allow read file ~/.ssh/known_hosts;",
	"let PROJ = $WORKDIR/sub;",
	"deny wd $WORKDIR/.git/hooks;",
	"allow rwd $CACHE create;",
	"allow rx $PROJ/bin;",
	"env drop SSH_AUTH_SOCK;",
	"override env pass GITHUB_TOKEN;",
	"env set EDITOR = \"nano\";",
	"syscall kill kexec_load;",
	"syscall allow ioctl if arg1 == 0x5401;",
	"platform macos { allow read /Applications; }",
	"platform macos { override allow read ~/Library/Keychains/sys; }",
	"expect allow write $WORKDIR/src/x;",
	"expect deny write $WORKDIR/.git/hooks/pre-commit;",
};

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

static const struct src_file order_files[] = {
	{ "top.pol", NULL, top_stmts, COUNT(top_stmts) },
	{ "g1.pol", "group g1 {", g1_stmts, COUNT(g1_stmts) },
	{ "g2.pol", "group g2 {", g2_stmts, COUNT(g2_stmts) },
	{ "g3.pol", "group g3 {", g3_stmts, COUNT(g3_stmts) },
	{ "base.pol", "profile base {", base_stmts, COUNT(base_stmts) },
	{ "agent.pol", "profile agent extends base {", agent_stmts,
	  COUNT(agent_stmts) },
};

/* Paths asked about; each also with "/zz" appended. */
static const char *const grid_paths[] = {
	"/",
	"/home",
	"/home/user",
	"/home/user/notes.txt",
	"/home/user/.ssh",
	"/home/user/.ssh/id_rsa",
	"/home/user/.ssh/known_hosts",
	"/home/user/.sshx",
	"/home/user/.aws/credentials",
	"/home/user/.netrc",
	"/home/user/.netrcx",
	"/home/user/Library",
	"/home/user/Library/Keychains",
	"/home/user/Library/Keychains/login.keychain-db",
	"/home/user/Library/Keychains/sys",
	"/home/user/Library/Preferences/x.plist",
	"/home/user/.cache",
	"/home/user/.cache/agent",
	"/home/user/.cache/agent/db",
	"/home/user/.cache/other",
	"/opt",
	"/opt/tools",
	"/opt/tools/sdk",
	"/opt/tools/sdk/bin/cc",
	"/opt/tools/sdkx",
	"/usr",
	"/usr/bin/ls",
	"/usr/local/bin",
	"/usr/local/bin/tool",
	"/usr/local/lib",
	"/etc",
	"/etc/hosts",
	"/etc/shadow",
	"/dev/shm",
	"/dev/shm/seg",
	"/dev/null",
	"/work",
	"/work/project",
	"/work/project/src/x",
	"/work/project/.git",
	"/work/project/.git/hooks",
	"/work/project/.git/hooks/pre-commit",
	"/work/project/sub/bin/tool",
	"/work/projectx",
	"/Applications",
	"/Applications/X.app",
	"/tmp/x",
	"/run/user/1000",
	"/var",
	"/home/user/Library/Preferences",
};

static const char *const grid_env[] = {
	"PATH",
	"HOME",
	"LANG",
	"LC_ALL",
	"EDITOR",
	"GITHUB_TOKEN",
	"NPM_TOKEN",
	"AWS_REGION",
	"SSH_AUTH_SOCK",
	"TERM",
	"AWS_SECRET_ACCESS_KEY",
};

static const char *const grid_sys[] = {
	"ptrace",     "mount", "unshare", "setns",   "ioctl",
	"kexec_load", "read",  "openat",  "umount2",
};

/* Fixed-seed LCG (Knuth's MMIX constants); never rand(). */
static uint64_t lcg_state;

static size_t lcg_below(size_t n)
{
	lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
	return (size_t)((lcg_state >> 33) % n);
}

static void shuffle(void **items, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = lcg_below(i);
		void *t = items[i - 1];

		items[i - 1] = items[j];
		items[j] = t;
	}
}

/* Append to a growing string in the arena. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = (b->len + (size_t)n + 1) * 2;
		char *s = arena_alloc(&ctx->arena, cap);

		ck_assert_ptr_nonnull(s);
		if (b->len)
			memcpy(s, b->s, b->len);
		b->s = s;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static int strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Grid path @i: the paths, then each with "/zz" appended. */
static const char *grid_path(size_t i)
{
	const char *base = grid_paths[i % COUNT(grid_paths)];

	if (i < COUNT(grid_paths))
		return base;
	return arena_printf(&ctx->arena, "%s/zz",
			    strcmp(base, "/") ? base : "");
}

/* The deciding (or lifted) rules of one answer, as text. */
static void grid_rules(struct sbuf *b, char tag,
		       const struct ir_path_rule *const *rules, size_t n,
		       bool exact)
{
	const char **names = arena_alloc(&ctx->arena, (n + 1) * sizeof(*names));

	ck_assert_ptr_nonnull(names);
	for (size_t r = 0; r < n; r++)
		names[r] = arena_printf(
			&ctx->arena, "%s|%s|%s|%u|%u",
			exact ? ir_origin_where(ctx, &rules[r]->origin) : "",
			ir_origin_chain(ctx, &rules[r]->origin), rules[r]->path,
			rules[r]->modes, rules[r]->platforms);
	if (!exact && n > 1)
		qsort(names, n, sizeof(*names), strcmp_ptr);
	sb_add(b, " %c", tag);
	for (size_t r = 0; r < n; r++)
		sb_add(b, " %s", names[r]);
}

/*
 * Every answer of @p over the grid (100 paths, 4 modes, 2 platforms; and
 * env, syscall and network questions), one line each.  With @exact, the
 * deciding rules are named with their locations (the same trees
 * reordered); else by chain and path, sorted (reordered text moves every
 * location).
 */
static const char *grid(const struct ir_policy *p, bool exact)
{
	static const unsigned platforms[] = { IR_LINUX, IR_MACOS };
	struct sbuf b = { 0 };

	for (size_t i = 0; i < 2 * COUNT(grid_paths); i++) {
		const char *path = grid_path(i);

		for (unsigned m = 0; m < 4; m++) {
			for (unsigned k = 0; k < 2; k++) {
				struct ir_decision d;

				ir_decide_path(ctx, p, platforms[k], path,
					       1u << m, &d);
				sb_add(&b, "%s %u %u: %s", path, m, k,
				       d.verdict == IR_ALLOW ? "allow"
							     : "deny");
				grid_rules(&b, 'R', d.rules, d.nrules, exact);
				grid_rules(&b, 'L', d.lifted, d.nlifted, exact);
				sb_add(&b, "\n");
			}
		}
	}
	for (size_t i = 0; i < COUNT(grid_env); i++) {
		for (unsigned k = 0; k < 2; k++) {
			const struct ir_env_rule *why;
			enum ir_verdict v = ir_decide_env(p, platforms[k],
							  grid_env[i], &why);

			sb_add(&b, "env %s %u: %d %s %s\n", grid_env[i], k, v,
			       why ? why->pattern : "-",
			       why && why->value ? why->value : "-");
		}
	}
	for (size_t i = 0; i < COUNT(grid_sys); i++) {
		for (unsigned k = 0; k < 2; k++) {
			const struct ir_sys_rule *why;
			enum ir_sys_outcome o = ir_decide_syscall(
				ctx, p, platforms[k], grid_sys[i], &why);

			sb_add(&b, "sys %s %u: %d\n", grid_sys[i], k, o);
		}
	}
	for (unsigned port = 20; port < 25; port++) {
		for (unsigned k = 0; k < 2; k++) {
			const struct ir_net_rule *why;

			sb_add(&b, "net %u %u: %d\n", port, k,
			       ir_decide_net(p, platforms[k], IR_NET_CONNECT, 6,
					     port, &why));
		}
	}
	return b.s ? b.s : "";
}

/* Assert @got equals @want, showing the first line that differs. */
static void assert_same_text(const char *what, unsigned perm, const char *want,
			     const char *got)
{
	size_t line = 1, i = 0;

	if (strcmp(want, got) == 0)
		return;
	while (want[i] && want[i] == got[i])
		line += want[i++] == '\n';
	while (i > 0 && want[i - 1] != '\n')
		i--;
	ck_abort_msg("%s differs in permutation %u at line %zu:\n"
		     "want: %.*s\n got: %.*s",
		     what, perm, line, (int)strcspn(want + i, "\n"), want + i,
		     (int)strcspn(got + i, "\n"), got + i);
}

/* The text of one file of the order policy, statements in @order. */
static const char *file_text(const struct src_file *f, const size_t *order)
{
	struct sbuf b = { 0 };

	if (f->head)
		sb_add(&b, "%s\n", f->head);
	for (size_t i = 0; i < f->nstmts; i++)
		sb_add(&b, "%s%s\n", f->head ? "    " : "",
		       f->stmts[order ? order[i] : i]);
	if (f->head)
		sb_add(&b, "}\n");
	return b.s;
}

/* Build the unit from the order policy; files and statements in order. */
static void order_unit(struct load_unit *u, bool permute)
{
	size_t forder[COUNT(order_files)];

	*u = (struct load_unit){ 0 };
	for (size_t i = 0; i < COUNT(order_files); i++)
		forder[i] = i;
	for (size_t i = COUNT(order_files); permute && i > 1; i--) {
		size_t j = lcg_below(i), t = forder[i - 1];

		forder[i - 1] = forder[j];
		forder[j] = t;
	}
	for (size_t i = 0; i < COUNT(order_files); i++) {
		const struct src_file *f = &order_files[forder[i]];
		size_t *order =
			arena_alloc(&ctx->arena, f->nstmts * sizeof(*order));

		for (size_t k = 0; k < f->nstmts; k++)
			order[k] = k;
		for (size_t k = f->nstmts; permute && k > 1; k--) {
			size_t j = lcg_below(k), t = order[k - 1];

			order[k - 1] = order[j];
			order[j] = t;
		}
		unit_add(ctx, u, f->name, file_text(f, order));
	}
}

static size_t order_statement_count(void)
{
	size_t n = 0;

	for (size_t i = 0; i < COUNT(order_files); i++)
		n += order_files[i].nstmts;
	return n;
}

/* Shuffle a body and the lists of its statements, recursively. */
static void shuffle_body(struct ptrvec *body)
{
	shuffle(body->items, body->len);
	for (size_t i = 0; i < body->len; i++) {
		struct ast_stmt *s = body->items[i];

		switch (s->kind) {
		case AST_PLATFORM: shuffle_body(&s->u.platform.body); break;
		case AST_USE:
		case AST_EXCLUDE:
			shuffle(s->u.names.items, s->u.names.len);
			break;
		case AST_RULE:
			shuffle(s->u.rule.paths.items, s->u.rule.paths.len);
			break;
		case AST_ENV:
			shuffle(s->u.env.patterns.items, s->u.env.patterns.len);
			break;
		default: break;
		}
	}
}

static void shuffle_unit(struct load_unit *u)
{
	shuffle(u->files.items, u->files.len);
	for (size_t i = 0; i < u->files.len; i++) {
		struct ast_file *f = u->files.items[i];

		shuffle(f->items.items, f->items.len);
		for (size_t j = 0; j < f->items.len; j++) {
			struct ast_item *it = f->items.items[j];

			shuffle_body(&it->body);
			shuffle(it->members.items, it->members.len);
		}
	}
}

enum { PERMUTATIONS = 50 };

START_TEST(test_order_policy_is_as_intended)
{
	struct load_unit u;

	ck_assert_uint_ge(order_statement_count(), 40);
	order_unit(&u, false);
	const struct ir_policy *p = ir_resolve(ctx, &u, "agent", &opts);
	assert_clean(p, "agent");
	ck_assert_int_eq(ir_check_expects(ctx, p), 0);
	ck_assert_uint_eq(ctx->nerrors, 0);
	/* Each kind of statement made it into the policy. */
	ck_assert_uint_eq(p->ngroups, 3);
	ck_assert_uint_eq(p->group_platforms[1], IR_MACOS); /* g2 */
	ck_assert_uint_eq(p->nexpects, 3); /* agent's two and g1's */
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/home/user/.ssh/known_hosts",
				IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS,
				"/home/user/Library/Keychains/sys", IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/etc/hosts", IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/etc/hosts", IR_READ),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/usr/local/bin/x", IR_WRITE),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/work/project/a", IR_EXEC),
			 IR_ALLOW);
	const struct ir_env_rule *why;
	ck_assert_int_eq(ir_decide_env(p, IR_LINUX, "EDITOR", &why), IR_DENY);
	ck_assert_str_eq(why->value, "nano");
}
END_TEST

/* The same trees, reordered: the printed policy is byte-identical. */
START_TEST(test_order_independence_trees)
{
	struct load_unit u;

	lcg_state = 0x5eed1234u;
	order_unit(&u, false);
	const struct ir_policy *p = ir_resolve(ctx, &u, "agent", &opts);
	assert_clean(p, "agent");
	const char *want_text = ir_text(ctx, p);
	const char *want_grid = grid(p, true);

	for (unsigned perm = 0; perm < PERMUTATIONS; perm++) {
		shuffle_unit(&u);
		p = ir_resolve(ctx, &u, "agent", &opts);
		assert_clean(p, "agent");
		assert_same_text("printed policy", perm, want_text,
				 ir_text(ctx, p));
		assert_same_text("decisions", perm, want_grid, grid(p, true));
	}
}
END_TEST

/* Drop the " @ file:line:col" of each printed provenance. */
static const char *without_locations(const char *text)
{
	char *out = arena_strndup(&ctx->arena, text, strlen(text));
	char *w = out;

	for (const char *r = text; *r;) {
		if (strncmp(r, " @ ", 3) == 0 && strstr(r, ".pol:") &&
		    strstr(r, ".pol:") < strchrnul(r, '\n')) {
			r = strchrnul(r, '\n');
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	return out;
}

/* The lines of @text, sorted (statement order moves tied lines). */
static const char *sorted_lines(const char *text)
{
	size_t n = 0, k = 0;
	struct sbuf b = { 0 };

	for (const char *s = text; *s; s++)
		n += *s == '\n';
	const char **lines = arena_alloc(&ctx->arena, (n + 1) * sizeof(*lines));
	for (const char *s = text; *s;) {
		const char *e = strchrnul(s, '\n');

		lines[k++] = arena_strndup(&ctx->arena, s, (size_t)(e - s));
		s = *e ? e + 1 : e;
	}
	qsort(lines, k, sizeof(*lines), strcmp_ptr);
	for (size_t i = 0; i < k; i++)
		sb_add(&b, "%s\n", lines[i]);
	return b.s ? b.s : "";
}

/*
 * The text reordered (statements within each body, items within each file,
 * files within the unit): every location moves, so the printed policy is
 * compared without them, and its lines as a set (assertions keep source
 * order); the decisions are identical.
 */
START_TEST(test_order_independence_text)
{
	struct load_unit u;

	lcg_state = 0xc0ffeeu;
	order_unit(&u, false);
	const struct ir_policy *p = ir_resolve(ctx, &u, "agent", &opts);
	assert_clean(p, "agent");
	const char *want_text =
		sorted_lines(without_locations(ir_text(ctx, p)));
	const char *want_grid = grid(p, false);

	for (unsigned perm = 0; perm < PERMUTATIONS; perm++) {
		struct polc_ctx *outer = ctx;
		struct ir_options o;

		ctx = polc_ctx_new();
		test_options(ctx, &o);
		order_unit(&u, true);
		p = ir_resolve(ctx, &u, "agent", &o);
		assert_clean(p, "agent");
		const char *got_text =
			sorted_lines(without_locations(ir_text(ctx, p)));
		const char *got_grid = grid(p, false);
		char *t = strdup(got_text), *g = strdup(got_grid);
		polc_ctx_free(ctx);
		ctx = outer;
		assert_same_text("printed policy", perm, want_text, t);
		assert_same_text("decisions", perm, want_grid, g);
		free(t);
		free(g);
	}
}
END_TEST

/*
 * vars_normalise() returns a path that is normal already as it is, and
 * copies the others: for every absolute path of up to 10 of "/.a", the
 * path is returned as it is exactly when its normal form is itself (the
 * normal form of "/" + path, which takes the copying way).
 */
START_TEST(test_normalise_returns_normal_paths_as_they_are)
{
	char path[16], doubled[17];
	size_t checked = 0;

	for (size_t len = 1; len <= 10; len++) {
		for (size_t k = 0; k < word_count("/.a", len); k++) {
			word(path, "/.a", len, k);
			if (path[0] != '/')
				continue;
			doubled[0] = '/';
			memcpy(doubled + 1, path, len + 1);
			const char *got = vars_normalise(ctx, path);
			const char *normal = vars_normalise(ctx, doubled);
			ck_assert_str_eq(got, normal);
			ck_assert_msg(
				(got == path) == !strcmp(normal, path),
				"'%s' (normal form '%s') %s", path, normal,
				got == path ? "returned as it is" : "copied");
			checked++;
		}
	}
	ck_assert_uint_eq(checked, 29524u);
}
END_TEST

Suite *suite_resolve(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc = tcase_create("chains");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_chain_inherits_rules);
	tcase_add_test(tc, test_normalise_returns_normal_paths_as_they_are);
	tcase_add_test(tc, test_nearest_setting_wins_per_platform);
	tcase_add_test(tc, test_settings_default);
	tcase_add_test(tc, test_extends_cycle);
	tcase_add_test(tc, test_extends_self);
	tcase_add_test(tc, test_extends_undefined_did_you_mean);
	tcase_add_test(tc, test_extends_undefined_no_suggestion);
	tcase_add_test(tc, test_extends_group);
	tcase_add_test(tc, test_resolve_unknown_profile);
	tcase_add_test(tc, test_chain_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("groups");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_use_undefined_group);
	tcase_add_test(tc, test_use_undefined_in_group);
	tcase_add_test(tc, test_exclude_required);
	tcase_add_test(tc, test_exclude_removes_group_and_what_only_it_brings);
	tcase_add_test(tc, test_exclude_worked_example);
	tcase_add_test(tc, test_reused_group_chain_is_the_direct_use);
	tcase_add_test(tc, test_use_and_exclude_same_group);
	tcase_add_test(tc, test_use_and_exclude_on_different_platforms);
	tcase_add_test(tc, test_needless_exclude_on_one_platform);
	tcase_add_test(tc, test_group_use_cycle);
	tcase_add_test(tc, test_group_use_cycle_notes);
	tcase_add_test(tc, test_group_use_cycle_unused);
	tcase_add_test(tc, test_group_cycle_across_platform_blocks);
	tcase_add_test(tc, test_group_platform_clause);
	tcase_add_test(tc, test_platform_blocks);
	tcase_add_test(tc, test_platforms_worked_example);
	tcase_add_test(tc, test_existing_deny_decides_like_a_deny);
	suite_add_tcase(s, tc);

	tc = tcase_create("variables");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_builtin_variables);
	tcase_add_test(tc, test_user_variables);
	tcase_add_test(tc, test_group_variables_not_visible_in_profile);
	tcase_add_test(tc, test_undefined_variable_did_you_mean);
	tcase_add_test(tc, test_undefined_variable_on_one_platform);
	tcase_add_test(tc, test_cyclic_variables);
	tcase_add_test(tc, test_body_variable_does_not_reach_global);
	tcase_add_test(tc, test_dollar_dollar_and_tilde);
	tcase_add_test(tc, test_path_normalisation);
	tcase_add_test(tc, test_relative_after_expansion);
	tcase_add_test(tc, test_relative_after_expansion_note);
	tcase_add_test(tc, test_wildcard_after_expansion);
	tcase_add_test(tc, test_unbound_builtins);
	tcase_add_test(tc, test_workdir_needs_workdir);
	tcase_add_test(tc, test_unbound_uid_names_its_option);
	tcase_add_test(tc, test_raw_spells_tilde_as_home);
	tcase_add_test(tc, test_duplicate_let_in_one_scope);
	suite_add_tcase(s, tc);

	tc = tcase_create("overrides");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dead_override);
	tcase_add_test(tc, test_dead_override_other_platform);
	tcase_add_test(tc, test_dead_override_note_at_partial_deny);
	tcase_add_test(tc, test_live_override);
	tcase_add_test(tc, test_dead_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("provenance");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_origin_chains);
	tcase_add_test(tc, test_origin_first_use_path);
	tcase_add_test(tc, test_origin_split_per_platform);
	suite_add_tcase(s, tc);

	tc = tcase_create("syscalls-env");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_syscall_sets_expanded);
	tcase_add_test(tc, test_syscall_reached_twice);
	tcase_add_test(tc, test_network_closure);
	tcase_add_test(tc, test_undefined_set);
	tcase_add_test(tc, test_set_cycle);
	tcase_add_test(tc, test_set_cycle_notes);
	tcase_add_test(tc, test_errno_conflicts);
	tcase_add_test(tc, test_env_rules);
	tcase_add_test(tc, test_env_set_conflict);
	tcase_add_test(tc, test_dead_env_override);
	suite_add_tcase(s, tc);

	tc = tcase_create("order");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_order_policy_is_as_intended);
	tcase_add_test(tc, test_order_independence_trees);
	tcase_add_test(tc, test_order_independence_text);
	suite_add_tcase(s, tc);
	return s;
}
