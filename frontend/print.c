/*
 * print.c - canonical .pol output (see print.h).
 *
 * Statements are printed word by word through a line builder that breaks
 * before a word that would pass column 80, continuing 4 columns deeper than
 * the statement.  Comments are interleaved by source offset: a comment on
 * the line where a statement ends stays at the end of that line; any other
 * comment goes on its own line before the next statement.  Source line
 * numbers are used only to keep (single) blank lines where the author had
 * them, so the output does not depend on how the input was wrapped.
 */
#include "print.h"

#include <string.h>

#include "../common/ctx.h"
#include "../common/source.h"
#include "names.h"

enum { WIDTH = 80, INDENT = 4 };

struct printer {
	struct polc_ctx *ctx;
	FILE *out;
	const struct ast_file *file; /* NULL when printing without comments */
	size_t next_comment;	     /* index into file->comments */
	unsigned last_line;	     /* source line the output has reached */
	bool at_start;		     /* nothing printed in this block yet */
	/* The statement being built. */
	unsigned indent;
	struct ptrvec words;
};

static unsigned line_of(struct printer *p, uint32_t offset)
{
	unsigned line, col;

	if (!p->file)
		return 0;
	source_line_col(p->ctx, p->file->file, offset, &line, &col);
	return line;
}

static void spaces(struct printer *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fputc(' ', p->out);
}

/* ---- the line builder ---------------------------------------------------- */

/*
 * Words are collected first and laid out when the statement ends, so the
 * terminator (";" or " {") counts toward the width of the last line.
 */
static void stmt_begin(struct printer *p, unsigned indent)
{
	p->indent = indent;
	p->words.len = 0;
}

/* Copies @w: callers may pass a buffer of their own. */
static void word(struct printer *p, const char *w)
{
	ptrvec_push(&p->ctx->arena, &p->words, arena_strdup(&p->ctx->arena, w));
}

/* Attach @suffix to the last word, so a wrap never separates them. */
static void word_attach(struct printer *p, const char *suffix)
{
	char **last = (char **)&p->words.items[p->words.len - 1];

	*last = arena_printf(&p->ctx->arena, "%s%s", *last, suffix);
}

static void stmt_end(struct printer *p, const char *terminator)
{
	unsigned col = p->indent;

	spaces(p, p->indent);
	for (size_t i = 0; i < p->words.len; i++) {
		const char *w = p->words.items[i];
		size_t len = strlen(w) +
			     (i + 1 == p->words.len ? strlen(terminator) : 0);

		if (i > 0 && col + 1 + len > WIDTH) {
			fputc('\n', p->out);
			spaces(p, p->indent + INDENT);
			col = p->indent + INDENT;
		} else if (i > 0) {
			fputc(' ', p->out);
			col++;
		}
		fputs(w, p->out);
		col += (unsigned)strlen(w);
	}
	fputs(terminator, p->out);
}

/* ---- quoting ------------------------------------------------------------- */

static bool is_pchar(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch >= 0x80 ||
	       strchr("_.+@%:~*?-/", ch);
}

/* Length of a variable reference at @s ("$X", "${X}", "$$"), or 0. */
static size_t varref_len(const char *s)
{
	size_t i = 1;

	if (s[0] != '$')
		return 0;
	if (s[1] == '$')
		return 2;
	bool brace = s[1] == '{';
	i += brace;
	if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
	      s[i] == '_'))
		return 0;
	while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
	       (s[i] >= '0' && s[i] <= '9') || s[i] == '_')
		i++;
	if (brace) {
		if (s[i] != '}')
			return 0;
		i++;
	}
	return i;
}

/*
 * Whether the scanner would read @s back as one bare path token: one that
 * starts with '/', '~' or a variable, or a word holding a '/' whose part
 * before the first '/' has no '~' (scanner.l, PCHAR and WCHAR).
 */
static bool bare_path_ok(const char *s)
{
	bool anchored = s[0] == '/' || s[0] == '~' || s[0] == '$';
	bool slash = false;

	if (!*s)
		return false;
	for (size_t i = 0; s[i];) {
		size_t v = varref_len(s + i);

		if (v) {
			i += v;
			continue;
		}
		if (!is_pchar((unsigned char)s[i]) ||
		    (!anchored && !slash && s[i] == '~'))
			return false;
		slash |= s[i] == '/';
		i++;
	}
	return anchored || slash;
}

