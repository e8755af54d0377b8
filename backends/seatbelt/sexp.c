/*
 * sexp.c - the s-expression reader of SBPL text (sexp.h).
 *
 * A recursive descent over lists, capped in depth so that hostile input
 * cannot exhaust the stack.  Strings keep only the escapes TinyScheme,
 * which reads SBPL, defines: \" \\ \n \t \r; any other is an error rather
 * than a guess at what macOS would read.
 */
#include <string.h>

#include "backends/seatbelt/sexp.h"
#include "common/ctx.h"
#include "common/diag.h"

enum { SX_MAX_DEPTH = 64 };

struct reader {
	struct polc_ctx *ctx;
	const char *name;
	const char *s;
	size_t len;
	size_t pos;
	unsigned line;
	size_t line_start;
};

static int fail(struct reader *r, unsigned line, unsigned col, const char *what)
{
	diag_subject(
		r->ctx, DIAG_ERROR,
		arena_printf(&r->ctx->arena, "%s:%u:%u", r->name, line, col),
		"%s", what);
	return -1;
}

static unsigned col_of(const struct reader *r)
{
	return (unsigned)(r->pos - r->line_start) + 1;
}

static void skip_space(struct reader *r)
{
	while (r->pos < r->len) {
		char c = r->s[r->pos];

		if (c == ';') {
			while (r->pos < r->len && r->s[r->pos] != '\n')
				r->pos++;
		} else if (c == '\n') {
			r->pos++;
			r->line++;
			r->line_start = r->pos;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			r->pos++;
		} else {
			return;
		}
	}
}

static struct sx *node(struct reader *r, enum sx_kind kind)
{
	struct sx *x = arena_alloc(&r->ctx->arena, sizeof(*x));

	if (x) {
		x->kind = kind;
		x->line = r->line;
		x->col = col_of(r);
	}
	return x;
}

static int read_string(struct reader *r, struct sx *x)
{
	/* Decoding only shortens: the bytes up to the closing quote bound it.
	 */
	size_t end = r->pos + 1;

	while (end < r->len && r->s[end] != '"')
		end += r->s[end] == '\\' ? 2 : 1;
	char *out = arena_alloc(&r->ctx->arena, end - r->pos + 1);
	size_t n = 0;

	if (!out)
		return -1;
	r->pos++;
	while (r->pos < r->len && r->s[r->pos] != '"') {
		char c = r->s[r->pos++];

		if (c == '\0')
			return fail(r, r->line, col_of(r),
				    "NUL byte in a string");
		if (c == '\n') {
			r->line++;
			r->line_start = r->pos;
		}
		if (c == '\\') {
			const char *from = "\"\\ntr", *to = "\"\\\n\t\r";
			const char *e = r->pos < r->len
						? strchr(from, r->s[r->pos])
						: NULL;

			if (!e || !*e)
				return fail(r, r->line, col_of(r),
					    "unknown escape in a string (SBPL "
					    "knows \\\" \\\\ \\n \\t \\r)");
			c = to[e - from];
			r->pos++;
		}
		out[n++] = c;
	}
	if (r->pos >= r->len)
		return fail(r, x->line, x->col, "unterminated string");
	r->pos++;
	out[n] = '\0';
	x->text = out;
	x->len = n;
	return 0;
}

static struct sx *read_form(struct reader *r, unsigned depth);

static int read_list(struct reader *r, struct sx *x, unsigned depth)
{
	size_t cap = 0;

	if (depth >= SX_MAX_DEPTH)
		return fail(r, x->line, x->col, "lists nest too deeply");
	r->pos++;
	for (;;) {
		skip_space(r);
		if (r->pos >= r->len)
			return fail(r, x->line, x->col, "'(' is never closed");
		if (r->s[r->pos] == ')') {
			r->pos++;
			return 0;
		}
		struct sx *item = read_form(r, depth + 1);
		if (!item)
			return -1;
		struct sx **slot =
			arena_array_push(&r->ctx->arena, (void **)&x->items,
					 &x->n, &cap, sizeof(*slot));
		if (!slot)
			return -1;
		*slot = item;
	}
}

static struct sx *read_form(struct reader *r, unsigned depth)
{
	char c = r->s[r->pos];
	struct sx *x;

	if (c == ')') {
		fail(r, r->line, col_of(r), "')' closes nothing");
		return NULL;
	}
	x = node(r, c == '(' ? SX_LIST : c == '"' ? SX_STRING : SX_SYMBOL);
	if (!x)
		return NULL;
	if (c == '(')
		return read_list(r, x, depth) == 0 ? x : NULL;
	if (c == '"')
		return read_string(r, x) == 0 ? x : NULL;
	size_t start = r->pos;
	/* strchr() finds a NUL byte in the set: test for it first. */
	while (r->pos < r->len && r->s[r->pos] != '\0' &&
	       !strchr(" \t\r\n();\"", r->s[r->pos]))
		r->pos++;
	if (r->pos == start) {
		fail(r, r->line, col_of(r),
		     r->s[r->pos] ? "unexpected character" : "NUL byte");
		return NULL;
	}
	x->len = r->pos - start;
	x->text = arena_strndup(&r->ctx->arena, r->s + start, x->len);
	return x->text ? x : NULL;
}

int sx_read(struct polc_ctx *ctx, const char *name, const char *text,
	    size_t len, struct sx ***forms, size_t *n)
{
	struct reader r = {
		.ctx = ctx, .name = name, .s = text, .len = len, .line = 1
	};
	size_t cap = 0;

	*forms = NULL;
	*n = 0;
	for (;;) {
		skip_space(&r);
		if (r.pos >= r.len)
			return 0;
		struct sx *x = read_form(&r, 0);
		if (!x)
			return -1;
		struct sx **slot = arena_array_push(&ctx->arena, (void **)forms,
						    n, &cap, sizeof(*slot));
		if (!slot)
			return -1;
		*slot = x;
	}
}

int sx_is(const struct sx *x, const char *name)
{
	return x && x->kind == SX_SYMBOL && strcmp(x->text, name) == 0;
}
