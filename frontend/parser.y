/*
 * parser.y - the grammar of .pol files (spec/language.md is its prose).
 *
 * A pure, location-tracking LALR(1) parser with no conflicts (%expect 0).
 * Actions only build the tree: words whose meaning depends on context
 * (access modes, syscall actions, network forms) are kept as written and
 * interpreted by check.c, which can then say "did you mean".  Errors
 * recover at statement level (stmts: stmts error) and at item level
 * (items: items error), so one run reports many of them, up to the
 * context's error cap.
 */
%require "3.8"
%define api.pure full
%define api.prefix {polc_yy}
%define api.location.type {struct polc_loc}
%define parse.error custom
%define parse.lac full
%locations
%expect 0

%param {yyscan_t scanner}
%parse-param {struct polc_parse *p}

%code requires {
#include "frontend/ast.h"
#include "frontend/parse.h"
typedef void *yyscan_t;
}

%code provides {
int polc_yylex(POLC_YYSTYPE *lval, struct polc_loc *lloc, yyscan_t scanner);
}

%code {
static void polc_yyerror(struct polc_loc *loc, yyscan_t scanner,
			 struct polc_parse *p, const char *msg);
}

%code {
#include <string.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "common/misspell.h"
#include "common/source.h"

#define YYLLOC_DEFAULT(cur, rhs, n)                                        \
	do {                                                               \
		if (n) {                                                   \
			(cur).file = YYRHSLOC(rhs, 1).file;                \
			(cur).start = YYRHSLOC(rhs, 1).start;              \
			(cur).end = YYRHSLOC(rhs, n).end;                  \
		} else {                                                   \
			(cur).file = YYRHSLOC(rhs, 0).file;                \
			(cur).start = (cur).end = YYRHSLOC(rhs, 0).end;    \
		}                                                          \
	} while (0)

#define ARENA (&p->ctx->arena)

static struct ptrvec vec1(struct polc_parse *p, void *item)
{
	struct ptrvec v = { 0 };

	ptrvec_push(ARENA, &v, item);
	return v;
}

static struct ptrvec vec_add(struct polc_parse *p, struct ptrvec v, void *item)
{
	ptrvec_push(ARENA, &v, item);
	return v;
}

static struct ast_stmt *stmt(struct polc_parse *p, enum ast_stmt_kind kind,
			     struct polc_loc loc)
{
	return ast_stmt_new(p->ctx, kind, loc);
}

static struct ast_stmt *network_stmt(struct polc_parse *p,
				     enum ast_network_form form,
				     struct polc_loc loc)
{
	struct ast_stmt *s = stmt(p, AST_NETWORK, loc);

	s->u.network.form = form;
	return s;
}

/*
 * After an error, parsing resumes at the next token that can start an item
 * (or a statement, or close the body).  Bison would then stay silent until
 * three tokens had been shifted, losing an error in the first words of the
 * resumed statement ("profile x extnds y").  So the error productions set
 * p->resync, and the token reader below calls yyerrok when it hands the
 * parser a token where parsing resumes.  (The reduction of the error
 * production cannot decide this itself: it often happens before that token
 * is read.)  Parsing stops once the error cap is reached.
 */
static bool starts_item(int token)
{
	return token == KW_IMPORT || token == KW_PROFILE || token == KW_GROUP ||
	       token == KW_LET || token == KW_SET;
}

static bool starts_stmt(int token)
{
	switch (token) {
	case KW_DESCRIPTION: case KW_META: case KW_REQUIRED: case KW_USE:
	case KW_EXCLUDE: case KW_ALLOW: case KW_DENY: case KW_OVERRIDE:
	case KW_WORKDIR: case KW_LET: case KW_PLATFORM: case KW_NETWORK:
	case KW_SYSCALL: case KW_IPC: case KW_ENV: case KW_EXPECT:
	case KW_SEATBELT: case '}':
		return true;
	default:
		return false;
	}
}

/*
 * A word right after a ';' or '}' resumes too: it is most likely a
 * misspelt keyword, which then gets its own "did you mean".
 */
static bool resumes(const struct polc_parse *p, int token)
{
	if (token == IDENT && (p->prev_token == ';' || p->prev_token == '}'))
		return true;
	return p->resync == RESYNC_ITEM ? starts_item(token) :
					  starts_stmt(token);
}

/* Expanded inside yyparse(), where yyerrok is in scope. */
#undef yylex
#define yylex(lval, lloc, scanner)                                         \
	(p->prev_token = p->token,                                         \
	 p->token = polc_yylex(lval, lloc, scanner),                       \
	 p->resync && resumes(p, p->token) ?                               \
		 (yyerrok, p->resync = RESYNC_NONE, p->token) :            \
		 p->token)

#define RECOVERED(level)                                                   \
	do {                                                               \
		p->resync = (level);                                       \
		if (diag_cap_reached(p->ctx))                              \
			YYABORT;                                           \
	} while (0)
}

