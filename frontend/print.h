/*
 * print.h - the canonical printer: syntax tree back to .pol text.
 *
 * The output is the one canonical form of a file (spec/language.md,
 * "Canonical form"): 4-space indentation, canonical access spellings, bare
 * paths where a bare token can hold them, lists wrapped greedily at 80
 * columns, blank-line runs collapsed, comments kept.  Printing a printed
 * file gives the same bytes (a fixed point, tested on every stdlib file).
 * It needs a tree that passed ast_check(), which decodes access modes.
 */
#ifndef POLC_FRONTEND_PRINT_H
#define POLC_FRONTEND_PRINT_H

#include <stdio.h>

#include "ast.h"

struct polc_ctx;

/* Print a whole file with its comments. */
void ast_print_file(struct polc_ctx *ctx, const struct ast_file *file,
		    FILE *out);

/* Print one top-level item, without the comments around it. */
void ast_print_item(struct polc_ctx *ctx, const struct ast_item *item,
		    FILE *out);

#endif
