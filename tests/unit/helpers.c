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
#include "tests/pinned.h"

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

/* ---- resolution fixtures ---------------------------------------------- */

struct ast_file *unit_add(struct polc_ctx *ctx, struct load_unit *unit,
			  const char *name, const char *text)
{
	int prc;
	struct ast_file *file = parse_mem(ctx, name, text, strlen(text), &prc);

	if (prc != 0 || ast_check(ctx, file) != 0)
		ck_abort_msg("%s does not check:\n%s\n%s", name, text,
			     diags_text(ctx));
	ptrvec_push(&ctx->arena, &unit->files, file);
	return file;
}

void test_options(struct polc_ctx *ctx, struct ir_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	for (int i = 0; i < IR_VAR_COUNT; i++) {
		if (i <= IR_VAR_WORKDIR)
			ctx->variables[i] = pinned_builtins[i];
		opts->builtins[i] = pinned_builtins[i];
	}
}

struct polc_ctx *stdlib_ctx(struct load_unit *unit, struct ir_options *opts)
{
	struct polc_ctx *ctx = polc_ctx_new();

	ck_assert_ptr_nonnull(ctx);
	*unit = (struct load_unit){ 0 };
	test_options(ctx, opts);
	if (load_library(ctx, unit) != 0 || ctx->nerrors || ctx->nwarnings)
		ck_abort_msg("the stdlib does not load cleanly:\n%s",
			     diags_text(ctx));
	return ctx;
}

const char *diags_brief(struct polc_ctx *ctx)
{
	const char *all = diags_text(ctx);
	char *out = arena_alloc(&ctx->arena, strlen(all) + 1);
	size_t len = 0;

	ck_assert_ptr_nonnull(out);
	for (const char *line = all; *line;) {
		const char *end = strchrnul(line, '\n');
		size_t n = (size_t)(end - line) + (*end == '\n');

		if (line[0] != ' ') {
			memcpy(out + len, line, n);
			len += n;
		}
		line += n;
	}
	out[len] = '\0';
	return out;
}

const char *ir_text(struct polc_ctx *ctx, const struct ir_policy *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ir_print(ctx, p, f);
	fclose(f);
	return keep(ctx, buf, len);
}

size_t count_path_rules(const struct ir_policy *p, const char *path)
{
	size_t n = 0;

	for (size_t i = 0; i < p->npaths; i++)
		n += strcmp(p->paths[i].path, path) == 0;
	return n;
}

const struct ir_path_rule *find_path_rule(const struct ir_policy *p,
					  const char *path)
{
	for (size_t i = 0; i < p->npaths; i++)
		if (strcmp(p->paths[i].path, path) == 0)
			return &p->paths[i];
	return NULL;
}

size_t word_count(const char *alphabet, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++)
		n *= strlen(alphabet);
	return n;
}

void word(char *out, const char *alphabet, size_t len, size_t n)
{
	size_t k = strlen(alphabet);

	for (size_t i = 0; i < len; i++, n /= k)
		out[i] = alphabet[n % k];
	out[len] = '\0';
}

enum ir_verdict decide(struct polc_ctx *ctx, const struct ir_policy *p,
		       unsigned platform, const char *path, unsigned access)
{
	struct ir_decision d;

	ir_decide_path(ctx, p, platform, path, access, &d);
	return d.verdict;
}
