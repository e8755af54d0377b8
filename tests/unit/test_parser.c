/*
 * test_parser.c - the grammar (frontend/parser.y): what each statement
 * builds, error messages and error recovery.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

static struct polc_ctx *ctx;

static void setup(void)
{
	ctx = polc_ctx_new();
	ck_assert_ptr_nonnull(ctx);
}

static void teardown(void)
{
	polc_ctx_free(ctx);
	ctx = NULL;
}

/* Parse @text, asserting that it is free of syntax errors. */
static struct ast_file *parse_ok(const char *text)
{
	int rc;
	struct ast_file *f = parse_str(ctx, text, &rc);

	if (rc != 0 || ctx->nerrors != 0)
		ck_abort_msg("syntax errors in:\n%s\n%s", text,
			     diags_text(ctx));
	ck_assert_uint_eq(f->syntax_errors, 0);
	return f;
}

static const struct ast_item *item_at(const struct ast_file *f, size_t i)
{
	ck_assert_uint_gt(f->items.len, i);
	return f->items.items[i];
}

/* Line of the @n-th queued diagnostic. */
static unsigned diag_line(size_t n)
{
	const struct diag *d = diag_nth(ctx, n);
	unsigned line, col;

	ck_assert_ptr_nonnull(d);
	loc_line_col(ctx, d->loc, &line, &col);
	return line;
}

/* ---- items ------------------------------------------------------------------
 */

START_TEST(items_all_kinds)
{
	struct ast_file *f =
		parse_ok("import \"lib/other.pol\";\n"
			 "profile child extends base {\n}\n"
			 "group g platform linux macos {\n}\n"
			 "let CACHE = ~/.cache;\n"
			 "let SUB = \"sub dir\";\n"
			 "set @ns = unshare setns @mount ipc syscall;\n");
	const struct ast_item *it;

	ck_assert_uint_eq(f->items.len, 6);
	it = item_at(f, 0);
	ck_assert_int_eq(it->kind, AST_ITEM_IMPORT);
	ck_assert_str_eq(it->name->text, "lib/other.pol");
	ck_assert(it->name->quoted);

	it = item_at(f, 1);
	ck_assert_int_eq(it->kind, AST_ITEM_PROFILE);
	ck_assert_str_eq(it->name->text, "child");
	ck_assert_str_eq(it->parent->text, "base");
	ck_assert_uint_eq(it->body.len, 0);
	/* The item spans keyword to closing brace; close is the brace. */
	ck_assert_uint_eq(it->loc.start, 24);
	ck_assert_uint_eq(it->close.start, 53);
	ck_assert_uint_eq(it->loc.end, 54);

	it = item_at(f, 2);
	ck_assert_int_eq(it->kind, AST_ITEM_GROUP);
	ck_assert_str_eq(it->name->text, "g");
	ck_assert_ptr_null(it->parent);
	ck_assert_uint_eq(it->platforms.len, 2);
	ck_assert_str_eq(word_at(&it->platforms, 0), "linux");
	ck_assert_str_eq(word_at(&it->platforms, 1), "macos");

	it = item_at(f, 3);
	ck_assert_int_eq(it->kind, AST_ITEM_LET);
	ck_assert_str_eq(it->name->text, "CACHE");
	ck_assert_str_eq(it->value->text, "~/.cache");
	ck_assert(!it->value->quoted);
	ck_assert(item_at(f, 4)->value->quoted);
	ck_assert_str_eq(item_at(f, 4)->value->text, "sub dir");

	it = item_at(f, 5);
	ck_assert_int_eq(it->kind, AST_ITEM_SET);
	ck_assert_str_eq(it->name->text, "@ns");
	ck_assert_uint_eq(it->members.len, 5);
	ck_assert_str_eq(word_at(&it->members, 0), "unshare");
	ck_assert_str_eq(word_at(&it->members, 2), "@mount");
	/* "ipc" and "syscall" are reserved words but also syscall names. */
	ck_assert_str_eq(word_at(&it->members, 3), "ipc");
	ck_assert_str_eq(word_at(&it->members, 4), "syscall");
}
END_TEST

