/*
 * test_run.c - polc_run() fails closed: out of memory at any allocation
 * before the sandbox, nothing runs and an error says so; a path turned into
 * a symbolic link between materialising and applying moves no grant; a
 * directory turned into a file gets file rights; a denied name looked up
 * after materialising read its directory is still denied.
 *
 * The arena's fault injection (fail_after) makes allocation N fail, for
 * every N from the first allocation of polc_run() to the last one before
 * it enters the sandbox, on a fixture HOME and workdir: each time
 * polc_run() must return -1 with *status -1 (nothing started) and an
 * error queued, and the command, which would leave a mark, must not have
 * run.  Past the last allocation the run succeeds and leaves the mark,
 * which shows that the loop got that far.  Each run is in a child
 * process: polc_run() leaves its caller in the sandbox.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/landlock/landlock.h"
#include "helpers.h"
#include "lib/lib.h"
#include "suites.h"

struct fixture {
	const char *tmp;
	char root[64];
	char home[128];
	char work[128];
	char mark[160];
};

static void make_fixture(struct fixture *f)
{
	const char *tmp = getenv("TMPDIR");

	f->tmp = tmp && *tmp ? tmp : "/tmp";
	snprintf(f->root, sizeof(f->root), "%s/polc-oom.XXXXXX", f->tmp);
	ck_assert_ptr_nonnull(mkdtemp(f->root));
	snprintf(f->home, sizeof(f->home), "%s/home", f->root);
	snprintf(f->work, sizeof(f->work), "%s/work", f->root);
	snprintf(f->mark, sizeof(f->mark), "%s/ran", f->work);
	ck_assert_int_eq(mkdir(f->home, 0700), 0);
	ck_assert_int_eq(mkdir(f->work, 0700), 0);
}

static void remove_fixture(const struct fixture *f)
{
	rmdir(f->home);
	unlink(f->mark);
	rmdir(f->work);
	rmdir(f->root);
}

/* What one polc_run() in a child process came to. */
struct outcome {
	int rc, status;
	bool failed; /* the injected failure was reached */
	bool silent; /* ... and no error was queued */
};

/*
 * polc_run() of @profile with allocation @n (1-based, counted from the
 * start of polc_run(); 0: none) failing, in a child process: polc_run()
 * leaves its caller in the sandbox it made, as the supervisor.
 */
static struct outcome run_failing_at(const struct fixture *f,
				     const char *profile, size_t n)
{
	struct outcome out = { .rc = -2 };
	int pipefd[2];

	ck_assert_int_eq(pipe(pipefd), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		char *argv[] = { "/bin/sh", "-c", "touch \"$0\"",
				 (char *)f->mark, NULL };
		struct polc_run_options o = { .profile = profile,
					      .argv = argv };
		polc_ctx *ctx = polc_ctx_new();
		char uid[16];

		close(pipefd[0]);
		snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
		if (!ctx || polc_set_variable(ctx, "HOME", f->home) ||
		    polc_set_variable(ctx, "WORKDIR", f->work) ||
		    polc_set_variable(ctx, "TMPDIR", f->tmp) ||
		    polc_set_variable(ctx, "UID", uid) ||
		    polc_set_variable(ctx, "USER", "polc"))
			_exit(1);
		if (n)
			ctx->arena.fail_after = ctx->arena.count + n;
		out.rc = polc_run(ctx, &o, &out.status);
		out.failed = arena_failed(&ctx->arena);
		out.silent = out.failed && polc_error_count(ctx) == 0;
		polc_ctx_free(ctx);
		_exit(write(pipefd[1], &out, sizeof(out)) == sizeof(out) ? 0
									 : 1);
	}
	close(pipefd[1]);
	ssize_t got = read(pipefd[0], &out, sizeof(out));
	close(pipefd[0]);
	int wstatus;
	ck_assert_int_eq(waitpid(child, &wstatus, 0), child);
	ck_assert_msg(got == sizeof(out) && WIFEXITED(wstatus) &&
			      WEXITSTATUS(wstatus) == 0,
		      "%s: allocation %zu: the child did not report", profile,
		      n);
	ck_assert_msg(!out.silent, "%s: allocation %zu failed without an error",
		      profile, n);
	return out;
}

