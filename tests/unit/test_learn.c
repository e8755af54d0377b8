/*
 * test_learn.c - lowering observations into a learned profile
 * (learn/lower.c, learn/emit.c) with synthetic observations: what the
 * base allows is dropped, what a required deny covers is refused, a deny
 * that is not required is lifted by an exact override, created and
 * vanished paths move to the nearest directory that existed before,
 * directories collapse at N entries but never to $HOME, its ancestors or
 * a directory holding a required deny, variables are substituted back,
 * and the printed profile is canonical .pol that resolves.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "learn/learn.h"
#include "suites.h"

/* HOME=/home/user, WORKDIR=/work/project (test_options). */
static const char base_text[] = "group secrets {\n"
				"    required;\n"
				"    deny ~/.ssh /work/project/vault;\n"
				"}\n"
				"group tools {\n"
				"    deny exec file /usr/bin/rm;\n"
				"}\n"
				"profile base {\n"
				"    use secrets tools;\n"
				"    allow rx /usr;\n"
				"    allow all /tmp;\n"
				"}\n";

static struct polc_ctx *ctx;
static struct load_unit unit;
static struct ir_options opts;
static const struct ir_policy *base;

static void setup(void)
{
	ctx = polc_ctx_new();
	ck_assert_ptr_nonnull(ctx);
	unit = (struct load_unit){ 0 };
	test_options(ctx, &opts);
	unit_add(ctx, &unit, "base.pol", base_text);
	base = ir_resolve(ctx, &unit, "base", &opts);
	ck_assert_ptr_nonnull(base);
	ck_assert_uint_eq(ctx->nerrors, 0);
}

static void teardown(void)
{
	polc_ctx_free(ctx);
	ctx = NULL;
}

static bool is_required(const char *name, void *arg)
{
	(void)arg;
	return !strcmp(name, "secrets");
}

/* Everything exists but what the test lists as gone. */
static const char *const *gone;

static bool exists(const char *path, void *arg)
{
	(void)arg;
	for (size_t i = 0; gone && gone[i]; i++)
		if (!strcmp(gone[i], path))
			return false;
	return true;
}

static int obs_cmp(const void *a, const void *b)
{
	return strcmp(((const struct trace_path *)a)->path,
		      ((const struct trace_path *)b)->path);
}

/* Observations from "KINDS PATH" lines (r w x c d), sorted like
 * trace_run() sorts them. */
static struct trace_result observe(const char *const *lines)
{
	struct trace_result r = { 0 };
	size_t n = 0;

	while (lines[n])
		n++;
	r.paths = arena_alloc(&ctx->arena, (n + 1) * sizeof(*r.paths));
	for (size_t i = 0; i < n; i++) {
		const char *sp = strchr(lines[i], ' ');
		struct trace_path *p = &r.paths[r.npaths++];

		p->path = sp + 1;
		for (const char *k = lines[i]; k < sp; k++) {
			int bit = (int)(strchr("rwxcd", *k) - "rwxcd");

			if (*k == 'D') {
				p->dir = true;
				continue;
			}
			p->kinds |= 1u << bit;
			p->count[bit]++;
		}
	}
	qsort(r.paths, r.npaths, sizeof(*r.paths), obs_cmp);
	return r;
}

static struct learn_result lower(const char *const *lines, unsigned collapse)
{
	struct learn_result out;
	struct trace_result obs = observe(lines);
	struct learn_options o = { .collapse = collapse,
				   .home = "/home/user",
				   .is_required = is_required };

	ck_assert_int_eq(learn_lower(ctx, base, &obs, &o, exists, NULL, &out),
			 0);
	return out;
}

static struct learn_header header(void)
{
	static const char *const vars[] = { "WORKDIR", "HOME", "TMPDIR" };
	static const char *const values[] = { "/work/project", "/home/user",
					      "/tmp" };
	static char *const argv[] = { "sh", "-c", "make\nall", NULL };

	return (struct learn_header){ .argv = argv,
				      .kernel = "Linux 6.1.0 x86_64",
				      .date = "2026-01-01T00:00:00Z",
				      .base = "base",
				      .name = "learned",
				      .vars = vars,
				      .values = values,
				      .nvars = 3 };
}

/* The rules as .pol statements, comments left out. */
static const char *rules_text(const struct learn_result *r)
{
	struct learn_header h = header();
	char *buf = NULL, *out;
	size_t len = 0, k = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	learn_print_rules(ctx, &h, r, f);
	fclose(f);
	out = arena_alloc(&ctx->arena, len + 1);
	for (char *line = buf; *line;) {
		char *end = strchrnul(line, '\n');
		size_t n = (size_t)(end - line) + (*end == '\n');

		if (strncmp(line, "    #", 5) != 0) {
			memcpy(out + k, line + 4, n - 4);
			k += n - 4;
		}
		line += n;
	}
	out[k] = '\0';
	free(buf);
	return out;
}

