/*
 * run.c - polc build and polc run: the public API over the backends.
 *
 * polc run materialises the Landlock ruleset and lowers the seccomp
 * program just before the command starts (the carve reads the filesystem
 * as it is then).  polc itself then becomes the supervisor: it applies
 * the ruleset to itself and starts the command, which shares its Landlock
 * domain: the command marks every inherited descriptor above 2 to close on
 * exec, loads the seccomp program with connect(2) sent to the supervisor
 * (mediate.h) and executes with the environment the policy allows, while
 * the supervisor answers its connect(2) calls and waits for its exit
 * status.  Until it executes, the command shares the supervisor's memory
 * and descriptors: the listener it gets from the kernel is the
 * supervisor's at once, and a failure before exec is written where the
 * supervisor reads it.  No process stays outside the sandbox to wait:
 * that would cost a fork and an exit at every start.
 */
#include "polc.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/landlock/landlock.h"
#include "backends/seatbelt/seatbelt.h"
#include "backends/seccomp/seccomp.h"
#include "common/ctx.h"
#include "common/diag.h"
#include "ir/ir.h"
#include "ir/vars.h"
#include "lib/lib.h"
#include "lib/mediate.h"

extern char **environ;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POLC_LEAK_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define POLC_LEAK_SANITIZER 1
#endif
#ifdef POLC_LEAK_SANITIZER
#include <sanitizer/lsan_interface.h>
#endif

/*
 * LeakSanitizer's check at exit lists /proc/self/task and stops the
 * threads with ptrace, which the sandbox polc is about to enter may
 * refuse (a profile without /proc): in a sanitizer build, check now,
 * while everything polc allocated is still reachable from its context.
 * The supervisor's own allocations after this go unchecked.
 */
static void check_leaks_before_sandbox(void)
{
#ifdef POLC_LEAK_SANITIZER
	__lsan_do_leak_check();
#endif
}

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

/* @path with each placeholder replaced by its parameter's value. */
static const char *substitute(struct polc_ctx *ctx, const char *path,
			      const struct sb_param *params, size_t n)
{
	static const char marks[] = { SB_MARK_ABS, SB_MARK, '\0' };
	const char *out = "";

	while (*path) {
		size_t lit = strcspn(path, marks);
		const char *end;

		/* An absolute placeholder is "/" MARK_ABS: drop the "/". */
		size_t keep = lit && path[lit] == SB_MARK_ABS ? lit - 1 : lit;
		out = arena_printf(&ctx->arena, "%s%.*s", out, (int)keep, path);
		path += lit;
		if (!*path || !(end = strchr(path, SB_END)))
			break;
		for (size_t i = 0; i < n; i++)
			if (strlen(params[i].name) ==
				    (size_t)(end - path - 1) &&
			    !strncmp(params[i].name, path + 1,
				     (size_t)(end - path - 1)))
				out = arena_printf(&ctx->arena, "%s%s", out,
						   params[i].value);
		path = end + 1;
	}
	return vars_normalise(ctx, out);
}

/*
 * Whether @r of the parameter policy has a twin in @lit, the policy
 * resolved with the values: the same rule on the path the values give.
 */
static bool keeps_meaning(struct polc_ctx *ctx, const struct ir_policy *lit,
			  const struct ir_path_rule *r,
			  const struct sb_param *params, size_t n)
{
	const char *path = substitute(ctx, r->path, params, n);
	size_t first, k = ir_rules_on(lit, path, &first);

	for (size_t i = first; i < first + k; i++) {
		const struct ir_path_rule *t = &lit->paths[i];

		if (t->verdict == r->verdict && t->override == r->override &&
		    t->file == r->file && t->modes == r->modes &&
		    t->platforms == r->platforms &&
		    t->origin.loc.start == r->origin.loc.start &&
		    t->origin.loc.file == r->origin.loc.file)
			return true;
	}
	return false;
}

/*
 * A parameter profile must say, with the values polc was given, what the
 * literal one says: a path that loses its variable ("$HOME/..") would hold
 * for those values only.  Checked rule by rule against the policy resolved
 * with the values.
 */
