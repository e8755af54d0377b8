/*
 * fuzz_parse.c - libFuzzer harness for the frontend.
 *
 * Each input is parsed and checked as a .pol file.  When it is clean, the
 * canonical printer's output must parse and check cleanly too, and print
 * to the same bytes (the formatter's fixed point); anything else aborts,
 * as does any crash, leak or undefined behaviour the sanitizers see.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/ctx.h"
#include "common/source.h"
#include "frontend/ast.h"
#include "frontend/check.h"
#include "frontend/print.h"
#include "polc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse and check @text; on success print it into a malloc'd buffer. */
static char *parse_and_print(const char *text, size_t len, size_t *out_len)
{
	polc_ctx *ctx = polc_ctx_new();
	struct ast_file *file;
	char *buf = NULL;
	size_t n = 0;

	if (!ctx)
		return NULL;
	char *copy = arena_strndup(&ctx->arena, text, len);
	uint32_t id = source_add(ctx, "fuzz.pol", copy, len);
	int rc = id ? ast_parse(ctx, id, &file) : -1;
	if (id && ast_check(ctx, file) != 0)
		rc = -1;
	if (rc == 0) {
		FILE *f = open_memstream(&buf, &n);
		if (f) {
			ast_print_file(ctx, file, f);
			fclose(f);
		}
	}
	polc_ctx_free(ctx);
	*out_len = n;
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len1, len2;
	char *first = parse_and_print((const char *)data, size, &len1);

	if (!first)
		return 0;
	char *second = parse_and_print(first, len1, &len2);
	if (!second || len1 != len2 || memcmp(first, second, len1) != 0) {
		fprintf(stderr,
			"fixed point broken:\n--- first\n%.*s\n--- "
			"second\n%.*s\n",
			(int)len1, first, second ? (int)len2 : 0,
			second ? second : "");
		abort();
	}
	free(first);
	free(second);
	return 0;
}
