/*
 * sexp.h - an s-expression reader for SBPL text.
 *
 * Reads lists, symbols and strings (with SBPL's escapes decoded), skipping
 * ';' comments, and remembers where each form starts.  The validator and
 * the tests' SBPL evaluator read profiles with it.
 */
#ifndef POLC_BACKENDS_SEATBELT_SEXP_H
#define POLC_BACKENDS_SEATBELT_SEXP_H

#include <stddef.h>

struct polc_ctx;

enum sx_kind {
	SX_LIST,
	SX_SYMBOL,
	SX_STRING,
};

/**
 * struct sx - one form
 * @text: a symbol's name, or a string's decoded bytes (NUL-terminated)
 * @len: bytes in @text
 * @items: a list's forms, @n of them
 * @line: where it starts (1-based)
 * @col: its column (1-based, bytes)
 */
struct sx {
	enum sx_kind kind;
	const char *text;
	size_t len;
	struct sx **items;
	size_t n;
	unsigned line;
	unsigned col;
};

/*
 * Read every top-level form of @text (@len bytes) into *@forms (*@n of
 * them), in ctx's arena.  Unbalanced parentheses, unterminated strings,
 * unknown escapes and NUL bytes are errors named "@name:LINE:COL".
 * Returns 0, or -1 with errors queued.
 */
int sx_read(struct polc_ctx *ctx, const char *name, const char *text,
	    size_t len, struct sx ***forms, size_t *n);

/* Whether @x is the symbol @name. */
int sx_is(const struct sx *x, const char *name);

#endif