START_TEST(profile_without_extends)
{
	struct ast_file *f = parse_ok("profile p {\n}\n");

	ck_assert_ptr_null(item_at(f, 0)->parent);
	ck_assert_uint_eq(item_at(f, 0)->platforms.len, 0);
}
END_TEST

/* ---- statements -------------------------------------------------------------
 */

START_TEST(stmt_description_meta_required_use_exclude)
{
	struct ast_file *f = parse_ok("group g {\n"
				      "    description \"A group\";\n"
				      "    meta url \"https://x.example\";\n"
				      "    required;\n"
				      "    use a b-c d_e;\n"
				      "    exclude x;\n"
				      "}\n");
	const struct ast_stmt *s;

	ck_assert_uint_eq(item_at(f, 0)->body.len, 5);
	s = stmt_at(f, 0, 0);
	ck_assert_int_eq(s->kind, AST_DESCRIPTION);
	ck_assert_str_eq(s->u.text->text, "A group");
	/* A statement runs from its keyword to its ';'. */
	ck_assert_uint_eq(s->loc.start, 14);
	ck_assert_uint_eq(s->loc.end, 36);
	s = stmt_at(f, 0, 1);
	ck_assert_int_eq(s->kind, AST_META);
	ck_assert_str_eq(s->u.meta.key->text, "url");
	ck_assert_str_eq(s->u.meta.value->text, "https://x.example");
	ck_assert_int_eq(stmt_at(f, 0, 2)->kind, AST_REQUIRED);
	s = stmt_at(f, 0, 3);
	ck_assert_int_eq(s->kind, AST_USE);
	ck_assert_uint_eq(s->u.names.len, 3);
	ck_assert_str_eq(word_at(&s->u.names, 1), "b-c");
	s = stmt_at(f, 0, 4);
	ck_assert_int_eq(s->kind, AST_EXCLUDE);
	ck_assert_str_eq(word_at(&s->u.names, 0), "x");
}
END_TEST

START_TEST(stmt_rules)
{
	static const char text[] =
		"profile p {\n"
		"    allow rw file ~/.claude.json;\n"
		"    allow read,exec /usr /lib create;\n"
		"    deny ~/.ssh \"~/My Keys\";\n"
		"    deny write $WORKDIR/.git/hooks;\n"
		"    override allow read file ~/.ssh/known_hosts;\n"
		"    allow read,landlock(refer make_sym) /x;\n"
		"    allow landlock(execute) /y;\n"
		"}\n";
	struct ast_file *f = parse_ok(text);
	const struct ast_stmt *s;

	s = stmt_at(f, 0, 0);
	ck_assert_int_eq(s->kind, AST_RULE);
	ck_assert_int_eq(s->u.rule.verdict, AST_ALLOW);
	ck_assert(!s->override);
	ck_assert(s->u.rule.access.present);
	ck_assert_uint_eq(s->u.rule.access.words.len, 1);
	ck_assert_str_eq(word_at(&s->u.rule.access.words, 0), "rw");
	ck_assert(s->u.rule.file);
	ck_assert(!s->u.rule.create);
	ck_assert_str_eq(word_at(&s->u.rule.paths, 0), "~/.claude.json");

	s = stmt_at(f, 0, 1);
	ck_assert_uint_eq(s->u.rule.access.words.len, 2);
	ck_assert_str_eq(word_at(&s->u.rule.access.words, 0), "read");
	ck_assert_str_eq(word_at(&s->u.rule.access.words, 1), "exec");
	/* The access location spans "read,exec". */
	ck_assert_uint_eq(s->u.rule.access.loc.end - s->u.rule.access.loc.start,
			  9);
	ck_assert(!s->u.rule.file);
	ck_assert(s->u.rule.create);
	ck_assert_uint_eq(s->u.rule.paths.len, 2);

	s = stmt_at(f, 0, 2);
	ck_assert_int_eq(s->u.rule.verdict, AST_DENY);
	ck_assert(!s->u.rule.access.present);
	ck_assert_uint_eq(s->u.rule.paths.len, 2);
	ck_assert_str_eq(word_at(&s->u.rule.paths, 1), "~/My Keys");
	ck_assert(((struct ast_word *)s->u.rule.paths.items[1])->quoted);

	s = stmt_at(f, 0, 3);
	ck_assert_int_eq(s->u.rule.verdict, AST_DENY);
	ck_assert_str_eq(word_at(&s->u.rule.access.words, 0), "write");

	s = stmt_at(f, 0, 4);
	ck_assert(s->override);
	ck_assert_int_eq(s->u.rule.verdict, AST_ALLOW);
	ck_assert(s->u.rule.file);
	/* An override's location starts at 'override'. */
	ck_assert_uint_eq(s->loc.start,
			  (uint32_t)(strstr(text, "override") - text));
	ck_assert_uint_eq(s->loc.end,
			  (uint32_t)(strstr(text, "known_hosts;") - text) + 12);

	s = stmt_at(f, 0, 5);
	ck_assert_uint_eq(s->u.rule.access.words.len, 1);
	ck_assert_uint_eq(s->u.rule.access.landlock.len, 2);
	ck_assert_str_eq(word_at(&s->u.rule.access.landlock, 0), "refer");
	ck_assert_str_eq(word_at(&s->u.rule.access.landlock, 1), "make_sym");

	s = stmt_at(f, 0, 6);
	ck_assert_uint_eq(s->u.rule.access.words.len, 0);
	ck_assert_uint_eq(s->u.rule.access.landlock.len, 1);
}
END_TEST

