/*
 * ctx.h - the compilation context behind the public polc_ctx handle.
 *
 * One context is one compilation: it owns the arena, the source table, the
 * diagnostic queue and the options.  There is no global state anywhere in
 * the library; everything a stage needs hangs off this structure.
 */
#ifndef POLC_COMMON_CTX_H
#define POLC_COMMON_CTX_H

#include "arena.h"
#include "diag.h"

enum { CTX_DEFAULT_MAX_ERRORS = 20, CTX_MAX_VARIABLES = 16 };

/**
 * struct polc_ctx - one compilation
 * @arena: owns everything below except what says otherwise
 * @sources: struct source * by file index; slot 0 is unused
 * @embedded_sources: the stdlib's files, by their index less
 *                    SOURCE_EMBEDDED_BASE; NULL until loaded
 * @diags: first queued diagnostic; @diags_tail the last
 * @nerrors: errors queued (including those dropped by the cap)
 * @nerrors_unlocated: errors about an input as a whole (unreadable file,
 *                     unknown name), which call for exit status 2
 * @nwarnings: warnings queued
 * @max_errors: cap on queued errors; 0 means no cap
 * @search_dirs: directories searched for imports and names, in order
 * @parsed: every file parsed so far (frontend-owned entries), so no file
 *          is parsed twice in one compilation
 * @variables: values of the built-in variables, indexed like enum
 *             ir_builtin; NULL where not given
 */
struct polc_ctx {
	struct arena arena;
	struct ptrvec sources;
	struct ptrvec embedded_sources;
	struct diag *diags;
	struct diag *diags_tail;
	unsigned nerrors;
	unsigned nerrors_unlocated;
	unsigned nwarnings;
	unsigned max_errors;
	struct ptrvec search_dirs;
	struct ptrvec parsed;
	const char *variables[CTX_MAX_VARIABLES];
};

#endif