static int check_parameters(struct polc_ctx *ctx, const char *profile,
			    const struct ir_policy *sym,
			    const char *const *literal,
			    const struct sb_param *params, size_t n)
{
	const struct ir_policy *lit = lib_resolve_with(ctx, profile, literal);
	int rc = 0;

	if (!lit)
		return -1;
	for (size_t i = 0; i < sym->npaths; i++) {
		const struct ir_path_rule *r = &sym->paths[i];

		if (!(r->platforms & IR_MACOS))
			continue;
		/* Where ".." after a variable leads depends on its value. */
		if (strchr(r->raw, '$') &&
		    (strstr(r->raw, "/..") || strstr(r->raw, "../"))) {
			diag_at(ctx, DIAG_ERROR, r->origin.loc,
				"with --sbpl-params a '..' after a variable "
				"means a different path for each value");
			rc = -1;
			continue;
		}
		if (keeps_meaning(ctx, lit, r, params, n))
			continue;
		diag_at(ctx, DIAG_ERROR, r->origin.loc,
			"with --sbpl-params this path would not follow its "
			"variables (a '..' in a variable's value?): the "
			"profile would name '%s'",
			substitute(ctx, r->path, params, n));
		rc = -1;
	}
	return rc;
}

/*
 * @value as macOS names it: /etc, /tmp and /var are symbolic links into
 * /private there, and Seatbelt matches the resolved path, so a workdir
 * given as /tmp/w is /private/tmp/w to the sandbox (a Mac's getcwd() says
 * so already; a profile built elsewhere must say it too).
 */
static const char *macos_path(struct polc_ctx *ctx, const char *value)
{
	static const char *const links[] = { "/etc", "/tmp", "/var" };

	for (size_t i = 0; i < sizeof(links) / sizeof(*links); i++) {
		size_t n = strlen(links[i]);

		if (!strncmp(value, links[i], n) &&
		    (value[n] == '\0' || value[n] == '/'))
			return arena_printf(&ctx->arena, "/private%s", value);
	}
	return value;
}

/*
 * Resolve PROFILE for Seatbelt and lower it.  With @params, the built-ins
 * that have values are resolved as placeholders, which the emitter prints
 * as (param "NAME"); their values become sandbox-exec's -D arguments.
 * *@pp (unless NULL) receives the policy.
 */
static int lower_seatbelt(struct polc_ctx *ctx, const char *profile,
			  bool best_effort, bool params, struct sb_profile *out,
			  const struct ir_policy **pp)
{
	const char *values[IR_VAR_COUNT], *literal[IR_VAR_COUNT];
	struct sb_param *list =
		arena_alloc(&ctx->arena, IR_VAR_COUNT * sizeof(*list));
	struct sb_options o = { .best_effort = best_effort, .params = list };
	const struct ir_policy *p;

	if (!list)
		return -1;
	for (int i = 0; i < IR_VAR_COUNT; i++) {
		const char *v = ctx->variables[i];

		if (!v && i == IR_VAR_TMPDIR)
			v = "/tmp";
		if (v && i != IR_VAR_UID && i != IR_VAR_USER)
			v = macos_path(ctx, v);
		values[i] = literal[i] = v;
		/* Unset XDG directories follow $HOME, symbolic or not. */
		if (!params || !v)
			continue;
		list[o.nparams].name = ir_builtin_name((enum ir_builtin)i);
		list[o.nparams].value = v;
		values[i] = sb_placeholder(ctx, list[o.nparams].name,
					   i != IR_VAR_UID && i != IR_VAR_USER);
		o.nparams++;
	}
	p = lib_resolve_with(ctx, profile, values);
	if (pp)
		*pp = p;
	if (p && o.nparams &&
	    check_parameters(ctx, profile, p, literal, list, o.nparams) != 0)
		return -1;
	return p ? sb_lower(ctx, p, &o, out) : -1;
}

