/*
 * parse.c - drives the scanner and the parser over one source file.
 */
#include "../common/ctx.h"
#include "../common/source.h"
#include "ast.h"
#include "parse.h"
#include "parser.h"

/* The scanner header names the parser's types without their prefix. */
#define YYSTYPE POLC_YYSTYPE
#define YYLTYPE struct polc_loc
#include "scanner.h"

int ast_parse(struct polc_ctx *ctx, uint32_t file, struct ast_file **out)
{
	const struct source *src = source_get(ctx, file);
	struct ast_file *ast = arena_alloc(&ctx->arena, sizeof(*ast));
	struct polc_parse p = { .ctx = ctx, .file = file, .ast = ast };
	yyscan_t scanner;
	int rc;

	*out = ast;
	ast->file = file;
	if (!src || arena_failed(&ctx->arena))
		return -1;
	p.text = src->text;
	if (polc_yylex_init_extra(&p, &scanner) != 0) {
		diag_subject(ctx, DIAG_ERROR, src->name,
			     "cannot start the scanner: out of memory");
		return -1;
	}
	YY_BUFFER_STATE buf =
		polc_yy_scan_bytes(src->text, (int)src->len, scanner);
	rc = polc_yyparse(scanner, &p);
	polc_yy_delete_buffer(buf, scanner);
	polc_yylex_destroy(scanner);
	if (rc != 0 || ast->syntax_errors || arena_failed(&ctx->arena))
		return -1;
	return 0;
}
