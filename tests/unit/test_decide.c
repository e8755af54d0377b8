/*
 * test_decide.c - the decision procedure (ir/decide.c) and expect
 * assertions (ir/check.c): path coverage and globs, path decisions with
 * their deciding rules, network, environment and syscall decisions, and the
 * errors of failing expects (spec/semantics.md §4, §5).
 *
 * Tests marked BUG assert what spec/semantics.md requires and the library
 * does not do yet; they fail until it does.
 */
#include <check.h>
#include <string.h>

#include "helpers.h"
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

static const struct ir_policy *resolve_clean(const char *text,
					     const char *profile)
{
	const struct ir_policy *p;

	if (!unit.files.len)
		unit_add(ctx, &unit, "t.pol", text);
	p = ir_resolve(ctx, &unit, profile, &opts);
	if (!p || ctx->nerrors || ctx->nwarnings)
		ck_abort_msg("'%s' does not resolve cleanly:\n%s", profile,
			     diags_text(ctx));
	return p;
}

static unsigned line_of(struct polc_loc loc)
{
	unsigned line, col;

	loc_line_col(ctx, loc, &line, &col);
	return line;
}

/* ---- coverage and globs
 * ------------------------------------------------------ */

START_TEST(test_path_covers)
{
	static const struct {
		const char *rule;
		bool file;
		const char *path;
		bool covers;
	} cases[] = {
		{ "/a/b", false, "/a/b", true },
		{ "/a/b", false, "/a/b/c", true },
		{ "/a/b", false, "/a/b/c/d", true },
		{ "/a/b", false, "/a/bc", false },
		{ "/a/b", false, "/a/bc/d", false },
		{ "/a/b", false, "/a", false },
		{ "/a/b", false, "/", false },
		{ "/a/b", false, "/x/a/b", false },
		{ "/a/b", true, "/a/b", true },
		{ "/a/b", true, "/a/b/c", false },
		{ "/a/b", true, "/a/bc", false },
		{ "/", false, "/", true },
		{ "/", false, "/x", true },
		{ "/", false, "/x/y", true },
		{ "/", true, "/", true },
		{ "/", true, "/x", false },
		{ "/a b", false, "/a b/c", true },
		{ "/a", false, "/A", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		ck_assert_msg(ir_path_covers(cases[i].rule, cases[i].file,
					     cases[i].path) == cases[i].covers,
			      "%s%s covers %s: expected %d", cases[i].rule,
			      cases[i].file ? " (file)" : "", cases[i].path,
			      cases[i].covers);
}
END_TEST

START_TEST(test_glob_match)
{
	static const struct {
		const char *pattern, *name;
		bool match;
	} cases[] = {
		{ "", "", true },
		{ "", "A", false },
		{ "A", "", false },
		{ "A", "A", true },
		{ "A", "AB", false },
		{ "*", "", true },
		{ "*", "ABC", true },
		{ "**", "X", true },
		{ "?", "", false },
		{ "?", "A", true },
		{ "?", "AB", false },
		{ "A?C", "ABC", true },
		{ "A?C", "AC", false },
		{ "A*", "A", true },
		{ "LC_*", "LC_", true },
		{ "LC_*", "LC", false },
		{ "*_TOKEN", "GH_TOKEN", true },
		{ "*_TOKEN", "_TOKEN", true },
		{ "*_TOKEN", "GH_TOKENS", false },
		{ "*_TOKEN", "TOKEN", false },
		{ "A*B*C", "AxxBxxC", true },
		{ "A*B*C", "ABC", true },
		{ "A*B*C", "AxxBxx", false },
		{ "A*B*C", "ACB", false },
		{ "*SECRET*", "MY_SECRET_KEY", true },
		{ "*SECRET*", "SECRET", true },
		{ "*SECRET*", "SECRE", false },
		{ "*a", "aaa", true },
		{ "*ab", "aab", true },
		{ "*ab*ab", "abxabab", true },
		{ "a*", "b", false },
		{ "aws_*", "AWS_X", false },
		{ "?*?", "AB", true },
		{ "?*?", "A", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		ck_assert_msg(ir_glob_match(cases[i].pattern, cases[i].name) ==
				      cases[i].match,
			      "'%s' matches '%s': expected %d",
			      cases[i].pattern, cases[i].name, cases[i].match);
}
END_TEST

/* Globs by their definition: '*' takes none or one more character. */
static bool reference_glob(const char *pattern, const char *name)
{
	if (!*pattern)
		return !*name;
	if (*pattern == '*')
		return reference_glob(pattern + 1, name) ||
		       (*name && reference_glob(pattern, name + 1));
	return *name && (*pattern == '?' || *pattern == *name) &&
	       reference_glob(pattern + 1, name + 1);
}

/* Every pattern of up to 5 of "ab*?" against every name of up to 6 of
 * "ab": ir_glob_match()'s fast paths agree with the definition. */
START_TEST(test_glob_match_agrees_with_definition)
{
	char pattern[8], name[8];
	size_t checked = 0;

	for (size_t plen = 0; plen <= 5; plen++)
		for (size_t pn = 0; pn < (1u << (2 * plen)); pn++) {
			word(pattern, "ab*?", plen, pn);
			for (size_t nlen = 0; nlen <= 6; nlen++)
				for (size_t nn = 0; nn < (1u << nlen); nn++) {
					word(name, "ab", nlen, nn);
					ck_assert_msg(
						ir_glob_match(pattern, name) ==
							reference_glob(pattern,
								       name),
						"'%s' against '%s'", pattern,
						name);
					checked++;
				}
		}
	ck_assert_uint_eq(checked, 1365u * 127u);
}
END_TEST

/* Every pattern of up to 4 of "a1_*?" as the one pass rule of a policy,
 * against every name of up to 4 of "a1_-": ir_decide_env() passes the
 * name exactly when the pattern matches it, so the characters a pattern
 * needs (ir_glob_needs) never skip a rule that matches. */
START_TEST(test_env_needs_skip_no_match)
{
	char pattern[8], name[8];
	struct ir_env_rule rule = { .kind = IR_ENV_PASS,
				    .platforms = IR_LINUX };
	struct ir_policy p = { .env = &rule, .nenv = 1 };
	size_t checked = 0;

	for (size_t plen = 0; plen <= 4; plen++) {
		for (size_t pn = 0; pn < word_count("a1_*?", plen); pn++) {
			word(pattern, "a1_*?", plen, pn);
			rule.pattern = pattern;
			rule.needs = ir_glob_needs(pattern);
			for (size_t nlen = 0; nlen <= 4; nlen++)
				for (size_t nn = 0;
				     nn < word_count("a1_-", nlen); nn++) {
					const struct ir_env_rule *why;

					word(name, "a1_-", nlen, nn);
					ck_assert_msg(
						(ir_decide_env(&p, IR_LINUX,
							       name, &why) ==
						 IR_ALLOW) ==
							reference_glob(pattern,
								       name),
						"'%s' against '%s'", pattern,
						name);
					checked++;
				}
		}
	}
	ck_assert_uint_eq(checked, 781u * 341u);
}
END_TEST

/* ---- paths
 * ----------------------------------------------------------------------- */

/* spec/semantics.md §6.1, with 'all' and HOME=/tmp/home. */
START_TEST(test_deny_beats_allow)
{
	struct ir_decision d;
	const char *src = "profile p {\n"
			  "    allow all /tmp;\n"
			  "    deny ~/.ssh;\n"
			  "}\n";

	opts.builtins[IR_VAR_HOME] = "/tmp/home";
	const struct ir_policy *p = resolve_clean(src, "p");
	for (unsigned pl = IR_LINUX; pl <= IR_MACOS; pl <<= 1) {
		for (unsigned a = IR_READ; a <= IR_DELETE; a <<= 1) {
			ir_decide_path(ctx, p, pl, "/tmp/home/.ssh/id_rsa", a,
				       &d);
			ck_assert_int_eq(d.verdict, IR_DENY);
			ck_assert_uint_eq(d.nrules, 1);
			ck_assert_str_eq(d.rules[0]->path, "/tmp/home/.ssh");
			ck_assert_int_eq(d.rules[0]->verdict, IR_DENY);
			ck_assert_uint_eq(d.nlifted, 0);
		}
	}
	ir_decide_path(ctx, p, IR_LINUX, "/tmp/home/notes.txt", IR_WRITE, &d);
	ck_assert_int_eq(d.verdict, IR_ALLOW);
	ck_assert_uint_eq(d.nrules, 1);
	ck_assert_str_eq(d.rules[0]->path, "/tmp");
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/tmp/build/a.out", IR_EXEC),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/tmp/home/.sshx", IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/tmp/home/.ssh", IR_READ),
			 IR_DENY);
}
END_TEST

START_TEST(test_deny_beats_allow_rwd)
{
	struct ir_decision d;
	const char *src = "profile p {\n"
			  "    allow rwd /tmp;\n"
			  "    deny ~/.ssh;\n"
			  "}\n";

	opts.builtins[IR_VAR_HOME] = "/tmp/home";
	const struct ir_policy *p = resolve_clean(src, "p");
	ir_decide_path(ctx, p, IR_LINUX, "/tmp/build/a.out", IR_EXEC, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ck_assert_uint_eq(d.nrules, 0);
	ck_assert_uint_eq(d.nlifted, 0);
}
END_TEST

/* spec/semantics.md §6.5. */
START_TEST(test_access_subsets)
{
	struct ir_decision d;
	const char *src = "profile agent {\n"
			  "    workdir rwd;\n"
			  "    deny wd $WORKDIR/.git/hooks;\n"
			  "    deny write /data;\n"
			  "    allow all /data;\n"
			  "}\n";
	const char *hook = "/work/project/.git/hooks/pre-commit";
	const struct ir_policy *p = resolve_clean(src, "agent");

	ir_decide_path(ctx, p, IR_LINUX, hook, IR_WRITE, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ck_assert_uint_eq(d.nrules, 1);
	ck_assert_str_eq(d.rules[0]->path, "/work/project/.git/hooks");
	ir_decide_path(ctx, p, IR_MACOS, hook, IR_DELETE, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ir_decide_path(ctx, p, IR_LINUX, hook, IR_READ, &d);
	ck_assert_int_eq(d.verdict, IR_ALLOW);
	ck_assert_uint_eq(d.nrules, 1);
	ck_assert(d.rules[0]->workdir);
	ck_assert_str_eq(d.rules[0]->path, "/work/project");
	ck_assert_int_eq(
		decide(ctx, p, IR_LINUX, "/work/project/src/main.c", IR_WRITE),
		IR_ALLOW);
	ir_decide_path(ctx, p, IR_LINUX, hook, IR_EXEC, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ck_assert_uint_eq(d.nrules, 0);
	/* 'deny write' leaves the other modes of 'allow all' alone. */
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/data/f", IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/data/f", IR_EXEC),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/data/f", IR_DELETE),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/data/f", IR_WRITE),
			 IR_DENY);
}
END_TEST

START_TEST(test_file_rules)
{
	const char *src = "profile p {\n"
			  "    allow read file /etc/hosts;\n"
			  "    allow read /srv;\n"
			  "    deny file /srv/secret;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/etc/hosts", IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/etc/hosts/x", IR_READ),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/etc", IR_READ), IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/etc/hostsx", IR_READ),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/srv/secret", IR_READ),
			 IR_DENY);
	/* A file deny covers nothing below its path. */
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/srv/secret/x", IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/srv/secretx", IR_READ),
			 IR_ALLOW);
}
END_TEST