START_TEST(stmt_workdir_let_platform)
{
	struct ast_file *f = parse_ok("profile p {\n"
				      "    workdir rwd;\n"
				      "    let CACHE = \"~/.cache\";\n"
				      "    platform linux macos {\n"
				      "        workdir none;\n"
				      "        allow r /a;\n"
				      "    }\n"
				      "}\n");
	const struct ast_stmt *s;

	s = stmt_at(f, 0, 0);
	ck_assert_int_eq(s->kind, AST_WORKDIR);
	ck_assert(s->u.workdir.present);
	ck_assert_str_eq(word_at(&s->u.workdir.words, 0), "rwd");
	s = stmt_at(f, 0, 1);
	ck_assert_int_eq(s->kind, AST_LET);
	ck_assert_str_eq(s->u.let.name->text, "CACHE");
	ck_assert_str_eq(s->u.let.value->text, "~/.cache");
	ck_assert(s->u.let.value->quoted);
	s = stmt_at(f, 0, 2);
	ck_assert_int_eq(s->kind, AST_PLATFORM);
	ck_assert_uint_eq(s->u.platform.names.len, 2);
	ck_assert_str_eq(word_at(&s->u.platform.names, 1), "macos");
	ck_assert_uint_eq(s->u.platform.body.len, 2);
	const struct ast_stmt *in = s->u.platform.body.items[0];
	ck_assert_int_eq(in->kind, AST_WORKDIR);
	ck_assert_str_eq(word_at(&in->u.workdir.words, 0), "none");
	/* The block ends at its closing brace. */
	ck_assert_uint_eq(s->u.platform.close.end, s->loc.end);
	ck_assert_uint_eq(s->u.platform.close.end - s->u.platform.close.start,
			  1);
}
END_TEST

