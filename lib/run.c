/*
 * run.c - polc build and polc run: the public API over the backends.
 *
 * polc run materialises the Landlock ruleset and lowers the seccomp
 * program just before it forks (the carve reads the filesystem as it is
 * when the command starts); the child takes the environment the policy
 * allows, applies the ruleset, closes every inherited descriptor above 2,
 * loads the seccomp program and executes the command.  A pipe that
 * closes on exec tells the parent whether the child got that far: bytes on
 * it are an error message, and the child never runs the command after
 * writing them.
 */
#include "polc.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/landlock/landlock.h"
#include "backends/seccomp/seccomp.h"
#include "common/ctx.h"
#include "common/diag.h"
#include "ir/ir.h"
#include "lib/lib.h"

extern char **environ;

static int lower_landlock(struct polc_ctx *ctx, const struct ir_policy *p,
			  const struct polc_target_options *opts,
			  const struct ll_plan **plan)
{
	unsigned abi = opts->abi;

	if (!abi) {
		abi = ll_probe_abi();
		if (!abi) {
			diag_subject(ctx, DIAG_ERROR, "landlock",
				     "this kernel has no Landlock (it is not "
				     "built in, or not enabled with lsm=); "
				     "give --abi N to build for another");
			return -1;
		}
		if (abi > LL_ABI_MAX)
			abi = LL_ABI_MAX;
	}
	return ll_lower(ctx, p, abi, opts->best_effort, plan);
}

static int build_seccomp(struct polc_ctx *ctx, const char *profile,
			 const struct polc_target_options *opts, FILE *out)
{
	const struct ir_policy *p;
	const struct sc_program *prog;
	uint32_t arch = sc_native_arch();

	if (opts->json && opts->raw) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "--json and --raw are two outputs: give one");
		return -1;
	}
	if (opts->materialize || opts->abi || opts->best_effort) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "--materialize, --abi and --best-effort are for "
			     "--target landlock");
		return -1;
	}
	if (opts->arch && sc_arch_named(opts->arch, &arch) != 0) {
		diag_subject(ctx, DIAG_ERROR, opts->arch,
			     "unknown architecture (this version builds "
			     "'x86_64' and 'aarch64')");
		return -1;
	}
	p = lib_resolve(ctx, profile, false);
	if (p && opts->json)
		return sc_export_oci(ctx, p, arch, out);
	if (!p || sc_lower(ctx, p, arch, &prog) != 0)
		return -1;
	if (!opts->raw) {
		sc_print_listing(prog, out);
		return 0;
	}
	if (fwrite(prog->insns, sizeof(*prog->insns), prog->len, out) !=
	    prog->len) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "cannot write the program");
		return -1;
	}
	return 0;
}

int polc_build(polc_ctx *ctx, const char *profile, const char *target,
	       const struct polc_target_options *opts, FILE *out)
{
	const struct ir_policy *p;
	const struct ll_plan *plan;
	const struct ll_ruleset *rs;

	if (!strcmp(target, "seccomp"))
		return build_seccomp(ctx, profile, opts, out);
	if (strcmp(target, "landlock") != 0) {
		diag_subject(ctx, DIAG_ERROR, target,
			     "unknown target (this version builds "
			     "'landlock' and 'seccomp')");
		return -1;
	}
	if (opts->raw || opts->arch) {
		diag_subject(ctx, DIAG_ERROR, "landlock",
			     "--raw and --arch are for --target seccomp");
		return -1;
	}
	p = lib_resolve(ctx, profile, false);
	if (!p || lower_landlock(ctx, p, opts, &plan) != 0)
		return -1;
	if (!opts->materialize) {
		ll_print_plan(ctx, plan, opts->json, out);
		return 0;
	}
	if (ll_materialize(ctx, plan, &rs) != 0)
		return -1;
	ll_print_ruleset(ctx, rs, opts->json, out);
	return 0;
}

/* ---- the environment ------------------------------------------------------
 */