static void check_every_allocation(const char *profile)
{
	struct fixture f;
	struct outcome out;
	size_t n;

	make_fixture(&f);
	for (n = 1;; n++) {
		out = run_failing_at(&f, profile, n);
		if (!out.failed)
			break;
		ck_assert_msg(out.rc == -1 && out.status == -1,
			      "%s: allocation %zu failed, yet polc_run "
			      "returned %d with status %d",
			      profile, n, out.rc, out.status);
		ck_assert_msg(access(f.mark, F_OK) != 0,
			      "%s: allocation %zu failed, yet the command ran",
			      profile, n);
	}
	/* Past the last allocation: the command ran, under the sandbox. */
	ck_assert_msg(out.status == 0 && access(f.mark, F_OK) == 0,
		      "%s: the run without a failure did not run the command "
		      "(status %d)",
		      profile, out.status);
	ck_assert_msg(n > 100, "%s: only %zu allocations before the sandbox",
		      profile, n);
	remove_fixture(&f);
}

START_TEST(test_out_of_memory_default)
{
	check_every_allocation("default");
}
END_TEST

START_TEST(test_out_of_memory_claude_code)
{
	check_every_allocation("claude-code");
}
END_TEST

/*
 * Write @text to the file @pol, resolve its one profile, lower it for this
 * kernel and materialise it, in @ctx.
 */
static const struct ll_ruleset *materialize_text(polc_ctx *ctx, const char *pol,
						 const char *text)
{
	FILE *out = fopen(pol, "w");
	const struct ll_plan *plan;
	const struct ll_ruleset *rs;
	unsigned abi = ll_probe_abi();

	ck_assert_ptr_nonnull(out);
	fputs(text, out);
	fclose(out);
	const struct ir_policy *p = lib_resolve(ctx, pol, false);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(ll_lower(ctx, p, abi > LL_ABI_MAX ? LL_ABI_MAX : abi,
				  false, &plan),
			 0);
	ck_assert_int_eq(ll_materialize(ctx, plan, true, &rs), 0);
	return rs;
}

/*
 * Open @path for reading in a child process under @rs: 0 when it opens,
 * else the errno, or -1 when ll_apply() failed.
 */
static int open_sandboxed(const struct ll_ruleset *rs, const char *path)
{
	pid_t child = fork();
	int wstatus;

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		char err[256];

		if (ll_apply(rs, err, sizeof(err)) != 0)
			_exit(255);
		_exit(open(path, O_RDONLY) >= 0 ? 0
		      : errno < 255		? errno
						: 254);
	}
	ck_assert_int_eq(waitpid(child, &wstatus, 0), child);
	ck_assert(WIFEXITED(wstatus));
	return WEXITSTATUS(wstatus) == 255 ? -1 : WEXITSTATUS(wstatus);
}

/* What open_sandboxed() answered, in words. */
static const char *outcome_text(int got)
{
	return got == 0	 ? "readable"
	       : got < 0 ? "ll_apply failed"
			 : strerror(got);
}

/* Under @rs, @path must open (@want 0) or fail with @want; @what names it. */
static void assert_opens(const struct ll_ruleset *rs, const char *path,
			 int want, const char *what)
{
	int got = open_sandboxed(rs, path);

	ck_assert_msg(got == want, "%s: %s", what, outcome_text(got));
}

/*
 * The window between the carve (in polc run's parent) and the rules (in
 * the child, which opens each path again): an entry the carve listed,
 * replaced by a symbolic link to the denied directory beside it, must
 * not carry its grant there.  The child opens such entries without
 * following a final link, so the entry loses its rule instead.
 */
START_TEST(test_entry_swapped_for_a_link_moves_no_grant)
{
	struct fixture f;
	char pol[256], text[512], path[256], moved[256];

	if (!ll_probe_abi())
		return; /* no Landlock: tests/enforce says so */
	make_fixture(&f);
	/* work/secret is denied, work/pub (a carved entry) is allowed. */
	snprintf(path, sizeof(path), "%s/secret", f.work);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/secret/key", f.work);
	FILE *key = fopen(path, "w");
	ck_assert_ptr_nonnull(key);
	fputs("SECRET\n", key);
	fclose(key);
	snprintf(path, sizeof(path), "%s/pub", f.work);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(pol, sizeof(pol), "%s/swap.pol", f.root);
	snprintf(text, sizeof(text),
		 "profile swap {\n    allow all %s;\n    deny %s/secret;\n}\n",
		 f.work, f.work);

	polc_ctx *ctx = polc_ctx_new();
	const struct ll_ruleset *rs = materialize_text(ctx, pol, text);
	/* The swap: pub becomes a link to secret. */
	snprintf(moved, sizeof(moved), "%s/pub-was", f.root);
	ck_assert_int_eq(rename(path, moved), 0);
	snprintf(text, sizeof(text), "%s/secret", f.work);
	ck_assert_int_eq(symlink(text, path), 0);

	snprintf(text, sizeof(text), "%s/pub/key", f.work);
	assert_opens(rs, text, EACCES, "the secret through the swapped entry");
	polc_ctx_free(ctx);
	unlink(path);
	rmdir(moved);
	snprintf(path, sizeof(path), "%s/secret/key", f.work);
	unlink(path);
	snprintf(path, sizeof(path), "%s/secret", f.work);
	rmdir(path);
	unlink(pol);
	remove_fixture(&f);
}
END_TEST

