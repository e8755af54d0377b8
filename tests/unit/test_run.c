/*
 * test_run.c - polc_run() fails closed: out of memory at any allocation
 * before the fork, nothing runs and an error says so.
 *
 * The arena's fault injection (fail_after) makes allocation N fail, for
 * every N from the first allocation of polc_run() to the last one before
 * the fork, on a fixture HOME and workdir: each time polc_run() must
 * return -1 with *status -1 (nothing started) and an error queued, and
 * the command, which would leave a mark, must not have run.  Past the
 * last allocation the run succeeds and leaves the mark, which shows that
 * the loop reached the fork.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
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

/*
 * polc_run() of @profile with allocation @n (1-based, counted from the
 * start of polc_run(); 0: none) failing.  Returns polc_run()'s result;
 * *failed tells whether the injected failure was reached.
 */
static int run_failing_at(const struct fixture *f, const char *profile,
			  size_t n, int *status, bool *failed)
{
	char *argv[] = { "/bin/sh", "-c", "touch \"$0\"", (char *)f->mark,
			 NULL };
	struct polc_run_options o = { .profile = profile, .argv = argv };
	polc_ctx *ctx = polc_ctx_new();
	char uid[16];

	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(polc_set_variable(ctx, "HOME", f->home), 0);
	ck_assert_int_eq(polc_set_variable(ctx, "WORKDIR", f->work), 0);
	ck_assert_int_eq(polc_set_variable(ctx, "TMPDIR", f->tmp), 0);
	ck_assert_int_eq(polc_set_variable(ctx, "UID", uid), 0);
	ck_assert_int_eq(polc_set_variable(ctx, "USER", "polc"), 0);
	if (n)
		ctx->arena.fail_after = ctx->arena.count + n;
	int rc = polc_run(ctx, &o, status);
	*failed = arena_failed(&ctx->arena);
	if (*failed)
		ck_assert_msg(polc_error_count(ctx) > 0,
			      "%s: allocation %zu failed without an error",
			      profile, n);
	polc_ctx_free(ctx);
	return rc;
}

static void check_every_allocation(const char *profile)
{
	struct fixture f;
	int status;
	bool failed;
	size_t n;

	make_fixture(&f);
	for (n = 1;; n++) {
		int rc = run_failing_at(&f, profile, n, &status, &failed);

		if (!failed)
			break;
		ck_assert_msg(rc == -1 && status == -1,
			      "%s: allocation %zu failed, yet polc_run "
			      "returned %d with status %d",
			      profile, n, rc, status);
		ck_assert_msg(access(f.mark, F_OK) != 0,
			      "%s: allocation %zu failed, yet the command ran",
			      profile, n);
	}
	/* Past the last allocation: the command ran, under the sandbox. */
	ck_assert_msg(status == 0 && access(f.mark, F_OK) == 0,
		      "%s: the run without a failure did not run the command "
		      "(status %d)",
		      profile, status);
	ck_assert_msg(n > 100, "%s: only %zu allocations before the fork",
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

Suite *suite_run(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("run");

	/* One polc_run() per allocation: a few thousand runs. */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_out_of_memory_default);
	tcase_add_test(tc, test_out_of_memory_claude_code);
	suite_add_tcase(s, tc);
	return s;
}