static int build_seatbelt(struct polc_ctx *ctx, const char *profile,
			  const struct polc_target_options *opts, FILE *out)
{
	struct sb_profile sb;

	if (opts->materialize || opts->abi || opts->json || opts->raw ||
	    opts->arch) {
		diag_subject(ctx, DIAG_ERROR, "seatbelt",
			     "--materialize, --abi, --json, --raw and --arch "
			     "are for the Linux targets");
		return -1;
	}
	if (lower_seatbelt(ctx, profile, opts->best_effort, opts->sbpl_params,
			   &sb, NULL) != 0)
		return -1;
	fwrite(sb.text, 1, sb.len, out);
	return 0;
}

/* The contents of @path in the arena, or NULL after an error. */
static const char *read_text(struct polc_ctx *ctx, const char *path,
			     size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t n = 0;
	FILE *mem = f ? open_memstream(&text, &n) : NULL;
	char buf[8192];
	size_t got;

	if (!mem) {
		diag_subject(ctx, DIAG_ERROR, path, "cannot read: %s",
			     strerror(errno));
		if (f)
			fclose(f);
		return NULL;
	}
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, got, mem);
	bool failed = ferror(f);
	fclose(f);
	fclose(mem);
	char *copy = failed ? NULL : arena_alloc(&ctx->arena, n + 1);
	if (copy)
		memcpy(copy, text, n + 1);
	else
		diag_subject(ctx, DIAG_ERROR, path, "cannot read it");
	free(text);
	*len = n;
	return copy;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int polc_validate_target(polc_ctx *ctx, const char *target,
			 const char *const *args, size_t nargs)
{
	int rc = 0;

	if (strcmp(target, "seatbelt") != 0) {
		diag_subject(ctx, DIAG_ERROR, target,
			     "only --target seatbelt emits text to check");
		return -1;
	}
	for (size_t i = 0; i < nargs; i++) {
		struct sb_profile sb;
		size_t len;

		if (ends_with(args[i], ".sb") ||
		    (strchr(args[i], '/') && !ends_with(args[i], ".pol"))) {
			const char *text = read_text(ctx, args[i], &len);

			if (!text || sb_validate(ctx, args[i], text, len) != 0)
				rc = -1;
			continue;
		}
		/* A profile: what it emits, literal and with parameters. */
		for (int params = 0; params < 2; params++) {
			const char *name =
				arena_printf(&ctx->arena, "%s.sb%s", args[i],
					     params ? " (--sbpl-params)" : "");

			if (lower_seatbelt(ctx, args[i], false, params, &sb,
					   NULL) ||
			    sb_validate(ctx, name, sb.text, sb.len) != 0) {
				rc = -1;
				break;
			}
		}
	}
	return rc;
}

