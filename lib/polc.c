/*
 * polc.c - the public API (include/polc.h): the context, its options and
 * diagnostics, and the commands that work on files (fmt) and on the
 * library as a list (profiles, groups).  policy.c holds the commands that
 * resolve policies.  Each entry point wires stages together and leaves
 * every message on the context; none prints diagnostics or exits.
 */
#include "polc.h"

#include <stdlib.h>
#include <string.h>

#include "common/atomic.h"
#include "common/ctx.h"
#include "common/diag.h"
#include "common/misspell.h"
#include "common/source.h"
#include "frontend/check.h"
#include "frontend/load.h"
#include "frontend/print.h"
#include "ir/ir.h"
#include "lib/lib.h"

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

bool lib_names_a_file(const char *arg)
{
	size_t len = strlen(arg);

	return strchr(arg, '/') ||
	       (len >= 4 && strcmp(arg + len - 4, ".pol") == 0);
}

struct load_unit *lib_library(struct polc_ctx *ctx, int *rc)
{
	struct load_unit *unit = arena_alloc(&ctx->arena, sizeof(*unit));

	*rc = load_library(ctx, unit);
	return unit;
}

int polc_set_variable(polc_ctx *ctx, const char *name, const char *value)
{
	int i = ir_builtin_index(name);

	if (i < 0) {
		diag_subject(ctx, DIAG_ERROR, name,
			     "not a built-in variable (HOME, TMPDIR, UID, "
			     "USER, WORKDIR or an XDG directory)");
		return -1;
	}
	ctx->variables[i] = arena_strdup(&ctx->arena, value);
	return arena_failed(&ctx->arena) ? -1 : 0;
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

const char *lib_description(const struct ast_item *it)
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
	struct load_unit *lib = lib_library(ctx, &rc);
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
			lib_description(it));
	}
	return rc;
}

int polc_write_file(const char *path, const char *text, size_t len)
{
	return write_file_atomically(path, text, len);
}
