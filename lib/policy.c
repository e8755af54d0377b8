/*
 * policy.c - the public API's commands on resolved policies: validate,
 * show, explain, diff (ir/diff.c compares) and groups.
 *
 * A PROFILE argument is a name in the library, or a file: the file joins
 * the library for this compilation, and the profile is the one it defines.
 */
#include "polc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "common/misspell.h"
#include "common/source.h"
#include "frontend/ast.h"
#include "frontend/check.h"
#include "frontend/load.h"
#include "frontend/print.h"
#include "ir/ir.h"
#include "ir/vars.h"
#include "lib/lib.h"

/*
 * The built-ins' values: @values (by default those given), else their
 * documented defaults.
 */
static void options_from(struct polc_ctx *ctx, struct ir_options *o, bool raw,
			 const char *const *values)
{
	static const struct {
		enum ir_builtin var;
		const char *below_home;
	} xdg[] = {
		{ IR_VAR_XDG_CONFIG_HOME, ".config" },
		{ IR_VAR_XDG_CACHE_HOME, ".cache" },
		{ IR_VAR_XDG_DATA_HOME, ".local/share" },
		{ IR_VAR_XDG_STATE_HOME, ".local/state" },
	};
	const char *home = values[IR_VAR_HOME];

	memset(o, 0, sizeof(*o));
	o->raw = raw;
	for (int i = 0; i < IR_VAR_COUNT; i++)
		o->builtins[i] = values[i];
	if (!o->builtins[IR_VAR_TMPDIR])
		o->builtins[IR_VAR_TMPDIR] = "/tmp";
	for (size_t i = 0; home && i < sizeof(xdg) / sizeof(*xdg); i++)
		if (!o->builtins[xdg[i].var])
			o->builtins[xdg[i].var] = arena_printf(
				&ctx->arena, "%s/%s", home, xdg[i].below_home);
	if (!o->builtins[IR_VAR_XDG_RUNTIME_DIR] && o->builtins[IR_VAR_UID])
		o->builtins[IR_VAR_XDG_RUNTIME_DIR] = arena_printf(
			&ctx->arena, "/run/user/%s", o->builtins[IR_VAR_UID]);
}

static void build_options(struct polc_ctx *ctx, struct ir_options *o, bool raw)
{
	options_from(ctx, o, raw, ctx->variables);
}

/* The profiles @file defines, in source order. */
static size_t profiles_in(const struct ast_file *file,
			  const struct ast_item **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < file->items.len; i++) {
		const struct ast_item *it = file->items.items[i];

		if (it->kind == AST_ITEM_PROFILE) {
			if (n < max)
				out[n] = it;
			n++;
		}
	}
	return n;
}

/* The file of @unit read from @path (named on the command line). */
static const struct ast_file *
file_named(struct polc_ctx *ctx, const struct load_unit *unit, const char *path)
{
	for (size_t i = 0; i < unit->files.len; i++) {
		const struct ast_file *f = unit->files.items[i];
		const struct source *s = source_get(ctx, f->file);

		if (s && !s->embedded && strcmp(s->name, path) == 0)
			return f;
	}
	return NULL;
}

/*
 * Load the files named on the command line, then the library (whose names
 * they may redefine).  Returns the unit, or NULL after errors.
 */
static struct load_unit *load_args(struct polc_ctx *ctx,
				   const char *const *files, size_t nfiles)
{
	struct load_unit *unit = arena_alloc(&ctx->arena, sizeof(*unit));
	int rc = 0;

	for (size_t i = 0; i < nfiles; i++)
		if (load_path(ctx, files[i], unit) != 0)
			rc = -1;
	if (ast_check_duplicates(ctx, &unit->files) != 0)
		rc = -1;
	if (load_library(ctx, unit) != 0)
		rc = -1;
	return rc == 0 ? unit : NULL;
}

/*
 * Load what a PROFILE argument needs; *name receives the profile to
 * resolve (for a file: the one profile it defines).
 */
