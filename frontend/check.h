/*
 * check.h - validation that needs no name resolution.
 *
 * The checker walks parsed files and reports, with locations: statements in
 * the wrong place (required in a profile, exclude in a group, nested
 * platform blocks), unknown contextual words with "did you mean" (access
 * modes, Landlock rights, platforms, syscall actions, network words, env
 * actions, IPC scopes, constants), malformed paths, bad ports and numbers,
 * syscall names libseccomp does not know, and duplicate definitions across
 * the files of one unit.  It also decodes access expressions into their bit
 * sets (struct ast_access.modes and .rights) for the stages after it.
 */
#ifndef POLC_FRONTEND_CHECK_H
#define POLC_FRONTEND_CHECK_H

#include "../common/arena.h"
#include "ast.h"

struct polc_ctx;

/* Check one file.  Returns 0 when it is clean, -1 after queueing errors. */
int ast_check(struct polc_ctx *ctx, struct ast_file *file);

/*
 * Report profiles, groups, sets and top-level variables defined twice
 * among @files (struct ast_file *), with a note at the first definition.
 * Returns 0 when there are none, -1 otherwise.
 */
int ast_check_duplicates(struct polc_ctx *ctx, const struct ptrvec *files);

#endif