START_TEST(test_base_allows_are_dropped)
{
	static const char *const obs[] = { "r /usr/lib/libc.so.6",
					   "x /usr/bin/cc", "rwcd /tmp/a",
					   NULL };
	struct learn_result r = lower(obs, 4);

	ck_assert_uint_eq(r.nrules, 0);
	ck_assert_uint_eq(r.covered, 6);
	ck_assert_uint_eq(ctx->nwarnings, 0);
}
END_TEST

START_TEST(test_required_deny_is_refused)
{
	static const char *const obs[] = { "r /home/user/.ssh/id_rsa",
					   "r /work/project/a", NULL };
	struct learn_result r = lower(obs, 4);

	ck_assert_str_eq(rules_text(&r), "allow read file $WORKDIR/a;\n");
	ck_assert_uint_eq(r.refused, 1);
	ck_assert_uint_eq(ctx->nwarnings, 1);
	ck_assert_str_eq(diags_brief(ctx),
			 "/home/user/.ssh/id_rsa: warning: not learned: the "
			 "command used read on it, which required group "
			 "'secrets' denies\n");
}
END_TEST

START_TEST(test_other_deny_is_overridden_exactly)
{
	static const char *const obs[] = { "x /usr/bin/rm", NULL };
	struct learn_result r = lower(obs, 4);

	ck_assert_str_eq(rules_text(&r),
			 "override allow exec file /usr/bin/rm;\n");
}
END_TEST

START_TEST(test_collapse_at_n)
{
	static const char *const three[] = { "r /work/project/src/a.c",
					     "r /work/project/src/b.c",
					     "w /work/project/src/c.c", NULL };
	/* Four entries read: the directory becomes one read grant; the
	 * one file written keeps its own. */
	static const char *const four[] = { "r /work/project/src/a.c",
					    "r /work/project/src/b.c",
					    "w /work/project/src/c.c",
					    "r /work/project/src/e.c",
					    "r /work/project/src/sub/d.h",
					    "r /opt/x",
					    NULL };
	struct learn_result r = lower(three, 4);

	ck_assert_str_eq(rules_text(&r),
			 "allow read file $WORKDIR/src/a.c;\n"
			 "allow read file $WORKDIR/src/b.c;\n"
			 "allow write file $WORKDIR/src/c.c;\n");
	r = lower(four, 4);
	ck_assert_str_eq(rules_text(&r),
			 "allow read file /opt/x;\n"
			 "allow read $WORKDIR/src;\n"
			 "allow write file $WORKDIR/src/c.c;\n");
	ck_assert_uint_eq(r.rules[1].paths, 4);
	ck_assert_uint_eq(r.rules[1].nexamples, LEARN_EXAMPLES);
	/* --collapse 0: never. */
	r = lower(four, 0);
	ck_assert_uint_eq(r.nrules, 6);
}
END_TEST

START_TEST(test_never_collapse_to_home_or_required_deny)
{
	static const char *const home[] = { "r /home/user/a", "r /home/user/b",
					    "r /home/user/c", "r /home/user/d",
					    NULL };
	static const char *const vault[] = { "r /work/project/a",
					     "r /work/project/b",
					     "r /work/project/c",
					     "r /work/project/d", NULL };
	static const char *const above[] = { "r /home/a", "r /home/b",
					     "r /home/c", "r /home/d", NULL };

	ck_assert_uint_eq(lower(home, 2).nrules, 4);
	ck_assert_uint_eq(lower(vault, 2).nrules, 4);
	ck_assert_uint_eq(lower(above, 2).nrules, 4);
}
END_TEST

START_TEST(test_collapse_is_bottom_up)
{
	/* Each of four directories collapses; their parent then sees four
	 * entries and collapses too, into one rule. */
	static const char *const obs[] = {
		"r /srv/a/1", "r /srv/a/2", "r /srv/b/1",
		"r /srv/b/2", "r /srv/c/1", "r /srv/c/2",
		"r /srv/d/1", "r /srv/d/2", NULL,
	};
	struct learn_result r = lower(obs, 2);

	ck_assert_str_eq(rules_text(&r), "allow read /srv;\n");
	ck_assert_uint_eq(r.rules[0].paths, 8);
	ck_assert_uint_eq(r.rules[0].count[0], 8);
}
END_TEST