%union {
	struct ast_word *word;
	struct ast_stmt *stmt;
	struct ast_item *item;
	struct ast_cond *cond;
	struct ast_port *port;
	struct ptrvec vec;
	struct ast_access access;
	enum ast_verdict verdict;
	const char *op;
	bool flag;
}

%token <word> IDENT "identifier"
%token <word> NUMBER "number"
%token <word> PATH "path"
%token <word> STRING "string"
%token <word> GLOB "pattern"
%token <word> SETNAME "set name"
%token KW_ALLOW "allow"
%token KW_CREATE "create"
%token KW_EXISTING "existing"
%token KW_DENY "deny"
%token KW_DESCRIPTION "description"
%token KW_ENV "env"
%token KW_EXCLUDE "exclude"
%token KW_EXPECT "expect"
%token KW_EXTENDS "extends"
%token KW_FILE "file"
%token KW_GROUP "group"
%token KW_IF "if"
%token KW_IMPORT "import"
%token KW_IPC "ipc"
%token KW_SEATBELT "seatbelt"
%token KW_LANDLOCK "landlock"
%token KW_LET "let"
%token KW_META "meta"
%token KW_NETWORK "network"
%token KW_OVERRIDE "override"
%token KW_PLATFORM "platform"
%token KW_PROFILE "profile"
%token KW_REQUIRED "required"
%token KW_SET "set"
%token KW_SYSCALL "syscall"
%token KW_USE "use"
%token KW_WORKDIR "workdir"
%token EQ "==" NE "!=" LE "<=" GE ">=" ANDAND "&&"

%type <item> item import profile group let_item set_item
%type <stmt> stmt rule env_stmt expect_stmt network_stmt
%type <vec> body stmts idents paths strings patterns set_members sys_words conds
%type <vec> ports landlock_rights sys_names
%type <word> path let_value set_member sys_word sys_name pattern cond_value
%type <word> extends_opt
%type <vec> group_platform_opt
%type <access> access access_opt
%type <verdict> verdict
%type <flag> file_opt create_opt existing_opt
%type <cond> cond
%type <port> port
%type <op> cmp

%%

/* Lists are "%empty | non-empty": an error may also start a list. */
file
	: %empty
	| items
	;

items
	: item		{ ptrvec_push(ARENA, &p->ast->items, $1); }
	| error		{ RECOVERED(RESYNC_ITEM); }
	| items item	{ ptrvec_push(ARENA, &p->ast->items, $2); }
	| items error	{ RECOVERED(RESYNC_ITEM); }
	;

item
	: import
	| profile
	| group
	| let_item
	| set_item
	;

import
	: KW_IMPORT STRING ';'
		{ $$ = ast_item_new(p->ctx, AST_ITEM_IMPORT, @$); $$->name = $2; }
	;

profile
	: KW_PROFILE IDENT extends_opt '{' body '}'
		{
			$$ = ast_item_new(p->ctx, AST_ITEM_PROFILE, @$);
			$$->name = $2;
			$$->parent = $3;
			$$->body = $5;
			$$->close = @6;
		}
	;

extends_opt
	: %empty		{ $$ = NULL; }
	| KW_EXTENDS IDENT	{ $$ = $2; }
	;

group
	: KW_GROUP IDENT group_platform_opt '{' body '}'
		{
			$$ = ast_item_new(p->ctx, AST_ITEM_GROUP, @$);
			$$->name = $2;
			$$->platforms = $3;
			$$->body = $5;
			$$->close = @6;
		}
	;

