/*
 * fuzz_import.c - libFuzzer harness for polc import: the JSON reader and
 * the OCI seccomp importer.
 *
 * Each input is read as JSON; when it is an OCI seccomp profile that
 * imports without error, the .pol text written must parse, check and
 * resolve cleanly, and lower to a seccomp program: an importer never
 * writes a policy polc refuses.  Malformed input must end in errors, never
 * in a crash, a leak or undefined behaviour.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "backends/seccomp/seccomp.h"
#include "common/arena.h"
#include "common/ctx.h"
#include "common/json.h"
#include "common/source.h"
#include "frontend/ast.h"
#include "frontend/check.h"
#include "frontend/load.h"
#include "ir/ir.h"
#include "lib/import.h"
#include "polc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The imported text must be a policy polc accepts; abort otherwise. */
static void accept_policy(polc_ctx *ctx, char *text, size_t len)
{
	struct load_unit unit = { 0 };
	struct ir_options opts = { 0 };
	struct ast_file *file;
	const struct sc_program *prog;
	uint32_t id = source_add(ctx, "imported.pol",
				 arena_strndup(&ctx->arena, text, len), len);

	if (!id || ast_parse(ctx, id, &file) != 0 || ast_check(ctx, file) != 0)
		abort();
	ptrvec_push(&ctx->arena, &unit.files, file);
	const struct ast_item *it = file->items.items[0];
	const struct ir_policy *p =
		ir_resolve(ctx, &unit, it->name->text, &opts);
	if (!p || ctx->nerrors || sc_lower(ctx, p, sc_native_arch(), &prog))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	polc_ctx *ctx = polc_ctx_new();
	struct polc_import_options opts = { .arch = "x86_64" };
	char *text = NULL;
	size_t len = 0;

	if (!ctx)
		return 0;
	char *copy = arena_strndup(&ctx->arena, (const char *)data, size);
	uint32_t id = source_add(ctx, "fuzz.json", copy, size);
	const struct json_value *doc = id ? json_parse(ctx, id) : NULL;
	const struct source *src = id ? source_get(ctx, id) : NULL;

	if (doc && import_oci_seccomp_detect(src, doc)) {
		FILE *out = open_memstream(&text, &len);

		if (out) {
			int rc = import_oci_seccomp(ctx, src, doc, &opts, out);

			fclose(out);
			if (rc == 0 && !ctx->nerrors)
				accept_policy(ctx, text, len);
			free(text);
		}
	}
	polc_ctx_free(ctx);
	return 0;
}
