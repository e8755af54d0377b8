/*
 * ast.h - the syntax tree of one .pol file.
 *
 * The parser builds it, the checker (check.c) validates what needs no name
 * resolution, the printer (print.c) turns it back into canonical text, and
 * the IR resolver (later) reads it.  Every node records where it was
 * written.  Nodes live in the compilation's arena and are never freed one by
 * one.  The tree keeps the user's words where the meaning of a word is
 * decided later (access modes, syscall actions, network forms): the checker
 * interprets them and reports unknown ones with a location, which is how a
 * misspelt mode gets a "did you mean" instead of a bare syntax error.
 */
#ifndef POLC_FRONTEND_AST_H
#define POLC_FRONTEND_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/arena.h"
#include "../common/loc.h"

/**
 * struct ast_word - an identifier, number, pattern, path or string as written
 * @text: for paths and strings, the value after unescaping; else the token
 * @loc: where it was written (for a string, including the quotes)
 * @quoted: written as a "string" rather than a bare token
 */
struct ast_word {
	const char *text;
	struct polc_loc loc;
	bool quoted;
};

/* Access modes, as one bit each; the letters are their shorthand. */
enum ast_access_bit {
	AST_ACCESS_READ = 1u << 0,   /* r */
	AST_ACCESS_WRITE = 1u << 1,  /* w: modify and create */
	AST_ACCESS_EXEC = 1u << 2,   /* x */
	AST_ACCESS_DELETE = 1u << 3, /* d: remove and rename away */
	AST_ACCESS_ALL = 0xfu,
};

/**
 * struct ast_access - an access expression such as "rw" or
 * "read,landlock(refer)"
 * @present: false when the statement gave none (e.g. "deny ~/.ssh")
 * @words: struct ast_word *: mode words as written
 * @landlock: struct ast_word *: rights named in landlock(...) atoms
 * @loc: the whole expression
 * @modes: AST_ACCESS_* bits, filled by the checker
 * @none: the word "none" (only meaningful for workdir)
 * @rights: Landlock right bits named by @landlock, filled by the checker
 */
struct ast_access {
	bool present;
	struct ptrvec words;
	struct ptrvec landlock;
	struct polc_loc loc;
	unsigned modes;
	bool none;
	uint64_t rights;
};

enum ast_verdict {
	AST_ALLOW,
	AST_DENY,
};

/**
 * struct ast_cond - one syscall argument condition, "arg1 & 0xff == 3"
 * @arg: the argN word
 * @op: one of "==", "!=", "<", "<=", ">", ">="
 * @mask: the mask word of a masked compare, or NULL
 * @value: a number or a named constant
 */
struct ast_cond {
	struct ast_word *arg;
	const char *op;
	struct ast_word *mask;
	struct ast_word *value;
	struct polc_loc loc;
};

/* A port or a port range, "443" or "8000-8100". */
struct ast_port {
	struct ast_word *lo;
	struct ast_word *hi; /* NULL for a single port */
	struct polc_loc loc;
};

enum ast_stmt_kind {
	AST_DESCRIPTION, /* description "text"; */
	AST_META,	 /* meta key "value"; */
	AST_REQUIRED,	 /* required; */
	AST_USE,	 /* use group…; */
	AST_EXCLUDE,	 /* exclude group…; */
	AST_RULE,     /* [override] allow|deny [access] [file] path… [create]
		       * [existing]; */
	AST_WORKDIR,  /* workdir access; */
	AST_LET,      /* let NAME = value; */
	AST_PLATFORM, /* platform name… { stmt… } */
	AST_NETWORK,  /* network …; */
	AST_SYSCALL,  /* syscall word… [if cond && …]; */
	AST_IPC,      /* ipc allow|deny kind…; */
	AST_ENV, /* [override] env pass|drop pattern…; env set N = "v"; */
	AST_SEATBELT, /* seatbelt allow|deny operation ["name"…]; */
	AST_EXPECT,   /* expect allow|deny …; */
};

enum ast_network_form {
	AST_NET_MODE,  /* network allow; / network deny; */
	AST_NET_WORD,  /* network loopback; */
	AST_NET_PORTS, /* network connect tcp 443; */
	AST_NET_HOSTS, /* network host "api.example.com"; */
};

enum ast_expect_form {
	AST_EXPECT_PATH,    /* expect deny read ~/.ssh/id_rsa; */
	AST_EXPECT_NETWORK, /* expect deny network connect tcp 22; */
	AST_EXPECT_ENV,	    /* expect deny env AWS_SECRET_ACCESS_KEY; */
	AST_EXPECT_SYSCALL, /* expect deny syscall ptrace; */
};

struct ast_network {
	enum ast_network_form form;
	enum ast_verdict mode;	/* AST_NET_MODE */
	struct ast_word *op;	/* connect / bind; host; loopback */
	struct ast_word *proto; /* tcp / udp */
	struct ptrvec ports;	/* struct ast_port * */
	struct ptrvec hosts;	/* struct ast_word * */
};