/*
 * A directory that a rule names, replaced by a file between the carve and
 * the rules: the kernel refuses directory rights on a file, and ll_apply()
 * must then grant the file its file rights rather than fail.
 */
START_TEST(test_directory_become_file_gets_file_rights)
{
	struct fixture f;
	char pol[256], text[512], path[256];

	if (!ll_probe_abi())
		return; /* no Landlock: tests/enforce says so */
	make_fixture(&f);
	snprintf(path, sizeof(path), "%s/d", f.work);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(pol, sizeof(pol), "%s/become.pol", f.root);
	snprintf(text, sizeof(text), "profile become {\n    allow all %s;\n}\n",
		 path);

	polc_ctx *ctx = polc_ctx_new();
	const struct ll_ruleset *rs = materialize_text(ctx, pol, text);
	ck_assert_int_eq(rmdir(path), 0);
	FILE *out = fopen(path, "w");
	ck_assert_ptr_nonnull(out);
	fputs("now a file\n", out);
	fclose(out);

	assert_opens(rs, path, 0, "the directory become a file");
	polc_ctx_free(ctx);
	unlink(path);
	unlink(pol);
	remove_fixture(&f);
}
END_TEST

/*
 * Many denied names missing from one directory make materialising read
 * the directory instead of looking each name up; a denied name that does
 * exist there, looked up after the reading, must still be denied, and
 * its allowed sibling still allowed.  The directory is read-only: a deny
 * on a name that is missing there, and cannot appear, is dropped, so a
 * name the reading wrongly found missing would be readable.
 */
START_TEST(test_names_read_from_a_directory_keep_their_denies)
{
	struct fixture f;
	char pol[256], text[4096], path[256];
	int at;

	if (!ll_probe_abi())
		return; /* no Landlock: tests/enforce says so */
	make_fixture(&f);
	/* work/zz-secret/key and work/pub/key exist; work/a00…a29 do not. */
	const char *const dirs[] = { "zz-secret", "pub" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", f.work, dirs[i]);
		ck_assert_int_eq(mkdir(path, 0700), 0);
		snprintf(path, sizeof(path), "%s/%s/key", f.work, dirs[i]);
		FILE *key = fopen(path, "w");
		ck_assert_ptr_nonnull(key);
		fclose(key);
	}
	snprintf(pol, sizeof(pol), "%s/names.pol", f.root);
	at = snprintf(text, sizeof(text),
		      "profile names {\n    allow read %s;\n", f.work);
	for (int i = 0; i < 30; i++)
		at += snprintf(text + at, sizeof(text) - (size_t)at,
			       "    deny %s/a%02d;\n", f.work, i);
	snprintf(text + at, sizeof(text) - (size_t)at,
		 "    deny %s/zz-secret;\n}\n", f.work);

	polc_ctx *ctx = polc_ctx_new();
	const struct ll_ruleset *rs = materialize_text(ctx, pol, text);
	snprintf(path, sizeof(path), "%s/zz-secret/key", f.work);
	assert_opens(rs, path, EACCES, "the denied name after the reading");
	unlink(path);
	snprintf(path, sizeof(path), "%s/pub/key", f.work);
	assert_opens(rs, path, 0, "its allowed sibling");
	unlink(path);
	polc_ctx_free(ctx);
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", f.work, dirs[i]);
		rmdir(path);
	}
	unlink(pol);
	remove_fixture(&f);
}
END_TEST

Suite *suite_run(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("run");

	/* One polc_run() per allocation: a few thousand runs. */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_out_of_memory_default);
	tcase_add_test(tc, test_out_of_memory_claude_code);
	tcase_add_test(tc, test_entry_swapped_for_a_link_moves_no_grant);
	tcase_add_test(tc, test_directory_become_file_gets_file_rights);
	tcase_add_test(tc, test_names_read_from_a_directory_keep_their_denies);
	suite_add_tcase(s, tc);
	return s;
}