group_platform_opt
	: %empty		{ $$ = (struct ptrvec){ 0 }; }
	| KW_PLATFORM idents	{ $$ = $2; }
	;

let_item
	: KW_LET IDENT '=' let_value ';'
		{
			$$ = ast_item_new(p->ctx, AST_ITEM_LET, @$);
			$$->name = $2;
			$$->value = $4;
		}
	;

let_value
	: PATH
	| STRING
	;

set_item
	: KW_SET SETNAME '=' set_members ';'
		{
			$$ = ast_item_new(p->ctx, AST_ITEM_SET, @$);
			$$->name = $2;
			$$->members = $4;
		}
	;

set_members
	: set_member		{ $$ = vec1(p, $1); }
	| set_members set_member { $$ = vec_add(p, $1, $2); }
	;

set_member
	: sys_name
	| SETNAME
	;

/* Syscall names; "ipc" and "syscall" are also reserved words. */
sys_name
	: IDENT
	| KW_IPC	{ $$ = ast_word_new(p->ctx, "ipc", @$, false); }
	| KW_SYSCALL	{ $$ = ast_word_new(p->ctx, "syscall", @$, false); }
	;

sys_names
	: sys_name		{ $$ = vec1(p, $1); }
	| sys_names sys_name	{ $$ = vec_add(p, $1, $2); }
	;

body
	: %empty		{ $$ = (struct ptrvec){ 0 }; }
	| stmts
	;

stmts
	: stmt			{ $$ = vec1(p, $1); }
	| error			{ $$ = (struct ptrvec){ 0 }; RECOVERED(RESYNC_STMT); }
	| stmts stmt		{ $$ = vec_add(p, $1, $2); }
	| stmts error		{ $$ = $1; RECOVERED(RESYNC_STMT); }
	;

stmt
	: KW_DESCRIPTION STRING ';'
		{ $$ = stmt(p, AST_DESCRIPTION, @$); $$->u.text = $2; }
	| KW_META IDENT STRING ';'
		{
			$$ = stmt(p, AST_META, @$);
			$$->u.meta.key = $2;
			$$->u.meta.value = $3;
		}
	| KW_REQUIRED ';'
		{ $$ = stmt(p, AST_REQUIRED, @$); }
	| KW_USE idents ';'
		{ $$ = stmt(p, AST_USE, @$); $$->u.names = $2; }
	| KW_EXCLUDE idents ';'
		{ $$ = stmt(p, AST_EXCLUDE, @$); $$->u.names = $2; }
	| rule ';'
		{ $$ = $1; $$->loc = @$; }
	| KW_OVERRIDE rule ';'
		{ $$ = $2; $$->loc = @$; $$->override = true; }
	| KW_WORKDIR access ';'
		{ $$ = stmt(p, AST_WORKDIR, @$); $$->u.workdir = $2; }
	| KW_LET IDENT '=' let_value ';'
		{
			$$ = stmt(p, AST_LET, @$);
			$$->u.let.name = $2;
			$$->u.let.value = $4;
		}
	| KW_PLATFORM idents '{' body '}'
		{
			$$ = stmt(p, AST_PLATFORM, @$);
			$$->u.platform.names = $2;
			$$->u.platform.body = $4;
			$$->u.platform.close = @5;
		}
	| network_stmt
	| KW_SYSCALL sys_words ';'
		{ $$ = stmt(p, AST_SYSCALL, @$); $$->u.syscall.words = $2; }
	| KW_SYSCALL sys_words KW_IF conds ';'
		{
			$$ = stmt(p, AST_SYSCALL, @$);
			$$->u.syscall.words = $2;
			$$->u.syscall.conds = $4;
		}
	| KW_IPC verdict idents ';'
		{
			$$ = stmt(p, AST_IPC, @$);
			$$->u.ipc.verdict = $2;
			$$->u.ipc.kinds = $3;
		}
	| KW_SEATBELT verdict IDENT ';'
		{
			$$ = stmt(p, AST_SEATBELT, @$);
			$$->u.seatbelt.verdict = $2;
			$$->u.seatbelt.op = $3;
		}
	| KW_SEATBELT verdict IDENT strings ';'
		{
			$$ = stmt(p, AST_SEATBELT, @$);
			$$->u.seatbelt.verdict = $2;
			$$->u.seatbelt.op = $3;
			$$->u.seatbelt.names = $4;
		}
	| env_stmt
	| expect_stmt
	;

