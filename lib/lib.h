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
struct ir_env_rule;

/* Whether a PROFILE argument names a file ('/' in it, or a .pol suffix). */
bool lib_names_a_file(const char *arg);

/* Load the library; *rc receives load_library()'s result. */
struct load_unit *lib_library(struct polc_ctx *ctx, int *rc);

/* Resolve a PROFILE argument (a name, or a file); NULL after errors. */
const struct ir_policy *lib_resolve(struct polc_ctx *ctx, const char *arg,
				    bool raw);

/* An env rule as written, with its chain and place:
 * "env drop *_TOKEN  (env_deny_secrets ← default) at FILE:LINE:COL". */
const char *lib_env_rule(struct polc_ctx *ctx, const struct ir_env_rule *r);
/* lib_resolve() that also gives the unit the profile was resolved in. */
const struct ir_policy *lib_resolve_in(struct polc_ctx *ctx, const char *arg,
				       bool raw, struct load_unit **unit);

/* environ filtered by @p's env rules on @platform, plus its env set
 * values (arena). */
char **lib_child_environment(struct polc_ctx *ctx, const struct ir_policy *p,
			     unsigned platform);
/*
 * Resolve a PROFILE argument with the built-ins bound to @values (indexed
 * like enum ir_builtin; NULL: the documented default) rather than to the
 * values given; NULL after errors.
 */
const struct ir_policy *lib_resolve_with(struct polc_ctx *ctx, const char *arg,
					 const char *const *values);

/*
 * Which of @modes (IR_READ… bits) a deny of @p takes away, on one of
 * @platforms, on a path a rule at @path (.pol path text, unquoted; a
 * `file` rule or a subtree) overlaps: the denies an override there would
 * lift.  *@ok is false when @path does not expand (an error says why).
 */
unsigned lib_denied_near(struct polc_ctx *ctx, const struct ir_policy *p,
			 const char *path, bool file, unsigned platforms,
			 unsigned modes, bool *ok);

/* The description of a profile or group, or "". */
const char *lib_description(const struct ast_item *it);

#endif