/* environ filtered by the policy, plus its env set values. */
static char **child_environment(struct polc_ctx *ctx, const struct ir_policy *p)
{
	size_t n = 0, k = 0;

	while (environ[n])
		n++;
	char **env = arena_alloc(&ctx->arena, (n + p->nenv + 1) * sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		const struct ir_env_rule *why;

		if (!eq)
			continue;
		const char *name = arena_strndup(&ctx->arena, environ[i],
						 (size_t)(eq - environ[i]));
		if (ir_decide_env(p, IR_LINUX, name, &why) == IR_ALLOW)
			env[k++] = environ[i];
	}
	for (size_t i = 0; i < p->nenv; i++) {
		const struct ir_env_rule *r = &p->env[i];

		if (r->kind == IR_ENV_SET && (r->platforms & IR_LINUX))
			env[k++] = arena_printf(&ctx->arena, "%s=%s",
						r->pattern, r->value);
	}
	env[k] = NULL;
	return env;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * What child_environment() does with each variable of environ, sorted by
 * name, and the rule that decided it; values only for env set, never for
 * what is passed (they are the secrets this is about).
 */
static void print_environment(struct polc_ctx *ctx, const struct ir_policy *p,
			      FILE *out)
{
	size_t total = 0, n = 0, width = 0;

	while (environ[total])
		total++;
	const char **names =
		arena_alloc(&ctx->arena, (total + 1) * sizeof(*names));
	if (!names)
		return;
	for (size_t i = 0; i < total; i++) {
		const char *eq = strchr(environ[i], '=');

		if (!eq) /* never passed: not a variable */
			continue;
		names[n] = arena_strndup(&ctx->arena, environ[i],
					 (size_t)(eq - environ[i]));
		if (strlen(names[n]) > width)
			width = strlen(names[n]);
		n++;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	fprintf(out, "environment (names only):\n");
	for (size_t i = 0; i < n; i++) {
		const struct ir_env_rule *why;
		enum ir_verdict v = ir_decide_env(p, IR_LINUX, names[i], &why);
		const char *verb = v == IR_ALLOW		    ? "pass"
				   : why && why->kind == IR_ENV_SET ? "set"
								    : "drop";

		fprintf(out, "    %-4s  %-*s  %s\n", verb, (int)width, names[i],
			why ? lib_env_rule(ctx, why)
			    : "no rule passes it: not passed by default");
	}
	/* The variables the policy sets and environ lacks. */
	for (size_t i = 0; i < p->nenv; i++) {
		const struct ir_env_rule *r = &p->env[i];

		if (r->kind != IR_ENV_SET || !(r->platforms & IR_LINUX) ||
		    getenv(r->pattern))
			continue;
		fprintf(out, "    set   %-*s  %s\n", (int)width, r->pattern,
			lib_env_rule(ctx, r));
	}
}

/* ---- the child ------------------------------------------------------------
 */

/* What the child tells the parent before exiting without running. */
enum child_failure {
	CHILD_SANDBOX = 's',
	CHILD_EXEC = 'e',
};

static void child_fail(int fd, enum child_failure kind, int err,
		       const char *msg)
{
	char buf[600];
	int n = snprintf(buf, sizeof(buf), "%c%d:%s", kind, err, msg);

	if (n > 0 && write(fd, buf, (size_t)n) < 0)
		_exit(POLC_RUN_SANDBOX_FAILED);
	_exit(kind == CHILD_EXEC ? (err == ENOENT ? POLC_RUN_NOT_FOUND
						  : POLC_RUN_CANNOT_EXECUTE)
				 : POLC_RUN_SANDBOX_FAILED);
}

/*
 * Take CAP_PERFMON and CAP_SYS_ADMIN from a privileged command.  Either
 * makes perfmon_capable() true, and mm_access() then grants it the
 * environ, maps and auxv of every process of the host without the ptrace
 * check that Landlock answers (Linux 6.x): a command run as root would
 * read the secrets in the environment of polc and of the shell above it.
 * Cleared from the permitted set they stay cleared across execve, as
 * no_new_privs (set with the ruleset) keeps root's execve from granting
 * more than the permitted set.  Nothing to do for an unprivileged user.
 */
static int drop_admin_capabilities(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	static const int dropped[] = { CAP_PERFMON, CAP_SYS_ADMIN };
	bool held = false;

	if (syscall(SYS_capget, &hdr, data) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(dropped) / sizeof(*dropped); i++) {
		uint32_t bit = 1u << (dropped[i] % 32);
		struct __user_cap_data_struct *d = &data[dropped[i] / 32];

		held |= ((d->permitted | d->effective | d->inheritable) & bit);
		d->permitted &= ~bit;
		d->effective &= ~bit;
		d->inheritable &= ~bit;
	}
	return held ? (int)syscall(SYS_capset, &hdr, data) : 0;
}

static void run_child(const struct ll_ruleset *rs,
		      const struct sc_program *filter, char *const *argv,
		      char **env, const char *workdir, int report,
		      const sigset_t *saved_mask)
{
	char err[512];

	/* The command starts with the signal mask polc started with. */
	sigprocmask(SIG_SETMASK, saved_mask, NULL);
	if (workdir && chdir(workdir) != 0)
		child_fail(report, CHILD_SANDBOX, errno,
			   "cannot enter the workdir");
	if (ll_apply(rs, err, sizeof(err)) != 0)
		child_fail(report, CHILD_SANDBOX, errno, err);
	/* After the mounts of ll_apply(), which need CAP_SYS_ADMIN. */
	if (drop_admin_capabilities() != 0)
		child_fail(report, CHILD_SANDBOX, errno,
			   "cannot drop CAP_PERFMON and CAP_SYS_ADMIN");
	/* Inherited descriptors could reach what the sandbox denies. */
	if ((report > 3 && close_range(3, (unsigned)report - 1, 0) != 0) ||
	    close_range((unsigned)report + 1, ~0u, 0) != 0)
		child_fail(report, CHILD_SANDBOX, errno,
			   "cannot close inherited descriptors");
	/* Last: the hardening baseline denies what the steps above use. */
	if (sc_apply(filter, err, sizeof(err)) != 0)
		child_fail(report, CHILD_SANDBOX, errno, err);
	execvpe(argv[0], argv, env);
	child_fail(report, CHILD_EXEC, errno, argv[0]);
}

/* ---- the parent -----------------------------------------------------------
 */

/* Signals the parent passes on to the command rather than acting on. */
static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/*
 * Wait for the child, passing forwarded signals on to it.  The signals are
 * blocked and taken with sigwaitinfo(), so no handler and no global state
 * is needed.  Returns the child's wait status.
 */
static int wait_child(pid_t child, const sigset_t *waited)
{
	int wstatus;

	for (;;) {
		siginfo_t info;
		pid_t r = waitpid(child, &wstatus, WNOHANG);

		if (r == child)
			return wstatus;
		if (r < 0 && errno != EINTR)
			return -1;
		if (sigwaitinfo(waited, &info) < 0)
			continue;
		if (info.si_signo != SIGCHLD)
			kill(child, info.si_signo);
	}
}

/* Read what the child said before exec, if anything. */
static void read_failure(struct polc_ctx *ctx, int fd, const char *command,
			 int *status)
{
	char buf[640];
	ssize_t n;

	do
		n = read(fd, buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return;
	buf[n] = '\0';
	char *msg = strchr(buf, ':');
	int err = atoi(buf + 1);
	msg = msg ? msg + 1 : buf;
	if (buf[0] == CHILD_EXEC) {
		diag_subject(ctx, DIAG_ERROR, command, "cannot run it: %s",
			     strerror(err));
		*status = err == ENOENT ? POLC_RUN_NOT_FOUND
					: POLC_RUN_CANNOT_EXECUTE;
	} else {
		diag_subject(ctx, DIAG_ERROR, "sandbox",
			     "not started, nothing ran: %s", msg);
		*status = POLC_RUN_SANDBOX_FAILED;
	}
}

int polc_run(polc_ctx *ctx, const struct polc_run_options *opts, int *status)
{
	const struct ir_policy *p;
	const struct ll_plan *plan;
	const struct ll_ruleset *rs;
	const struct sc_program *filter;
	int pipefd[2];
	sigset_t waited, saved;

	*status = -1; /* nothing ran */
	if (!opts->argv || !opts->argv[0]) {
		diag_subject(ctx, DIAG_ERROR, "run", "no command to run");
		return -1;
	}
	/* Without Landlock there is no sandbox to set up: say it first. */
	if (!opts->target.abi && !ll_probe_abi()) {
		diag_subject(ctx, DIAG_ERROR, "landlock",
			     "this kernel has no Landlock (it is not built in, "
			     "or not enabled with lsm=): nothing ran");
		*status = POLC_RUN_SANDBOX_FAILED;
		return -1;
	}
	unsigned errors_before = ctx->nerrors;
	p = lib_resolve(ctx, opts->profile, false);
	if (!p || lower_landlock(ctx, p, &opts->target, &plan) != 0 ||
	    ll_materialize(ctx, plan, &rs) != 0 ||
	    sc_lower(ctx, p, sc_native_arch(), &filter) != 0) {
		/* A stage stopped by out of memory may not have said so. */
		if (ctx->nerrors == errors_before && arena_failed(&ctx->arena))
			diag_subject(ctx, DIAG_ERROR, "run",
				     "out of memory: nothing ran");
		return -1;
	}
	if (filter->notifies) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "'syscall notify' needs a supervisor to answer "
			     "the calls, which polc run does not provide yet");
		return -1;
	}
	if (opts->dry_run) {
		ll_print_ruleset(ctx, rs, opts->target.json, stdout);
		if (!opts->target.json && filter->needed) {
			putchar('\n');
			sc_print_listing(filter, stdout);
		}
		if (!opts->target.json) {
			putchar('\n');
			print_environment(ctx, p, stdout);
		}
		*status = 0;
		return 0;
	}
	char **env = child_environment(ctx, p);
	if (!env || arena_failed(&ctx->arena)) {
		diag_subject(ctx, DIAG_ERROR, "run", "out of memory");
		return -1;
	}
	if (opts->before_exec)
		opts->before_exec(ctx, opts->arg);
	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		diag_subject(ctx, DIAG_ERROR, "run", "cannot make a pipe: %s",
			     strerror(errno));
		return -1;
	}
	/* The child closes everything above 2 but the pipe: keep it there. */
	for (int i = 0; i < 2; i++) {
		if (pipefd[i] > 2)
			continue;
		int moved = fcntl(pipefd[i], F_DUPFD_CLOEXEC, 3);
		close(pipefd[i]);
		pipefd[i] = moved;
	}
	if (pipefd[0] < 0 || pipefd[1] < 0) {
		diag_subject(ctx, DIAG_ERROR, "run", "cannot make a pipe: %s",
			     strerror(errno));
		return -1;
	}
	sigemptyset(&waited);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(*forwarded); i++)
		sigaddset(&waited, forwarded[i]);
	sigaddset(&waited, SIGCHLD);
	sigprocmask(SIG_BLOCK, &waited, &saved);
	fflush(NULL);
	pid_t child = fork();
	if (child == 0)
		run_child(rs, filter, opts->argv, env,
			  ctx->variables[IR_VAR_WORKDIR], pipefd[1], &saved);
	close(pipefd[1]);
	if (child < 0) {
		close(pipefd[0]);
		sigprocmask(SIG_SETMASK, &saved, NULL);
		diag_subject(ctx, DIAG_ERROR, "run", "cannot fork: %s",
			     strerror(errno));
		return -1;
	}
	int wstatus = wait_child(child, &waited);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	*status = WIFEXITED(wstatus)	 ? WEXITSTATUS(wstatus)
		  : WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus)
					 : POLC_RUN_SANDBOX_FAILED;
	int before = ctx->nerrors;
	read_failure(ctx, pipefd[0], opts->argv[0], status);
	close(pipefd[0]);
	return (int)ctx->nerrors > before ? -1 : 0;
}
