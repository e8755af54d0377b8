/*
 * import.c - polc_import(): read a file, find its format (named, or
 * recognised by each importer in turn) and let that importer write .pol.
 * A JSON file is parsed once here, so every JSON importer gets the same
 * located values and the same messages for malformed input.
 */
#include "polc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "common/json.h"
#include "common/source.h"
#include "lib/import.h"

static const struct importer {
	const char *format;
	bool json;
	bool (*detect)(const struct source *src, const struct json_value *doc);
	int (*import)(struct polc_ctx *ctx, uint32_t file,
		      const struct json_value *doc,
		      const struct polc_import_options *opts, FILE *out);
} importers[] = {
	/* Tried in this order: a nono learn fragment is also a nono profile. */
	{ "oci-seccomp", true, import_oci_seccomp_detect, import_oci_seccomp },
	{ "nono-learn", true, import_nono_learn_detect, import_nono_learn },
	{ "nono-profile", true, import_nono_profile_detect,
	  import_nono_profile },
	{ "agentfile", false, import_agentfile_detect, import_agentfile },
};

#define FORMATS "'oci-seccomp', 'nono-profile', 'nono-learn' and 'agentfile'"

enum { NIMPORTERS = sizeof(importers) / sizeof(*importers) };

static bool looks_like_json(const struct source *src)
{
	size_t i = 0;

	while (i < src->len && strchr(" \t\r\n", src->text[i]) && src->text[i])
		i++;
	return i < src->len && (src->text[i] == '{' || src->text[i] == '[');
}

int polc_import(polc_ctx *ctx, const char *file,
		const struct polc_import_options *opts, char **text,
		size_t *len)
{
	const struct importer *imp = NULL;
	const struct json_value *doc = NULL;
	uint32_t id = source_read(ctx, file, (struct polc_loc){ 0 });

	*text = NULL;
	*len = 0;
	if (!id)
		return -1;
	const struct source *src = source_get(ctx, id);
	for (size_t i = 0; opts->format && i < NIMPORTERS; i++)
		if (!strcmp(opts->format, importers[i].format))
			imp = &importers[i];
	if (opts->format && !imp) {
		diag_subject(
			ctx, DIAG_ERROR, opts->format,
			"unknown import format (this version reads " FORMATS
			")");
		return -1;
	}
	if ((!imp && looks_like_json(src)) || (imp && imp->json)) {
		doc = json_parse(ctx, id);
		if (!doc)
			return -1;
	}
	for (size_t i = 0; !imp && i < NIMPORTERS; i++)
		if ((doc || !importers[i].json) &&
		    importers[i].detect(src, doc))
			imp = &importers[i];
	if (!imp) {
		diag_subject(ctx, DIAG_ERROR, file,
			     "not a format polc imports (this version reads "
			     "OCI/Docker seccomp JSON, nono profiles, nono "
			     "learn --json fragments and Agentfiles; name "
			     "one with --format: " FORMATS ")");
		return -1;
	}
	FILE *out = open_memstream(text, len);
	if (!out) {
		diag_subject(ctx, DIAG_ERROR, file, "out of memory");
		return -1;
	}
	int rc = imp->import(ctx, id, doc, opts, out);
	if (fclose(out) != 0)
		rc = -1;
	if (rc != 0 || ctx->nerrors) {
		free(*text);
		*text = NULL;
		*len = 0;
		return -1;
	}
	return 0;
}

/* ---- shared by the importers --------------------------------------------- */

const char *import_profile_name(struct polc_ctx *ctx, const struct source *src,
				const struct polc_import_options *opts)
{
	const char *base = strrchr(src->name, '/');
	char *name = arena_strdup(&ctx->arena, base ? base + 1 : src->name);
	char *dot = strrchr(name, '.');

	if (opts->name)
		return opts->name;
	if (dot && dot != name)
		*dot = 0;
	for (char *p = name; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
			    *p))
			*p = '_';
	return arena_printf(&ctx->arena, "%s%s",
			    import_is_name(name, true) ? "" : "imported_",
			    name);
}

static const char *const reserved[] = {
	"allow",   "create",   "deny",	   "description", "env",
	"exclude", "existing", "expect",   "extends",	  "file",
	"group",   "if",       "import",   "ipc",	  "landlock",
	"let",	   "meta",     "network",  "override",	  "platform",
	"profile", "required", "seatbelt", "set",	  "syscall",
	"use",	   "workdir",
};

