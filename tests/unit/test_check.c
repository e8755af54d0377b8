/*
 * test_check.c - the checks that need no name resolution
 * (frontend/check.c): every error with its exact message and location, and
 * the decoding of access expressions.
 */
#include <check.h>
#include <string.h>

#include "frontend/check.h"
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

/*
 * Parse @text (which must be free of syntax errors) and check it; returns
 * ast_check()'s result.
 */
static int check_text(const char *text, struct ast_file **out)
{
	int rc;
	struct ast_file *f = parse_str(ctx, text, &rc);

	if (rc != 0)
		ck_abort_msg("syntax errors in:\n%s\n%s", text,
			     diags_text(ctx));
	if (out)
		*out = f;
	return ast_check(ctx, f);
}

/* Check "profile p {\n    @stmt\n}\n": the statement is on line 2. */
static int check_in_profile(const char *stmt, struct ast_file **out)
{
	return check_text(
		arena_printf(&ctx->arena, "profile p {\n    %s\n}\n", stmt),
		out);
}

static int check_in_group(const char *stmt)
{
	return check_text(
		arena_printf(&ctx->arena, "group g {\n    %s\n}\n", stmt),
		NULL);
}

/* One statement in a profile gives exactly this error at 2:@col. */
static void expect_error(const char *stmt, unsigned col, const char *msg)
{
	ck_assert_int_eq(check_in_profile(stmt, NULL), -1);
	assert_one_error(ctx, 2, col, msg);
}

/* One statement in a profile is clean. */
static struct ast_stmt *expect_clean(const char *stmt)
{
	struct ast_file *f;

	if (check_in_profile(stmt, &f) != 0 || ctx->nerrors)
		ck_abort_msg("'%s' has errors:\n%s", stmt, diags_text(ctx));
	return first_stmt(f);
}

/*
 * Statements that, alone in a profile, give exactly one checker error at
 * line 2, column @col.
 */
