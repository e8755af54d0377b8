/*
 * snapshot.h - the embedded stdlib, already parsed and checked.
 *
 * polc-gen-snapshot (gen_snapshot.c) runs the scanner, the parser and the
 * checker over every file of the embedded table (embedded.h) when polc is
 * built, and writes the syntax trees out as C data.  stdlib_snapshot[i] is
 * the checked tree of stdlib_files[i], its locations in file
 * SOURCE_EMBEDDED_BASE + i: the loader takes it instead of parsing the
 * text again, and diagnostics and provenance read the same text as ever.
 * The trees are the loader's like any other: nothing writes to them after
 * the checker.
 */
#ifndef POLC_FRONTEND_SNAPSHOT_H
#define POLC_FRONTEND_SNAPSHOT_H

#include "ast.h"

extern struct ast_file *const stdlib_snapshot[];
extern const unsigned stdlib_snapshot_count;

#endif