int polc_build(polc_ctx *ctx, const char *profile, const char *target,
	       const struct polc_target_options *opts, FILE *out)
{
	const struct ir_policy *p;
	const struct ll_plan *plan;
	const struct ll_ruleset *rs;

	if (!strcmp(target, "seatbelt"))
		return build_seatbelt(ctx, profile, opts, out);
	if (opts->sbpl_params) {
		diag_subject(ctx, DIAG_ERROR, target,
			     "--sbpl-params is for --target seatbelt");
		return -1;
	}
	if (!strcmp(target, "seccomp"))
		return build_seccomp(ctx, profile, opts, out);
	if (strcmp(target, "landlock") != 0) {
		diag_subject(ctx, DIAG_ERROR, target,
			     "unknown target (this version builds "
			     "'landlock', 'seccomp' and 'seatbelt')");
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
	if (ll_materialize(ctx, plan, true, &rs) != 0)
		return -1;
	ll_print_ruleset(ctx, rs, opts->json, out);
	return 0;
}

/* ---- the environment ------------------------------------------------------
 */

char **lib_child_environment(struct polc_ctx *ctx, const struct ir_policy *p,
			     unsigned platform)
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
		if (ir_decide_env(p, platform, name, &why) == IR_ALLOW)
			env[k++] = environ[i];
	}
	for (size_t i = 0; i < p->nenv; i++) {
		const struct ir_env_rule *r = &p->env[i];

		if (r->kind == IR_ENV_SET && (r->platforms & platform))
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
 * What lib_child_environment() does with each variable of environ, sorted by
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

/* ---- create: directories made before the sandbox ---------------------------
 */

/* Whether a deny rule (not merely the default) keeps @path from writing. */
static bool denied_by_rule(struct polc_ctx *ctx, const struct ir_policy *p,
			   const char *path)
{
	struct ir_decision d;

	ir_decide_path(ctx, p, IR_LINUX, path, IR_WRITE, &d);
	return d.verdict == IR_DENY && d.nrules;
}

/*
 * Make @path, a directory, and its missing parents (mode 0700), one
 * component at a time from "/" without following a symbolic link, and
 * none inside a path that a deny rule covers.  Returns NULL, or why not.
 */
static const char *make_directory(struct polc_ctx *ctx,
				  const struct ir_policy *p, const char *path,
				  bool dry_run, bool *made)
{
	int dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	const char *why = NULL;
	const char *at = path;

	*made = false;
	while (dir >= 0 && !why && *at) {
		while (*at == '/')
			at++;
		size_t len = strcspn(at, "/");
		if (!len)
			break;
		const char *name = arena_strndup(&ctx->arena, at, len);
		const char *prefix = arena_strndup(&ctx->arena, path,
						   (size_t)(at - path) + len);
		int next =
			openat(dir, name,
			       O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT) {
			if (denied_by_rule(ctx, p, prefix))
				why = arena_printf(&ctx->arena, "%s is denied",
						   prefix);
			else if (dry_run)
				*made = true;
			else if (mkdirat(dir, name, 0700) != 0 &&
				 errno != EEXIST)
				why = arena_printf(&ctx->arena, "%s: %s",
						   prefix, strerror(errno));
			else {
				*made = true;
				next = openat(dir, name,
					      O_PATH | O_DIRECTORY |
						      O_NOFOLLOW | O_CLOEXEC);
			}
			if (dry_run && *made)
				break; /* nothing below it exists either */
		}
		if (!why && next < 0)
			why = arena_printf(&ctx->arena, "%s: %s", prefix,
					   errno == ELOOP || errno == ENOTDIR
						   ? "not a directory (links "
						     "are not followed)"
						   : strerror(errno));
		close(dir);
		dir = next;
		at += len;
	}
	if (dir >= 0)
		close(dir);
	return why;
}

/*
 * The directories that `create` rules ask for (spec/language.md §4.8),
 * made before the ruleset is materialised so that their rules bind.  One
 * that cannot be made is a warning: its rule then grants nothing.  With
 * @dry_run nothing is made, and @out (if not NULL) lists what would be.
 */
static void create_directories(struct polc_ctx *ctx, const struct ir_policy *p,
			       bool dry_run, FILE *out)
{
	for (size_t i = 0; i < p->npaths; i++) {
		const struct ir_path_rule *r = &p->paths[i];
		bool made;

		if (!r->create || r->verdict != IR_ALLOW ||
		    !(r->platforms & IR_LINUX))
			continue;
		const char *why =
			make_directory(ctx, p, r->path, dry_run, &made);
		if (why)
			diag_at(ctx, DIAG_WARNING, r->origin.loc,
				"cannot create %s (%s): the rule grants "
				"nothing there",
				r->path, why);
		else if (made && out)
			fprintf(out, "would create %s (mode 0700)\n", r->path);
	}
}

/* ---- the supervisor and the command -----------------------------------------
 */

/* What the command tells polc, its supervisor, before exiting without
 * running. */
enum child_failure {
	CHILD_STARTED = 0, /* it executed, or has not failed yet */
	CHILD_SANDBOX,
	CHILD_EXEC,
};

/**
 * struct command - what run_command() needs, passed through clone()
 *
 * The command shares the supervisor's memory until it executes, and the
 * supervisor waits meanwhile; what it writes here is read once it has
 * executed or exited.
 *
 * @listener: out: the connect(2) listener, in the shared descriptor table
 * @failure: out: why it exits without running (CHILD_STARTED: it did not)
 * @error: out: the errno of @failure
 * @message: out: what failed, for the supervisor's diagnostic
 */
struct command {
	const struct ll_ruleset *rs;
	const struct sc_program *filter;
	struct mediator *med;
	bool best_effort;
	char *const *argv;
	char **env;
	pid_t supervisor;
	const sigset_t *saved_mask;
	int listener;
	enum child_failure failure;
	int error;
	char message[512];
};

static _Noreturn void child_fail(struct command *c, enum child_failure kind,
				 int err, const char *msg)
{
	size_t n = strlen(msg);

	if (n >= sizeof(c->message))
		n = sizeof(c->message) - 1;
	memcpy(c->message, msg, n);
	c->message[n] = '\0';
	c->error = err;
	c->failure = kind;
	_exit(kind == CHILD_EXEC ? (err == ENOENT ? POLC_RUN_NOT_FOUND
						  : POLC_RUN_CANNOT_EXECUTE)
				 : POLC_RUN_SANDBOX_FAILED);
}

/*
 * Take @caps from a privileged process.  CAP_PERFMON and CAP_SYS_ADMIN
 * make perfmon_capable() true, and mm_access() then grants the environ,
 * maps and auxv of every process of the host without the ptrace check
 * that Landlock answers (Linux 6.x): a command run as root would read the
 * secrets in the environment of polc and of the shell above it.  Cleared
 * from the permitted set they stay cleared across execve, as no_new_privs
 * (set with the ruleset) keeps root's execve from granting more than the
 * permitted set.  Nothing to do for an unprivileged user.
 */
static int drop_capabilities(const int *caps, size_t ncaps)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	bool held = false;

	if (syscall(SYS_capget, &hdr, data) != 0)
		return -1;
	for (size_t i = 0; i < ncaps; i++) {
		uint32_t bit = 1u << (caps[i] % 32);
		struct __user_cap_data_struct *d = &data[caps[i] / 32];

		held |= ((d->permitted | d->effective | d->inheritable) & bit);
		d->permitted &= ~bit;
		d->effective &= ~bit;
		d->inheritable &= ~bit;
	}
	return held ? (int)syscall(SYS_capset, &hdr, data) : 0;
}