START_TEST(test_created_paths_move_to_existing_parent)
{
	static const char *const no_x[] = { "/work/project/gone",
					    "/work/project/gone/x", NULL };
	static const char *const obs[] = { "c /work/project/out",
					   "cw /work/project/out/f",
					   "w /work/project/gone/x", NULL };

	gone = no_x;
	struct learn_result r = lower(obs, 4);
	gone = NULL;
	ck_assert_str_eq(rules_text(&r), "allow write $WORKDIR;\n");
	ck_assert_uint_eq(r.rules[0].paths, 3);
}
END_TEST

START_TEST(test_absorbed_and_directories)
{
	/* Listing a directory needs a subtree read, which absorbs the file
	 * reads below it; delete goes to the parent. */
	static const char *const obs[] = { "rD /work/project/docs",
					   "r /work/project/docs/a",
					   "w /work/project/docs/b",
					   "d /work/project/tmp/x", NULL };
	struct learn_result r = lower(obs, 4);

	ck_assert_str_eq(rules_text(&r), "allow read $WORKDIR/docs;\n"
					 "allow write file $WORKDIR/docs/b;\n"
					 "allow delete $WORKDIR/tmp;\n");
}
END_TEST

START_TEST(test_spell_path)
{
	static const char *const vars[] = { "WORKDIR", "HOME", "TMPDIR" };
	static const char *const values[] = { "/home/user/proj", "/home/user",
					      "/tmp" };
	struct learn_header h = { .vars = vars, .values = values, .nvars = 3 };

	ck_assert_str_eq(learn_spell_path(ctx, &h, "/home/user/proj/a"),
			 "$WORKDIR/a");
	ck_assert_str_eq(learn_spell_path(ctx, &h, "/home/user/proj"),
			 "$WORKDIR");
	ck_assert_str_eq(learn_spell_path(ctx, &h, "/home/user/.cache/x"),
			 "$HOME/.cache/x");
	ck_assert_str_eq(learn_spell_path(ctx, &h, "/home/username/x"),
			 "/home/username/x");
	ck_assert_str_eq(learn_spell_path(ctx, &h, "/tmp/x"), "$TMPDIR/x");
	ck_assert_str_eq(learn_spell_path(ctx, &h, "/usr/bin"), "/usr/bin");
}
END_TEST

START_TEST(test_network)
{
	struct trace_net net[] = {
		{ TRACE_CONNECT, 6, 443, "1.2.3.4", 2 },
		{ TRACE_CONNECT, 6, 443, "5.6.7.8", 1 },
		{ TRACE_BIND, 6, 8080, "0.0.0.0", 1 },
		{ TRACE_SEND, 17, 53, "9.9.9.9", 3 },
	};
	struct trace_result obs = { .net = net, .nnet = 4 };
	struct learn_options o = { .collapse = 4 };
	struct learn_result r;

	ck_assert_int_eq(learn_lower(ctx, base, &obs, &o, exists, NULL, &r), 0);
	ck_assert_str_eq(rules_text(&r), "network connect tcp 443;\n"
					 "network connect udp 53;\n"
					 "network bind tcp 8080;\n");
	ck_assert_uint_eq(r.net[0].count, 3);
}
END_TEST

START_TEST(test_syscalls)
{
	/* The base allows by default and refuses ptrace by a rule: the
	 * allow-list tightens the default and leaves ptrace out. */
	static const char *names[] = { "openat", "ptrace", "read" };
	struct trace_result obs = { .syscalls = names, .nsyscalls = 3 };
	struct learn_options o = { .collapse = 4 };
	struct learn_result r;
	const struct ir_policy *p;

	unit_add(ctx, &unit, "sys.pol",
		 "profile sysbase extends base {\n"
		 "    syscall errno EPERM ptrace;\n"
		 "}\n");
	p = ir_resolve(ctx, &unit, "sysbase", &opts);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(learn_lower(ctx, p, &obs, &o, exists, NULL, &r), 0);
	ck_assert_str_eq(rules_text(&r), "syscall default errno EPERM;\n"
					 "syscall allow openat read;\n");
}
END_TEST

