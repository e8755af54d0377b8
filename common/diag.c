/*
 * diag.c - queueing and rendering diagnostics.
 *
 * Text rendering follows GCC: "name:line:col: severity: message", then the
 * source line behind a gutter, then a caret under the first byte and tildes
 * under the rest of the range on that line.  Tabs in the source line are
 * copied into the caret line so the caret stays aligned whatever the
 * terminal's tab width.  Colour uses GCC's palette and is the caller's
 * choice (the CLI enables it only on a terminal without NO_COLOR).
 */
#include "diag.h"

#include <stdarg.h>
#include <string.h>

#include "ctx.h"
#include "json.h"
#include "source.h"

__attribute__((format(printf, 5, 0))) static struct diag *
make(struct polc_ctx *ctx, enum diag_severity sev, struct polc_loc loc,
     const char *subject, const char *fmt, va_list ap)
{
	struct diag *d = arena_alloc(&ctx->arena, sizeof(*d));
	char small[512];
	va_list copy;

	d->severity = sev;
	d->loc = loc;
	d->subject = subject ? arena_strdup(&ctx->arena, subject) : NULL;
	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n >= 0 && (size_t)n < sizeof(small)) {
		d->message = arena_strdup(&ctx->arena, small);
	} else {
		char *big =
			n < 0 ? NULL : arena_alloc(&ctx->arena, (size_t)n + 1);
		if (big)
			vsnprintf(big, (size_t)n + 1, fmt, ap);
		d->message = big ? big : "(message lost: out of memory)";
	}
	/* Out of memory, @d is the arena's scratch block, which the next
	 * allocation reuses: counted, but never queued. */
	return arena_failed(&ctx->arena) ? NULL : d;
}

static void enqueue(struct polc_ctx *ctx, struct diag *d)
{
	if (!d)
		return;
	if (ctx->diags_tail)
		ctx->diags_tail->next = d;
	else
		ctx->diags = d;
	ctx->diags_tail = d;
}

/* Counts the record; returns false when the error cap swallows it. */
static bool admit(struct polc_ctx *ctx, enum diag_severity sev)
{
	if (sev == DIAG_WARNING)
		ctx->nwarnings++;
	if (sev != DIAG_ERROR)
		return true;
	if (ctx->max_errors && ctx->nerrors >= ctx->max_errors) {
		if (ctx->nerrors++ == ctx->max_errors) {
			struct diag *d = arena_alloc(&ctx->arena, sizeof(*d));
			d->severity = DIAG_ERROR;
			d->message = arena_printf(&ctx->arena,
						  "too many errors, stopping "
						  "now (limit %u)",
						  ctx->max_errors);
			if (!arena_failed(&ctx->arena))
				enqueue(ctx, d);
		}
		return false;
	}
	ctx->nerrors++;
	return true;
}

struct diag *diag_at(struct polc_ctx *ctx, enum diag_severity sev,
		     struct polc_loc loc, const char *fmt, ...)
{
	va_list ap;

	if (!admit(ctx, sev))
		return NULL;
	va_start(ap, fmt);
	struct diag *d = make(ctx, sev, loc, NULL, fmt, ap);
	va_end(ap);
	enqueue(ctx, d);
	return d;
}

struct diag *diag_subject(struct polc_ctx *ctx, enum diag_severity sev,
			  const char *subject, const char *fmt, ...)
{
	va_list ap;

	if (sev == DIAG_ERROR)
		ctx->nerrors_unlocated++;
	if (!admit(ctx, sev))
		return NULL;
	va_start(ap, fmt);
	struct diag *d =
		make(ctx, sev, (struct polc_loc){ 0, 0, 0 }, subject, fmt, ap);
	va_end(ap);
	enqueue(ctx, d);
	return d;
}