static struct load_unit *load_for(struct polc_ctx *ctx, const char *arg,
				  const char **name)
{
	bool file = lib_names_a_file(arg);
	struct load_unit *unit = load_args(ctx, &arg, file);
	const struct ast_item *found[2];

	*name = arg;
	if (!unit || !file)
		return unit;
	const struct ast_file *f = file_named(ctx, unit, arg);
	size_t n = f ? profiles_in(f, found, 2) : 0;
	if (n != 1) {
		diag_subject(ctx, DIAG_ERROR, arg,
			     n ? "defines %zu profiles; name the one you mean"
			       : "defines no profile",
			     n);
		return NULL;
	}
	*name = found[0]->name->text;
	return unit;
}

static const struct ir_policy *resolve_with(struct polc_ctx *ctx,
					    const char *arg, bool raw,
					    const char *const *values,
					    struct load_unit **unit_out);

const struct ir_policy *lib_resolve(struct polc_ctx *ctx, const char *arg,
				    bool raw)
{
	return resolve_with(ctx, arg, raw, ctx->variables, NULL);
}

const struct ir_policy *lib_resolve_with(struct polc_ctx *ctx, const char *arg,
					 const char *const *values)
{
	return resolve_with(ctx, arg, false, values, NULL);
}

const struct ir_policy *lib_resolve_in(struct polc_ctx *ctx, const char *arg,
				       bool raw, struct load_unit **unit)
{
	return resolve_with(ctx, arg, raw, ctx->variables, unit);
}

static const struct ir_policy *resolve_with(struct polc_ctx *ctx,
					    const char *arg, bool raw,
					    const char *const *values,
					    struct load_unit **unit_out)
{
	const char *name;
	struct load_unit *unit = load_for(ctx, arg, &name);
	struct ir_options opts;

	if (unit_out)
		*unit_out = unit;
	if (!unit)
		return NULL;
	options_from(ctx, &opts, raw, values);
	if (!lib_names_a_file(arg) &&
	    !load_find(unit, AST_ITEM_PROFILE, name) &&
	    load_find(unit, AST_ITEM_GROUP, name)) {
		diag_subject(ctx, DIAG_ERROR, name,
			     "'%s' is a group, not a profile (see 'polc groups "
			     "%s')",
			     name, name);
		return NULL;
	}
	return ir_resolve(ctx, unit, name, &opts);
}

/* ---- validate ------------------------------------------------------------ */

static int validate_profile(struct polc_ctx *ctx, const struct load_unit *unit,
			    const char *name)
{
	struct ir_options opts;
	const struct ir_policy *p;

	build_options(ctx, &opts, false);
	p = ir_resolve(ctx, unit, name, &opts);
	if (!p)
		return -1;
	return ir_check_expects(ctx, p);
}

static int validate_unit_profiles(struct polc_ctx *ctx,
				  const struct load_unit *unit,
				  const struct ast_file *only)
{
	int rc = 0;

	for (size_t i = 0; i < unit->files.len; i++) {
		const struct ast_file *f = unit->files.items[i];

		if (only && f != only)
			continue;
		for (size_t j = 0; j < f->items.len; j++) {
			const struct ast_item *it = f->items.items[j];

			if (it->kind == AST_ITEM_PROFILE &&
			    validate_profile(ctx, unit, it->name->text) != 0)
				rc = -1;
		}
	}
	return rc;
}

static int validate_name(struct polc_ctx *ctx, const struct load_unit *unit,
			 const char *name)
{
	struct misspell m;

	if (load_find(unit, AST_ITEM_PROFILE, name))
		return validate_profile(ctx, unit, name);
	if (load_find(unit, AST_ITEM_GROUP, name))
		return 0; /* checked with its file; resolved with profiles */
	misspell_init(&m, name);
	for (size_t i = 0; i < unit->files.len; i++) {
		const struct ast_file *f = unit->files.items[i];

		for (size_t j = 0; j < f->items.len; j++) {
			const struct ast_item *it = f->items.items[j];

			if (it->kind == AST_ITEM_PROFILE ||
			    it->kind == AST_ITEM_GROUP)
				misspell_offer(&m, it->name->text);
		}
	}
	if (misspell_result(&m))
		diag_subject(ctx, DIAG_ERROR, name,
			     "no profile or group named '%s'; did you mean "
			     "'%s'?",
			     name, misspell_result(&m));
	else
		diag_subject(ctx, DIAG_ERROR, name,
			     "no profile or group named '%s' (a file path "
			     "needs a '/' or the .pol suffix)",
			     name);
	return -1;
}