START_TEST(stmt_network_forms)
{
	struct ast_file *f =
		parse_ok("profile p {\n"
			 "    network allow;\n"
			 "    network deny;\n"
			 "    network loopback;\n"
			 "    network bind udp 53 8000-8100;\n"
			 "    network host \"api.example.com\" \"*.x.org\";\n"
			 "}\n");
	const struct ast_stmt *s;

	s = stmt_at(f, 0, 0);
	ck_assert_int_eq(s->kind, AST_NETWORK);
	ck_assert_int_eq(s->u.network.form, AST_NET_MODE);
	ck_assert_int_eq(s->u.network.mode, AST_ALLOW);
	ck_assert_int_eq(stmt_at(f, 0, 1)->u.network.mode, AST_DENY);
	s = stmt_at(f, 0, 2);
	ck_assert_int_eq(s->u.network.form, AST_NET_WORD);
	ck_assert_str_eq(s->u.network.op->text, "loopback");
	s = stmt_at(f, 0, 3);
	ck_assert_int_eq(s->u.network.form, AST_NET_PORTS);
	ck_assert_str_eq(s->u.network.op->text, "bind");
	ck_assert_str_eq(s->u.network.proto->text, "udp");
	ck_assert_uint_eq(s->u.network.ports.len, 2);
	const struct ast_port *range = s->u.network.ports.items[1];
	ck_assert_str_eq(range->lo->text, "8000");
	ck_assert_str_eq(range->hi->text, "8100");
	ck_assert_uint_eq(range->loc.end - range->loc.start, 9);
	s = stmt_at(f, 0, 4);
	ck_assert_int_eq(s->u.network.form, AST_NET_HOSTS);
	ck_assert_str_eq(s->u.network.op->text, "host");
	ck_assert_uint_eq(s->u.network.hosts.len, 2);
	ck_assert_str_eq(word_at(&s->u.network.hosts, 1), "*.x.org");
}
END_TEST

START_TEST(stmt_syscall_forms)
{
	struct ast_file *f = parse_ok(
		"profile p {\n"
		"    syscall default allow;\n"
		"    syscall errno EPERM @mount ptrace ipc syscall;\n"
		"    syscall deny 42;\n"
		"    syscall errno EPERM ioctl if arg1 == TIOCSTI;\n"
		"    syscall kill clone if arg0 & CLONE_NEWUSER == "
		"CLONE_NEWUSER && arg2 >= 0x10 && arg3 != 1 && arg4 < 2 && "
		"arg5 <= 3 && arg1 > 4;\n"
		"}\n");
	const struct ast_stmt *s;

	s = stmt_at(f, 0, 0);
	ck_assert_int_eq(s->kind, AST_SYSCALL);
	ck_assert_uint_eq(s->u.syscall.words.len, 2);
	ck_assert_str_eq(word_at(&s->u.syscall.words, 0), "default");
	ck_assert_str_eq(word_at(&s->u.syscall.words, 1), "allow");
	ck_assert_uint_eq(s->u.syscall.conds.len, 0);

	s = stmt_at(f, 0, 1);
	ck_assert_uint_eq(s->u.syscall.words.len, 6);
	ck_assert_str_eq(word_at(&s->u.syscall.words, 0), "errno");
	ck_assert_str_eq(word_at(&s->u.syscall.words, 1), "EPERM");
	ck_assert_str_eq(word_at(&s->u.syscall.words, 2), "@mount");
	ck_assert_str_eq(word_at(&s->u.syscall.words, 4), "ipc");
	ck_assert_str_eq(word_at(&s->u.syscall.words, 5), "syscall");

	s = stmt_at(f, 0, 2);
	ck_assert_str_eq(word_at(&s->u.syscall.words, 0), "deny");
	ck_assert_str_eq(word_at(&s->u.syscall.words, 1), "42");

	s = stmt_at(f, 0, 3);
	ck_assert_uint_eq(s->u.syscall.conds.len, 1);
	const struct ast_cond *c = s->u.syscall.conds.items[0];
	ck_assert_str_eq(c->arg->text, "arg1");
	ck_assert_str_eq(c->op, "==");
	ck_assert_ptr_null(c->mask);
	ck_assert_str_eq(c->value->text, "TIOCSTI");

	s = stmt_at(f, 0, 4);
	ck_assert_uint_eq(s->u.syscall.conds.len, 6);
	c = s->u.syscall.conds.items[0];
	ck_assert_str_eq(c->arg->text, "arg0");
	ck_assert_str_eq(c->mask->text, "CLONE_NEWUSER");
	ck_assert_str_eq(c->op, "==");
	ck_assert_str_eq(c->value->text, "CLONE_NEWUSER");
	static const char *const ops[] = { ">=", "!=", "<", "<=", ">" };
	for (size_t i = 0; i < 5; i++) {
		c = s->u.syscall.conds.items[i + 1];
		ck_assert_str_eq(c->op, ops[i]);
		ck_assert_ptr_null(c->mask);
	}
}
END_TEST