static char *quoted(struct printer *p, const char *s)
{
	size_t n = 3;

	for (const char *q = s; *q; q++)
		n += 4;
	char *buf = arena_alloc(&p->ctx->arena, n);
	char *o = buf;

	if (!buf)
		return (char *)"\"\"";
	*o++ = '"';
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '"':
			*o++ = '\\';
			*o++ = '"';
			break;
		case '\\':
			*o++ = '\\';
			*o++ = '\\';
			break;
		case '\n':
			*o++ = '\\';
			*o++ = 'n';
			break;
		case '\t':
			*o++ = '\\';
			*o++ = 't';
			break;
		case '\r':
			*o++ = '\\';
			*o++ = 'r';
			break;
		default:
			if (ch < 0x20 || ch == 0x7f)
				o += sprintf(o, "\\x%02x", ch);
			else
				*o++ = (char)ch;
		}
	}
	*o++ = '"';
	*o = '\0';
	return buf;
}

static void string_word(struct printer *p, const struct ast_word *w)
{
	word(p, quoted(p, w->text));
}

static void path_word(struct printer *p, const struct ast_word *w)
{
	if (bare_path_ok(w->text))
		word(p, w->text);
	else
		word(p, quoted(p, w->text));
}

static void words(struct printer *p, const struct ptrvec *v)
{
	for (size_t i = 0; i < v->len; i++)
		word(p, ((const struct ast_word *)v->items[i])->text);
}

static void path_words(struct printer *p, const struct ptrvec *v)
{
	for (size_t i = 0; i < v->len; i++)
		path_word(p, v->items[i]);
}

/* ---- access -------------------------------------------------------------- */

static void access_expr(struct printer *p, const struct ast_access *a)
{
	static const char *const mode_words[] = { "read", "write", "exec",
						  "delete" };
	static const char letters[] = "rwxd";
	char buf[512];
	size_t n = 0;
	unsigned count = 0;

	if (!a->present)
		return;
	for (unsigned b = 0; b < 4; b++)
		count += (a->modes >> b) & 1;
	if (a->none) {
		n = (size_t)snprintf(buf, sizeof(buf), "none");
	} else if (a->modes == AST_ACCESS_ALL) {
		n = (size_t)snprintf(buf, sizeof(buf), "all");
	} else if (count == 1) {
		for (unsigned b = 0; b < 4; b++)
			if (a->modes & (1u << b))
				n = (size_t)snprintf(buf, sizeof(buf), "%s",
						     mode_words[b]);
	} else {
		for (unsigned b = 0; b < 4; b++)
			if (a->modes & (1u << b))
				buf[n++] = letters[b];
		buf[n] = '\0';
	}
	if (a->rights) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%slandlock(",
				      n ? "," : "");
		const char *sep = "";
		for (unsigned b = 0; b < 64 && n < sizeof(buf); b++) {
			if (!(a->rights & (1ull << b)))
				continue;
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
					      sep, names_landlock_right(b));
			sep = " ";
		}
		if (n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - n, ")");
	}
	word(p, buf);
}

/* ---- comments and blank lines -------------------------------------------- */

static const struct ast_comment *peek_comment(struct printer *p)
{
	if (!p->file || p->next_comment >= p->file->comments.len)
		return NULL;
	return p->file->comments.items[p->next_comment];
}

static void comment_text(struct printer *p, const struct ast_comment *c)
{
	size_t len = strlen(c->text);

	while (len && (c->text[len - 1] == ' ' || c->text[len - 1] == '\t' ||
		       c->text[len - 1] == '\r'))
		len--;
	fwrite(c->text, 1, len, p->out);
}

/* Separate what comes next from what came before with a kept blank line. */
static void gap_before(struct printer *p, unsigned line, bool force)
{
	if (!p->at_start && (force || (p->file && line > p->last_line + 1)))
		fputc('\n', p->out);
	p->at_start = false;
}

/*
 * Own-line comments that start before @offset.  *@force asks for a blank
 * line before whatever is printed first; it is cleared once used.
 */
static void comments_before(struct printer *p, uint32_t offset, unsigned indent,
			    bool *force)
{
	const struct ast_comment *c;

	while ((c = peek_comment(p)) && c->loc.start < offset) {
		unsigned line = line_of(p, c->loc.start);

		gap_before(p, line, *force);
		*force = false;
		spaces(p, indent);
		comment_text(p, c);
		fputc('\n', p->out);
		p->last_line = line;
		p->next_comment++;
	}
}