void diag_note(struct polc_ctx *ctx, struct diag *parent, struct polc_loc loc,
	       const char *fmt, ...)
{
	va_list ap;
	struct diag **tail;

	if (!parent)
		return;
	va_start(ap, fmt);
	struct diag *d = make(ctx, DIAG_NOTE, loc, NULL, fmt, ap);
	va_end(ap);
	if (!d)
		return;
	for (tail = &parent->notes; *tail; tail = &(*tail)->next)
		;
	*tail = d;
}

bool diag_cap_reached(const struct polc_ctx *ctx)
{
	/* Only once an error was dropped, so the notice has been queued. */
	return ctx->max_errors && ctx->nerrors > ctx->max_errors;
}

/* ---- text ---------------------------------------------------------------- */

struct palette {
	const char *bold, *error, *warning, *note, *caret, *reset;
};

static const struct palette colours = {
	"\033[1m",    "\033[1;31m", "\033[1;35m",
	"\033[1;36m", "\033[1;32m", "\033[m",
};
static const struct palette plain = { "", "", "", "", "", "" };

static const char *severity_name(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	case DIAG_NOTE: return "note";
	}
	return "error";
}

static void print_included_from(struct polc_ctx *ctx, FILE *out,
				const struct source *s, const struct palette *p)
{
	while (s && s->included_from.file) {
		const struct source *parent =
			source_get(ctx, s->included_from.file);
		unsigned line, col;

		source_line_col(ctx, s->included_from.file,
				s->included_from.start, &line, &col);
		fprintf(out, "In file imported from %s%s:%u:%u:%s\n", p->bold,
			parent->name, line, col, p->reset);
		s = parent;
	}
}

static void print_excerpt(struct polc_ctx *ctx, FILE *out, struct polc_loc loc,
			  unsigned line, unsigned col, const struct palette *p)
{
	size_t len;
	const char *text = source_line_text(ctx, loc.file, line, &len);
	char gutter[16];
	int width = snprintf(gutter, sizeof(gutter), "%u", line);

	if (width < 4)
		width = 4;
	fprintf(out, " %*u | %.*s\n", width, line, (int)len, text);
	fprintf(out, " %*s | ", width, "");
	for (unsigned i = 0; i + 1 < col && i < len; i++)
		fputc(text[i] == '\t' ? '\t' : ' ', out);
	fputs(p->caret, out);
	fputc('^', out);
	/* Tildes under the rest of the range, stopping at the line's end. */
	size_t first = col - 1;
	size_t last = first + (loc.end > loc.start ? loc.end - loc.start : 1);
	if (last > len)
		last = len;
	for (size_t i = first + 1; i < last; i++)
		fputc('~', out);
	fprintf(out, "%s\n", p->reset);
}

static void render_one_text(struct polc_ctx *ctx, FILE *out,
			    const struct diag *d, const struct palette *p)
{
	const struct source *s = source_get(ctx, d->loc.file);
	const char *sev_colour = d->severity == DIAG_ERROR     ? p->error
				 : d->severity == DIAG_WARNING ? p->warning
							       : p->note;
	unsigned line = 0, col = 0;

	if (s) {
		if (d->severity != DIAG_NOTE)
			print_included_from(ctx, out, s, p);
		source_line_col(ctx, d->loc.file, d->loc.start, &line, &col);
		fprintf(out, "%s%s:%u:%u:%s ", p->bold, s->name, line, col,
			p->reset);
	} else {
		fprintf(out, "%s%s:%s ", p->bold,
			d->subject ? d->subject : "polc", p->reset);
	}
	fprintf(out, "%s%s:%s %s\n", sev_colour, severity_name(d->severity),
		p->reset, d->message);
	if (s)
		print_excerpt(ctx, out, d->loc, line, col, p);
}

/* ---- json ---------------------------------------------------------------- */

