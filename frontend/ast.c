/*
 * ast.c - constructors for syntax tree nodes (all in the arena).
 */
#include "ast.h"

#include "../common/ctx.h"

struct ast_word *ast_word_new(struct polc_ctx *ctx, const char *text,
			      struct polc_loc loc, bool quoted)
{
	struct ast_word *w = arena_alloc(&ctx->arena, sizeof(*w));

	w->text = arena_strdup(&ctx->arena, text);
	w->loc = loc;
	w->quoted = quoted;
	return w;
}

struct ast_stmt *ast_stmt_new(struct polc_ctx *ctx, enum ast_stmt_kind kind,
			      struct polc_loc loc)
{
	struct ast_stmt *s = arena_alloc(&ctx->arena, sizeof(*s));

	s->kind = kind;
	s->loc = loc;
	return s;
}

struct ast_item *ast_item_new(struct polc_ctx *ctx, enum ast_item_kind kind,
			      struct polc_loc loc)
{
	struct ast_item *it = arena_alloc(&ctx->arena, sizeof(*it));

	it->kind = kind;
	it->loc = loc;
	return it;
}