static const struct {
	const char *stmt;
	unsigned col;
	const char *msg;
} single_errors[] = {
	{ "allow wirte ~/x;", 11,
	  "unknown access mode 'wirte'; did you mean 'write'?" },
	{ "allow rwz ~/x;", 11,
	  "unknown access mode 'rwz' (expected read, write, exec, "
	  "delete, all, or letters from 'rwxd')" },
	{ "allow read,exce ~/x;", 16,
	  "unknown access mode 'exce'; did you mean 'exec'?" },
	{ "allow rwr ~/x;", 11, "access 'rwr' names 'r' twice" },
	/* Naming a mode twice across atoms is an error too (spec §4.7). */
	{ "allow read,rw ~/x;", 16,
	  "'rw' repeats an access mode named earlier in the same "
	  "expression" },
	{ "allow none ~/x;", 11,
	  "'none' grants nothing; it is only meaningful as "
	  "'workdir none'" },
	{ "workdir none,read;", 13,
	  "'none' cannot be combined with other access" },
	{ "allow landlock(refr) ~/x;", 20,
	  "unknown Landlock right 'refr'; did you mean 'refer'?" },
	{ "allow landlock(refer make_dir refer) ~/x;", 35,
	  "Landlock right 'refer' is named twice" },
	{ "allow read,landlock(truncate make_dir) file ~/x;", 34,
	  "Landlock right 'make_dir' applies to directories; a "
	  "'file' rule can only take execute, write_file, "
	  "read_file, truncate and ioctl_dev" },
	{ "expect deny read,landlock(refer) ~/x;", 17,
	  "'landlock(…)' cannot be used in 'expect': assertions are "
	  "about access modes" },
	{ "deny ~/x create;", 5, "'create' applies to 'allow' rules" },
	{ "allow rw ~/x existing;", 5,
	  "'existing' applies to 'deny' rules: it limits a deny to what "
	  "exists when the sandbox starts" },
	{ "allow rw file ~/x create;", 5,
	  "'create' makes directories; it cannot go with 'file'" },
	{ "override deny ~/x;", 5,
	  "'override' applies to 'allow': it grants access inside "
	  "a deny" },
	{ "deny ~bob/.ssh;", 10,
	  "'~bob/.ssh': '~user' paths are not supported; write "
	  "'~/…' for your home or the full path" },
	{ "deny /a/*.txt;", 10,
	  "'*' in path '/a/*.txt': paths name files and "
	  "directories, not patterns" },
	{ "deny \"/a/file?\";", 10,
	  "'?' in path '/a/file?': paths name files and "
	  "directories, not patterns" },
	{ "deny \"/a/$/b\";", 10,
	  "'$' must start a variable ('$NAME' or '${NAME}') in "
	  "path '/a/$/b'; write '$$' for a literal '$'" },
	{ "deny \"${HOME/x\";", 10,
	  "'$' must start a variable ('$NAME' or '${NAME}') in "
	  "path '${HOME/x'; write '$$' for a literal '$'" },
	{ "deny $$x/y;", 10, "path '$$x/y' starts with a literal '$'" },
	{ "deny \"\";", 10, "empty path" },
	{ "network bind tcp 9000-8000;", 22, "port range 9000-8000 is empty" },
	{ "network bind tcp 8000-70000;", 27,
	  "port 70000 is out of range 1-65535" },
	/* A decimal number cannot start with 0 (spec §2.6). */
	{ "network connect tcp 0443;", 25,
	  "'0443': a decimal number cannot start with 0 (write hex "
	  "as 0x…)" },
	{ "network loopbak;", 13,
	  "unknown network setting 'loopbak'; did you mean "
	  "'loopback'?" },
	{ "network everything;", 13,
	  "unknown network setting 'everything' (expected allow, "
	  "deny or loopback)" },
	{ "syscall deny ptrace not_a_syscall;", 25,
	  "unknown syscall 'not_a_syscall'" },
	{ "syscall deny 101;", 18,
	  "syscall numbers differ between architectures; name the "
	  "syscall instead of '101'" },
	{ "syscall kil ptrace;", 13,
	  "unknown syscall action 'kil'; did you mean 'kill'?" },
	{ "syscall errno EPERMM ptrace;", 19, "unknown errno name 'EPERMM'" },
	{ "syscall errno 4096 ptrace;", 19,
	  "errno 4096 is out of range 1-4095" },
	/* errno 0 would mean success (spec §4.15: 1-4095). */
	{ "syscall errno 0 ptrace;", 19, "errno 0 is out of range 1-4095" },
	{ "syscall errno @mount;", 13,
	  "'errno' needs a value (a number or a name such as "
	  "EPERM)" },
	{ "syscall errno EPERM;", 13, "syscall rule names no syscall" },
	{ "syscall deny ioctl if arg6 == 1;", 27,
	  "'arg6' is not a syscall argument (arg0 … arg5)" },
	{ "syscall deny ioctl if arg1 == TIOCST;", 35,
	  "unknown constant 'TIOCST'; did you mean 'TIOCSTI'?" },
	{ "syscall deny clone if arg0 & CLONE_NEWUSR == 0;", 34,
	  "unknown constant 'CLONE_NEWUSR'; did you mean "
	  "'CLONE_NEWUSER'?" },
	{ "syscall deny ioctl if arg1 == 18446744073709551616;", 35,
	  "18446744073709551616 does not fit in 64 bits" },
	{ "env pass A-B;", 14, "'A-B' is not an environment variable pattern" },
	{ "env set A-B = \"x\";", 13,
	  "'A-B' is not an environment variable name" },
	{ "expect deny env my-var;", 21,
	  "'my-var' is not an environment variable name" },
	{ "env pas HOME;", 9,
	  "unknown env action 'pas'; did you mean 'pass'?" },
	{ "override env drop HOME;", 18,
	  "'override' applies to 'env pass': it lets a variable "
	  "through a drop" },
	{ "required;", 5,
	  "'required' applies to groups: it stops profiles from "
	  "excluding them" },
	{ "platform linux { description \"x\"; }", 22,
	  "'description' describes a whole group or profile; it "
	  "cannot go in a platform block" },
	{ "platform linux linux { }", 20, "platform 'linux' is named twice" },
	{ "description \"\";", 17, "empty description" },
	{ "platform macs { }", 14,
	  "unknown platform 'macs'; did you mean 'macos'?" },
	{ "ipc deny signals;", 14,
	  "unknown IPC scope 'signals'; did you mean 'signal'?" },
	{ "let my-var = /x;", 9,
	  "variable names hold letters, digits and '_' only" },
};

START_TEST(single_error)
{
	expect_error(single_errors[_i].stmt, single_errors[_i].col,
		     single_errors[_i].msg);
}
END_TEST

/* ---- access -----------------------------------------------------------------
 */