/**
 * struct ast_stmt - one statement in a profile, group or platform block
 * @kind: which member of the union is live
 * @loc: the whole statement, keyword to semicolon (or closing brace)
 * @override: "override" prefix (rules and env pass)
 */
struct ast_stmt {
	enum ast_stmt_kind kind;
	struct polc_loc loc;
	bool override;
	union {
		struct ast_word *text; /* DESCRIPTION */
		struct {
			struct ast_word *key;
			struct ast_word *value;
		} meta;		     /* META */
		struct ptrvec names; /* USE, EXCLUDE: ast_word * */
		struct {
			enum ast_verdict verdict;
			struct ast_access access;
			bool file;
			struct ptrvec paths; /* ast_word * */
			bool create;
			bool existing;
		} rule;			   /* RULE */
		struct ast_access workdir; /* WORKDIR */
		struct {
			struct ast_word *name;
			struct ast_word *value;
		} let; /* LET */
		struct {
			struct ptrvec names;   /* ast_word * */
			struct ptrvec body;    /* ast_stmt * */
			struct polc_loc close; /* the closing brace */
		} platform;		       /* PLATFORM */
		struct ast_network network;    /* NETWORK */
		struct {
			struct ptrvec words; /* ast_word *: action… targets */
			struct ptrvec conds; /* ast_cond * */
		} syscall;		     /* SYSCALL */
		struct {
			enum ast_verdict verdict;
			struct ptrvec kinds; /* ast_word * */
		} ipc;			     /* IPC */
		struct {
			struct ast_word *action; /* pass / drop; NULL for set */
			struct ptrvec patterns;	 /* ast_word * */
			struct ast_word *name;	 /* set */
			struct ast_word *value;	 /* set */
		} env;				 /* ENV */
		struct {
			enum ast_verdict verdict;
			struct ast_word *op;
			struct ptrvec names; /* ast_word *, quoted */
		} seatbelt;		     /* SEATBELT */
		struct {
			enum ast_expect_form form;
			enum ast_verdict verdict;
			struct ast_access access; /* PATH */
			struct ptrvec subjects;	  /* paths, names or syscalls */
			struct ast_network network; /* NETWORK */
		} expect;			    /* EXPECT */
	} u;
};

enum ast_item_kind {
	AST_ITEM_IMPORT,  /* import "file.pol"; */
	AST_ITEM_PROFILE, /* profile NAME [extends NAME] { … } */
	AST_ITEM_GROUP,	  /* group NAME [platform P…] { … } */
	AST_ITEM_LET,	  /* let NAME = value; */
	AST_ITEM_SET,	  /* set @NAME = syscall…; */
};

/**
 * struct ast_item - one top-level declaration
 * @name: the profile, group, variable or set name; the file of an import
 * @parent: the extends clause of a profile, or NULL
 * @platforms: ast_word *: the platform clause of a group
 * @body: ast_stmt *: the statements of a profile or group
 * @value: the value of a let
 * @members: ast_word *: the members of a set
 * @close: the closing brace of a profile or group
 */
struct ast_item {
	enum ast_item_kind kind;
	struct polc_loc loc;
	struct ast_word *name;
	struct ast_word *parent;
	struct ptrvec platforms;
	struct ptrvec body;
	struct ast_word *value;
	struct ptrvec members;
	struct polc_loc close;
};

/* A comment, kept so the formatter can put it back. */
struct ast_comment {
	struct polc_loc loc;
	const char *text; /* from '#' to the end of the line */
};

/**
 * struct ast_file - the parse of one source file
 * @file: its index in the source table
 * @items: struct ast_item *, in source order
 * @comments: struct ast_comment *, in source order
 * @syntax_errors: errors the parser reported in this file
 */
struct ast_file {
	uint32_t file;
	struct ptrvec items;
	struct ptrvec comments;
	unsigned syntax_errors;
};

struct polc_ctx;

/*
 * Parse source @file of @ctx.  Returns 0 and the tree in *out when the file
 * is free of syntax errors, -1 (with diagnostics queued, and a partial
 * tree in *out) otherwise.
 */
int ast_parse(struct polc_ctx *ctx, uint32_t file, struct ast_file **out);

/* Constructors used by the parser. */
struct ast_word *ast_word_new(struct polc_ctx *ctx, const char *text,
			      struct polc_loc loc, bool quoted);
struct ast_stmt *ast_stmt_new(struct polc_ctx *ctx, enum ast_stmt_kind kind,
			      struct polc_loc loc);
struct ast_item *ast_item_new(struct polc_ctx *ctx, enum ast_item_kind kind,
			      struct polc_loc loc);

/* Keywords, for the scanner and for "did you mean". */
extern const char *const ast_keywords[];

#endif
