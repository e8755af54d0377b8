/*
 * polc.c - the public API (include/polc.h) over the pipeline stages.
 *
 * Each entry point wires stages together and leaves every message on the
 * context; none prints diagnostics or exits.
 */
#include "polc.h"

#include <stdlib.h>
#include <string.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "common/misspell.h"
#include "common/source.h"
#include "frontend/check.h"
#include "frontend/load.h"
#include "frontend/print.h"

polc_ctx *polc_ctx_new(void)
{
	struct polc_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	arena_init(&ctx->arena);
	ctx->max_errors = CTX_DEFAULT_MAX_ERRORS;
	return ctx;
}

void polc_ctx_free(polc_ctx *ctx)
{
	if (!ctx)
		return;
	arena_destroy(&ctx->arena);
	free(ctx);
}

int polc_add_search_dir(polc_ctx *ctx, const char *dir)
{
	size_t len = strlen(dir);

	/* "dir/" and "dir" are the same directory; keep messages tidy. */
	while (len > 1 && dir[len - 1] == '/')
		len--;
	ptrvec_push(&ctx->arena, &ctx->search_dirs,
		    arena_strndup(&ctx->arena, dir, len));
	return arena_failed(&ctx->arena) ? -1 : 0;
}

void polc_set_max_errors(polc_ctx *ctx, unsigned max)
{
	ctx->max_errors = max;
}

unsigned polc_error_count(const polc_ctx *ctx)
{
	return ctx->nerrors;
}

unsigned polc_warning_count(const polc_ctx *ctx)
{
	return ctx->nwarnings;
}

int polc_exit_status(const polc_ctx *ctx)
{
	if (ctx->nerrors_unlocated)
		return 2;
	return ctx->nerrors ? 1 : 0;
}

void polc_diagnostics_print(polc_ctx *ctx, FILE *out,
			    enum polc_diag_format format, bool colour)
{
	diag_render(ctx, out,
		    format == POLC_DIAG_JSON ? DIAG_FORMAT_JSON
					     : DIAG_FORMAT_TEXT,
		    colour);
}

static bool names_a_file(const char *arg)
{
	size_t len = strlen(arg);

	return strchr(arg, '/') ||
	       (len >= 4 && strcmp(arg + len - 4, ".pol") == 0);
}

/* Load the library; *rc receives load_library()'s result. */
static struct load_unit *library(struct polc_ctx *ctx, int *rc)
{
	struct load_unit *unit = arena_alloc(&ctx->arena, sizeof(*unit));

	*rc = load_library(ctx, unit);
	return unit;
}

/* The profile, or else the group, called @name; "did you mean" if none. */
static const struct ast_item *find_definition(struct polc_ctx *ctx,
					      const struct load_unit *unit,
					      const char *name)
{
	const struct ast_item *it = load_find(unit, AST_ITEM_PROFILE, name);
	struct misspell m;

	if (!it)
		it = load_find(unit, AST_ITEM_GROUP, name);
	if (it)
		return it;
	misspell_init(&m, name);
	for (size_t i = 0; i < unit->files.len; i++) {
		const struct ast_file *f = unit->files.items[i];

		for (size_t j = 0; j < f->items.len; j++) {
			const struct ast_item *cand = f->items.items[j];

			if (cand->kind == AST_ITEM_PROFILE ||
			    cand->kind == AST_ITEM_GROUP)
				misspell_offer(&m, cand->name->text);
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
	return NULL;
}

int polc_validate(polc_ctx *ctx, const char *const *args, size_t nargs)
{
	struct load_unit *lib = NULL;
	int rc = 0, lib_rc = 0;

	if (nargs == 0) {
		library(ctx, &rc);
		return rc;
	}
	for (size_t i = 0; i < nargs; i++) {
		if (names_a_file(args[i])) {
			struct load_unit unit = { 0 };

			if (load_path(ctx, args[i], &unit) != 0)
				rc = -1;
			if (ast_check_duplicates(ctx, &unit.files) != 0)
				rc = -1;
			continue;
		}
		if (!lib)
			lib = library(ctx, &lib_rc);
		if (lib_rc != 0 || !find_definition(ctx, lib, args[i]))
			rc = -1;
	}
	return rc;
}

int polc_format_file(polc_ctx *ctx, const char *path, char **text, size_t *len)
{
	struct load_unit unit = { 0 };
	char *buf = NULL;
	size_t size = 0;

	*text = NULL;
	*len = 0;
	if (load_path(ctx, path, &unit) != 0)
		return -1;
	/* The file itself is the last one loaded: imports come first. */
	const struct ast_file *f = unit.files.items[unit.files.len - 1];
	FILE *out = open_memstream(&buf, &size);
	if (!out) {
		diag_subject(ctx, DIAG_ERROR, path, "out of memory");
		return -1;
	}
	ast_print_file(ctx, f, out);
	if (fclose(out) != 0 || arena_failed(&ctx->arena)) {
		free(buf);
		diag_subject(ctx, DIAG_ERROR, path, "out of memory");
		return -1;
	}
	*text = buf;
	*len = size;
	return 0;
}

static void print_origin(struct polc_ctx *ctx, const struct ast_item *it,
			 FILE *out)
{
	const struct source *s = source_get(ctx, it->loc.file);
	unsigned line, col;

	source_line_col(ctx, it->loc.file, it->loc.start, &line, &col);
	fprintf(out, "%s:%u", s ? s->name : "?", line);
}

int polc_show(polc_ctx *ctx, const char *name, FILE *out)
{
	int rc;
	struct load_unit *lib = library(ctx, &rc);
	const struct ast_item *it = find_definition(ctx, lib, name);

	if (!it)
		return -1;
	fputs("# ", out);
	print_origin(ctx, it, out);
	fputc('\n', out);
	ast_print_item(ctx, it, out);
	return rc;
}

static const char *description_of(const struct ast_item *it)
{
	for (size_t i = 0; i < it->body.len; i++) {
		const struct ast_stmt *s = it->body.items[i];

		if (s->kind == AST_DESCRIPTION)
			return s->u.text->text;
	}
	return "";
}

static int by_name(const void *a, const void *b)
{
	const struct ast_item *x = *(const struct ast_item *const *)a;
	const struct ast_item *y = *(const struct ast_item *const *)b;

	return strcmp(x->name->text, y->name->text);
}

int polc_list(polc_ctx *ctx, enum polc_kind kind, FILE *out)
{
	enum ast_item_kind want =
		kind == POLC_KIND_PROFILE ? AST_ITEM_PROFILE : AST_ITEM_GROUP;
	int rc, width = 0;
	struct load_unit *lib = library(ctx, &rc);
	struct ptrvec items = { 0 };

	for (size_t i = 0; i < lib->files.len; i++) {
		const struct ast_file *f = lib->files.items[i];

		for (size_t j = 0; j < f->items.len; j++) {
			struct ast_item *it = f->items.items[j];
			int len = (int)strlen(it->name->text);

			if (it->kind != want)
				continue;
			ptrvec_push(&ctx->arena, &items, it);
			width = len > width ? len : width;
		}
	}
	if (items.len)
		qsort(items.items, items.len, sizeof(void *), by_name);
	for (size_t i = 0; i < items.len; i++) {
		const struct ast_item *it = items.items[i];

		fprintf(out, "%-*s  %s\n", width, it->name->text,
			description_of(it));
	}
	return rc;
}