START_TEST(stmt_ipc_env_forms)
{
	struct ast_file *f = parse_ok("profile p {\n"
				      "    ipc allow signal abstract_unix;\n"
				      "    env pass PATH LC_* TERM;\n"
				      "    env drop *_TOKEN;\n"
				      "    override env pass GITHUB_TOKEN;\n"
				      "    env set NO_COLOR = \"1\";\n"
				      "}\n");
	const struct ast_stmt *s;

	s = stmt_at(f, 0, 0);
	ck_assert_int_eq(s->kind, AST_IPC);
	ck_assert_int_eq(s->u.ipc.verdict, AST_ALLOW);
	ck_assert_uint_eq(s->u.ipc.kinds.len, 2);
	ck_assert_str_eq(word_at(&s->u.ipc.kinds, 1), "abstract_unix");

	s = stmt_at(f, 0, 1);
	ck_assert_int_eq(s->kind, AST_ENV);
	ck_assert(!s->override);
	ck_assert_str_eq(s->u.env.action->text, "pass");
	ck_assert_uint_eq(s->u.env.patterns.len, 3);
	ck_assert_str_eq(word_at(&s->u.env.patterns, 1), "LC_*");
	ck_assert_str_eq(stmt_at(f, 0, 2)->u.env.action->text, "drop");

	s = stmt_at(f, 0, 3);
	ck_assert(s->override);
	ck_assert_str_eq(s->u.env.action->text, "pass");
	ck_assert_str_eq(word_at(&s->u.env.patterns, 0), "GITHUB_TOKEN");

	s = stmt_at(f, 0, 4);
	ck_assert_ptr_null(s->u.env.action);
	ck_assert_str_eq(s->u.env.name->text, "NO_COLOR");
	ck_assert_str_eq(s->u.env.value->text, "1");
}
END_TEST

START_TEST(stmt_expect_forms)
{
	struct ast_file *f =
		parse_ok("profile p {\n"
			 "    expect deny read ~/.ssh/id_rsa ~/.aws;\n"
			 "    expect allow $WORKDIR/src;\n"
			 "    expect deny network connect tcp 22 6000-6010;\n"
			 "    expect allow env HOME PATH;\n"
			 "    expect deny syscall ptrace ipc;\n"
			 "}\n");
	const struct ast_stmt *s;

	s = stmt_at(f, 0, 0);
	ck_assert_int_eq(s->kind, AST_EXPECT);
	ck_assert_int_eq(s->u.expect.form, AST_EXPECT_PATH);
	ck_assert_int_eq(s->u.expect.verdict, AST_DENY);
	ck_assert(s->u.expect.access.present);
	ck_assert_str_eq(word_at(&s->u.expect.access.words, 0), "read");
	ck_assert_uint_eq(s->u.expect.subjects.len, 2);

	s = stmt_at(f, 0, 1);
	ck_assert_int_eq(s->u.expect.verdict, AST_ALLOW);
	ck_assert(!s->u.expect.access.present);
	ck_assert_str_eq(word_at(&s->u.expect.subjects, 0), "$WORKDIR/src");

	s = stmt_at(f, 0, 2);
	ck_assert_int_eq(s->u.expect.form, AST_EXPECT_NETWORK);
	ck_assert_int_eq(s->u.expect.network.form, AST_NET_PORTS);
	ck_assert_str_eq(s->u.expect.network.op->text, "connect");
	ck_assert_str_eq(s->u.expect.network.proto->text, "tcp");
	ck_assert_uint_eq(s->u.expect.network.ports.len, 2);

	s = stmt_at(f, 0, 3);
	ck_assert_int_eq(s->u.expect.form, AST_EXPECT_ENV);
	ck_assert_int_eq(s->u.expect.verdict, AST_ALLOW);
	ck_assert_str_eq(word_at(&s->u.expect.subjects, 1), "PATH");

	s = stmt_at(f, 0, 4);
	ck_assert_int_eq(s->u.expect.form, AST_EXPECT_SYSCALL);
	ck_assert_str_eq(word_at(&s->u.expect.subjects, 0), "ptrace");
	ck_assert_str_eq(word_at(&s->u.expect.subjects, 1), "ipc");
}
END_TEST

