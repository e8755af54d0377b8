/*
 * helpers.c - shared fixtures of the unit tests (see helpers.h).
 */
#include "helpers.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/source.h"
#include "frontend/check.h"
#include "frontend/print.h"

struct ast_file *parse_mem(struct polc_ctx *ctx, const char *name,
			   const char *text, size_t len, int *rc)
{
	struct ast_file *file = NULL;
	uint32_t id = source_add(ctx, name, text, len);
	int r;

	ck_assert_uint_gt(id, 0);
	r = ast_parse(ctx, id, &file);
	ck_assert_ptr_nonnull(file);
	if (rc)
		*rc = r;
	return file;
}

struct ast_file *parse_str(struct polc_ctx *ctx, const char *text, int *rc)
{
	return parse_mem(ctx, "t.pol", text, strlen(text), rc);
}

struct ast_file *check_str(struct polc_ctx *ctx, const char *text, int *rc)
{
	int prc;
	struct ast_file *file = parse_str(ctx, text, &prc);
	int crc = ast_check(ctx, file);

	if (rc)
		*rc = prc != 0 || crc != 0 ? -1 : 0;
	return file;
}

/* Copy a malloc'd buffer into the arena so tests need not free it. */
static const char *keep(struct polc_ctx *ctx, char *buf, size_t len)
{
	char *s = arena_strndup(&ctx->arena, buf ? buf : "", buf ? len : 0);

	free(buf);
	return s;
}

static const char *render(struct polc_ctx *ctx, enum diag_format format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	diag_render(ctx, f, format, false);
	fclose(f);
	return keep(ctx, buf, len);
}

const char *diags_text(struct polc_ctx *ctx)
{
	return render(ctx, DIAG_FORMAT_TEXT);
}

const char *diags_json(struct polc_ctx *ctx)
{
	return render(ctx, DIAG_FORMAT_JSON);
}

const char *print_str(struct polc_ctx *ctx, const struct ast_file *file)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ast_print_file(ctx, file, f);
	fclose(f);
	return keep(ctx, buf, len);
}

char *fmt_str(const char *text)
{
	struct polc_ctx *ctx = polc_ctx_new();
	int rc;

	ck_assert_ptr_nonnull(ctx);
	struct ast_file *file = check_str(ctx, text, &rc);
	if (rc != 0)
		ck_abort_msg("input does not check:\n%s\n%s", text,
			     diags_text(ctx));
	char *out = strdup(print_str(ctx, file));
	polc_ctx_free(ctx);
	return out;
}

size_t diag_count(const struct polc_ctx *ctx)
{
	size_t n = 0;

	for (const struct diag *d = ctx->diags; d; d = d->next)
		n++;
	return n;
}

const struct diag *diag_nth(const struct polc_ctx *ctx, size_t n)
{
	const struct diag *d = ctx->diags;

	while (d && n--)
		d = d->next;
	return d;
}

void loc_line_col(struct polc_ctx *ctx, struct polc_loc loc, unsigned *line,
		  unsigned *col)
{
	source_line_col(ctx, loc.file, loc.start, line, col);
}

void assert_one_error(struct polc_ctx *ctx, unsigned line, unsigned col,
		      const char *msg)
{
	const struct diag *d = ctx->diags;
	unsigned l, c;

	ck_assert_msg(d != NULL, "no diagnostic; expected '%s'", msg);
	ck_assert_msg(d->next == NULL, "more than one diagnostic:\n%s",
		      diags_text(ctx));
	ck_assert_int_eq(d->severity, DIAG_ERROR);
	ck_assert_str_eq(d->message, msg);
	loc_line_col(ctx, d->loc, &l, &c);
	ck_assert_uint_eq(l, line);
	ck_assert_uint_eq(c, col);
	ck_assert_uint_eq(ctx->nerrors, 1);
}

const struct diag *assert_has_error(struct polc_ctx *ctx, const char *msg)
{
	for (const struct diag *d = ctx->diags; d; d = d->next)
		if (d->severity == DIAG_ERROR && strcmp(d->message, msg) == 0)
			return d;
	ck_abort_msg("no error '%s' among:\n%s", msg, diags_text(ctx));
	return NULL;
}

struct ast_stmt *stmt_at(const struct ast_file *file, size_t i, size_t j)
{
	ck_assert_uint_gt(file->items.len, i);
	const struct ast_item *it = file->items.items[i];
	ck_assert_uint_gt(it->body.len, j);
	return it->body.items[j];
}

struct ast_stmt *first_stmt(const struct ast_file *file)
{
	return stmt_at(file, 0, 0);
}

const char *word_at(const struct ptrvec *v, size_t i)
{
	ck_assert_uint_gt(v->len, i);
	return ((const struct ast_word *)v->items[i])->text;
}
