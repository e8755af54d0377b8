/*
 * learn.c - polc learn: the public API over the tracer and the lowering.
 *
 * The base is resolved and lowered to its seccomp program first, so the
 * traced command never runs with less hardening than the base gives (the
 * program is loaded after the tracing filter; the kernel applies the most
 * restrictive answer of both), and it gets the environment the base
 * passes, as under polc run.  Landlock is not applied while learning:
 * what the command touches outside the base is what there is to learn.
 * The profile is written atomically: a temporary file in the same
 * directory, fsync, rename; never over anything but a regular file.
 */
#include "polc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "backends/seccomp/seccomp.h"
#include "common/atomic.h"
#include "common/ctx.h"
#include "common/diag.h"
#include "common/source.h"
#include "frontend/ast.h"
#include "frontend/load.h"
#include "ir/ir.h"
#include "learn/learn.h"
#include "learn/trace.h"
#include "lib/lib.h"

static bool group_required(const char *name, void *arg)
{
	const struct load_unit *unit = arg;
	const struct ast_item *g = load_find(unit, AST_ITEM_GROUP, name);

	for (size_t i = 0; g && i < g->body.len; i++)
		if (((const struct ast_stmt *)g->body.items[i])->kind ==
		    AST_REQUIRED)
			return true;
	return false;
}

static bool path_exists(const char *path, void *arg)
{
	struct stat st;

	(void)arg;
	return lstat(path, &st) == 0;
}

struct base_ctx {
	struct polc_ctx *ctx;
	const struct ir_policy *p;
};

/* Whether the base allows every access of @kinds on @path. */
static bool base_covers(const char *path, unsigned kinds, void *arg)
{
	static const struct {
		unsigned kind, access;
	} map[] = { { TRACE_READ, IR_READ },
		    { TRACE_WRITE, IR_WRITE },
		    { TRACE_EXEC, IR_EXEC } };
	const struct base_ctx *b = arg;

	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
		struct ir_decision d;

		if (!(kinds & map[i].kind))
			continue;
		ir_decide_path(b->ctx, b->p, IR_LINUX, path, map[i].access, &d);
		if (d.verdict != IR_ALLOW)
			return false;
	}
	return true;
}

static int apply_base(void *arg, char *err, size_t errlen)
{
	return sc_apply(arg, err, errlen);
}

/* Write @text to @path atomically; never over a special file. */
static int write_atomic(struct polc_ctx *ctx, const char *path,
			const char *text, size_t len)
{
	if (write_file_atomically(path, text, len) == 0)
		return 0;
	diag_subject(ctx, DIAG_ERROR, path,
		     errno == EINVAL
			     ? "not a regular file: refusing to replace it"
			     : "cannot write: %s",
		     strerror(errno));
	return -1;
}

/* A profile name from the output file's name, else "learned". */
static const char *profile_name(struct polc_ctx *ctx, const char *output,
				const char *base)
{
	const char *slash = output ? strrchr(output, '/') : NULL;
	const char *name = slash ? slash + 1 : output;
	size_t len;

	if (!name || !strcmp(output, "-"))
		return "learned";
	len = strlen(name);
	if (len > 4 && !strcmp(name + len - 4, ".pol"))
		len -= 4;
	if (!len || !((name[0] >= 'a' && name[0] <= 'z') ||
		      (name[0] >= 'A' && name[0] <= 'Z') || name[0] == '_'))
		return "learned";
	for (size_t i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
			    name[i]))
			return "learned";
	name = arena_strndup(&ctx->arena, name, len);
	return strcmp(name, base) ? name : "learned";
}

static void fill_header(struct polc_ctx *ctx, struct learn_header *h,
			char *const *argv)
{
	static const char *const vars[] = { "WORKDIR", "HOME", "TMPDIR" };
	static const enum ir_builtin idx[] = { IR_VAR_WORKDIR, IR_VAR_HOME,
					       IR_VAR_TMPDIR };
	const char **values = arena_alloc(&ctx->arena, 3 * sizeof(*values));
	struct utsname u;
	char date[32];
	time_t now = time(NULL);
	struct tm tm;

	h->argv = argv;
	h->kernel = uname(&u) == 0
			    ? arena_printf(&ctx->arena, "%s %s %s", u.sysname,
					   u.release, u.machine)
			    : "unknown";
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	h->date = arena_strdup(&ctx->arena, date);
	for (size_t i = 0; values && i < 3; i++)
		values[i] = ctx->variables[idx[i]];
	if (values && !values[2])
		values[2] = "/tmp";
	h->vars = vars;
	h->values = values;
	h->nvars = values ? 3 : 0;
}

