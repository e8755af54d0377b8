/*
 * seatbelt.h - the IR's macOS rules as a Seatbelt profile (SBPL text).
 *
 * sb_lower() prints a "(version 1)" profile for sandbox-exec whose answer,
 * under Seatbelt's last-match-wins, is the decision procedure's for every
 * path and access: rules are emitted in three tiers, allows, then denies,
 * then overrides (spec/backends/seatbelt.md §1).  What SBPL cannot express
 * exactly is an error, or a warning with best effort, never dropped.
 * sb_validate() checks the structure of SBPL text; sb_launch_argv() builds
 * the sandbox-exec command line.  Includes no other backend and not the
 * frontend.
 */
#ifndef POLC_BACKENDS_SEATBELT_H
#define POLC_BACKENDS_SEATBELT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct polc_ctx;
struct ir_policy;

/*
 * Placeholders of built-ins kept symbolic: "/" SB_MARK_ABS NAME SB_END for
 * those whose values are absolute paths, SB_MARK NAME SB_END for the others
 * ($UID, $USER).  Control characters: no path polc emits holds one.
 */
#define SB_MARK_ABS '\x1d'
#define SB_MARK	    '\x1f'
#define SB_END	    '\x1e'

/**
 * struct sb_param - a built-in variable kept symbolic
 * @name: "HOME"
 * @value: what sandbox-exec gets with -D NAME=VALUE
 */
struct sb_param {
	const char *name;
	const char *value;
};

/*
 * The value to resolve built-in @name with when it stays symbolic: a
 * placeholder no real path holds, absolute when @absolute.
 */
const char *sb_placeholder(struct polc_ctx *ctx, const char *name,
			   bool absolute);

/**
 * struct sb_options - how to lower
 * @best_effort: what SBPL cannot express is a warning, not an error
 * @params: the built-ins resolved as placeholders, with their values
 * @nparams: entries in @params
 */
struct sb_options {
	bool best_effort;
	const struct sb_param *params;
	size_t nparams;
};

/**
 * struct sb_profile - an emitted profile
 * @text: the SBPL text, NUL-terminated, @len bytes
 * @params: the parameters it refers to (for -D), @nparams of them
 */
struct sb_profile {
	const char *text;
	size_t len;
	const struct sb_param *params;
	size_t nparams;
};

/*
 * Lower the macOS rules of @p into *@out (allocated in ctx's arena).
 * Returns 0, or -1 with errors queued.
 */
int sb_lower(struct polc_ctx *ctx, const struct ir_policy *p,
	     const struct sb_options *opts, struct sb_profile *out);

/*
 * Check SBPL @text (@len bytes; @name names it in messages): balanced
 * s-expressions, string escapes, (version 1) first, known operations and
 * filters, and no rule repeated or shadowed by a later one with the same
 * filter.  Returns 0, or -1 with errors queued.
 */
int sb_validate(struct polc_ctx *ctx, const char *name, const char *text,
		size_t len);

/*
 * The command line that runs @cmd (NULL-terminated) under the profile in
 * file @file: /usr/bin/sandbox-exec -f FILE -D NAME=VALUE… -- CMD…,
 * NULL-terminated, in ctx's arena; NULL when out of memory.
 */
char **sb_launch_argv(struct polc_ctx *ctx, const char *file,
		      const struct sb_param *params, size_t nparams,
		      char *const *cmd);

/* Print " WORD…" for @argv, each word quoted for a POSIX shell if needed. */
void sb_print_command(FILE *out, char *const *argv);

#endif