/* A comment on the line where the node ending at @end ends. */
static void end_line(struct printer *p, uint32_t end)
{
	const struct ast_comment *c = peek_comment(p);
	unsigned line = line_of(p, end ? end - 1 : 0);

	if (c && line_of(p, c->loc.start) == line) {
		fputc(' ', p->out);
		comment_text(p, c);
		p->next_comment++;
	}
	fputc('\n', p->out);
	p->last_line = line;
}

/* ---- statements ---------------------------------------------------------- */

static void print_body(struct printer *p, const struct ptrvec *body,
		       struct polc_loc close, unsigned indent);

static void network_words(struct printer *p, const struct ast_network *n)
{
	switch (n->form) {
	case AST_NET_MODE:
		word(p, n->mode == AST_ALLOW ? "allow" : "deny");
		break;
	case AST_NET_WORD: word(p, n->op->text); break;
	case AST_NET_PORTS:
		word(p, n->op->text);
		word(p, n->proto->text);
		for (size_t i = 0; i < n->ports.len; i++) {
			const struct ast_port *port = n->ports.items[i];

			if (port->hi)
				word(p, arena_printf(&p->ctx->arena, "%s-%s",
						     port->lo->text,
						     port->hi->text));
			else
				word(p, port->lo->text);
		}
		break;
	case AST_NET_HOSTS:
		word(p, n->op->text);
		for (size_t i = 0; i < n->hosts.len; i++)
			string_word(p, n->hosts.items[i]);
		break;
	}
}

static const char *verdict_word(enum ast_verdict v)
{
	return v == AST_ALLOW ? "allow" : "deny";
}

static void print_stmt(struct printer *p, const struct ast_stmt *s,
		       unsigned indent)
{
	stmt_begin(p, indent);
	if (s->override)
		word(p, "override");
	switch (s->kind) {
	case AST_DESCRIPTION:
		word(p, "description");
		string_word(p, s->u.text);
		break;
	case AST_META:
		word(p, "meta");
		word(p, s->u.meta.key->text);
		string_word(p, s->u.meta.value);
		break;
	case AST_REQUIRED: word(p, "required"); break;
	case AST_USE:
	case AST_EXCLUDE:
		word(p, s->kind == AST_USE ? "use" : "exclude");
		words(p, &s->u.names);
		break;
	case AST_RULE:
		word(p, verdict_word(s->u.rule.verdict));
		access_expr(p, &s->u.rule.access);
		if (s->u.rule.file)
			word(p, "file");
		path_words(p, &s->u.rule.paths);
		if (s->u.rule.create)
			word_attach(p, " create");
		if (s->u.rule.existing)
			word_attach(p, " existing");
		break;
	case AST_WORKDIR:
		word(p, "workdir");
		access_expr(p, &s->u.workdir);
		break;
	case AST_LET:
		word(p, "let");
		word(p, s->u.let.name->text);
		word(p, "=");
		path_word(p, s->u.let.value);
		break;
	case AST_PLATFORM:
		word(p, "platform");
		words(p, &s->u.platform.names);
		stmt_end(p, " {\n");
		p->last_line = line_of(p, s->loc.start);
		print_body(p, &s->u.platform.body, s->u.platform.close,
			   indent + INDENT);
		spaces(p, indent);
		fputc('}', p->out);
		end_line(p, s->loc.end);
		return;
	case AST_NETWORK:
		word(p, "network");
		network_words(p, &s->u.network);
		break;
	case AST_SYSCALL:
		word(p, "syscall");
		words(p, &s->u.syscall.words);
		for (size_t i = 0; i < s->u.syscall.conds.len; i++) {
			const struct ast_cond *c = s->u.syscall.conds.items[i];

			word(p, i == 0 ? "if" : "&&");
			word(p, c->arg->text);
			if (c->mask) {
				word(p, "&");
				word(p, c->mask->text);
			}
			word(p, c->op);
			word(p, c->value->text);
		}
		break;
	case AST_IPC:
		word(p, "ipc");
		word(p, verdict_word(s->u.ipc.verdict));
		words(p, &s->u.ipc.kinds);
		break;
	case AST_SEATBELT:
		word(p, "seatbelt");
		word(p, verdict_word(s->u.seatbelt.verdict));
		word(p, s->u.seatbelt.op->text);
		for (size_t i = 0; i < s->u.seatbelt.names.len; i++)
			word(p, quoted(p, ((const struct ast_word *)
						   s->u.seatbelt.names.items[i])
						  ->text));
		break;
	case AST_ENV:
		word(p, "env");
		if (s->u.env.action) {
			word(p, s->u.env.action->text);
			words(p, &s->u.env.patterns);
		} else {
			word(p, "set");
			word(p, s->u.env.name->text);
			word(p, "=");
			string_word(p, s->u.env.value);
		}
		break;
	case AST_EXPECT:
		word(p, "expect");
		word(p, verdict_word(s->u.expect.verdict));
		switch (s->u.expect.form) {
		case AST_EXPECT_PATH:
			access_expr(p, &s->u.expect.access);
			path_words(p, &s->u.expect.subjects);
			break;
		case AST_EXPECT_NETWORK:
			word(p, "network");
			network_words(p, &s->u.expect.network);
			break;
		case AST_EXPECT_ENV:
			word(p, "env");
			words(p, &s->u.expect.subjects);
			break;
		case AST_EXPECT_SYSCALL:
			word(p, "syscall");
			words(p, &s->u.expect.subjects);
			break;
		}
		break;
	}
	stmt_end(p, ";");
	end_line(p, s->loc.end);
}