int polc_validate(polc_ctx *ctx, const char *const *args, size_t nargs)
{
	const char **files =
		arena_alloc(&ctx->arena, (nargs + 1) * sizeof(*files));
	size_t nfiles = 0;
	int rc = 0;

	for (size_t i = 0; i < nargs; i++)
		if (lib_names_a_file(args[i]))
			files[nfiles++] = args[i];
	struct load_unit *unit = load_args(ctx, files, nfiles);
	struct ir_options opts;

	if (!unit)
		return -1;
	build_options(ctx, &opts, false);
	if (ir_check_groups(ctx, unit, &opts) != 0)
		rc = -1;
	if (nargs == 0)
		return validate_unit_profiles(ctx, unit, NULL) ? -1 : rc;
	for (size_t i = 0; i < nargs; i++) {
		if (!lib_names_a_file(args[i])) {
			if (validate_name(ctx, unit, args[i]) != 0)
				rc = -1;
			continue;
		}
		const struct ast_file *f = file_named(ctx, unit, args[i]);
		if (f && validate_unit_profiles(ctx, unit, f) != 0)
			rc = -1;
	}
	return rc;
}

/* ---- show ------------------------------------------------------------------
 */

int polc_show(polc_ctx *ctx, const char *profile, unsigned flags, FILE *out)
{
	const struct ir_policy *p =
		lib_resolve(ctx, profile, flags & POLC_SHOW_RAW);

	if (!p)
		return -1;
	if (flags & POLC_SHOW_JSON)
		ir_print_json(ctx, p, out);
	else
		ir_print(ctx, p, out);
	return 0;
}

/* ---- explain ---------------------------------------------------------------
 */

static const char *const access_words[] = { "read", "write", "exec", "delete" };

/* @arg as an absolute, normalised path: variables and '~' expanded. */
static const char *explain_path(struct polc_ctx *ctx, const char *arg)
{
	struct ir_options opts;
	struct var_env env;
	struct load_unit none = { 0 };
	struct ast_word w = { .text = arg };
	const char *v;

	build_options(ctx, &opts, false);
	vars_env_init(&env, ctx, &none, &opts);
	v = vars_expand(&env, &(struct var_scope){ { 0 } }, &w, IR_LINUX, false,
			NULL);
	if (!v) {
		diag_subject(ctx, DIAG_ERROR, arg,
			     "cannot expand this path (an unknown variable?)");
		return NULL;
	}
	if (v[0] != '/') {
		char cwd[4096];

		if (!getcwd(cwd, sizeof(cwd))) {
			diag_subject(ctx, DIAG_ERROR, arg,
				     "a relative path needs the current "
				     "directory, which cannot be read");
			return NULL;
		}
		v = arena_printf(&ctx->arena, "%s/%s", cwd, v);
	}
	return vars_normalise(ctx, v);
}

unsigned lib_denied_near(struct polc_ctx *ctx, const struct ir_policy *p,
			 const char *path, bool file, unsigned platforms,
			 unsigned modes, bool *ok)
{
	const char *x = explain_path(ctx, path);
	unsigned denied = 0;

	*ok = x != NULL;
	for (size_t i = 0; x && i < p->npaths; i++) {
		const struct ir_path_rule *d = &p->paths[i];

		if (d->verdict == IR_DENY && (d->platforms & platforms) &&
		    (ir_path_covers(d->path, d->file, x) ||
		     (!file && ir_path_covers(x, false, d->path))))
			denied |= d->modes & modes;
	}
	return denied;
}

/* A rule's path as people write it: "$HOME/x" reads better as "~/x". */
static const char *as_written(struct polc_ctx *ctx, const char *raw)
{
	if (strncmp(raw, "$HOME", 5) == 0 && (raw[5] == '/' || !raw[5]))
		return arena_printf(&ctx->arena, "~%s", raw + 5);
	return raw;
}