rule
	: verdict access_opt file_opt paths create_opt existing_opt
		{
			$$ = stmt(p, AST_RULE, @$);
			$$->u.rule.verdict = $1;
			$$->u.rule.access = $2;
			$$->u.rule.file = $3;
			$$->u.rule.paths = $4;
			$$->u.rule.create = $5;
			$$->u.rule.existing = $6;
		}
	;

verdict
	: KW_ALLOW		{ $$ = AST_ALLOW; }
	| KW_DENY		{ $$ = AST_DENY; }
	;

access_opt
	: %empty		{ $$ = (struct ast_access){ 0 }; $$.loc = @$; }
	| access
	;

access
	: IDENT
		{
			$$ = (struct ast_access){ .present = true, .loc = @$ };
			ptrvec_push(ARENA, &$$.words, $1);
		}
	| KW_LANDLOCK '(' landlock_rights ')'
		{
			$$ = (struct ast_access){ .present = true, .loc = @$ };
			$$.landlock = $3;
		}
	| access ',' IDENT
		{ $$ = $1; $$.loc = @$; ptrvec_push(ARENA, &$$.words, $3); }
	| access ',' KW_LANDLOCK '(' landlock_rights ')'
		{
			$$ = $1;
			$$.loc = @$;
			for (size_t i = 0; i < $5.len; i++)
				ptrvec_push(ARENA, &$$.landlock, $5.items[i]);
		}
	;

landlock_rights
	: IDENT			{ $$ = vec1(p, $1); }
	| landlock_rights IDENT	{ $$ = vec_add(p, $1, $2); }
	;

file_opt
	: %empty		{ $$ = false; }
	| KW_FILE		{ $$ = true; }
	;

create_opt
	: %empty		{ $$ = false; }
	| KW_CREATE		{ $$ = true; }
	;

existing_opt
	: %empty		{ $$ = false; }
	| KW_EXISTING		{ $$ = true; }
	;

paths
	: path			{ $$ = vec1(p, $1); }
	| paths path		{ $$ = vec_add(p, $1, $2); }
	;

path
	: PATH
	| STRING
	;

idents
	: IDENT			{ $$ = vec1(p, $1); }
	| idents IDENT		{ $$ = vec_add(p, $1, $2); }
	;

strings
	: STRING		{ $$ = vec1(p, $1); }
	| strings STRING	{ $$ = vec_add(p, $1, $2); }
	;

network_stmt
	: KW_NETWORK verdict ';'
		{
			$$ = network_stmt(p, AST_NET_MODE, @$);
			$$->u.network.mode = $2;
		}
	| KW_NETWORK IDENT ';'
		{
			$$ = network_stmt(p, AST_NET_WORD, @$);
			$$->u.network.op = $2;
		}
	| KW_NETWORK IDENT IDENT ports ';'
		{
			$$ = network_stmt(p, AST_NET_PORTS, @$);
			$$->u.network.op = $2;
			$$->u.network.proto = $3;
			$$->u.network.ports = $4;
		}
	| KW_NETWORK IDENT strings ';'
		{
			$$ = network_stmt(p, AST_NET_HOSTS, @$);
			$$->u.network.op = $2;
			$$->u.network.hosts = $3;
		}
	;

ports
	: port			{ $$ = vec1(p, $1); }
	| ports port		{ $$ = vec_add(p, $1, $2); }
	;

port
	: NUMBER
		{
			$$ = arena_alloc(ARENA, sizeof(*$$));
			$$->lo = $1;
			$$->loc = @$;
		}
	| NUMBER '-' NUMBER
		{
			$$ = arena_alloc(ARENA, sizeof(*$$));
			$$->lo = $1;
			$$->hi = $3;
			$$->loc = @$;
		}
	;

sys_words
	: sys_word		{ $$ = vec1(p, $1); }
	| sys_words sys_word	{ $$ = vec_add(p, $1, $2); }
	;

