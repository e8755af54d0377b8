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
	int (*import)(struct polc_ctx *ctx, const struct source *src,
		      const struct json_value *doc,
		      const struct polc_import_options *opts, FILE *out);
} importers[] = {
	{ "oci-seccomp", true, import_oci_seccomp_detect, import_oci_seccomp },
};

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
		diag_subject(ctx, DIAG_ERROR, opts->format,
			     "unknown import format (this version reads "
			     "'oci-seccomp')");
		return -1;
	}
	if (looks_like_json(src) || (imp && imp->json)) {
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
			     "OCI/Docker seccomp JSON; name one with "
			     "--format)");
		return -1;
	}
	FILE *out = open_memstream(text, len);
	if (!out) {
		diag_subject(ctx, DIAG_ERROR, file, "out of memory");
		return -1;
	}
	int rc = imp->import(ctx, src, doc, opts, out);
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