/* ---- error messages ---------------------------------------------------------
 */

START_TEST(error_three_independent)
{
	int rc;
	struct ast_file *f = parse_str(ctx,
				       "profile p {\n"
				       "    allow r /a /b );\n"
				       "    use ;\n"
				       "    deny /c;\n"
				       "    network connect tcp ;\n"
				       "}\n",
				       &rc);

	ck_assert_int_eq(rc, -1);
	ck_assert_uint_eq(ctx->nerrors, 3);
	ck_assert_uint_eq(f->syntax_errors, 3);
	ck_assert_uint_eq(diag_line(0), 2);
	ck_assert_uint_eq(diag_line(1), 3);
	ck_assert_uint_eq(diag_line(2), 5);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "unexpected ')', expected path, string, 'create', "
			 "'existing' or ';'");
	ck_assert_str_eq(diag_nth(ctx, 1)->message,
			 "unexpected ';', expected identifier");
	ck_assert_str_eq(diag_nth(ctx, 2)->message,
			 "unexpected ';', expected number");
	/* The good statement between them is kept. */
	ck_assert_uint_eq(f->items.len, 1);
	ck_assert_uint_eq(item_at(f, 0)->body.len, 1);
	ck_assert_str_eq(word_at(&stmt_at(f, 0, 0)->u.rule.paths, 0), "/c");
}
END_TEST

START_TEST(error_recovery_across_items)
{
	int rc;
	struct ast_file *f = parse_str(ctx,
				       "allow r /x;\n"
				       "profile p {\n}\n"
				       "let = /y;\n"
				       "group g {\n}\n",
				       &rc);

	ck_assert_int_eq(rc, -1);
	ck_assert_uint_eq(ctx->nerrors, 2);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "unexpected 'allow', expected end of file, 'group', "
			 "'import', 'let', 'profile' or 'set'");
	ck_assert_uint_eq(diag_line(1), 4);
	ck_assert_str_eq(diag_nth(ctx, 1)->message,
			 "unexpected '=', expected identifier");
	ck_assert_uint_eq(f->items.len, 2);
	ck_assert_str_eq(item_at(f, 0)->name->text, "p");
	ck_assert_str_eq(item_at(f, 1)->name->text, "g");
}
END_TEST

START_TEST(error_did_you_mean_keywords)
{
	int rc;

	parse_str(ctx,
		  "profil p {\n}\n"
		  "profile q extnds r {\n}\n"
		  "profile s {\n    alow r /x;\n}\n",
		  &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_uint_eq(ctx->nerrors, 3);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "unexpected identifier 'profil'; did you mean "
			 "'profile'?");
	ck_assert_uint_eq(diag_line(0), 1);
	ck_assert_str_eq(diag_nth(ctx, 1)->message,
			 "unexpected identifier 'extnds'; did you mean "
			 "'extends'?");
	ck_assert_uint_eq(diag_line(1), 3);
	ck_assert_str_eq(diag_nth(ctx, 2)->message,
			 "unexpected identifier 'alow'; did you mean "
			 "'allow'?");
	ck_assert_uint_eq(diag_line(2), 6);
}
END_TEST

START_TEST(error_capitalised_keyword)
{
	int rc;

	parse_str(ctx, "profile p {\n    Allow r /x;\n}\n", &rc);
	ck_assert_int_eq(rc, -1);
	assert_one_error(ctx, 2, 5,
			 "unexpected identifier 'Allow'; did you mean "
			 "'allow'?");
}
END_TEST

START_TEST(error_missing_semicolon)
{
	int rc;

	parse_str(ctx, "profile p {\n    allow r /x\n    deny /y;\n}\n", &rc);
	ck_assert_int_eq(rc, -1);
	/* At the end of the previous line, with an empty range. */
	assert_one_error(ctx, 2, 15, "expected ';' before 'deny'");
	ck_assert_uint_eq(ctx->diags->loc.start, ctx->diags->loc.end);
}
END_TEST