START_TEST(access_decoding)
{
	static const struct {
		const char *access;
		unsigned modes;
	} cases[] = {
		{ "rw", AST_ACCESS_READ | AST_ACCESS_WRITE },
		{ "read,exec", AST_ACCESS_READ | AST_ACCESS_EXEC },
		{ "xr", AST_ACCESS_READ | AST_ACCESS_EXEC },
		{ "all", AST_ACCESS_ALL },
		{ "rwxd", AST_ACCESS_ALL },
		{ "d", AST_ACCESS_DELETE },
		{ "write,delete", AST_ACCESS_WRITE | AST_ACCESS_DELETE },
		{ "exec", AST_ACCESS_EXEC },
	};
	const char *access = cases[_i].access;
	struct ast_stmt *s =
		expect_clean(arena_printf(&ctx->arena, "allow %s /x;", access));

	ck_assert_msg(s->u.rule.access.modes == cases[_i].modes,
		      "'%s' decodes to %#x, not %#x", access,
		      s->u.rule.access.modes, cases[_i].modes);
	ck_assert_uint_eq(s->u.rule.access.rights, 0);
	ck_assert(!s->u.rule.access.none);
}
END_TEST

START_TEST(access_landlock_rights)
{
	struct ast_stmt *s =
		expect_clean("allow read,landlock(refer make_sym) /x;");

	ck_assert_uint_eq(s->u.rule.access.modes, AST_ACCESS_READ);
	ck_assert_uint_eq(s->u.rule.access.rights, (1ull << 13) | (1ull << 12));
}
END_TEST

START_TEST(access_landlock_bits_0_and_15)
{
	struct ast_stmt *s =
		expect_clean("allow landlock(execute ioctl_dev) /x;");

	ck_assert_uint_eq(s->u.rule.access.modes, 0);
	ck_assert_uint_eq(s->u.rule.access.rights, 1ull | (1ull << 15));
}
END_TEST

START_TEST(access_workdir_none)
{
	struct ast_stmt *s = expect_clean("workdir none;");

	ck_assert(s->u.workdir.none);
	ck_assert_uint_eq(s->u.workdir.modes, 0);
}
END_TEST

START_TEST(access_deny_without_access)
{
	struct ast_stmt *s = expect_clean("deny ~/.ssh;");

	ck_assert(!s->u.rule.access.present);
	ck_assert_uint_eq(s->u.rule.access.modes, 0);
}
END_TEST

/* ---- rules ------------------------------------------------------------------
 */

START_TEST(rule_allow_without_access)
{
	/* Located where the access would be: right after "allow". */
	expect_error("allow ~/x;", 10,
		     "'allow' needs an access mode (for example 'allow read "
		     "…')");
}
END_TEST

START_TEST(rule_override_allow_create_ok)
{
	struct ast_stmt *s =
		expect_clean("override allow rwd ~/.cache/x create;");

	ck_assert(s->override);
	ck_assert(s->u.rule.create);
}
END_TEST

/* ---- paths ------------------------------------------------------------------
 */

START_TEST(path_relative_with_note)
{
	ck_assert_int_eq(check_in_profile("allow read ./src/x;", NULL), -1);
	assert_one_error(ctx, 2, 16,
			 "relative path './src/x': paths start with '/', '~' "
			 "or a variable");
	const struct diag *note = ctx->diags->notes;
	ck_assert_ptr_nonnull(note);
	ck_assert_ptr_null(note->next);
	ck_assert_int_eq(note->severity, DIAG_NOTE);
	ck_assert_str_eq(note->message, "did you mean '$WORKDIR/src/x'?");
	ck_assert_uint_eq(note->loc.start, ctx->diags->loc.start);
}
END_TEST

START_TEST(path_relative_word)
{
	ck_assert_int_eq(check_in_profile("deny .config/x;", NULL), -1);
	assert_one_error(ctx, 2, 10,
			 "relative path '.config/x': paths start with '/', '~' "
			 "or a variable");
	ck_assert_str_eq(ctx->diags->notes->message,
			 "did you mean '$WORKDIR/.config/x'?");
}
END_TEST

START_TEST(path_good_forms)
{
	expect_clean("deny /a/$$b ~ ~/x $HOME/y ${XDG_CONFIG_HOME}/z \"/with "
		     "space\" \"~/q\";");
}
END_TEST

/* ---- network ----------------------------------------------------------------
 */

START_TEST(port_out_of_range)
{
	ck_assert_int_eq(
		check_in_profile("network connect tcp 0 443 65536;", NULL), -1);
	ck_assert_uint_eq(ctx->nerrors, 2);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "port 0 is out of range 1-65535");
	ck_assert_str_eq(diag_nth(ctx, 1)->message,
			 "port 65536 is out of range 1-65535");
	unsigned line, col;
	loc_line_col(ctx, diag_nth(ctx, 1)->loc, &line, &col);
	ck_assert_uint_eq(col, 31);
}
END_TEST