START_TEST(test_override_lifts_only_its_modes)
{
	struct ir_decision d;
	const char *src = "profile p {\n"
			  "    allow all /d;\n"
			  "    deny /d/s;\n"
			  "    override allow read /d/s/pub;\n"
			  "    override allow write file /d/s/f;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ir_decide_path(ctx, p, IR_LINUX, "/d/s/pub/x", IR_READ, &d);
	ck_assert_int_eq(d.verdict, IR_ALLOW);
	ck_assert_uint_eq(d.nrules, 2);
	ck_assert_str_eq(d.rules[0]->path, "/d");
	ck_assert_str_eq(d.rules[1]->path, "/d/s/pub");
	ck_assert(d.rules[1]->override);
	ck_assert_uint_eq(d.nlifted, 1);
	ck_assert_str_eq(d.lifted[0]->path, "/d/s");
	ir_decide_path(ctx, p, IR_LINUX, "/d/s/pub/x", IR_WRITE, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ck_assert_uint_eq(d.nrules, 1);
	ck_assert_str_eq(d.rules[0]->path, "/d/s");
	ck_assert_int_eq(decide(ctx, p, IR_LINUX, "/d/s/pub/x", IR_EXEC),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/d/s/f", IR_WRITE),
			 IR_ALLOW);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/d/s/f", IR_READ), IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/d/s/f/x", IR_WRITE),
			 IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/d/s", IR_READ), IR_DENY);
	ck_assert_int_eq(decide(ctx, p, IR_MACOS, "/d/t", IR_DELETE), IR_ALLOW);
}
END_TEST

