/*
 * helpers.h - shared fixtures of the unit tests: parse a string, render
 * the queued diagnostics, print a tree, find a diagnostic.
 */
#ifndef POLC_TESTS_UNIT_HELPERS_H
#define POLC_TESTS_UNIT_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "frontend/ast.h"
#include "frontend/load.h"
#include "include/polc.h"
#include "ir/ir.h"

/*
 * Parse @text (NUL-terminated; it must outlive @ctx) as file "t.pol".
 * *rc (when not NULL) receives ast_parse()'s result.
 */
struct ast_file *parse_str(struct polc_ctx *ctx, const char *text, int *rc);

/* Like parse_str() for @len bytes that may hold NUL bytes. */
struct ast_file *parse_mem(struct polc_ctx *ctx, const char *name,
			   const char *text, size_t len, int *rc);

/* Parse and check @text; *rc gets -1 when either stage failed. */
struct ast_file *check_str(struct polc_ctx *ctx, const char *text, int *rc);

/* The queued diagnostics rendered as plain text / JSON (arena memory). */
const char *diags_text(struct polc_ctx *ctx);
const char *diags_json(struct polc_ctx *ctx);

/* @file printed canonically (arena memory). */
const char *print_str(struct polc_ctx *ctx, const struct ast_file *file);

/*
 * The canonical text of @text: parse, check (asserting no error), print.
 * Returns malloc'd memory.
 */
char *fmt_str(const char *text);

/* Number of queued diagnostics, and the @n-th in queue order (or NULL). */
size_t diag_count(const struct polc_ctx *ctx);
const struct diag *diag_nth(const struct polc_ctx *ctx, size_t n);

/* Line and column of the start of @loc. */
void loc_line_col(struct polc_ctx *ctx, struct polc_loc loc, unsigned *line,
		  unsigned *col);

/*
 * Assert that @ctx holds exactly one diagnostic: an error at @line:@col
 * with message @msg.
 */
void assert_one_error(struct polc_ctx *ctx, unsigned line, unsigned col,
		      const char *msg);

/* Assert that some queued error has message @msg; returns it. */
const struct diag *assert_has_error(struct polc_ctx *ctx, const char *msg);

/* The first statement of the first item of @file. */
struct ast_stmt *first_stmt(const struct ast_file *file);

/* Item @i and statement @j of its body. */
struct ast_stmt *stmt_at(const struct ast_file *file, size_t i, size_t j);

/* The text of word @i of @v. */
const char *word_at(const struct ptrvec *v, size_t i);

/* ---- resolution fixtures ---------------------------------------------- */

/*
 * Parse and check @text (it must outlive @ctx) as file @name, asserting that
 * it is clean, and append the tree to @unit.
 */
struct ast_file *unit_add(struct polc_ctx *ctx, struct load_unit *unit,
			  const char *name, const char *text);

/*
 * The built-ins of the resolution tests, set in ctx->variables and filled
 * into @opts the way lib/policy.c does: HOME=/home/user,
 * WORKDIR=/work/project, TMPDIR=/tmp, UID=1000, USER=user, the XDG
 * directories below HOME and XDG_RUNTIME_DIR=/run/user/1000.
 */
void test_options(struct polc_ctx *ctx, struct ir_options *opts);

/*
 * A new context with test_options() and the stdlib loaded into @unit,
 * aborting the test unless it loads without a diagnostic.
 */
struct polc_ctx *stdlib_ctx(struct load_unit *unit, struct ir_options *opts);

/*
 * The queued diagnostics, rendered (sorted, repeats dropped) and dropped,
 * keeping only the first line of each diagnostic and note:
 * "t.pol:2:5: error: …\n".
 */
const char *diags_brief(struct polc_ctx *ctx);

/* ir_print() of @p (arena memory). */
const char *ir_text(struct polc_ctx *ctx, const struct ir_policy *p);

/* The number of path rules of @p on @path, and the first of them (or NULL). */
size_t count_path_rules(const struct ir_policy *p, const char *path);
const struct ir_path_rule *find_path_rule(const struct ir_policy *p,
					  const char *path);

/* How many words of @len letters of @alphabet there are. */
size_t word_count(const char *alphabet, size_t len);

/* The word of @len letters of @alphabet numbered @n, into @out (@len + 1
 * bytes): exhaustive tests walk n from 0 to word_count(). */
void word(char *out, const char *alphabet, size_t len, size_t n);

/* The verdict of ir_decide_path() for one question. */
enum ir_verdict decide(struct polc_ctx *ctx, const struct ir_policy *p,
		       unsigned platform, const char *path, unsigned access);

#endif