static void print_rule_line(struct polc_ctx *ctx, const struct ir_path_rule *r,
			    FILE *out)
{
	fprintf(out, "    %s%s %s%s%s  (%s)\n      at %s\n",
		r->override ? "override " : "",
		r->verdict == IR_ALLOW ? "allow" : "deny",
		r->file ? "file " : "",
		r->workdir ? "$WORKDIR (workdir)" : as_written(ctx, r->raw),
		r->existing ? " existing" : "",
		ir_origin_chain(ctx, &r->origin),
		ir_origin_where(ctx, &r->origin));
}

static bool same_decision(const struct ir_decision *a,
			  const struct ir_decision *b)
{
	if (a->verdict != b->verdict || a->nrules != b->nrules ||
	    a->nlifted != b->nlifted)
		return false;
	for (size_t i = 0; i < a->nrules; i++)
		if (a->rules[i] != b->rules[i])
			return false;
	return true;
}

int polc_explain(polc_ctx *ctx, const char *profile, const char *path,
		 unsigned access, FILE *out)
{
	const struct ir_policy *p = lib_resolve(ctx, profile, false);
	const char *abs = p ? explain_path(ctx, path) : NULL;

	if (!abs)
		return -1;
	if (!access)
		access = POLC_ACCESS_ALL;
	for (unsigned b = 0; b < 4; b++) {
		struct ir_decision d[2];

		if (!(access & (1u << b)))
			continue;
		ir_decide_path(ctx, p, IR_LINUX, abs, 1u << b, &d[0]);
		ir_decide_path(ctx, p, IR_MACOS, abs, 1u << b, &d[1]);
		for (unsigned k = 0; k < 2; k++) {
			bool both = k == 0 && same_decision(&d[0], &d[1]);

			fprintf(out, "%s: %s %s on %s: %s\n", p->profile,
				access_words[b], abs,
				both ? "linux and macos"
				     : ir_platform_name(1u << k),
				d[k].verdict == IR_ALLOW ? "allow" : "deny");
			if (d[k].nrules)
				fprintf(out, "  %s by:\n",
					d[k].verdict == IR_ALLOW ? "allowed"
								 : "denied");
			for (size_t i = 0; i < d[k].nrules; i++)
				print_rule_line(ctx, d[k].rules[i], out);
			if (d[k].nlifted)
				fprintf(out, "  overriding:\n");
			for (size_t i = 0; i < d[k].nlifted; i++)
				print_rule_line(ctx, d[k].lifted[i], out);
			if (!d[k].nrules)
				fprintf(out, "  no rule covers it: denied by "
					     "default\n");
			if (both)
				break;
		}
	}
	return 0;
}

/* ---- environment variables --------------------------------------------------
 */

const char *lib_env_rule(struct polc_ctx *ctx, const struct ir_env_rule *r)
{
	static const char *const verb[] = {
		[IR_ENV_PASS] = "pass",
		[IR_ENV_DROP] = "drop",
		[IR_ENV_SET] = "set",
	};
	bool set = r->kind == IR_ENV_SET;

	return arena_printf(&ctx->arena, "%senv %s %s%s%s%s  (%s) at %s",
			    r->override ? "override " : "", verb[r->kind],
			    r->pattern, set ? " = \"" : "", set ? r->value : "",
			    set ? "\"" : "", ir_origin_chain(ctx, &r->origin),
			    ir_origin_where(ctx, &r->origin));
}

/* The first rule of @kind (overrides or not) on @platform matching @name. */
static const struct ir_env_rule *env_matching(const struct ir_policy *p,
					      unsigned platform,
					      enum ir_env_kind kind,
					      bool override, const char *name)
{
	for (size_t i = 0; i < p->nenv; i++) {
		const struct ir_env_rule *r = &p->env[i];

		if ((r->platforms & platform) && r->kind == kind &&
		    r->override == override && ir_glob_match(r->pattern, name))
			return r;
	}
	return NULL;
}

