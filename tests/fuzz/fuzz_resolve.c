/*
 * fuzz_resolve.c - libFuzzer harness for resolution and the decision
 * procedure.
 *
 * Each input is parsed and checked as a .pol file; when it is clean, every
 * profile it defines is resolved (with fixed built-in variables), its
 * expects are evaluated, it is printed as text and JSON, a few paths are
 * decided, and its Seatbelt profile, when it lowers, must pass the SBPL
 * validator.  Errors are fine; crashes, leaks, undefined behaviour and
 * runaway time are what the sanitizers and libFuzzer catch.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/seatbelt/seatbelt.h"
#include "common/arena.h"
#include "common/ctx.h"
#include "common/source.h"
#include "frontend/ast.h"
#include "frontend/check.h"
#include "frontend/load.h"
#include "ir/ir.h"
#include "polc.h"
#include "tests/pinned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(polc_ctx *ctx, const struct ir_policy *p, FILE *sink)
{
	static const char *const paths[] = { "/", "/home/user/.ssh/id_rsa",
					     "/work/project/src/x.c", "/tmp/x",
					     "/usr/bin/env" };

	ir_check_expects(ctx, p);
	ir_print(ctx, p, sink);
	ir_print_json(ctx, p, sink);
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		struct ir_decision d;

		ir_decide_path(ctx, p, IR_LINUX, paths[i], IR_WRITE, &d);
	}
	struct sb_profile sb;
	if (sb_lower(ctx, p, &(struct sb_options){ 0 }, &sb) == 0 &&
	    sb_validate(ctx, "fuzz.sb", sb.text, sb.len) != 0) {
		polc_diagnostics_print(ctx, stderr, POLC_DIAG_TEXT, false);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	polc_ctx *ctx = polc_ctx_new();
	struct load_unit unit = { 0 };
	struct ir_options opts = { 0 };
	struct ast_file *file;
	FILE *sink = fopen("/dev/null", "w");

	if (!ctx || !sink)
		goto out;
	char *copy = arena_strndup(&ctx->arena, (const char *)data, size);
	uint32_t id = source_add(ctx, "fuzz.pol", copy, size);
	if (!id || ast_parse(ctx, id, &file) != 0 || ast_check(ctx, file) != 0)
		goto out;
	ptrvec_push(&ctx->arena, &unit.files, file);
	if (ast_check_duplicates(ctx, &unit.files) != 0)
		goto out;
	memcpy(opts.builtins, pinned_builtins, sizeof(pinned_builtins));
	ir_check_groups(ctx, &unit, &opts);
	for (size_t i = 0; i < file->items.len; i++) {
		const struct ast_item *it = file->items.items[i];
		const struct ir_policy *p;

		if (it->kind != AST_ITEM_PROFILE)
			continue;
		p = ir_resolve(ctx, &unit, it->name->text, &opts);
		if (p)
			exercise(ctx, p, sink);
	}
out:
	if (sink)
		fclose(sink);
	polc_ctx_free(ctx);
	return 0;
}
