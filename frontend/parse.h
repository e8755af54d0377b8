/*
 * parse.h - state shared by the scanner and the parser of one file.
 *
 * Internal to frontend/: the scanner's yyextra and the parser's parameter
 * both point at one struct polc_parse, so neither keeps global state.
 */
#ifndef POLC_FRONTEND_PARSE_H
#define POLC_FRONTEND_PARSE_H

#include <stdint.h>

#include "ast.h"

/**
 * struct polc_parse - one file being parsed
 * @ctx: the compilation (arena, diagnostics)
 * @file: source index of the file
 * @text: its contents
 * @offset: byte offset the scanner has reached
 * @prev_end: end of the token before the current lookahead
 * @last_end: end of the current lookahead token
 * @ast: the tree being built
 * @token: the token the parser read last
 * @prev_token: the one before it
 * @resync: where parsing resumes after an error (see parser.y)
 */
struct polc_parse {
	struct polc_ctx *ctx;
	uint32_t file;
	const char *text;
	uint32_t offset;
	uint32_t prev_end;
	uint32_t last_end;
	struct ast_file *ast;
	int token;
	int prev_token;
	enum { RESYNC_NONE, RESYNC_ITEM, RESYNC_STMT } resync;
};

#endif