START_TEST(error_missing_semicolon_before_brace)
{
	int rc;

	parse_str(ctx, "profile p {\n    use a b\n}\n", &rc);
	ck_assert_int_eq(rc, -1);
	assert_one_error(ctx, 2, 12, "expected ';' before '}'");
}
END_TEST

START_TEST(error_long_token_truncated)
{
	int rc;
	char text[200];

	snprintf(text, sizeof(text), "profile p {\n    use /%s;\n}\n",
		 "0123456789012345678901234567890123456789abcdef");
	parse_str(ctx, text, &rc);
	ck_assert_int_eq(rc, -1);
	/* The token is shown with its first 40 bytes. */
	assert_one_error(
		ctx, 2, 9,
		"unexpected path '/012345678901234567890123456789012345"
		"678', expected identifier");
}
END_TEST

START_TEST(error_string_where_identifier_expected)
{
	int rc;

	parse_str(ctx, "profile \"p\" {\n}\n", &rc);
	ck_assert_int_eq(rc, -1);
	assert_one_error(ctx, 1, 9, "unexpected string, expected identifier");
}
END_TEST

/* BUG: the end-of-file token carries the location of the last thing the
 * scanner matched (here the path "/a" at column 9, with a tilde range),
 * because scanner.l has no <<EOF>> rule that moves yylloc to the end of
 * the input.  The error belongs at the end of the file: column 11. */
START_TEST(error_unexpected_eof_location)
{
	int rc;

	parse_str(ctx, "let X = /a", &rc);
	ck_assert_int_eq(rc, -1);
	assert_one_error(ctx, 1, 11, "unexpected end of file, expected ';'");
}
END_TEST

/* ---- error cap and robustness
 * ------------------------------------------------ */

static char *bad_statements(unsigned n)
{
	size_t cap = 64 + (size_t)n * 32, len = 0;
	char *text = malloc(cap);

	ck_assert_ptr_nonnull(text);
	len += (size_t)snprintf(text + len, cap - len, "profile p {\n");
	for (unsigned i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"    allow r /x%u );\n", i);
	snprintf(text + len, cap - len, "}\n");
	return text;
}

START_TEST(error_cap_twenty)
{
	char *text = bad_statements(50);
	int rc;
	size_t located = 0;

	parse_str(ctx, text, &rc);
	ck_assert_int_eq(rc, -1);
	for (const struct diag *d = ctx->diags; d; d = d->next) {
		if (!d->loc.file)
			continue;
		ck_assert_uint_eq(diag_line(located), located + 2);
		located++;
	}
	ck_assert_uint_eq(located, 20);
	free(text);
}
END_TEST

/* The 21st error is replaced by one record without a location. */
START_TEST(error_cap_record)
{
	char *text = bad_statements(50);

	parse_str(ctx, text, NULL);
	ck_assert_uint_eq(diag_count(ctx), 21);
	const struct diag *last = diag_nth(ctx, 20);
	ck_assert_uint_eq(last->loc.file, 0);
	ck_assert_str_eq(last->message,
			 "too many errors, stopping now (limit 20)");
	free(text);
}
END_TEST

START_TEST(error_cap_disabled)
{
	char *text = bad_statements(50);

	polc_set_max_errors(ctx, 0);
	parse_str(ctx, text, NULL);
	ck_assert_uint_eq(ctx->nerrors, 50);
	ck_assert_uint_eq(diag_count(ctx), 50);
	free(text);
}
END_TEST