static void render_one_json(struct polc_ctx *ctx, FILE *out,
			    const struct diag *d)
{
	const struct source *s = source_get(ctx, d->loc.file);

	fputs("{\"severity\":", out);
	json_write_string(out, severity_name(d->severity));
	fputs(",\"message\":", out);
	json_write_string(out, d->message);
	if (s) {
		unsigned line, col, end_line, end_col;

		source_line_col(ctx, d->loc.file, d->loc.start, &line, &col);
		source_line_col(ctx, d->loc.file, d->loc.end, &end_line,
				&end_col);
		fputs(",\"file\":", out);
		json_write_string(out, s->name);
		fprintf(out,
			",\"line\":%u,\"column\":%u,\"end_line\":%u,"
			"\"end_column\":%u",
			line, col, end_line, end_col);
	} else {
		fputs(",\"file\":", out);
		json_write_string(out, d->subject);
	}
	fputs(",\"notes\":[", out);
	for (const struct diag *n = d->notes; n; n = n->next) {
		render_one_json(ctx, out, n);
		if (n->next)
			fputc(',', out);
	}
	fputs("]}", out);
}

/* Sort key: located diagnostics by file and offset, the others last. */
static bool goes_before(const struct diag *a, const struct diag *b)
{
	uint64_t ka = a->loc.file ? ((uint64_t)a->loc.file << 32) | a->loc.start
				  : UINT64_MAX;
	uint64_t kb = b->loc.file ? ((uint64_t)b->loc.file << 32) | b->loc.start
				  : UINT64_MAX;
	return ka < kb;
}

/*
 * Stages report in the order they run (parser, then checker); readers want
 * file order.  A stable insertion sort keeps equal keys in queue order and
 * is cheap for the handful of records a run prints.
 */
static struct diag *sorted(struct diag *list)
{
	struct diag *out = NULL;

	while (list) {
		struct diag *d = list, **at = &out;

		list = list->next;
		while (*at && !goes_before(d, *at))
			at = &(*at)->next;
		d->next = *at;
		*at = d;
	}
	return out;
}

static bool same_record(const struct diag *a, const struct diag *b)
{
	if (a->severity != b->severity || a->loc.file != b->loc.file ||
	    a->loc.start != b->loc.start || a->loc.end != b->loc.end ||
	    strcmp(a->message, b->message) != 0 ||
	    (a->subject == NULL) != (b->subject == NULL) ||
	    (a->subject && strcmp(a->subject, b->subject) != 0))
		return false;
	for (a = a->notes, b = b->notes; a && b; a = a->next, b = b->next)
		if (!same_record(a, b))
			return false;
	return !a && !b;
}

/*
 * A statement shared by many profiles (a group's rule, a cycle) is found
 * once per profile resolved; say it once.  Equal records sort together.
 */
static void drop_repeats(struct diag *list)
{
	for (struct diag *d = list; d && d->next;) {
		struct diag *seen = d->next;
		bool repeat = false;

		for (struct diag *e = list; e != seen && !repeat; e = e->next)
			repeat = e->loc.file == seen->loc.file &&
				 e->loc.start == seen->loc.start &&
				 same_record(e, seen);
		if (repeat)
			d->next = seen->next;
		else
			d = seen;
	}
}

void diag_render(struct polc_ctx *ctx, FILE *out, enum diag_format format,
		 bool colour)
{
	const struct palette *p = colour ? &colours : &plain;

	ctx->diags = sorted(ctx->diags);
	drop_repeats(ctx->diags);

	if (format == DIAG_FORMAT_JSON)
		fputs("{\"version\":1,\"diagnostics\":[", out);
	for (const struct diag *d = ctx->diags; d; d = d->next) {
		if (format == DIAG_FORMAT_JSON) {
			render_one_json(ctx, out, d);
			if (d->next)
				fputc(',', out);
			continue;
		}
		render_one_text(ctx, out, d, p);
		for (const struct diag *n = d->notes; n; n = n->next)
			render_one_text(ctx, out, n, p);
	}
	if (format == DIAG_FORMAT_JSON)
		fputs("]}\n", out);
	ctx->diags = ctx->diags_tail = NULL;
}