sys_word
	: sys_name
	| NUMBER
	| SETNAME
	| KW_ALLOW	{ $$ = ast_word_new(p->ctx, "allow", @$, false); }
	| KW_DENY	{ $$ = ast_word_new(p->ctx, "deny", @$, false); }
	;

conds
	: cond			{ $$ = vec1(p, $1); }
	| conds ANDAND cond	{ $$ = vec_add(p, $1, $3); }
	;

cond
	: IDENT cmp cond_value
		{
			$$ = arena_alloc(ARENA, sizeof(*$$));
			$$->arg = $1;
			$$->op = $2;
			$$->value = $3;
			$$->loc = @$;
		}
	| IDENT '&' cond_value EQ cond_value
		{
			$$ = arena_alloc(ARENA, sizeof(*$$));
			$$->arg = $1;
			$$->op = "==";
			$$->mask = $3;
			$$->value = $5;
			$$->loc = @$;
		}
	;

cmp
	: EQ	{ $$ = "=="; }
	| NE	{ $$ = "!="; }
	| '<'	{ $$ = "<"; }
	| LE	{ $$ = "<="; }
	| '>'	{ $$ = ">"; }
	| GE	{ $$ = ">="; }
	;

cond_value
	: NUMBER
	| IDENT
	;

env_stmt
	: KW_ENV IDENT patterns ';'
		{
			$$ = stmt(p, AST_ENV, @$);
			$$->u.env.action = $2;
			$$->u.env.patterns = $3;
		}
	| KW_OVERRIDE KW_ENV IDENT patterns ';'
		{
			$$ = stmt(p, AST_ENV, @$);
			$$->override = true;
			$$->u.env.action = $3;
			$$->u.env.patterns = $4;
		}
	| KW_ENV KW_SET IDENT '=' STRING ';'
		{
			$$ = stmt(p, AST_ENV, @$);
			$$->u.env.name = $3;
			$$->u.env.value = $5;
		}
	;

patterns
	: pattern		{ $$ = vec1(p, $1); }
	| patterns pattern	{ $$ = vec_add(p, $1, $2); }
	;

pattern
	: IDENT
	| GLOB
	;

expect_stmt
	: KW_EXPECT verdict access_opt paths ';'
		{
			$$ = stmt(p, AST_EXPECT, @$);
			$$->u.expect.form = AST_EXPECT_PATH;
			$$->u.expect.verdict = $2;
			$$->u.expect.access = $3;
			$$->u.expect.subjects = $4;
		}
	| KW_EXPECT verdict KW_NETWORK IDENT IDENT ports ';'
		{
			$$ = stmt(p, AST_EXPECT, @$);
			$$->u.expect.form = AST_EXPECT_NETWORK;
			$$->u.expect.verdict = $2;
			$$->u.expect.network.form = AST_NET_PORTS;
			$$->u.expect.network.op = $4;
			$$->u.expect.network.proto = $5;
			$$->u.expect.network.ports = $6;
		}
	| KW_EXPECT verdict KW_ENV idents ';'
		{
			$$ = stmt(p, AST_EXPECT, @$);
			$$->u.expect.form = AST_EXPECT_ENV;
			$$->u.expect.verdict = $2;
			$$->u.expect.subjects = $4;
		}
	| KW_EXPECT verdict KW_SYSCALL sys_names ';'
		{
			$$ = stmt(p, AST_EXPECT, @$);
			$$->u.expect.form = AST_EXPECT_SYSCALL;
			$$->u.expect.verdict = $2;
			$$->u.expect.subjects = $4;
		}
	;

%%

/* Bison calls this only when its stack is exhausted. */
static void polc_yyerror(struct polc_loc *loc, yyscan_t scanner,
			 struct polc_parse *p, const char *msg)
{
	(void)scanner;
	p->ast->syntax_errors++;
	diag_at(p->ctx, DIAG_ERROR, *loc, "%s (statements nest too deeply)",
		msg);
}

/* The keyword a token stands for ("allow"), or NULL. */
static const char *keyword_of(yysymbol_kind_t kind)
{
	if (kind < YYSYMBOL_KW_ALLOW || kind > YYSYMBOL_KW_WORKDIR)
		return NULL;
	return yysymbol_name(kind);
}

