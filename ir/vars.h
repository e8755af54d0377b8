/*
 * vars.h - variable expansion and path normalisation (resolution's helpers).
 *
 * A path or let value is expanded for one platform: a leading '~' becomes
 * $HOME, each $NAME or ${NAME} is replaced by the expanded value of the
 * innermost definition (the body's lets, those of its platform blocks that
 * apply on the platform, then the global lets, then the built-ins), and $$
 * becomes '$'.  Undefined names get "did you mean"; a cycle is reported with
 * a note at each definition on it; nesting is capped.
 */
#ifndef POLC_IR_VARS_H
#define POLC_IR_VARS_H

#include <stdbool.h>

#include "common/arena.h"
#include "frontend/ast.h"
#include "ir/ir.h"

struct load_unit;

/**
 * struct var_scope - the lets visible where a word was written
 * @lets: struct scope_let *: those of the enclosing profile or group body
 *        and of its platform blocks; empty at top level
 */
struct var_scope {
	struct ptrvec lets;
};

/* A let of a body, and the platforms its block limits it to. */
struct scope_let {
	const struct ast_stmt *let;
	unsigned platforms;
};

/* Index the lets of @body once (resolution expands many words in it). */
void vars_scope_init(struct polc_ctx *ctx, struct var_scope *scope,
		     const struct ptrvec *body);

/**
 * struct var_env - what expansion reads
 * @globals: struct ast_item *: the top-level lets of the compilation
 * @opts: the built-ins' values
 */
struct var_env {
	struct polc_ctx *ctx;
	struct ptrvec globals;
	const struct ir_options *opts;
};

void vars_env_init(struct var_env *env, struct polc_ctx *ctx,
		   const struct load_unit *unit, const struct ir_options *opts);

/*
 * Expand @w on @platform.  Returns the text (in the arena, or @w's own
 * text when it holds nothing to expand), or NULL after reporting an error
 * when @report is set.  *@by_platform (unless NULL)
 * tells whether the text may differ on the other platform: it read a let
 * defined in a platform block.
 */
const char *vars_expand(struct var_env *env, const struct var_scope *scope,
			const struct ast_word *w, unsigned platform,
			bool report, bool *by_platform);

/*
 * Where user variable @name, as seen from @scope on @platform, is defined.
 * False for built-ins and undefined names.
 */
bool vars_let_at(struct var_env *env, const struct var_scope *scope,
		 const char *name, unsigned platform, struct polc_loc *loc);

/*
 * Normalise an absolute path lexically: repeated '/' merged, "." dropped,
 * ".." removing the previous component (staying at the root), no trailing
 * '/'.  Symbolic links are not followed.  A path that is normal already
 * is returned as it is, not copied.
 */
const char *vars_normalise(struct polc_ctx *ctx, const char *path);

#endif