START_TEST(test_default_deny)
{
	struct ir_decision d;
	const struct ir_policy *p = resolve_clean("profile p {\n}\n", "p");

	for (unsigned pl = IR_LINUX; pl <= IR_MACOS; pl <<= 1) {
		for (unsigned a = IR_READ; a <= IR_DELETE; a <<= 1) {
			ir_decide_path(ctx, p, pl, "/", a, &d);
			ck_assert_int_eq(d.verdict, IR_DENY);
			ck_assert_uint_eq(d.nrules, 0);
			ck_assert_uint_eq(d.nlifted, 0);
			ir_decide_path(ctx, p, pl, "/home/user/x", a, &d);
			ck_assert_int_eq(d.verdict, IR_DENY);
			ck_assert_uint_eq(d.nrules, 0);
		}
	}
}
END_TEST

START_TEST(test_deciding_rules)
{
	struct ir_decision d;
	const char *src = "profile p {\n"
			  "    allow read /a;\n"
			  "    allow rw /a/b;\n"
			  "    allow read file /a/b/c;\n"
			  "    deny write /w;\n"
			  "    deny /w/x;\n"
			  "    platform linux {\n"
			  "        deny read /a/b/c;\n"
			  "    }\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	/* Every allow that covers the question, in the policy's order. */
	ir_decide_path(ctx, p, IR_MACOS, "/a/b/c", IR_READ, &d);
	ck_assert_int_eq(d.verdict, IR_ALLOW);
	ck_assert_uint_eq(d.nrules, 3);
	ck_assert_str_eq(d.rules[0]->path, "/a");
	ck_assert_str_eq(d.rules[1]->path, "/a/b");
	ck_assert_str_eq(d.rules[2]->path, "/a/b/c");
	ck_assert(d.rules[2]->file);
	ir_decide_path(ctx, p, IR_MACOS, "/a/b/c", IR_WRITE, &d);
	ck_assert_uint_eq(d.nrules, 1);
	ck_assert_str_eq(d.rules[0]->path, "/a/b");
	/* On linux the platform's deny decides alone. */
	ir_decide_path(ctx, p, IR_LINUX, "/a/b/c/d", IR_READ, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ck_assert_uint_eq(d.nrules, 1);
	ck_assert_uint_eq(d.rules[0]->platforms, IR_LINUX);
	/* Every deny that covers it. */
	ir_decide_path(ctx, p, IR_LINUX, "/w/x/y", IR_WRITE, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ck_assert_uint_eq(d.nrules, 2);
	ck_assert_str_eq(d.rules[0]->path, "/w");
	ck_assert_str_eq(d.rules[1]->path, "/w/x");
	ck_assert_uint_eq(line_of(d.rules[0]->origin.loc), 5);
	ck_assert_uint_eq(line_of(d.rules[1]->origin.loc), 6);
	ir_decide_path(ctx, p, IR_LINUX, "/w/x/y", IR_READ, &d);
	ck_assert_uint_eq(d.nrules, 1);
	ck_assert_str_eq(d.rules[0]->path, "/w/x");
}
END_TEST

/* ---- network
 * ------------------------------------------------------------------ */

static const char net_src[] = "profile open {\n"
			      "    network allow;\n"
			      "}\n"
			      "profile shut extends open {\n"
			      "    network deny;\n"
			      "    network connect tcp 443 8000-8100;\n"
			      "    network bind udp 5353;\n"
			      "    network loopback;\n"
			      "    network host \"example.com\";\n"
			      "    platform macos {\n"
			      "        network connect tcp 22;\n"
			      "    }\n"
			      "}\n"
			      "profile dflt {\n"
			      "    network connect udp 53;\n"
			      "}\n";

START_TEST(test_network)
{
	const struct ir_net_rule *why;
	const struct ir_policy *open = resolve_clean(net_src, "open");

	ck_assert_int_eq(
		ir_decide_net(open, IR_LINUX, IR_NET_CONNECT, 6, 1, &why),
		IR_ALLOW);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(
		ir_decide_net(open, IR_MACOS, IR_NET_BIND, 17, 65535, &why),
		IR_ALLOW);

	const struct ir_policy *p = resolve_clean(net_src, "shut");
	static const struct {
		enum ir_net_kind kind;
		unsigned proto, port;
		enum ir_verdict linux, macos;
	} cases[] = {
		{ IR_NET_CONNECT, 6, 443, IR_ALLOW, IR_ALLOW },
		{ IR_NET_CONNECT, 6, 442, IR_DENY, IR_DENY },
		{ IR_NET_CONNECT, 6, 444, IR_DENY, IR_DENY },
		{ IR_NET_CONNECT, 6, 7999, IR_DENY, IR_DENY },
		{ IR_NET_CONNECT, 6, 8000, IR_ALLOW, IR_ALLOW },
		{ IR_NET_CONNECT, 6, 8050, IR_ALLOW, IR_ALLOW },
		{ IR_NET_CONNECT, 6, 8100, IR_ALLOW, IR_ALLOW },
		{ IR_NET_CONNECT, 6, 8101, IR_DENY, IR_DENY },
		{ IR_NET_CONNECT, 17, 443, IR_DENY, IR_DENY },
		{ IR_NET_BIND, 6, 443, IR_DENY, IR_DENY },
		{ IR_NET_BIND, 17, 5353, IR_ALLOW, IR_ALLOW },
		{ IR_NET_BIND, 6, 5353, IR_DENY, IR_DENY },
		{ IR_NET_CONNECT, 17, 5353, IR_DENY, IR_DENY },
		{ IR_NET_CONNECT, 6, 22, IR_DENY, IR_ALLOW },
		/* loopback and host grant nothing in the decision. */
		{ IR_NET_CONNECT, 6, 80, IR_DENY, IR_DENY },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		enum ir_verdict lv =
			ir_decide_net(p, IR_LINUX, cases[i].kind,
				      cases[i].proto, cases[i].port, &why);
		ck_assert_msg(lv == cases[i].linux, "case %zu on linux", i);
		ck_assert_msg((why != NULL) == (lv == IR_ALLOW),
			      "case %zu: deciding rule", i);
		enum ir_verdict mv =
			ir_decide_net(p, IR_MACOS, cases[i].kind,
				      cases[i].proto, cases[i].port, &why);
		ck_assert_msg(mv == cases[i].macos, "case %zu on macos", i);
	}
	ir_decide_net(p, IR_LINUX, IR_NET_CONNECT, 6, 8000, &why);
	ck_assert_uint_eq(why->lo, 8000);
	ck_assert_uint_eq(why->hi, 8100);
	ck_assert_uint_eq(line_of(why->origin.loc), 6);

	/* The default mode is deny; its grants still count. */
	const struct ir_policy *d = resolve_clean(net_src, "dflt");
	ck_assert_int_eq(
		ir_decide_net(d, IR_LINUX, IR_NET_CONNECT, 6, 443, &why),
		IR_DENY);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(
		ir_decide_net(d, IR_LINUX, IR_NET_CONNECT, 17, 53, &why),
		IR_ALLOW);
}
END_TEST

/* ---- environment
 * -------------------------------------------------------------- */

/* spec/semantics.md §6.6. */
static const char env_src[] = "group env_deny_secrets {\n"
			      "    required;\n"
			      "    env drop *_TOKEN AWS_*;\n"
			      "}\n"
			      "profile p {\n"
			      "    use env_deny_secrets;\n"
			      "    env pass PATH HOME LC_* NPM_TOKEN;\n"
			      "    override env pass GITHUB_TOKEN;\n"
			      "    env set NO_COLOR = \"1\";\n"
			      "}\n";

START_TEST(test_env)
{
	const struct ir_env_rule *why;
	const struct ir_policy *p = resolve_clean(env_src, "p");

	for (unsigned pl = IR_LINUX; pl <= IR_MACOS; pl <<= 1) {
		ck_assert_int_eq(ir_decide_env(p, pl, "PATH", &why), IR_ALLOW);
		ck_assert_str_eq(why->pattern, "PATH");
		ck_assert_int_eq(ir_decide_env(p, pl, "LC_ALL", &why),
				 IR_ALLOW);
		ck_assert_str_eq(why->pattern, "LC_*");
		/* A plain pass does not lift a drop. */
		ck_assert_int_eq(ir_decide_env(p, pl, "NPM_TOKEN", &why),
				 IR_DENY);
		ck_assert_str_eq(why->pattern, "*_TOKEN");
		ck_assert_int_eq(why->kind, IR_ENV_DROP);
		ck_assert_int_eq(ir_decide_env(p, pl, "GITHUB_TOKEN", &why),
				 IR_ALLOW);
		ck_assert_str_eq(why->pattern, "GITHUB_TOKEN");
		ck_assert(why->override);
		ck_assert_int_eq(ir_decide_env(p, pl, "EDITOR", &why), IR_DENY);
		ck_assert_ptr_null(why);
		ck_assert_int_eq(ir_decide_env(p, pl, "NO_COLOR", &why),
				 IR_DENY);
		ck_assert_int_eq(why->kind, IR_ENV_SET);
		ck_assert_str_eq(why->value, "1");
		ck_assert_int_eq(ir_decide_env(p, pl, "AWS_REGION", &why),
				 IR_DENY);
	}
}
END_TEST

/*
 * BUG: ir/decide.c ir_decide_env() names the drop as the deciding rule of
 * a variable that no pass matches; §4.5 step 2 and §6.6 say AWS_REGION is
 * "dropped by default", decided by no rule.
 */
START_TEST(test_env_dropped_by_default_names_no_rule)
{
	const struct ir_env_rule *why;
	const struct ir_policy *p = resolve_clean(env_src, "p");

	ck_assert_int_eq(ir_decide_env(p, IR_LINUX, "AWS_REGION", &why),
			 IR_DENY);
	ck_assert_ptr_null(why);
}
END_TEST

START_TEST(test_env_platforms)
{
	const struct ir_env_rule *why;
	const char *src = "profile p {\n"
			  "    env pass *;\n"
			  "    platform macos {\n"
			  "        env drop DYLD_*;\n"
			  "    }\n"
			  "    platform linux {\n"
			  "        env set TERM = \"dumb\";\n"
			  "    }\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_int_eq(ir_decide_env(p, IR_LINUX, "DYLD_PATH", &why),
			 IR_ALLOW);
	ck_assert_str_eq(why->pattern, "*");
	ck_assert_int_eq(ir_decide_env(p, IR_MACOS, "DYLD_PATH", &why),
			 IR_DENY);
	ck_assert_int_eq(ir_decide_env(p, IR_LINUX, "TERM", &why), IR_DENY);
	ck_assert_str_eq(why->value, "dumb");
	ck_assert_int_eq(ir_decide_env(p, IR_MACOS, "TERM", &why), IR_ALLOW);
}
END_TEST

/* ---- syscalls
 * ----------------------------------------------------------------- */

static const char sys_src[] =
	"set @ns = unshare setns;\n"
	"profile p {\n"
	"    syscall default allow;\n"
	"    syscall deny ptrace;\n"
	"    syscall kill ptrace;\n"
	"    syscall log ioctl;\n"
	"    syscall deny ioctl if arg1 & 0xffffffff == TIOCSTI;\n"
	"    syscall deny @ns;\n"
	"    syscall notify bpf;\n"
	"    syscall deny clone if arg0 & CLONE_NEWUSER == CLONE_NEWUSER;\n"
	"    syscall deny socket if arg0 == 1;\n"
	"    syscall deny socket if arg0 != 1;\n"
	"    syscall log getpid;\n"
	"    syscall deny prctl if arg0 > 5 && arg0 < 3;\n"
	"    syscall deny mmap if arg0 == 1;\n"
	"    syscall deny mmap if arg0 & 0xff == 1;\n"
	"    syscall deny kcmp if arg2 >= 0;\n"
	"    syscall trap personality if arg0 == 1;\n"
	"    syscall kill personality if arg0 <= 1;\n"
	"    platform macos {\n"
	"        syscall kill read;\n"
	"    }\n"
	"}\n"
	"profile q {\n"
	"    syscall default errno EACCES;\n"
	"    syscall allow read;\n"
	"    syscall allow write if arg0 == 1;\n"
	"    syscall log close if arg0 != 7;\n"
	"    syscall log close if arg0 == 7;\n"
	"}\n"
	"profile r extends q {\n"
	"}\n";

START_TEST(test_syscalls)
{
	const struct ir_sys_rule *why;
	const struct ir_policy *p = resolve_clean(sys_src, "p");
	static const struct {
		const char *name;
		enum ir_sys_outcome linux, macos;
	} cases[] = {
		{ "ptrace", IR_SYS_BLOCKS, IR_SYS_BLOCKS },
		{ "ioctl", IR_SYS_DEPENDS, IR_SYS_DEPENDS },
		{ "unshare", IR_SYS_BLOCKS, IR_SYS_BLOCKS },
		{ "setns", IR_SYS_BLOCKS, IR_SYS_BLOCKS },
		/* notify neither proceeds nor blocks */
		{ "bpf", IR_SYS_DEPENDS, IR_SYS_DEPENDS },
		{ "clone", IR_SYS_DEPENDS, IR_SYS_DEPENDS },
		/* complementary conditions: blocked for every vector */
		{ "socket", IR_SYS_BLOCKS, IR_SYS_BLOCKS },
		{ "getpid", IR_SYS_PROCEEDS, IR_SYS_PROCEEDS },
		/* a condition no vector satisfies */
		{ "prctl", IR_SYS_PROCEEDS, IR_SYS_PROCEEDS },
		/* one argument compared masked and unmasked */
		{ "mmap", IR_SYS_UNDECIDABLE, IR_SYS_UNDECIDABLE },
		/* a condition every vector satisfies */
		{ "kcmp", IR_SYS_BLOCKS, IR_SYS_BLOCKS },
		{ "personality", IR_SYS_DEPENDS, IR_SYS_DEPENDS },
		{ "read", IR_SYS_PROCEEDS, IR_SYS_BLOCKS },
		{ "openat", IR_SYS_PROCEEDS, IR_SYS_PROCEEDS },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		ck_assert_msg(ir_decide_syscall(ctx, p, IR_LINUX, cases[i].name,
						&why) == cases[i].linux,
			      "%s on linux", cases[i].name);
		ck_assert_msg(ir_decide_syscall(ctx, p, IR_MACOS, cases[i].name,
						&why) == cases[i].macos,
			      "%s on macos", cases[i].name);
	}
	/* The most restrictive action decides. */
	ir_decide_syscall(ctx, p, IR_LINUX, "ptrace", &why);
	ck_assert_int_eq(why->action, IR_SYS_KILL);
	ck_assert_uint_eq(line_of(why->origin.loc), 5);
	ir_decide_syscall(ctx, p, IR_LINUX, "unshare", &why);
	ck_assert_str_eq(why->via_set, "@ns");
	ir_decide_syscall(ctx, p, IR_MACOS, "read", &why);
	ck_assert_int_eq(why->action, IR_SYS_KILL);
	ir_decide_syscall(ctx, p, IR_LINUX, "openat", &why);
	ck_assert_ptr_null(why);

	/* The default action, inherited. */
	const struct ir_policy *q = resolve_clean(sys_src, "q");
	const struct ir_policy *r = resolve_clean(sys_src, "r");
	ck_assert_int_eq(ir_decide_syscall(ctx, q, IR_LINUX, "openat", &why),
			 IR_SYS_BLOCKS);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(ir_decide_syscall(ctx, r, IR_MACOS, "openat", &why),
			 IR_SYS_BLOCKS);
	ck_assert_int_eq(ir_decide_syscall(ctx, q, IR_LINUX, "read", &why),
			 IR_SYS_PROCEEDS);
	ck_assert_int_eq(ir_decide_syscall(ctx, q, IR_LINUX, "write", &why),
			 IR_SYS_DEPENDS);
	/* Two complementary conditional logs cover every vector. */
	ck_assert_int_eq(ir_decide_syscall(ctx, q, IR_LINUX, "close", &why),
			 IR_SYS_PROCEEDS);
}
END_TEST

/* ---- expects
 * ------------------------------------------------------------------ */

START_TEST(test_expects_pass)
{
	const char *src = "profile p {\n"
			  "    allow read /data;\n"
			  "    deny /data/secret;\n"
			  "    network connect tcp 443;\n"
			  "    env pass PATH;\n"
			  "    syscall deny ptrace;\n"
			  "    expect deny read /data/secret/x;\n"
			  "    expect allow read /data/x /data;\n"
			  "    expect deny write /data/x;\n"
			  "    expect allow network connect tcp 443;\n"
			  "    expect deny network connect tcp 22 8000-8010;\n"
			  "    expect deny network bind tcp 443;\n"
			  "    expect allow env PATH;\n"
			  "    expect deny env HOME;\n"
			  "    expect deny syscall ptrace;\n"
			  "    expect allow syscall read;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_uint_eq(p->nexpects, 10);
	ck_assert_int_eq(ir_check_expects(ctx, p), 0);
	ck_assert_uint_eq(ctx->nerrors, 0);
	ck_assert_uint_eq(diag_count(ctx), 0);
}
END_TEST

START_TEST(test_expect_fails_on_one_platform)
{
	const char *src = "profile p {\n"			   /* 1 */
			  "    allow read /data;\n"		   /* 2 */
			  "    platform linux {\n"		   /* 3 */
			  "        deny /data/secret;\n"	   /* 4 */
			  "    }\n"				   /* 5 */
			  "    expect deny read /data/secret/x;\n" /* 6 */
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_int_eq(ir_check_expects(ctx, p), -1);
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_uint_eq(diag_count(ctx), 1);
	const struct diag *d = diag_nth(ctx, 0);
	ck_assert_int_eq(d->severity, DIAG_ERROR);
	ck_assert_str_eq(d->message,
			 "expectation fails for profile 'p' on macos: read of "
			 "'/data/secret/x' is allowed");
	ck_assert_uint_eq(line_of(d->loc), 6);
	/* One note, at the rule that allowed it. */
	ck_assert_ptr_nonnull(d->notes);
	ck_assert_ptr_null(d->notes->next);
	ck_assert_uint_eq(line_of(d->notes->loc), 2);
	ck_assert_str_eq(d->notes->message, "allowed by this rule, from p");
}
END_TEST

START_TEST(test_expect_failure_notes)
{
	const char *src = "group g {\n"					/* 1 */
			  "    deny /data/secret;\n"			/* 2 */
			  "}\n"						/* 3 */
			  "profile p {\n"				/* 4 */
			  "    use g;\n"				/* 5 */
			  "    allow read /data;\n"			/* 6 */
			  "    platform macos {\n"			/* 7 */
			  "        expect allow read /data/secret/x;\n" /* 8 */
			  "        expect allow write /data/x;\n"	/* 9 */
			  "    }\n"					/* 10 */
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_int_eq(ir_check_expects(ctx, p), -1);
	ck_assert_uint_eq(ctx->nerrors, 2);
	const struct diag *d = diag_nth(ctx, 0);
	ck_assert_str_eq(d->message,
			 "expectation fails for profile 'p' on macos: read of "
			 "'/data/secret/x' is denied");
	ck_assert_uint_eq(line_of(d->loc), 8);
	ck_assert_ptr_nonnull(d->notes);
	ck_assert_ptr_null(d->notes->next);
	ck_assert_uint_eq(line_of(d->notes->loc), 2);
	ck_assert_str_eq(d->notes->message, "denied by this rule, from g ← p");
	d = diag_nth(ctx, 1);
	ck_assert_str_eq(d->message,
			 "expectation fails for profile 'p' on macos: write of "
			 "'/data/x' is denied");
	ck_assert_uint_eq(line_of(d->loc), 9);
	ck_assert_ptr_nonnull(d->notes);
	ck_assert_ptr_null(d->notes->next);
	ck_assert_str_eq(d->notes->message,
			 "no rule decides it: this is the default");
}
END_TEST

START_TEST(test_expect_other_forms_fail)
{
	const char *src = "profile p {\n"
			  "    env pass *;\n"
			  "    env set NO_COLOR = \"1\";\n"
			  "    syscall log ioctl;\n"
			  "    syscall deny ioctl if arg1 == TIOCSTI;\n"
			  "    expect allow network connect tcp 22;\n"
			  "    expect allow env NO_COLOR;\n"
			  "    expect deny syscall ioctl;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_int_eq(ir_check_expects(ctx, p), -1);
	ck_assert_uint_eq(ctx->nerrors, 3);
	const struct diag *d = diag_nth(ctx, 0);
	ck_assert_str_eq(
		d->message,
		"expectation fails for profile 'p' on linux and macos: "
		"connect to tcp port 22 is denied");
	ck_assert_str_eq(d->notes->message,
			 "no rule decides it: this is the default");
	d = diag_nth(ctx, 1);
	ck_assert_str_eq(
		d->message,
		"expectation fails for profile 'p' on linux and macos: "
		"environment variable 'NO_COLOR' is not passed");
	ck_assert_str_eq(d->notes->message, "decided by this rule, from p");
	ck_assert_uint_eq(line_of(d->notes->loc), 3);
	d = diag_nth(ctx, 2);
	ck_assert_str_eq(
		d->message,
		"expectation fails for profile 'p' on linux and macos: "
		"syscall 'ioctl' is allowed or denied depending on "
		"its arguments (or left to a supervisor)");
}
END_TEST

START_TEST(test_expects_of_groups_and_profiles)
{
	const char *src = "group guard {\n"
			  "    expect deny read /secret;\n"
			  "}\n"
			  "profile base {\n"
			  "    use guard;\n"
			  "    expect allow read /etc;\n"
			  "}\n"
			  "profile child extends base {\n"
			  "    allow read /;\n"
			  "}\n";
	const struct ir_policy *base = resolve_clean(src, "base");

	ck_assert_uint_eq(base->nexpects, 2);
	/* A group's expect guards every profile that includes the group;
	 * a profile's own are not inherited. */
	const struct ir_policy *child = resolve_clean(src, "child");
	ck_assert_uint_eq(child->nexpects, 1);
	ck_assert_int_eq(ir_check_expects(ctx, child), -1);
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "expectation fails for profile 'child' on "
			 "linux and macos: read of '/secret' is allowed");
	ck_assert_str_eq(diag_nth(ctx, 0)->notes->message,
			 "allowed by this rule, from child");
}
END_TEST