START_TEST(port_hex_ok)
{
	expect_clean("network connect tcp 0x1bb 1-65535;");
}
END_TEST

START_TEST(network_unknown_words)
{
	ck_assert_int_eq(check_in_profile("network conect tpc 443;", NULL), -1);
	ck_assert_uint_eq(ctx->nerrors, 2);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "unknown network operation 'conect'; did you mean "
			 "'connect'?");
	ck_assert_str_eq(diag_nth(ctx, 1)->message,
			 "unknown protocol 'tpc'; did you mean 'tcp'?");
}
END_TEST

START_TEST(network_host_forms)
{
	ck_assert_int_eq(check_in_profile("network hots \"a b\";", NULL), -1);
	ck_assert_uint_eq(ctx->nerrors, 2);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "unknown network rule 'hots' before a host name; "
			 "write 'network host \"…\"'");
	ck_assert_str_eq(diag_nth(ctx, 1)->message,
			 "'a b' is not a host name (dot-separated labels of "
			 "letters, digits and '-', optionally after '*.')");
}
END_TEST

/* ---- syscalls
 * ---------------------------------------------------------------- */

START_TEST(syscall_good_forms)
{
	expect_clean("syscall errno EACCES ptrace @mount ipc;");
	teardown();
	setup();
	expect_clean("syscall kill clone if arg0 & CLONE_NEWUSER == "
		     "CLONE_NEWUSER && arg1 != 0xffffffffffffffff;");
}
END_TEST

START_TEST(syscall_errno_value_ok)
{
	expect_clean("syscall errno 4095 ptrace;");
}
END_TEST

START_TEST(syscall_default_forms)
{
	ck_assert_int_eq(check_text("profile p {\n"
				    "    syscall default allow ptrace;\n"
				    "}\n"
				    "profile q {\n"
				    "    syscall default kill if arg0 == 1;\n"
				    "}\n"
				    "profile r {\n"
				    "    syscall default;\n"
				    "}\n",
				    NULL),
			 -1);
	ck_assert_uint_eq(ctx->nerrors, 3);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "'syscall default' takes only an action");
	ck_assert_str_eq(diag_nth(ctx, 1)->message,
			 "'syscall default' cannot have conditions");
	ck_assert_str_eq(diag_nth(ctx, 2)->message,
			 "'syscall default' needs an action");
}
END_TEST

START_TEST(set_members_checked)
{
	ck_assert_int_eq(
		check_text("set @s = ptrace @other nope_call;\n", NULL), -1);
	assert_one_error(ctx, 1, 24, "unknown syscall 'nope_call'");
}
END_TEST

/* ---- env --------------------------------------------------------------------
 */

/* ---- placement --------------------------------------------------------------
 */

START_TEST(exclude_in_group)
{
	ck_assert_int_eq(check_in_group("exclude other;"), -1);
	assert_one_error(
		ctx, 2, 5,
		"'exclude' applies to profiles: a group adds rules, it "
		"does not take groups away");
}
END_TEST

START_TEST(profile_settings_in_group)
{
	ck_assert_int_eq(check_text("group g {\n"
				    "    workdir rw;\n"
				    "    network deny;\n"
				    "    syscall default allow;\n"
				    "    ipc allow signal;\n"
				    "    network loopback;\n"
				    "}\n",
				    NULL),
			 -1);
	ck_assert_uint_eq(ctx->nerrors, 4);
	ck_assert_str_eq(diag_nth(ctx, 0)->message,
			 "'workdir' is a profile setting; groups add rules and "
			 "cannot set it");
	ck_assert_str_eq(
		diag_nth(ctx, 1)->message,
		"'network deny' is a profile setting; groups add rules "
		"and cannot set it");
	ck_assert_str_eq(diag_nth(ctx, 2)->message,
			 "'syscall default' is a profile setting; groups add "
			 "rules and cannot set it");
	ck_assert_str_eq(diag_nth(ctx, 3)->message,
			 "'ipc' is a profile setting; groups add rules and "
			 "cannot set it");
}
END_TEST

START_TEST(nested_platform)
{
	ck_assert_int_eq(
		check_in_profile("platform linux { platform macos { } }", NULL),
		-1);
	assert_one_error(ctx, 2, 22, "platform blocks cannot be nested");
}
END_TEST