static void print_body(struct printer *p, const struct ptrvec *body,
		       struct polc_loc close, unsigned indent)
{
	bool no_force = false;

	p->at_start = true;
	for (size_t i = 0; i < body->len; i++) {
		const struct ast_stmt *s = body->items[i];
		/*
		 * Comments written inside a statement cannot survive its
		 * rewrapping in place; they move to the lines before it.
		 */
		uint32_t upto =
			s->kind == AST_PLATFORM ? s->loc.start : s->loc.end;

		comments_before(p, upto, indent, &no_force);
		gap_before(p, line_of(p, s->loc.start), false);
		print_stmt(p, s, indent);
	}
	comments_before(p, close.start, indent, &no_force);
	p->at_start = false;
}

/* ---- items --------------------------------------------------------------- */

static bool is_block(const struct ast_item *it)
{
	return it->kind == AST_ITEM_PROFILE || it->kind == AST_ITEM_GROUP;
}

static void print_item(struct printer *p, const struct ast_item *it)
{
	stmt_begin(p, 0);
	switch (it->kind) {
	case AST_ITEM_IMPORT:
		word(p, "import");
		string_word(p, it->name);
		break;
	case AST_ITEM_LET:
		word(p, "let");
		word(p, it->name->text);
		word(p, "=");
		path_word(p, it->value);
		break;
	case AST_ITEM_SET:
		word(p, "set");
		word(p, it->name->text);
		word(p, "=");
		words(p, &it->members);
		break;
	case AST_ITEM_PROFILE:
	case AST_ITEM_GROUP:
		word(p, it->kind == AST_ITEM_PROFILE ? "profile" : "group");
		word(p, it->name->text);
		if (it->parent) {
			word(p, "extends");
			word(p, it->parent->text);
		}
		if (it->platforms.len) {
			word(p, "platform");
			words(p, &it->platforms);
		}
		stmt_end(p, " {\n");
		p->last_line = line_of(p, it->loc.start);
		print_body(p, &it->body, it->close, INDENT);
		fputc('}', p->out);
		end_line(p, it->loc.end);
		return;
	}
	stmt_end(p, ";");
	end_line(p, it->loc.end);
}

void ast_print_file(struct polc_ctx *ctx, const struct ast_file *file,
		    FILE *out)
{
	struct printer p = {
		.ctx = ctx, .out = out, .file = file, .at_start = true
	};
	const struct ast_item *prev = NULL;

	for (size_t i = 0; i < file->items.len; i++) {
		const struct ast_item *it = file->items.items[i];
		/* Profiles and groups always stand apart from their neighbours.
		 */
		bool force = prev && (is_block(prev) || is_block(it));

		comments_before(&p, is_block(it) ? it->loc.start : it->loc.end,
				0, &force);
		gap_before(&p, line_of(&p, it->loc.start), force);
		print_item(&p, it);
		prev = it;
	}
	bool force = prev && is_block(prev);
	comments_before(&p, UINT32_MAX, 0, &force);
}

void ast_print_item(struct polc_ctx *ctx, const struct ast_item *item,
		    FILE *out)
{
	struct printer p = { .ctx = ctx, .out = out, .at_start = true };

	print_item(&p, item);
}
