/*
 * diag.h - compiler-style diagnostics.
 *
 * Stages queue diagnostic records on the context; nothing is printed until
 * the caller renders the queue, as GCC-style text (file:line:col, source
 * line, caret and tildes, notes) or as JSON for tools.  The number of errors
 * one run records is capped so a broken file cannot flood the terminal; the
 * cap is reported once.
 */
#ifndef POLC_COMMON_DIAG_H
#define POLC_COMMON_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "loc.h"

struct polc_ctx;

enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING,
	DIAG_NOTE,
};

/**
 * struct diag - one queued diagnostic
 * @severity: error, warning or (only as a child) note
 * @loc: where it points; file 0 when it has no source location
 * @subject: what to name instead of a file when @loc has none (a path on
 *           the command line, say); NULL for "polc"
 * @message: the text after "error: "
 * @notes: follow-up notes, in order
 * @next: the next record in the queue (or the next note)
 */
struct diag {
	enum diag_severity severity;
	struct polc_loc loc;
	const char *subject;
	const char *message;
	struct diag *notes;
	struct diag *next;
};

/*
 * Queue an error or warning; returns the record so notes can be attached,
 * or NULL when the error cap swallowed it or memory ran out (diag_note()
 * accepts NULL).
 */
struct diag *diag_at(struct polc_ctx *ctx, enum diag_severity sev,
		     struct polc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Like diag_at() for problems that belong to a named thing, not a line. */
struct diag *diag_subject(struct polc_ctx *ctx, enum diag_severity sev,
			  const char *subject, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

void diag_note(struct polc_ctx *ctx, struct diag *parent, struct polc_loc loc,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* True once an error was dropped by the cap: stages should stop early. */
bool diag_cap_reached(const struct polc_ctx *ctx);

enum diag_format {
	DIAG_FORMAT_TEXT,
	DIAG_FORMAT_JSON,
};

/* Print and drop every queued diagnostic. */
void diag_render(struct polc_ctx *ctx, FILE *out, enum diag_format format,
		 bool colour);

#endif