bool import_is_name(const char *s, bool dash)
{
	if (!*s || (*s >= '0' && *s <= '9') || *s == '-')
		return false;
	for (const char *p = s; *p; p++)
		if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      (dash && *p == '-')))
			return false;
	for (size_t i = 0; i < sizeof(reserved) / sizeof(*reserved); i++)
		if (!strcmp(s, reserved[i]))
			return false;
	return true;
}

const char *import_comment(struct polc_ctx *ctx, const char *s)
{
	char *c = arena_strdup(&ctx->arena, s);

	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return c;
}

/* The built-in variables of spec/language.md §4.12. */
static const char *const builtins[] = {
	"HOME",		  "WORKDIR",	     "TMPDIR",	       "UID",
	"USER",		  "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
	"XDG_STATE_HOME", "XDG_RUNTIME_DIR",
};

static bool name_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (!first && c >= '0' && c <= '9');
}

/*
 * The variable reference at @s ("$NAME" or "${NAME}") as written in .pol,
 * appended to @out; *@s moves past it.  -1 after an error.
 */
static int variable(struct polc_ctx *ctx, struct polc_loc loc, const char **s,
		    FILE *out)
{
	const char *p = *s + 1;
	bool braced = *p == '{';
	size_t n = 0;

	p += braced;
	while (name_char(p[n], n == 0))
		n++;
	if (!n || (braced && p[n] != '}')) {
		diag_at(ctx, DIAG_ERROR, loc,
			"'$' in a path starts no variable name");
		return -1;
	}
	for (size_t i = 0; i < sizeof(builtins) / sizeof(*builtins); i++)
		if (strlen(builtins[i]) == n && !strncmp(p, builtins[i], n)) {
			const char *next = p + n + braced;

			/* Braces when a name character follows. */
			fprintf(out, name_char(*next, false) ? "${%s}" : "$%s",
				builtins[i]);
			*s = next;
			return 0;
		}
	diag_at(ctx, DIAG_ERROR, loc,
		"variable '$%.*s' has no polc equivalent (polc has $HOME, "
		"$WORKDIR, $TMPDIR, $UID, $USER and the $XDG_* directories)",
		(int)n, p);
	return -1;
}

const char *import_path(struct polc_ctx *ctx, struct polc_loc loc,
			const char *path, const char **raw)
{
	const char *s = path;
	char *text = NULL;
	size_t len = 0;
	bool bare = true;
	int rc = 0;

	if (!*s) {
		diag_at(ctx, DIAG_ERROR, loc, "an empty path");
		return NULL;
	}
	if (*s == '~' && s[1] && s[1] != '/') {
		diag_at(ctx, DIAG_ERROR, loc,
			"'%s': other users' home directories are not supported",
			path);
		return NULL;
	}
	FILE *out = open_memstream(&text, &len);
	if (!out)
		return NULL;
	if (*s == '~')
		fputc(*s++, out);
	else if (*s != '/' && *s != '$') {
		fputs("$WORKDIR/", out); /* relative to the working directory */
		while (s[0] == '.' && s[1] == '/')
			s += 2;
	}
	while (*s && !rc) {
		if (*s == '$') {
			rc = variable(ctx, loc, &s, out);
			continue;
		}
		if (*s == '*' || *s == '?' || *s == '[') {
			diag_at(ctx, DIAG_ERROR, loc,
				"'%s': a pattern; polc paths have no globs "
				"(Landlock has none)",
				path);
			rc = -1;
			break;
		}
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			diag_at(ctx, DIAG_ERROR, loc,
				"a path with a control character");
			rc = -1;
			break;
		}
		bare &= (unsigned char)*s >= 0x80 || *s == '/' ||
			name_char(*s, false) || strchr(".+@%:~-", *s);
		fputc(*s++, out);
	}
	if (fclose(out) != 0 || rc) {
		free(text);
		return NULL;
	}
	if (raw)
		*raw = arena_strdup(&ctx->arena, text);
	if (bare) {
		const char *r = arena_strdup(&ctx->arena, text);
		free(text);
		return r;
	}
	/* A quoted path: the same text, escaped. */
	char *q = NULL;
	size_t qlen = 0;
	FILE *qo = open_memstream(&q, &qlen);
	if (!qo) {
		free(text);
		return NULL;
	}
	import_write_string(qo, text);
	free(text);
	if (fclose(qo) != 0) {
		free(q);
		return NULL;
	}
	const char *r = arena_strdup(&ctx->arena, q);
	free(q);
	return r;
}

void import_write_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}
