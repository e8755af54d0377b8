/*
 * import_agentfile.c - the sandbox limits of an ostk Agentfile to .pol.
 *
 * An Agentfile is a list of directives, one a line (`FROM`, `MODEL`,
 * `TOOL`, `LIMIT`, ...; `#` starts a comment).  Only two are sandbox
 * limits: `LIMIT sandbox.read PATH…` grants reading (`read`) and
 * `LIMIT sandbox.readwrite PATH…` reading, writing and deleting (`rwd`)
 * below each path, on top of polc's `default` profile, which the agent
 * otherwise runs under.  A relative path is the project's: $WORKDIR/PATH.
 * Any other directive is no sandbox limit and is ignored with a note; an
 * unknown `LIMIT sandbox.*` is an error, since ignoring a limit could
 * only widen the sandbox.
 */
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/ctx.h"
#include "common/diag.h"
#include "common/source.h"
#include "lib/import.h"
#include "polc.h"

bool import_agentfile_detect(const struct source *src,
			     const struct json_value *doc)
{
	const char *base = strrchr(src->name, '/');
	const char *end = src->text + src->len;

	if (doc)
		return false;
	if (!strcmp(base ? base + 1 : src->name, "Agentfile"))
		return true;
	for (const char *p = src->text; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) > 14 && !strncmp(p, "LIMIT", 5) &&
		    (p[5] == ' ' || p[5] == '\t')) {
			for (p += 5; p < end && (*p == ' ' || *p == '\t');)
				p++;
			if ((size_t)(end - p) >= 8 &&
			    !strncmp(p, "sandbox.", 8))
				return true;
		}
		p = eol ? eol + 1 : end;
	}
	return false;
}

/* One word of a line: [start, end) in the source. */
struct word {
	size_t start, end;
};

/*
 * The next word from *@at on the line ending at @eol: bare, or quoted
 * with `\"` and `\\` escapes (*@text receives it unquoted).  False at the
 * end of the line or after an error.
 */
static bool next_word(struct polc_ctx *ctx, uint32_t file, const char *text,
		      size_t *at, size_t eol, struct word *w, char **value)
{
	size_t i = *at;

	while (i < eol &&
	       (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
		i++;
	if (i == eol || text[i] == '#')
		return false;
	w->start = i;
	if (text[i] != '"') {
		while (i < eol && text[i] != ' ' && text[i] != '\t' &&
		       text[i] != '\r')
			i++;
		w->end = *at = i;
		*value = arena_strndup(&ctx->arena, text + w->start,
				       i - w->start);
		return true;
	}
	char *v = arena_alloc(&ctx->arena, eol - i);
	size_t n = 0;
	for (i++; i < eol && text[i] != '"'; i++) {
		if (text[i] == '\\' && i + 1 < eol &&
		    (text[i + 1] == '"' || text[i + 1] == '\\'))
			i++;
		v[n++] = text[i];
	}
	if (i == eol) {
		diag_at(ctx, DIAG_ERROR,
			(struct polc_loc){ file, (uint32_t)w->start,
					   (uint32_t)w->start + 1 },
			"missing terminating '\"' character");
		return false;
	}
	v[n] = 0;
	w->end = *at = i + 1;
	*value = v;
	return true;
}

static struct polc_loc loc_of(uint32_t file, struct word w)
{
	return (struct polc_loc){ file, (uint32_t)w.start, (uint32_t)w.end };
}

/* Line [start, eol): its rules into @rules, or a note; -1 after an error. */
static int directive(struct polc_ctx *ctx, uint32_t file, size_t start,
		     size_t eol, struct ptrvec *rules)
{
	const char *text = source_get(ctx, file)->text;
	struct word w, kind;
	char *word, *limit;
	size_t at = start;
	unsigned errors = ctx->nerrors;
	int rc = 0;

	if (!next_word(ctx, file, text, &at, eol, &w, &word))
		return ctx->nerrors != errors ? -1 : 0;
	if (strcmp(word, "LIMIT")) {
		diag_at(ctx, DIAG_NOTE, loc_of(file, w),
			"'%s' is not a sandbox limit; ignored", word);
		return 0;
	}
	if (!next_word(ctx, file, text, &at, eol, &kind, &limit)) {
		if (ctx->nerrors != errors)
			return -1;
		diag_at(ctx, DIAG_NOTE, loc_of(file, w),
			"'LIMIT' without a limit is not a sandbox limit; "
			"ignored");
		return 0;
	}
	if (strncmp(limit, "sandbox.", 8)) {
		diag_at(ctx, DIAG_NOTE,
			loc_span(loc_of(file, w), loc_of(file, kind)),
			"'LIMIT %s' is not a sandbox limit; ignored", limit);
		return 0;
	}
	const char *mode = !strcmp(limit, "sandbox.read")	 ? "read"
			   : !strcmp(limit, "sandbox.readwrite") ? "rwd"
								 : NULL;
	if (!mode) {
		diag_at(ctx, DIAG_ERROR, loc_of(file, kind),
			"unknown sandbox limit '%s' (an Agentfile's are "
			"sandbox.read and sandbox.readwrite)",
			limit);
		return -1;
	}
	size_t npaths = 0;
	char *path;
	while (next_word(ctx, file, text, &at, eol, &w, &path)) {
		const char *p = import_path(ctx, loc_of(file, w), path, NULL);

		npaths++;
		if (!p)
			rc = -1;
		else
			ptrvec_push(&ctx->arena, rules,
				    arena_printf(&ctx->arena, "allow %s %s;",
						 mode, p));
	}
	if (ctx->nerrors != errors)
		return -1;
	if (!npaths) {
		diag_at(ctx, DIAG_ERROR, loc_of(file, kind),
			"'LIMIT %s' needs a path", limit);
		return -1;
	}
	return rc;
}

int import_agentfile(struct polc_ctx *ctx, uint32_t file,
		     const struct json_value *doc,
		     const struct polc_import_options *opts, FILE *out)
{
	const struct source *src = source_get(ctx, file);
	struct ptrvec rules = { 0 };
	int rc = 0;

	(void)doc;
	if (memchr(src->text, 0, src->len)) {
		diag_subject(ctx, DIAG_ERROR, src->name,
			     "an Agentfile is text; this file holds a NUL "
			     "byte");
		return -1;
	}
	for (size_t start = 0; start < src->len;) {
		const char *nl =
			memchr(src->text + start, '\n', src->len - start);
		size_t eol = nl ? (size_t)(nl - src->text) : src->len;

		if (directive(ctx, file, start, eol, &rules) != 0)
			rc = -1;
		start = eol + 1;
	}
	if (rc || ctx->nerrors || arena_failed(&ctx->arena))
		return -1;
	if (!rules.len)
		diag_subject(ctx, DIAG_WARNING, src->name,
			     "no sandbox limits: the profile is default's");
	fprintf(out,
		"# Imported by polc import from %s (Agentfile): its sandbox "
		"limits on\n# top of default.\n\nprofile %s extends default "
		"{\n",
		import_comment(ctx, src->name),
		import_profile_name(ctx, src, opts));
	for (size_t i = 0; i < rules.len; i++)
		fprintf(out, "    %s\n", (const char *)rules.items[i]);
	fputs("}\n", out);
	return 0;
}