START_TEST(duplicate_description_note)
{
	ck_assert_int_eq(check_text("profile p {\n"
				    "    description \"one\";\n"
				    "    allow r /x;\n"
				    "    description \"two\";\n"
				    "}\n",
				    NULL),
			 -1);
	assert_one_error(ctx, 4, 5, "duplicate 'description'");
	const struct diag *note = ctx->diags->notes;
	unsigned line, col;

	ck_assert_ptr_nonnull(note);
	ck_assert_str_eq(note->message, "first given here");
	loc_line_col(ctx, note->loc, &line, &col);
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 5);
}
END_TEST

START_TEST(duplicate_required)
{
	ck_assert_int_eq(
		check_text("group g {\n    required;\n    required;\n}\n",
			   NULL),
		-1);
	assert_one_error(ctx, 3, 5, "duplicate 'required'");
}
END_TEST

START_TEST(duplicate_meta_key)
{
	ck_assert_int_eq(check_text("profile p {\n"
				    "    meta url \"a\";\n"
				    "    meta author \"b\";\n"
				    "    meta url \"c\";\n"
				    "}\n",
				    NULL),
			 -1);
	assert_one_error(ctx, 4, 10, "duplicate 'meta url'");
	ck_assert_str_eq(ctx->diags->notes->message, "first given here");
}
END_TEST

START_TEST(scalar_set_twice)
{
	ck_assert_int_eq(check_text("profile p {\n"
				    "    workdir rw;\n"
				    "    platform macos {\n"
				    "        workdir read;\n"
				    "    }\n"
				    "}\n",
				    NULL),
			 -1);
	assert_one_error(ctx, 4, 9,
			 "'workdir' is set twice for the same platform");
	const struct diag *note = ctx->diags->notes;
	unsigned line, col;

	ck_assert_ptr_nonnull(note);
	ck_assert_str_eq(note->message, "first set here");
	loc_line_col(ctx, note->loc, &line, &col);
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 5);
}
END_TEST

START_TEST(scalar_per_platform_ok)
{
	int rc = check_text(
		"profile p {\n"
		"    platform linux {\n        workdir rw;\n    }\n"
		"    platform macos {\n        workdir read;\n    }\n"
		"    ipc allow signal;\n"
		"    ipc deny abstract_unix;\n"
		"}\n",
		NULL);

	ck_assert_msg(rc == 0, "%s", diags_text(ctx));
}
END_TEST

START_TEST(unknown_group_platform)
{
	ck_assert_int_eq(
		check_text("group g platform linux windows {\n}\n", NULL), -1);
	assert_one_error(ctx, 1, 24, "unknown platform 'windows'");
}
END_TEST

/* ---- variables --------------------------------------------------------------
 */

START_TEST(let_builtin)
{
	ck_assert_int_eq(check_text("let HOME = /x;\n", NULL), -1);
	assert_one_error(
		ctx, 1, 5,
		"'HOME' is a built-in variable and cannot be redefined");
}
END_TEST

START_TEST(let_fragment_ok)
{
	expect_clean("let SUB = \"sub/dir\";");
}
END_TEST

START_TEST(let_path_checked)
{
	ck_assert_int_eq(check_text("let X = ~bob;\n", NULL), -1);
	ck_assert_uint_eq(ctx->nerrors, 1);
}
END_TEST

/* ---- duplicates across files
 * ---------------------------------------------------- */

START_TEST(redefinition_across_files)
{
	static const char ta[] = "profile p {\n}\nset @s = ptrace;\n";
	static const char tb[] = "let X = /x;\n\nprofile p {\n}\n";
	int rc;
	struct ast_file *a = parse_mem(ctx, "a.pol", ta, strlen(ta), &rc);
	ck_assert_int_eq(rc, 0);
	struct ast_file *b = parse_mem(ctx, "b.pol", tb, strlen(tb), &rc);
	ck_assert_int_eq(rc, 0);
	struct ptrvec files = { 0 };

	ptrvec_push(&ctx->arena, &files, a);
	ptrvec_push(&ctx->arena, &files, b);
	ck_assert_int_eq(ast_check_duplicates(ctx, &files), -1);
	assert_one_error(ctx, 3, 9, "redefinition of profile 'p'");
	const struct diag *d = ctx->diags;
	unsigned line, col;

	ck_assert_uint_eq(d->loc.file, b->file);
	ck_assert_ptr_nonnull(d->notes);
	ck_assert_str_eq(d->notes->message, "first defined here");
	ck_assert_uint_eq(d->notes->loc.file, a->file);
	loc_line_col(ctx, d->notes->loc, &line, &col);
	ck_assert_uint_eq(line, 1);
	ck_assert_uint_eq(col, 9);
}
END_TEST