/* The text of @merge with @rules added before its profile's '}'. */
static char *merged_text(struct polc_ctx *ctx, const struct ir_policy *p,
			 const struct learn_header *h,
			 const struct learn_result *r, size_t *len)
{
	const struct source *s = source_get(ctx, p->item->close.file);
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	if (!s || !out) {
		if (out)
			fclose(out);
		free(buf);
		return NULL;
	}
	size_t at = p->item->close.start;
	/* Keep the '}' on its own line: cut after the last newline. */
	while (at > 0 && s->text[at - 1] != '\n')
		at--;
	fwrite(s->text, 1, at, out);
	if (r->nrules || r->nnet) {
		fprintf(out,
			"    # Learned by polc learn on %s from:", h->date);
		for (char *const *a = h->argv; *a; a++) {
			fputc(' ', out);
			for (const char *c = *a; *c; c++)
				fputc((unsigned char)*c < 0x20 ? '?' : *c, out);
		}
		fputc('\n', out);
		learn_print_rules(ctx, h, r, out);
	}
	fwrite(s->text + at, 1, s->len - at, out);
	if (fclose(out) != 0) {
		free(buf);
		return NULL;
	}
	*len = size;
	return buf;
}

/*
 * @p without the rules of the network closure: the command learns under
 * the base's seccomp hardening, but its network use is what is being
 * learned, as its file accesses are (Landlock is not applied either).
 */
static const struct ir_policy *without_closure(struct polc_ctx *ctx,
					       const struct ir_policy *p)
{
	struct ir_policy *q = arena_alloc(&ctx->arena, sizeof(*q));
	struct ir_sys_rule *kept =
		arena_alloc(&ctx->arena, (p->nsys + 1) * sizeof(*kept));

	*q = *p;
	q->sys = kept;
	q->nsys = 0;
	for (size_t i = 0; i < p->nsys; i++)
		if (!p->sys[i].closure)
			kept[q->nsys++] = p->sys[i];
	return q;
}

int polc_learn(polc_ctx *ctx, const struct polc_learn_options *o, int *status)
{
	struct load_unit *unit = NULL;
	const struct ir_policy *p;
	const struct sc_program *filter;
	struct trace_result obs;
	struct learn_result r;
	struct learn_header h = { 0 };
	char err[768];
	const char *base = o->base ? o->base : "default";

	*status = -1;
	if (!o->argv || !o->argv[0]) {
		diag_subject(ctx, DIAG_ERROR, "learn", "no command to run");
		return -1;
	}
	p = lib_resolve_in(ctx, o->merge ? o->merge : base, false, &unit);
	if (!p || sc_lower(ctx, without_closure(ctx, p), sc_native_arch(),
			   &filter) != 0)
		return -1;
	if (filter->notifies) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "'syscall notify' needs a supervisor to answer "
			     "the calls, which polc learn does not provide");
		return -1;
	}
	/* The command sees the environment the base lets through, as it
	 * will under polc run: no secrets from the user's shell. */
	char **env = lib_child_environment(ctx, p, IR_LINUX);
	if (!env || arena_failed(&ctx->arena)) {
		diag_subject(ctx, DIAG_ERROR, "learn", "out of memory");
		return -1;
	}
	struct base_ctx bc = { .ctx = ctx, .p = p };
	struct trace_options topts = {
		.argv = o->argv,
		.envp = env,
		.timeout = o->timeout,
		.child_setup = filter->needed ? apply_base : NULL,
		.arg = (void *)filter,
		.covered = base_covers,
		.covered_arg = &bc,
		.all_syscalls = o->syscalls,
	};
	if (trace_run(&ctx->arena, &topts, &obs, err, sizeof(err)) != 0) {
		*status = obs.status;
		diag_subject(ctx, DIAG_ERROR, "learn", "%s", err);
		return -1;
	}
	*status = obs.status;
	if (obs.timed_out)
		diag_subject(ctx, DIAG_WARNING, "learn",
			     "the command was killed after %u s; the profile "
			     "holds what it did until then",
			     o->timeout);

	struct learn_options lo = { .collapse = o->collapse,
				    .home = ctx->variables[IR_VAR_HOME],
				    .is_required = group_required,
				    .arg = unit };
	if (learn_lower(ctx, p, &obs, &lo, path_exists, NULL, &r) != 0) {
		diag_subject(ctx, DIAG_ERROR, "learn", "out of memory");
		return -1;
	}
	fill_header(ctx, &h, o->argv);
	h.base = p->profile;
	if (!o->merge && lib_names_a_file(base)) {
		char real[PATH_MAX];

		h.import = realpath(base, real)
				   ? arena_strdup(&ctx->arena, real)
				   : base;
	}
	h.name = profile_name(ctx, o->output, p->profile);

	char *text = NULL;
	size_t len = 0;
	if (o->merge && !o->json) {
		text = merged_text(ctx, p, &h, &r, &len);
	} else {
		FILE *out = open_memstream(&text, &len);

		if (out) {
			if (o->json)
				learn_print_json(ctx, &h, &obs, &r, out);
			else
				learn_print_profile(ctx, &h, &obs, &r, out);
			if (fclose(out) != 0) {
				free(text);
				text = NULL;
			}
		}
	}
	if (!text || arena_failed(&ctx->arena)) {
		free(text);
		diag_subject(ctx, DIAG_ERROR, "learn", "out of memory");
		return -1;
	}
	if (o->summary)
		learn_print_summary(ctx, &h, &obs, &r, o->summary);
	const char *dest = o->output ? o->output : o->merge;
	int rc = 0;
	if (dest && strcmp(dest, "-") != 0)
		rc = write_atomic(ctx, dest, text, len);
	else if (fwrite(text, 1, len, stdout) != len)
		rc = -1;
	free(text);
	return rc;
}