/* Signals the parent passes on to the command rather than acting on. */
static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/*
 * Whether a signal sent to us also reached @child: one the terminal sent
 * (not kill(2)) went to the whole foreground process group, and the
 * command is in it unless it left.  Passing such a signal on would give
 * it twice, and "press Ctrl-C again to quit" would quit at once.
 */
static bool reached_child(int code, pid_t child)
{
	return code == SI_KERNEL && getpgid(child) == getpgrp();
}

/*
 * The command: it starts with the signal mask polc started with, dies
 * with the supervisor, loads the policy's seccomp program (with connect(2)
 * sent to the supervisor) and executes.  It shares the supervisor's
 * descriptor table until then, so the listener the kernel gives it is the
 * supervisor's at once; execve() gives it a table of its own, without the
 * descriptors that close on exec.
 */
static void run_command(struct command *c)
{
	char err[512];

	sigprocmask(SIG_SETMASK, c->saved_mask, NULL);
	/* Without its supervisor the command must not run on: connect(2)
	 * would fail with ENOSYS, and nothing would wait for it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != c->supervisor)
		child_fail(c, CHILD_SANDBOX, errno,
			   "cannot tie the command to its supervisor");
	/* Out of the supervisor's reach: it answers connect(2) for us. */
	if (ll_apply_nested(c->rs, err, sizeof(err)) != 0)
		child_fail(c, CHILD_SANDBOX, errno, err);
	/* Inherited descriptors could reach what the sandbox denies: none
	 * crosses execve().  The supervisor, which shares them, never
	 * executes. */
	if (close_range(3, ~0u, CLOSE_RANGE_CLOEXEC) != 0)
		child_fail(c, CHILD_SANDBOX, errno,
			   "cannot mark inherited descriptors close-on-exec");
	/* Last: the hardening baseline denies what the steps above use. */
	c->listener = c->med ? mediate_install(c->med, err, sizeof(err)) : -1;
	if (c->listener < 0 && c->med && errno != EBUSY)
		child_fail(c, CHILD_SANDBOX, errno, err);
	if (c->listener < 0 && c->med && !c->best_effort) {
		size_t n = strlen(err);

		snprintf(err + n, sizeof(err) - n,
			 " (--best-effort runs without)");
		child_fail(c, CHILD_SANDBOX, EBUSY, err);
	}
	if (c->listener < 0 && c->med)
		dprintf(STDERR_FILENO,
			"connect: warning: %s, so the sandbox can talk to "
			"every listening socket it can name\n",
			err);
	if (c->listener < 0 && sc_apply(c->filter, err, sizeof(err)) != 0)
		child_fail(c, CHILD_SANDBOX, errno, err);
	execvpe(c->argv[0], c->argv, c->env);
	child_fail(c, CHILD_EXEC, errno, c->argv[0]);
}

