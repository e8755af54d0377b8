/*
 * lib.h - what the public API's files share (not installed).
 */
#ifndef POLC_LIB_LIB_H
#define POLC_LIB_LIB_H

#include <stdbool.h>

struct polc_ctx;
struct load_unit;
struct ast_item;
struct ir_policy;

/* Whether a PROFILE argument names a file ('/' in it, or a .pol suffix). */
bool lib_names_a_file(const char *arg);

/* Load the library; *rc receives load_library()'s result. */
struct load_unit *lib_library(struct polc_ctx *ctx, int *rc);

/* Resolve a PROFILE argument (a name, or a file); NULL after errors. */
const struct ir_policy *lib_resolve(struct polc_ctx *ctx, const char *arg,
				    bool raw);

/*
 * Resolve a PROFILE argument with the built-ins bound to @values (indexed
 * like enum ir_builtin; NULL: the documented default) rather than to the
 * values given; NULL after errors.
 */
const struct ir_policy *lib_resolve_with(struct polc_ctx *ctx, const char *arg,
					 const char *const *values);

/* The description of a profile or group, or "". */
const char *lib_description(const struct ast_item *it);

#endif