static void explain_env_on(struct polc_ctx *ctx, const struct ir_policy *p,
			   const char *name, unsigned platform,
			   const char *where, FILE *out)
{
	const struct ir_env_rule *why, *other = NULL;
	enum ir_verdict v = ir_decide_env(p, platform, name, &why);
	const char *outcome = "not passed", *by = NULL, *also = NULL;

	if (why && why->kind == IR_ENV_SET) {
		outcome = arena_printf(&ctx->arena, "set to '%s'", why->value);
		by = "set by";
	} else if (v == IR_ALLOW) {
		outcome = "passed";
		by = "passed by";
		if (why->override) {
			other = env_matching(p, platform, IR_ENV_DROP, false,
					     name);
			also = "overriding";
		}
	} else if (why) {
		outcome = "dropped";
		by = "dropped by";
		other = env_matching(p, platform, IR_ENV_PASS, false, name);
		also = "beating (a drop beats a pass)";
	}
	fprintf(out, "%s: env %s on %s: %s\n", p->profile, name, where,
		outcome);
	if (!why) {
		fprintf(out, "  no rule passes it: not passed by default\n");
		return;
	}
	fprintf(out, "  %s:\n    %s\n", by, lib_env_rule(ctx, why));
	if (other)
		fprintf(out, "  %s:\n    %s\n", also, lib_env_rule(ctx, other));
}

int polc_explain_env(polc_ctx *ctx, const char *profile, const char *name,
		     FILE *out)
{
	const struct ir_policy *p = lib_resolve(ctx, profile, false);
	const struct ir_env_rule *linux_why, *macos_why;

	if (!p)
		return -1;
	if (!*name || strchr(name, '=')) {
		diag_subject(ctx, DIAG_ERROR, name,
			     "not an environment variable name");
		return -1;
	}
	enum ir_verdict lv = ir_decide_env(p, IR_LINUX, name, &linux_why);
	enum ir_verdict mv = ir_decide_env(p, IR_MACOS, name, &macos_why);

	if (lv == mv && linux_why == macos_why) {
		explain_env_on(ctx, p, name, IR_LINUX, "linux and macos", out);
	} else {
		explain_env_on(ctx, p, name, IR_LINUX, "linux", out);
		explain_env_on(ctx, p, name, IR_MACOS, "macos", out);
	}
	return arena_failed(&ctx->arena) ? -1 : 0;
}

/* ---- diff ------------------------------------------------------------------
 */

int polc_diff(polc_ctx *ctx, const char *a, const char *b, bool json, FILE *out)
{
	/* Both sides resolve, so errors in either are all reported. */
	const struct ir_policy *pa = lib_resolve(ctx, a, false);
	const struct ir_policy *pb = lib_resolve(ctx, b, false);
	struct ir_diff_options opts = {
		.from = a,
		.to = b,
		.home = ctx->variables[IR_VAR_HOME],
		.workdir = ctx->variables[IR_VAR_WORKDIR],
		.json = json,
	};

	if (!pa || !pb)
		return -1;
	ir_diff(ctx, pa, pb, &opts, out);
	if (arena_failed(&ctx->arena)) {
		diag_subject(ctx, DIAG_ERROR, b, "out of memory");
		return -1;
	}
	return 0;
}

/* ---- groups
 * ------------------------------------------------------------------ */

int polc_describe_group(polc_ctx *ctx, const char *name, FILE *out)
{
	int rc;
	struct load_unit *unit = lib_library(ctx, &rc);
	const struct ast_item *g = load_find(unit, AST_ITEM_GROUP, name);
	struct misspell m;

	if (g) {
		const struct source *s = source_get(ctx, g->loc.file);
		unsigned line, col;

		source_line_col(ctx, g->loc.file, g->loc.start, &line, &col);
		fprintf(out, "# %s:%u\n", s ? s->name : "?", line);
		ast_print_item(ctx, g, out);
		return rc;
	}
	misspell_init(&m, name);
	for (size_t i = 0; i < unit->files.len; i++) {
		const struct ast_file *f = unit->files.items[i];

		for (size_t j = 0; j < f->items.len; j++) {
			const struct ast_item *it = f->items.items[j];

			if (it->kind == AST_ITEM_GROUP)
				misspell_offer(&m, it->name->text);
		}
	}
	if (misspell_result(&m))
		diag_subject(ctx, DIAG_ERROR, name,
			     "no group named '%s'; did you mean '%s'?", name,
			     misspell_result(&m));
	else
		diag_subject(ctx, DIAG_ERROR, name, "no group named '%s'",
			     name);
	return -1;
}