/* The command's stack until it executes; the supervisor waits meanwhile. */
static char command_stack[64 * 1024] __attribute__((aligned(16)));

static int start_command(void *arg)
{
	run_command(arg);
	return POLC_RUN_SANDBOX_FAILED;
}

/*
 * Wait for @child, passing forwarded signals on to it and answering its
 * connect(2) calls on @listener (-1: none).  The signals are blocked and
 * read from @sigfd, so no handler and no global state is needed.
 * Returns the child's wait status, or -1.
 */
static int supervise(pid_t child, int sigfd, struct mediator *med, int listener)
{
	struct pollfd fds[2] = {
		{ .fd = sigfd, .events = POLLIN },
		{ .fd = listener, .events = POLLIN },
	};
	int wstatus;

	for (;;) {
		pid_t r = waitpid(child, &wstatus, WNOHANG);

		if (r == child)
			return wstatus;
		if (r < 0 && errno != EINTR)
			return -1;
		if (poll(fds, 2, -1) < 0)
			continue;
		if (fds[0].revents & POLLIN) {
			struct signalfd_siginfo info;

			if (read(sigfd, &info, sizeof(info)) ==
				    (ssize_t)sizeof(info) &&
			    info.ssi_signo != SIGCHLD &&
			    !reached_child(info.ssi_code, child))
				kill(child, (int)info.ssi_signo);
		}
		if (fds[1].revents & POLLIN)
			mediate_answer(med, listener);
		else if (fds[1].revents & (POLLHUP | POLLERR))
			fds[1].fd = -1; /* nothing left that it mediates */
	}
}

/*
 * Make the sandbox (workdir, mounts, ruleset, capabilities) for the
 * calling process, polc, which becomes the supervisor: the command it
 * starts next inherits it, and the supervisor's connect(2) calls are
 * checked as the command's would be.  Returns 0, or -1 with @err set.
 */
