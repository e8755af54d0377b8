/*
 * load.h - from file names to parsed, checked syntax trees.
 *
 * Loading a file parses it, checks it (check.h) and follows its imports:
 * relative to the importing file first, then each search directory, then
 * the embedded stdlib.  Imports nest at most LOAD_MAX_DEPTH deep; a cycle
 * is an error that names every import on it.  Every file is parsed once
 * per context, however often it is imported, so each rule keeps one
 * provenance.  The library is every .pol file under the search directories
 * followed by the embedded stdlib.  A file's library name is its path below
 * its directory ("profiles/default.pol"); a file in an earlier directory
 * hides a later one of the same library name, which is how users replace a
 * stdlib file.  Names are global: a profile, group, variable or set defined
 * twice in the library is an error; a file named on the command line, loaded
 * first, may redefine a library name for that compilation.
 */
#ifndef POLC_FRONTEND_LOAD_H
#define POLC_FRONTEND_LOAD_H

#include "../common/arena.h"
#include "ast.h"

enum { LOAD_MAX_DEPTH = 16 };

struct polc_ctx;

/**
 * struct load_unit - files loaded together
 * @files: struct ast_file *, each once, in load order (imports first)
 */
struct load_unit {
	struct ptrvec files;
};

/*
 * Load the file at @path and its imports into @unit.  Returns 0 when every
 * file parsed and checked cleanly, -1 otherwise (diagnostics queued; the
 * trees that could be built are still in @unit).
 */
int load_path(struct polc_ctx *ctx, const char *path, struct load_unit *unit);

/*
 * Load the whole library (see the file comment) into @unit.  Files already
 * in @unit (those named on the command line) come first, so a name they
 * define hides the library's.  Returns 0 or -1.
 */
int load_library(struct polc_ctx *ctx, struct load_unit *unit);

/* The profile (or group, …) named @name in @unit, or NULL. */
const struct ast_item *load_find(const struct load_unit *unit,
				 enum ast_item_kind kind, const char *name);

/* The file of @unit that defines @item. */
const struct ast_file *load_file_of(const struct load_unit *unit,
				    const struct ast_item *item);

#endif