/*
 * One error per subject, at the subject, naming together the platforms
 * on which it fails (spec/semantics.md §5).
 */
START_TEST(test_expect_one_error_per_platform_and_subject)
{
	const char *src = "profile p {\n"
			  "    expect allow read /a /b;\n"
			  "}\n";
	const struct ir_policy *p = resolve_clean(src, "p");

	ck_assert_int_eq(ir_check_expects(ctx, p), -1);
	ck_assert_uint_eq(ctx->nerrors, 2);
	ck_assert_str_eq(diags_brief(ctx),
			 "t.pol:2:23: error: expectation fails for profile 'p' "
			 "on linux and macos: read of '/a' is denied\n"
			 "t.pol:2:23: note: no rule decides it: this is the "
			 "default\n"
			 "t.pol:2:26: error: expectation fails for profile 'p' "
			 "on linux and macos: read of '/b' is denied\n"
			 "t.pol:2:26: note: no rule decides it: this is the "
			 "default\n");
}
END_TEST

Suite *suite_decide(void)
{
	Suite *s = suite_create("decide");
	TCase *tc = tcase_create("paths");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_path_covers);
	tcase_add_test(tc, test_glob_match);
	tcase_add_test(tc, test_glob_match_agrees_with_definition);
	tcase_add_test(tc, test_env_needs_skip_no_match);
	tcase_add_test(tc, test_deny_beats_allow);
	tcase_add_test(tc, test_deny_beats_allow_rwd);
	tcase_add_test(tc, test_access_subsets);
	tcase_add_test(tc, test_file_rules);
	tcase_add_test(tc, test_override_lifts_only_its_modes);
	tcase_add_test(tc, test_default_deny);
	tcase_add_test(tc, test_deciding_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("other");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_network);
	tcase_add_test(tc, test_env);
	tcase_add_test(tc, test_env_dropped_by_default_names_no_rule);
	tcase_add_test(tc, test_env_platforms);
	tcase_add_test(tc, test_syscalls);
	suite_add_tcase(s, tc);

	tc = tcase_create("expects");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_expects_pass);
	tcase_add_test(tc, test_expect_fails_on_one_platform);
	tcase_add_test(tc, test_expect_failure_notes);
	tcase_add_test(tc, test_expect_other_forms_fail);
	tcase_add_test(tc, test_expects_of_groups_and_profiles);
	tcase_add_test(tc, test_expect_one_error_per_platform_and_subject);
	suite_add_tcase(s, tc);
	return s;
}