static int enter_sandbox(const struct ll_ruleset *rs, const char *workdir,
			 char *err, size_t errsz)
{
	static const int admin_caps[] = { CAP_PERFMON, CAP_SYS_ADMIN };

	if (workdir && chdir(workdir) != 0) {
		snprintf(err, errsz, "cannot enter the workdir %s: %s", workdir,
			 strerror(errno));
		return -1;
	}
	if (ll_apply(rs, err, errsz) != 0)
		return -1;
	/* After the mounts of ll_apply(), which need CAP_SYS_ADMIN. */
	if (drop_capabilities(admin_caps, 2) != 0) {
		snprintf(err, errsz,
			 "cannot drop CAP_PERFMON and CAP_SYS_ADMIN: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Start the command and supervise it until it exits: *@wstatus receives
 * its wait status.  The command adds a nested layer that puts the
 * supervisor out of its reach (no signals, ptrace or /proc access: the
 * supervisor holds polc's environment and connects on the command's
 * behalf).  Returns 0, or -1 with @err set when it could not start.
 */
static int start_supervised(struct command *cmd, const sigset_t *waited,
			    int *wstatus, char *err, size_t errsz)
{
	int sigfd = signalfd(-1, waited, SFD_CLOEXEC);

	if (sigfd < 0) {
		snprintf(err, errsz, "cannot read signals: %s",
			 strerror(errno));
		return -1;
	}
	cmd->supervisor = getpid();
	cmd->listener = -1;
	/* The command shares this memory and descriptor table until it
	 * executes (posix_spawn's way: no page tables to copy), and this
	 * process waits till then. */
	pid_t child =
		clone(start_command, command_stack + sizeof(command_stack),
		      CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, cmd);
	if (child < 0) {
		snprintf(err, errsz, "cannot start the command: %s",
			 strerror(errno));
		close(sigfd);
		return -1;
	}
	*wstatus = supervise(child, sigfd, cmd->med, cmd->listener);
	if (cmd->listener >= 0)
		close(cmd->listener);
	close(sigfd);
	return 0;
}

/* Say why the command exited before executing, if it did. */
static void report_failure(struct polc_ctx *ctx, const struct command *c,
			   int *status)
{
	if (c->failure == CHILD_EXEC) {
		diag_subject(ctx, DIAG_ERROR, c->argv[0], "cannot run it: %s",
			     strerror(c->error));
		*status = c->error == ENOENT ? POLC_RUN_NOT_FOUND
					     : POLC_RUN_CANNOT_EXECUTE;
	} else if (c->failure == CHILD_SANDBOX) {
		diag_subject(ctx, DIAG_ERROR, "sandbox",
			     "not started, nothing ran: %s", c->message);
		*status = POLC_RUN_SANDBOX_FAILED;
	}
}

/* ---- Seatbelt: sandbox-exec on macOS ----------------------------------------
 */

#ifdef __APPLE__
enum { HOST_HAS_SANDBOX_EXEC = 1 };
#else
enum { HOST_HAS_SANDBOX_EXEC = 0 };
#endif

/*
 * The profile goes to a private temporary file that sandbox-exec reads
 * (-f), with the built-ins as -D parameters; the command starts in the
 * workdir with the environment the policy allows.  sandbox-exec applies
 * the profile to itself and executes the command, which inherits it.
 */
static int run_seatbelt(struct polc_ctx *ctx,
			const struct polc_run_options *opts, int *status)
{
	const struct ir_policy *p;
	struct sb_profile sb;
	char file[] = "/tmp/polc-XXXXXX.sb";

	if (lower_seatbelt(ctx, opts->profile, opts->target.best_effort, true,
			   &sb, &p) != 0)
		return -1;
	if (opts->dry_run) {
		char *const *argv = sb_launch_argv(
			ctx, arena_printf(&ctx->arena, "%s.sb", p->profile),
			sb.params, sb.nparams, opts->argv);

		fwrite(sb.text, 1, sb.len, stdout);
		fputs("\n;; polc run executes:\n;;", stdout);
		sb_print_command(stdout, argv);
		putchar('\n');
		*status = 0;
		return 0;
	}
	if (!HOST_HAS_SANDBOX_EXEC) {
		diag_subject(ctx, DIAG_ERROR, "seatbelt",
			     "sandbox-exec is macOS's; on Linux polc run "
			     "enforces with Landlock and seccomp (leave out "
			     "--target seatbelt, or add --dry-run)");
		return -1;
	}
	char **env = lib_child_environment(ctx, p, IR_MACOS);
	int fd = mkstemps(file, 3);
	char **argv =
		sb_launch_argv(ctx, file, sb.params, sb.nparams, opts->argv);
	if (fd < 0 || !env || !argv ||
	    write(fd, sb.text, sb.len) != (ssize_t)sb.len || close(fd) != 0) {
		diag_subject(ctx, DIAG_ERROR, "seatbelt",
			     "cannot write the profile: %s", strerror(errno));
		if (fd >= 0)
			unlink(file);
		return -1;
	}
	if (opts->before_exec)
		opts->before_exec(ctx, opts->arg);
	fflush(NULL);
	pid_t child = fork();
	if (child == 0) {
		const char *wd = ctx->variables[IR_VAR_WORKDIR];

		if (!wd || chdir(wd) == 0)
			execve(argv[0], argv, env);
		_exit(errno == ENOENT ? POLC_RUN_NOT_FOUND
				      : POLC_RUN_CANNOT_EXECUTE);
	}
	int wstatus = 0;
	while (child > 0 && waitpid(child, &wstatus, 0) < 0 && errno == EINTR)
		;
	unlink(file);
	if (child < 0) {
		diag_subject(ctx, DIAG_ERROR, "run", "cannot fork: %s",
			     strerror(errno));
		return -1;
	}
	*status = WIFEXITED(wstatus)	 ? WEXITSTATUS(wstatus)
		  : WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus)
					 : POLC_RUN_SANDBOX_FAILED;
	return 0;
}

int polc_run(polc_ctx *ctx, const struct polc_run_options *opts, int *status)
{
	const struct ir_policy *p;
	const struct ll_plan *plan;
	const struct ll_ruleset *rs;
	const struct sc_program *filter;
	struct mediator *med;
	sigset_t waited, saved;

	*status = -1; /* nothing ran */
	if (!opts->argv || !opts->argv[0]) {
		diag_subject(ctx, DIAG_ERROR, "run", "no command to run");
		return -1;
	}
	if (opts->seatbelt || HOST_HAS_SANDBOX_EXEC)
		return run_seatbelt(ctx, opts, status);
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
	if (p)
		create_directories(ctx, p, opts->dry_run,
				   opts->dry_run && !opts->target.json ? stdout
								       : NULL);
	if (!p || lower_landlock(ctx, p, &opts->target, &plan) != 0 ||
	    ll_materialize(ctx, plan, opts->dry_run, &rs) != 0 ||
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
	int mediation =
		mediate_prepare(ctx, p, filter, opts->target.best_effort, &med);
	if (mediation != 0) {
		if (mediation > 0)
			*status = POLC_RUN_SANDBOX_FAILED;
		else if (ctx->nerrors == errors_before)
			diag_subject(ctx, DIAG_ERROR, "run",
				     "out of memory: nothing ran");
		return -1;
	}
	if (opts->dry_run) {
		/* What the command loads: with connect(2) folded in. */
		const struct sc_program *loaded =
			med ? mediate_program(med) : filter;

		ll_print_ruleset(ctx, rs, opts->target.json, stdout);
		if (!opts->target.json && loaded->needed) {
			putchar('\n');
			sc_print_listing(loaded, stdout);
		}
		if (!opts->target.json) {
			putchar('\n');
			print_environment(ctx, p, stdout);
			putchar('\n');
			mediate_print(med, stdout);
		}
		*status = 0;
		return 0;
	}
	char **env = lib_child_environment(ctx, p, IR_LINUX);
	if (!env || arena_failed(&ctx->arena)) {
		diag_subject(ctx, DIAG_ERROR, "run", "out of memory");
		return -1;
	}
	if (opts->before_exec)
		opts->before_exec(ctx, opts->arg);
	sigemptyset(&waited);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(*forwarded); i++)
		sigaddset(&waited, forwarded[i]);
	sigaddset(&waited, SIGCHLD);
	sigprocmask(SIG_BLOCK, &waited, &saved);
	fflush(NULL);
	check_leaks_before_sandbox();
	char err[512];
	int wstatus = 0;
	struct command cmd = {
		.rs = rs,
		.filter = filter,
		.med = med,
		.best_effort = opts->target.best_effort,
		.argv = opts->argv,
		.env = env,
		.saved_mask = &saved,
	};
	int rc = enter_sandbox(rs, ctx->variables[IR_VAR_WORKDIR], err,
			       sizeof(err));
	if (rc == 0)
		rc = start_supervised(&cmd, &waited, &wstatus, err,
				      sizeof(err));
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (rc != 0) {
		diag_subject(ctx, DIAG_ERROR, "sandbox",
			     "not started, nothing ran: %s", err);
		*status = POLC_RUN_SANDBOX_FAILED;
		return -1;
	}
	*status = wstatus < 0		 ? POLC_RUN_SANDBOX_FAILED
		  : WIFEXITED(wstatus)	 ? WEXITSTATUS(wstatus)
		  : WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus)
					 : POLC_RUN_SANDBOX_FAILED;
	int before = ctx->nerrors;
	report_failure(ctx, &cmd, status);
	return (int)ctx->nerrors > before ? -1 : 0;
}