START_TEST(redefinition_points_at_first)
{
	struct ast_file *a = parse_str(ctx, "set @s = ptrace;\n", NULL);
	struct ast_file *b = parse_str(ctx, "set @s = ptrace;\n", NULL);
	struct ast_file *c =
		parse_str(ctx, "set @s = ptrace;\nlet Y = /y;\n", NULL);
	struct ptrvec files = { 0 };

	ptrvec_push(&ctx->arena, &files, a);
	ptrvec_push(&ctx->arena, &files, b);
	ptrvec_push(&ctx->arena, &files, c);
	ck_assert_int_eq(ast_check_duplicates(ctx, &files), -1);
	ck_assert_uint_eq(ctx->nerrors, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct diag *d = diag_nth(ctx, i);

		ck_assert_str_eq(d->message,
				 "redefinition of syscall set '@s'");
		ck_assert_uint_eq(d->notes->loc.file, a->file);
	}
	ck_assert_uint_eq(diag_nth(ctx, 0)->loc.file, b->file);
	ck_assert_uint_eq(diag_nth(ctx, 1)->loc.file, c->file);
}
END_TEST

START_TEST(no_redefinition_between_kinds)
{
	/* Variables and sets have their own namespaces. */
	struct ast_file *a =
		parse_str(ctx, "let s = /x;\nset @s = ptrace;\n", NULL);
	struct ptrvec files = { 0 };

	ptrvec_push(&ctx->arena, &files, a);
	ck_assert_int_eq(ast_check_duplicates(ctx, &files), 0);
	ck_assert_uint_eq(ctx->nerrors, 0);
}
END_TEST

START_TEST(many_errors_all_reported)
{
	ck_assert_int_eq(check_text("profile p {\n"
				    "    allow ~/a;\n"
				    "    deny ./b;\n"
				    "    network connect tcp 0;\n"
				    "    syscall deny 1;\n"
				    "    required;\n"
				    "}\n",
				    NULL),
			 -1);
	ck_assert_uint_eq(ctx->nerrors, 5);
}
END_TEST

Suite *suite_check(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("single errors");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(
		tc, single_error, 0,
		(int)(sizeof(single_errors) / sizeof(single_errors[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("access");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, access_decoding, 0, 8);
	tcase_add_test(tc, access_landlock_rights);
	tcase_add_test(tc, access_landlock_bits_0_and_15);
	tcase_add_test(tc, access_workdir_none);
	tcase_add_test(tc, access_deny_without_access);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules and paths");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rule_allow_without_access);
	tcase_add_test(tc, rule_override_allow_create_ok);
	tcase_add_test(tc, path_relative_with_note);
	tcase_add_test(tc, path_relative_word);
	tcase_add_test(tc, path_good_forms);
	suite_add_tcase(s, tc);

	tc = tcase_create("network");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, port_out_of_range);
	tcase_add_test(tc, port_hex_ok);
	tcase_add_test(tc, network_unknown_words);
	tcase_add_test(tc, network_host_forms);
	suite_add_tcase(s, tc);

	tc = tcase_create("syscall");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, syscall_good_forms);
	tcase_add_test(tc, syscall_errno_value_ok);
	tcase_add_test(tc, syscall_default_forms);
	tcase_add_test(tc, set_members_checked);
	suite_add_tcase(s, tc);

	tc = tcase_create("env");
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);

	tc = tcase_create("placement");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, exclude_in_group);
	tcase_add_test(tc, profile_settings_in_group);
	tcase_add_test(tc, nested_platform);
	tcase_add_test(tc, duplicate_description_note);
	tcase_add_test(tc, duplicate_required);
	tcase_add_test(tc, duplicate_meta_key);
	tcase_add_test(tc, scalar_set_twice);
	tcase_add_test(tc, scalar_per_platform_ok);
	tcase_add_test(tc, unknown_group_platform);
	tcase_add_test(tc, many_errors_all_reported);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, let_builtin);
	tcase_add_test(tc, let_fragment_ok);
	tcase_add_test(tc, let_path_checked);
	tcase_add_test(tc, redefinition_across_files);
	tcase_add_test(tc, redefinition_points_at_first);
	tcase_add_test(tc, no_redefinition_between_kinds);
	suite_add_tcase(s, tc);
	return s;
}