/* A token kind as messages name it: 'allow', ';', path, end of file. */
static const char *token_name(yysymbol_kind_t kind, char *buf, size_t size)
{
	const char *name = yysymbol_name(kind);

	if (keyword_of(kind)) {
		snprintf(buf, size, "'%s'", name);
		return buf;
	}
	return name;
}

/* How a token is named in "unexpected ..." */
static void describe_token(struct polc_parse *p, yysymbol_kind_t kind,
			   struct polc_loc loc, char *buf, size_t size)
{
	const char *text = p->text + loc.start;
	int len = (int)(loc.end - loc.start);

	if (len > 40)
		len = 40;
	switch (kind) {
	case YYSYMBOL_YYEOF:
		snprintf(buf, size, "end of file");
		break;
	case YYSYMBOL_IDENT:
		snprintf(buf, size, "identifier '%.*s'", len, text);
		break;
	case YYSYMBOL_NUMBER:
		snprintf(buf, size, "number %.*s", len, text);
		break;
	case YYSYMBOL_PATH:
		snprintf(buf, size, "path '%.*s'", len, text);
		break;
	case YYSYMBOL_GLOB:
		snprintf(buf, size, "pattern '%.*s'", len, text);
		break;
	case YYSYMBOL_SETNAME:
		snprintf(buf, size, "set name '%.*s'", len, text);
		break;
	case YYSYMBOL_STRING:
		snprintf(buf, size, "string");
		break;
	default: {
		char name[32];

		snprintf(buf, size, "%s", token_name(kind, name, sizeof(name)));
		break;
	}
	}
}

enum { MAX_LISTED = 6 };

static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner,
				 struct polc_parse *p)
{
	yysymbol_kind_t expected[YYNTOKENS];
	yysymbol_kind_t got = yypcontext_token(yyctx);
	struct polc_loc loc = *yypcontext_location(yyctx);
	int n = yypcontext_expected_tokens(yyctx, expected, YYNTOKENS);
	char unexpected[96], list[512] = "", name[32];
	bool want_semicolon = false;
	struct misspell m;
	const char *suggestion = NULL;

	(void)scanner;
	p->ast->syntax_errors++;
	describe_token(p, got, loc, unexpected, sizeof(unexpected));
	if (got == YYSYMBOL_IDENT) {
		char *w = arena_strndup(ARENA, p->text + loc.start,
					loc.end - loc.start);
		misspell_init(&m, w);
	}
	for (int i = 0; i < n; i++) {
		if (expected[i] == YYSYMBOL_YYUNDEF)
			continue;
		want_semicolon |= strcmp(yysymbol_name(expected[i]), "';'") == 0;
		if (got == YYSYMBOL_IDENT && keyword_of(expected[i]))
			misspell_offer(&m, keyword_of(expected[i]));
		if (n <= MAX_LISTED) {
			size_t used = strlen(list);
			snprintf(list + used, sizeof(list) - used, "%s%s",
				 i == 0 ? "" : i == n - 1 ? " or " : ", ",
				 token_name(expected[i], name, sizeof(name)));
		}
	}
	if (got == YYSYMBOL_IDENT)
		suggestion = misspell_result(&m);

	/*
	 * A statement whose ';' is missing shows up as an error on the next
	 * line; point at the end of the statement instead, as compilers do.
	 */
	unsigned prev_line, prev_col, line, col;
	source_line_col(p->ctx, p->file, p->prev_end, &prev_line, &prev_col);
	source_line_col(p->ctx, p->file, loc.start, &line, &col);
	if (want_semicolon && !suggestion && p->prev_end < loc.start &&
	    prev_line < line) {
		struct polc_loc at = { p->file, p->prev_end, p->prev_end };
		diag_at(p->ctx, DIAG_ERROR, at, "expected ';' before %s",
			unexpected);
		return 0;
	}
	if (suggestion)
		diag_at(p->ctx, DIAG_ERROR, loc,
			"unexpected %s; did you mean '%s'?", unexpected,
			suggestion);
	else if (n > 0 && n <= MAX_LISTED)
		diag_at(p->ctx, DIAG_ERROR, loc, "unexpected %s, expected %s",
			unexpected, list);
	else
		diag_at(p->ctx, DIAG_ERROR, loc, "unexpected %s", unexpected);
	return 0;
}