START_TEST(deep_nesting_does_not_crash)
{
	enum { DEPTH = 20000 };
	static const char open[] = "platform linux {";
	size_t cap = 32 + DEPTH * (sizeof(open) + 1);
	char *text = malloc(cap), *o = text;
	int rc;

	ck_assert_ptr_nonnull(text);
	o += sprintf(o, "profile p {");
	for (int i = 0; i < DEPTH; i++)
		o += sprintf(o, "%s", open);
	for (int i = 0; i <= DEPTH; i++)
		*o++ = '}';
	*o = '\0';
	parse_str(ctx, text, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_uint_eq(ctx->nerrors, 1);
	ck_assert_uint_eq(diag_count(ctx), 1);
	ck_assert_str_eq(ctx->diags->message,
			 "memory exhausted (statements nest too deeply)");
	free(text);
}
END_TEST

START_TEST(moderate_nesting_parses)
{
	enum { DEPTH = 300 };
	char *text = malloc(32 + DEPTH * 20), *o = text;
	int rc;

	ck_assert_ptr_nonnull(text);
	o += sprintf(o, "profile p {\n");
	for (int i = 0; i < DEPTH; i++)
		o += sprintf(o, "platform linux {\n");
	o += sprintf(o, "allow r /x;\n");
	for (int i = 0; i <= DEPTH; i++)
		o += sprintf(o, "}\n");
	struct ast_file *f = parse_str(ctx, text, &rc);
	ck_assert_int_eq(rc, 0);
	const struct ast_stmt *s = first_stmt(f);
	for (int i = 1; i < DEPTH; i++) {
		ck_assert_int_eq(s->kind, AST_PLATFORM);
		ck_assert_uint_eq(s->u.platform.body.len, 1);
		s = s->u.platform.body.items[0];
	}
	s = s->u.platform.body.items[0];
	ck_assert_int_eq(s->kind, AST_RULE);
	free(text);
}
END_TEST

START_TEST(huge_input)
{
	enum { N = 20000 };
	char *text = malloc(32 + (size_t)N * 40), *o = text;
	int rc;

	ck_assert_ptr_nonnull(text);
	o += sprintf(o, "profile p {\n");
	for (int i = 0; i < N; i++)
		o += sprintf(o, "    allow rw /some/path/number/%d;\n", i);
	sprintf(o, "}\n");
	struct ast_file *f = parse_str(ctx, text, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(item_at(f, 0)->body.len, N);
	const struct ast_stmt *s = stmt_at(f, 0, N - 1);
	ck_assert_str_eq(word_at(&s->u.rule.paths, 0),
			 "/some/path/number/19999");
	free(text);
}
END_TEST

START_TEST(empty_and_blank_inputs)
{
	int rc;
	struct ast_file *f = parse_str(ctx, "", &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(f->items.len, 0);
	f = parse_str(ctx, "\n\n  # only a comment\n\n", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(f->items.len, 0);
	ck_assert_uint_eq(f->comments.len, 1);
	ck_assert_uint_eq(ctx->nerrors, 0);
}
END_TEST

Suite *suite_parser(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("statements");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, items_all_kinds);
	tcase_add_test(tc, profile_without_extends);
	tcase_add_test(tc, stmt_description_meta_required_use_exclude);
	tcase_add_test(tc, stmt_rules);
	tcase_add_test(tc, stmt_workdir_let_platform);
	tcase_add_test(tc, stmt_network_forms);
	tcase_add_test(tc, stmt_syscall_forms);
	tcase_add_test(tc, stmt_ipc_env_forms);
	tcase_add_test(tc, stmt_expect_forms);
	tcase_add_test(tc, empty_and_blank_inputs);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, error_three_independent);
	tcase_add_test(tc, error_recovery_across_items);
	tcase_add_test(tc, error_did_you_mean_keywords);
	tcase_add_test(tc, error_capitalised_keyword);
	tcase_add_test(tc, error_missing_semicolon);
	tcase_add_test(tc, error_missing_semicolon_before_brace);
	tcase_add_test(tc, error_long_token_truncated);
	tcase_add_test(tc, error_string_where_identifier_expected);
	tcase_add_test(tc, error_unexpected_eof_location);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, error_cap_twenty);
	tcase_add_test(tc, error_cap_record);
	tcase_add_test(tc, error_cap_disabled);
	tcase_add_test(tc, deep_nesting_does_not_crash);
	tcase_add_test(tc, moderate_nesting_parses);
	tcase_add_test(tc, huge_input);
	suite_add_tcase(s, tc);
	return s;
}
