/*
 * load.h - from file names to parsed, checked syntax trees.
 *
 * Loading a file parses it, checks it (check.h) and follows its imports:
 * relative to the importing file first, then each search directory, then
 * the embedded stdlib.  Imports nest at most LOAD_MAX_DEPTH deep; a cycle
 * is an error that names every import on it.  Every file is parsed once
 * per context, however often it is imported, so each rule keeps one
 * provenance.  The library is every .pol file under the search directories
 * followed by the embedded stdlib; a name defined in an earlier layer hides
 * the same name in a later one, which is how users override the stdlib.
 */
#ifndef POLC_FRONTEND_LOAD_H
#define POLC_FRONTEND_LOAD_H

#include "../common/arena.h"
#include "ast.h"

enum { LOAD_MAX_DEPTH = 16 };

struct polc_ctx;

/**
 * struct load_layer - the files that came from one place
 * @name: the search directory, or "stdlib"
 * @first: index of the layer's first file in the unit
 * @count: how many files it holds
 */
struct load_layer {
	const char *name;
	size_t first;
	size_t count;
};

/**
 * struct load_unit - files loaded together
 * @files: struct ast_file *, each once, in load order (imports first)
 * @layers: struct load_layer *, for a library load
 */
struct load_unit {
	struct ptrvec files;
	struct ptrvec layers;
};

/*
 * Load the file at @path and its imports into @unit.  Returns 0 when every
 * file parsed and checked cleanly, -1 otherwise (diagnostics queued; the
 * trees that could be built are still in @unit).
 */
int load_path(struct polc_ctx *ctx, const char *path, struct load_unit *unit);

/* Load the whole library (see the file comment).  Returns 0 or -1. */
int load_library(struct polc_ctx *ctx, struct load_unit *unit);

/* The first profile (or group) named @name in @unit, or NULL. */
const struct ast_item *load_find(const struct load_unit *unit,
				 enum ast_item_kind kind, const char *name);

/* The file of @unit that defines @item. */
const struct ast_file *load_file_of(const struct load_unit *unit,
				    const struct ast_item *item);

#endif