START_TEST(test_printed_profile_is_canonical)
{
	static const char *const obs[] = {
		"r /work/project/a b",	   "r /work/project/$x",
		"r /work/project/q\"uote", "x /usr/bin/rm",
		"rw /work/project/f",	   NULL,
	};
	struct learn_result r = lower(obs, 4);
	struct learn_header h = header();
	struct trace_result t = observe(obs);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	learn_print_profile(ctx, &h, &t, &r, f);
	fclose(f);
	/* The text joins the unit: it must check, resolve and be canonical. */
	char *text = arena_strdup(&ctx->arena, buf);
	unit_add(ctx, &unit, "learned.pol", text);
	const struct ir_policy *p = ir_resolve(ctx, &unit, "learned", &opts);
	ck_assert_msg(p && !ctx->nerrors, "%s\n%s", buf, diags_text(ctx));
	char *canonical = fmt_str(buf);
	ck_assert_str_eq(canonical, buf);
	free(canonical);
	/* What was learned is now allowed, and nothing more. */
	struct ir_decision d;
	ir_decide_path(ctx, p, IR_LINUX, "/work/project/a b", IR_READ, &d);
	ck_assert_int_eq(d.verdict, IR_ALLOW);
	ir_decide_path(ctx, p, IR_LINUX, "/work/project/$x", IR_READ, &d);
	ck_assert_int_eq(d.verdict, IR_ALLOW);
	ir_decide_path(ctx, p, IR_LINUX, "/usr/bin/rm", IR_EXEC, &d);
	ck_assert_int_eq(d.verdict, IR_ALLOW);
	ir_decide_path(ctx, p, IR_LINUX, "/work/project/f", IR_WRITE, &d);
	ck_assert_int_eq(d.verdict, IR_ALLOW);
	ir_decide_path(ctx, p, IR_LINUX, "/work/project/a b", IR_WRITE, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	ir_decide_path(ctx, p, IR_LINUX, "/work/project/g", IR_READ, &d);
	ck_assert_int_eq(d.verdict, IR_DENY);
	free(buf);
}
END_TEST

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(getdelim(&buf, &cap, '\0', f), 0);
	fclose(f);
	return buf;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* Learn "head -c 0 FILE" with --merge into @pol, $WORKDIR @dir. */
static void learn_merge(const char *pol, const char *dir, const char *file)
{
	char *argv[] = { "head", "-c", "0", (char *)file, NULL };
	struct polc_learn_options o = { .merge = pol,
					.collapse = 4,
					.argv = argv };
	struct polc_ctx *c = polc_ctx_new();
	int status, rc;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(polc_set_variable(c, "HOME", "/home/user"), 0);
	ck_assert_int_eq(polc_set_variable(c, "WORKDIR", dir), 0);
	ck_assert_int_eq(polc_set_variable(c, "UID", "1000"), 0);
	ck_assert_int_eq(polc_set_variable(c, "USER", "user"), 0);
	rc = polc_learn(c, &o, &status);
	if (rc != 0 || status != 0)
		polc_diagnostics_print(c, stderr, POLC_DIAG_TEXT, false);
	ck_assert_msg(rc == 0 && status == 0, "polc_learn: %d %d", rc, status);
	polc_ctx_free(c);
}

START_TEST(test_merge)
{
	/* Through the public API: a real (tiny) traced command.  The base
	 * grants nothing under $TMPDIR, so the read must be learned. */
	char dir[] = "/tmp/polc-unit-learn.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *pol = arena_printf(&ctx->arena, "%s/mine.pol", dir);
	char *data = arena_printf(&ctx->arena, "%s/data", dir);
	const char *before = "# mine\n"
			     "profile mine extends default {\n"
			     "    exclude system_write;\n"
			     "}\n";
	spit(pol, before);
	spit(data, "x\n");

	learn_merge(pol, dir, data);
	char *once = slurp(pol);
	/* The old text stays as it was; the new rule comes before '}'. */
	ck_assert_msg(!strncmp(once, before, strlen(before) - 2), "%s", once);
	const char *rule = "    allow read file $WORKDIR/data;\n}\n";
	ck_assert_msg(strstr(once, rule) && !strcmp(strstr(once, rule), rule),
		      "%s", once);
	/* Re-running adds nothing. */
	learn_merge(pol, dir, data);
	char *twice = slurp(pol);
	ck_assert_str_eq(once, twice);
	free(once);
	free(twice);
	unlink(pol);
	unlink(data);
	rmdir(dir);
}
END_TEST

Suite *suite_learn(void)
{
	Suite *s = suite_create("learn");
	TCase *tc = tcase_create("lower");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_base_allows_are_dropped);
	tcase_add_test(tc, test_required_deny_is_refused);
	tcase_add_test(tc, test_other_deny_is_overridden_exactly);
	tcase_add_test(tc, test_collapse_at_n);
	tcase_add_test(tc, test_never_collapse_to_home_or_required_deny);
	tcase_add_test(tc, test_collapse_is_bottom_up);
	tcase_add_test(tc, test_created_paths_move_to_existing_parent);
	tcase_add_test(tc, test_absorbed_and_directories);
	tcase_add_test(tc, test_spell_path);
	tcase_add_test(tc, test_network);
	tcase_add_test(tc, test_syscalls);
	tcase_add_test(tc, test_printed_profile_is_canonical);
	tcase_add_test(tc, test_merge);
	suite_add_tcase(s, tc);
	return s;
}
