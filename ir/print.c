/*
 * print.c - the resolved policy as canonical text and as versioned JSON.
 *
 * Input: one struct ir_policy, already sorted by the resolver.  Output: the
 * text "polc show" prints (and golden files hold), or the JSON document
 * spec/ir-json.md describes.  Both walk the rule arrays in order and print
 * nothing that depends on memory addresses, the host or the clock, so the
 * same policy always prints the same bytes.
 *
 * The text is made for reading and for diffing.  One rule is one line, and
 * its provenance is a trailing comment.  Columns are padded to fixed widths
 * rather than to the widest entry of a section: a longer path then moves
 * only its own line, and a golden diff shows the rules that changed, not a
 * realigned section.  Settings that agree on both platforms print once;
 * where they differ, each platform gets a line marked with its name, as
 * rules that apply on one platform only are.
 *
 * Neither printer allocates, except the two public string helpers, which
 * return arena strings for diagnostics to quote.
 */
#include "ir.h"

#include <stdarg.h>
#include <string.h>

#include "../common/ctx.h"
#include "../common/json.h"
#include "../common/source.h"
#include "../frontend/ast.h"
#include "../frontend/names.h"

/* " ← " between the steps of a provenance chain (U+2190). */
#define CHAIN_SEP " \xe2\x86\x90 "

static const char *const access_words[] = { "read", "write", "exec", "delete" };
static const char access_letters[] = "rwxd";

static const char *const action_words[] = {
	[IR_SYS_ALLOW] = "allow",   [IR_SYS_LOG] = "log",
	[IR_SYS_NOTIFY] = "notify", [IR_SYS_ERRNO] = "errno",
	[IR_SYS_TRAP] = "trap",	    [IR_SYS_KILL_THREAD] = "kill_thread",
	[IR_SYS_KILL] = "kill",
};

static const char *const cmp_words[] = {
	[IR_CMP_EQ] = "==", [IR_CMP_NE] = "!=", [IR_CMP_LT] = "<",
	[IR_CMP_LE] = "<=", [IR_CMP_GT] = ">",	[IR_CMP_GE] = ">=",
};

static const char *const net_kind_words[] = {
	[IR_NET_CONNECT] = "connect",
	[IR_NET_BIND] = "bind",
	[IR_NET_LOOPBACK] = "loopback",
	[IR_NET_HOST] = "host",
};

static const char *const env_kind_words[] = {
	[IR_ENV_PASS] = "pass",
	[IR_ENV_DROP] = "drop",
	[IR_ENV_SET] = "set",
};

static const char *const expect_form_words[] = {
	[AST_EXPECT_PATH] = "path",
	[AST_EXPECT_NETWORK] = "network",
	[AST_EXPECT_ENV] = "env",
	[AST_EXPECT_SYSCALL] = "syscall",
};

/* The platform bits in the order both printers list them. */
static const unsigned platform_bits[] = { IR_LINUX, IR_MACOS };

/* Out-of-range enum values print as "?" rather than reading past a table. */
#define WORD(table, i)                                                    \
	((size_t)(i) < sizeof(table) / sizeof((table)[0]) && (table)[(i)] \
		 ? (table)[(i)]                                           \
		 : "?")

const char *ir_platform_name(unsigned platform)
{
	switch (platform) {
	case IR_LINUX: return "linux";
	case IR_MACOS: return "macos";
	case IR_ALL_PLATFORMS: return "linux,macos";
	case 0: return "none";
	default: return "?";
	}
}

static const char *verdict_word(enum ir_verdict v)
{
	return v == IR_DENY ? "deny" : "allow";
}

static const char *proto_word(unsigned proto)
{
	return proto == 6 ? "tcp" : proto == 17 ? "udp" : NULL;
}

/* ---- provenance -----------------------------------------------------------
 */

/*
 * File, line and column of @o; false for a built-in origin (no file, or a
 * file the table does not know).
 */
static bool origin_place(struct polc_ctx *ctx, const struct ir_origin *o,
			 const char **file, unsigned *line, unsigned *col)
{
	const struct source *src;

	if (o->loc.file == 0)
		return false;
	src = source_get(ctx, o->loc.file);
	if (!src)
		return false;
	*file = src->name;
	source_line_col(ctx, o->loc.file, o->loc.start, line, col);
	return true;
}

const char *ir_origin_chain(struct polc_ctx *ctx, const struct ir_origin *o)
{
	size_t len = 1;
	char *s, *p;

	for (size_t i = 0; i < o->chain_len; i++)
		len += strlen(o->chain[i].name) + (i ? strlen(CHAIN_SEP) : 0);
	s = arena_alloc(&ctx->arena, len);
	if (!s || arena_failed(&ctx->arena))
		return "";
	p = s;
	for (size_t i = 0; i < o->chain_len; i++) {
		if (i)
			p = stpcpy(p, CHAIN_SEP);
		p = stpcpy(p, o->chain[i].name);
	}
	*p = '\0';
	return s;
}

const char *ir_origin_where(struct polc_ctx *ctx, const struct ir_origin *o)
{
	const char *file;
	unsigned line, col;

	if (!origin_place(ctx, o, &file, &line, &col))
		return "<built-in>";
	return arena_printf(&ctx->arena, "%s:%u:%u", file, line, col);
}

/* Whether two origins name the same statement reached the same way. */
static bool origin_equal(const struct ir_origin *a, const struct ir_origin *b)
{
	if (a->loc.file != b->loc.file || a->loc.start != b->loc.start ||
	    a->chain_len != b->chain_len)
		return false;
	for (size_t i = 0; i < a->chain_len; i++)
		if (a->chain[i].group != b->chain[i].group ||
		    strcmp(a->chain[i].name, b->chain[i].name) != 0)
			return false;
	return true;
}

/* ---- text: a line writer that knows its column ----------------------------
 */

/*
 * Tracks the column so fields can be padded.  Columns count characters,
 * not bytes (UTF-8 continuation bytes do not advance), so a path with
 * non-ASCII letters lines up like any other.
 */
struct txt {
	struct polc_ctx *ctx;
	FILE *out;
	size_t col;
};

static void txt_puts(struct txt *t, const char *s)
{
	fputs(s, t->out);
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			t->col++;
}

/* Only for short formatted pieces (numbers, fixed words): see txt_puts. */
__attribute__((format(printf, 2, 3))) static void
txt_printf(struct txt *t, const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	txt_puts(t, buf);
}

/* Pad to column @to, with at least @min spaces. */
static void txt_pad(struct txt *t, size_t to, size_t min)
{
	for (size_t n = 0; n < min || t->col < to; n++) {
		fputc(' ', t->out);
		t->col++;
	}
}

static void txt_end(struct txt *t)
{
	fputc('\n', t->out);
	t->col = 0;
}

/*
 * A word bare when it reads unambiguously on a line, else quoted: a space
 * would split a column and '#' would start the comment.
 */
static bool needs_quotes(const char *s)
{
	if (!*s)
		return true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '\\' ||
		    *p == '#')
			return true;
	return false;
}

/* A string with the escapes of the canonical form (spec/language.md §6). */
static void txt_quoted(struct txt *t, const char *s)
{
	txt_puts(t, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '\\': txt_puts(t, "\\\\"); break;
		case '"': txt_puts(t, "\\\""); break;
		case '\n': txt_puts(t, "\\n"); break;
		case '\t': txt_puts(t, "\\t"); break;
		case '\r': txt_puts(t, "\\r"); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				txt_printf(t, "\\x%02X", *p);
			} else {
				char c[2] = { (char)*p, '\0' };

				txt_puts(t, c);
			}
		}
	}
	txt_puts(t, "\"");
}

static void txt_word(struct txt *t, const char *s)
{
	if (needs_quotes(s))
		txt_quoted(t, s);
	else
		txt_puts(t, s);
}

/* Canonical access: one mode as its word, several as letters, "all". */
static void txt_access(struct txt *t, unsigned modes, uint64_t rights)
{
	unsigned count = 0;

	for (unsigned b = 0; b < 4; b++)
		count += (modes >> b) & 1;
	if (modes == IR_ALL_ACCESS) {
		txt_puts(t, "all");
	} else if (count == 1) {
		for (unsigned b = 0; b < 4; b++)
			if (modes & (1u << b))
				txt_puts(t, access_words[b]);
	} else if (count > 1) {
		for (unsigned b = 0; b < 4; b++)
			if (modes & (1u << b))
				txt_printf(t, "%c", access_letters[b]);
	} else if (!rights) {
		txt_puts(t, "none");
	}
	if (!rights)
		return;
	txt_puts(t, count ? ",landlock(" : "landlock(");
	for (unsigned b = 0, n = 0; b < 64; b++) {
		const char *name;

		if (!(rights & (UINT64_C(1) << b)))
			continue;
		name = names_landlock_right(b);
		if (name)
			txt_printf(t, "%s%s", n++ ? " " : "", name);
		else
			txt_printf(t, "%sbit%u", n++ ? " " : "", b);
	}
	txt_puts(t, ")");
}

/* " [linux]" for rules that do not apply on every platform. */
static void txt_platforms(struct txt *t, unsigned platforms)
{
	if (platforms != IR_ALL_PLATFORMS)
		txt_printf(t, " [%s]", ir_platform_name(platforms));
}

/* The trailing comment: "# chain @ file:line:col", from column @col. */
static void txt_origin(struct txt *t, size_t col, const struct ir_origin *o)
{
	const char *file;
	unsigned line, c;

	txt_pad(t, col, 2);
	txt_puts(t, "# ");
	for (size_t i = 0; i < o->chain_len; i++) {
		if (i)
			txt_puts(t, CHAIN_SEP);
		txt_puts(t, o->chain[i].name);
	}
	txt_puts(t, o->chain_len ? " @ " : "@ ");
	if (origin_place(t->ctx, o, &file, &line, &c)) {
		txt_puts(t, file);
		txt_printf(t, ":%u:%u", line, c);
	} else {
		txt_puts(t, "<built-in>");
	}
}

/* ---- text: sections -------------------------------------------------------
 */

/*
 * Column widths, fixed per section (see the file comment).  An entry that
 * overflows its column is followed by one space, a line whose content
 * overflows the comment column by two.
 */
enum {
	INDENT = 4,
	GROUP_W = 28,
	SETTING_W = 19,
	SETTING_VAL_W = 14,
	SETTING_COMMENT = 48,
	VERDICT_W = 9,
	ACCESS_W = 7,
	FILE_W = 5,
	PATH_COMMENT = 64,
	NET_COMMENT = 40,
	SYSCALL_W = 18,
	ACTION_W = 13,
	SYSCALL_COMMENT = 56,
	ENV_KIND_W = 14,
	ENV_COMMENT = 48,
	EXPECT_VERDICT_W = 6,
	EXPECT_COMMENT = 64,
};

static void section(struct txt *t, const char *name, size_t n)
{
	fprintf(t->out, "\n%s:%s\n", name, n ? "" : " none");
}

static void print_header(struct txt *t, const struct ir_policy *p)
{
	txt_puts(t, "profile ");
	txt_word(t, p->profile);
	/* chain[0] is the profile itself; "a extends b extends c" reads on. */
	for (size_t i = 1; i < p->chain_len; i++) {
		txt_puts(t, " extends ");
		txt_word(t, p->chain[i]);
	}
	txt_end(t);
	if (p->description && *p->description) {
		txt_puts(t, "description ");
		txt_quoted(t, p->description);
		txt_end(t);
	}
	section(t, "groups", p->ngroups);
	for (size_t i = 0; i < p->ngroups; i++) {
		txt_pad(t, INDENT, 0);
		txt_word(t, p->groups[i]);
		if (p->group_platforms &&
		    p->group_platforms[i] != IR_ALL_PLATFORMS) {
			txt_pad(t, INDENT + GROUP_W, 1);
			txt_printf(t, "[%s]",
				   ir_platform_name(p->group_platforms[i]));
		}
		txt_end(t);
	}
}

enum setting_kind {
	SET_WORKDIR,
	SET_NETWORK,
	SET_SYSCALL,
	SET_IPC_SIGNAL,
	SET_IPC_ABSTRACT_UNIX,
	SET_COUNT,
};

static const char *const setting_labels[] = {
	[SET_WORKDIR] = "workdir",
	[SET_NETWORK] = "network",
	[SET_SYSCALL] = "syscall default",
	[SET_IPC_SIGNAL] = "ipc signal",
	[SET_IPC_ABSTRACT_UNIX] = "ipc abstract_unix",
};

static const struct ir_setting *setting_from(const struct ir_settings *s,
					     enum setting_kind k)
{
	switch (k) {
	case SET_WORKDIR: return &s->workdir_from;
	case SET_NETWORK: return &s->network_from;
	case SET_SYSCALL: return &s->sys_default_from;
	case SET_IPC_SIGNAL: return &s->ipc_signal_from;
	default: return &s->ipc_abstract_unix_from;
	}
}

/* Whether setting @k has the same value on both platforms. */
static bool setting_values_equal(const struct ir_settings *a,
				 const struct ir_settings *b,
				 enum setting_kind k)
{
	switch (k) {
	case SET_WORKDIR: return a->workdir == b->workdir;
	case SET_NETWORK: return a->network_allow == b->network_allow;
	case SET_SYSCALL:
		return a->sys_default == b->sys_default &&
		       (a->sys_default != IR_SYS_ERRNO ||
			a->sys_default_errno == b->sys_default_errno);
	case SET_IPC_SIGNAL: return a->ipc_signal == b->ipc_signal;
	default: return a->ipc_abstract_unix == b->ipc_abstract_unix;
	}
}

/* "errno EPERM", or the number when glibc has no name for it. */
static void txt_action(struct txt *t, enum ir_sys_action a, unsigned err)
{
	txt_puts(t, WORD(action_words, a));
	if (a == IR_SYS_ERRNO) {
		const char *name = strerrorname_np((int)err);

		if (name)
			txt_printf(t, " %s", name);
		else
			txt_printf(t, " %u", err);
	}
}

static void txt_setting_value(struct txt *t, const struct ir_settings *s,
			      enum setting_kind k)
{
	switch (k) {
	case SET_WORKDIR: txt_access(t, s->workdir, 0); break;
	case SET_NETWORK:
		txt_puts(t, s->network_allow ? "allow" : "deny");
		break;
	case SET_SYSCALL:
		txt_action(t, s->sys_default, s->sys_default_errno);
		break;
	case SET_IPC_SIGNAL:
		txt_puts(t, s->ipc_signal ? "allowed" : "scoped");
		break;
	default: txt_puts(t, s->ipc_abstract_unix ? "allowed" : "scoped");
	}
}

static void print_setting_line(struct txt *t, const struct ir_settings *s,
			       enum setting_kind k, unsigned platforms)
{
	const struct ir_setting *from = setting_from(s, k);

	txt_pad(t, INDENT, 0);
	txt_puts(t, setting_labels[k]);
	txt_pad(t, INDENT + SETTING_W, 1);
	txt_setting_value(t, s, k);
	if (platforms != IR_ALL_PLATFORMS) {
		txt_pad(t, INDENT + SETTING_W + SETTING_VAL_W, 1);
		txt_printf(t, "[%s]", ir_platform_name(platforms));
	}
	if (from->set) {
		txt_origin(t, SETTING_COMMENT, &from->origin);
	} else {
		txt_pad(t, SETTING_COMMENT, 2);
		txt_puts(t, "# (default)");
	}
	txt_end(t);
}

static void print_settings(struct txt *t, const struct ir_policy *p)
{
	const struct ir_settings *lx = &p->settings[0], *mac = &p->settings[1];

	section(t, "settings", SET_COUNT);
	for (unsigned k = 0; k < SET_COUNT; k++) {
		const struct ir_setting *a = setting_from(lx, k);
		const struct ir_setting *b = setting_from(mac, k);

		if (setting_values_equal(lx, mac, k) && a->set == b->set &&
		    (!a->set || origin_equal(&a->origin, &b->origin))) {
			print_setting_line(t, lx, k, IR_ALL_PLATFORMS);
			continue;
		}
		for (size_t i = 0; i < 2; i++)
			print_setting_line(t,
					   &p->settings[ir_platform_index(
						   platform_bits[i])],
					   k, platform_bits[i]);
	}
}

static void print_paths(struct txt *t, const struct ir_policy *p)
{
	section(t, "paths", p->npaths);
	for (size_t i = 0; i < p->npaths; i++) {
		const struct ir_path_rule *r = &p->paths[i];
		size_t col = INDENT;

		txt_pad(t, col, 0);
		txt_puts(t,
			 r->override ? "override" : verdict_word(r->verdict));
		txt_pad(t, col += VERDICT_W, 1);
		txt_access(t, r->modes, r->rights);
		txt_pad(t, col += ACCESS_W, 1);
		if (r->file)
			txt_puts(t, "file");
		txt_pad(t, col += FILE_W, 1);
		txt_word(t, r->path);
		if (r->create)
			txt_puts(t, " create");
		if (r->existing)
			txt_puts(t, " existing");
		if (r->workdir)
			txt_puts(t, " (workdir)");
		txt_platforms(t, r->platforms);
		txt_origin(t, PATH_COMMENT, &r->origin);
		txt_end(t);
	}
}

static void print_net(struct txt *t, const struct ir_policy *p)
{
	section(t, "network", p->nnet);
	for (size_t i = 0; i < p->nnet; i++) {
		const struct ir_net_rule *r = &p->net[i];
		const char *proto = proto_word(r->proto);

		txt_pad(t, INDENT, 0);
		txt_puts(t, WORD(net_kind_words, r->kind));
		if (r->kind == IR_NET_CONNECT || r->kind == IR_NET_BIND) {
			if (proto)
				txt_printf(t, " %s", proto);
			else
				txt_printf(t, " proto%u", r->proto);
			txt_printf(t, " %u", r->lo);
			if (r->hi != r->lo)
				txt_printf(t, "-%u", r->hi);
		} else if (r->kind == IR_NET_HOST) {
			txt_puts(t, " ");
			txt_word(t, r->host ? r->host : "");
		}
		txt_platforms(t, r->platforms);
		txt_origin(t, NET_COMMENT, &r->origin);
		txt_end(t);
	}
}

static void print_sys(struct txt *t, const struct ir_policy *p)
{
	section(t, "syscalls", p->nsys);
	for (size_t i = 0; i < p->nsys; i++) {
		const struct ir_sys_rule *r = &p->sys[i];

		txt_pad(t, INDENT, 0);
		txt_puts(t, r->syscall);
		txt_pad(t, INDENT + SYSCALL_W, 1);
		txt_action(t, r->action, r->errno_value);
		if (r->nconds || r->via_set)
			txt_pad(t, INDENT + SYSCALL_W + ACTION_W, 1);
		for (size_t c = 0; c < r->nconds; c++) {
			const struct ir_sys_cond *cond = &r->conds[c];

			txt_printf(t, "%s arg%u ", c ? " &&" : "if", cond->arg);
			if (cond->mask != UINT64_MAX)
				txt_printf(t, "& 0x%llx ",
					   (unsigned long long)cond->mask);
			txt_printf(t, "%s 0x%llx", WORD(cmp_words, cond->op),
				   (unsigned long long)cond->value);
		}
		if (r->via_set) {
			txt_puts(t, r->nconds ? " via " : "via ");
			txt_puts(t, r->via_set);
		}
		txt_platforms(t, r->platforms);
		txt_origin(t, SYSCALL_COMMENT, &r->origin);
		txt_end(t);
	}
}

static void print_env(struct txt *t, const struct ir_policy *p)
{
	section(t, "env", p->nenv);
	for (size_t i = 0; i < p->nenv; i++) {
		const struct ir_env_rule *r = &p->env[i];

		txt_pad(t, INDENT, 0);
		if (r->override)
			txt_puts(t, "override ");
		txt_puts(t, WORD(env_kind_words, r->kind));
		txt_pad(t, INDENT + ENV_KIND_W, 1);
		txt_word(t, r->pattern);
		if (r->kind == IR_ENV_SET) {
			txt_puts(t, " = ");
			txt_quoted(t, r->value ? r->value : "");
		}
		txt_platforms(t, r->platforms);
		txt_origin(t, ENV_COMMENT, &r->origin);
		txt_end(t);
	}
}

static void print_seatbelt(struct txt *t, const struct ir_policy *p)
{
	section(t, "seatbelt", p->nsb);
	for (size_t i = 0; i < p->nsb; i++) {
		const struct ir_sb_rule *r = &p->sb[i];

		txt_pad(t, INDENT, 0);
		txt_puts(t, r->verdict == IR_ALLOW ? "allow " : "deny  ");
		txt_word(t, r->operation);
		if (r->name) {
			txt_puts(t, " ");
			txt_quoted(t, r->name);
		}
		txt_platforms(t, r->platforms);
		txt_origin(t, ENV_COMMENT, &r->origin);
		txt_end(t);
	}
}

static size_t expect_nsubjects(const struct ir_expect *e)
{
	if (e->stmt->u.expect.form == AST_EXPECT_NETWORK && !e->nsubjects)
		return e->stmt->u.expect.network.ports.len;
	return e->nsubjects;
}

/*
 * Subject @i of @e.  The resolver keeps no subjects for a network expect,
 * whose ports live in the statement: those are written into @buf as they
 * were written in the source ("443", "8000-8100").  A port word is a
 * checked number, so @buf never truncates one.
 */
static const char *expect_subject(const struct ir_expect *e, size_t i,
				  char *buf, size_t size)
{
	const struct ast_port *port;

	if (e->stmt->u.expect.form != AST_EXPECT_NETWORK || e->nsubjects)
		return e->subjects[i];
	port = e->stmt->u.expect.network.ports.items[i];
	if (port->hi)
		snprintf(buf, size, "%s-%s", port->lo->text, port->hi->text);
	else
		snprintf(buf, size, "%s", port->lo->text);
	return buf;
}

/* A path expect without access checks every mode (spec/language.md §4.18). */
static unsigned expect_modes(const struct ast_stmt *s)
{
	return s->u.expect.access.present ? s->u.expect.access.modes
					  : IR_ALL_ACCESS;
}

static const char *word_text(const struct ast_word *w)
{
	return w ? w->text : "?";
}

/*
 * One line per subject: each is checked on its own, and a long list stays
 * a column of short lines.
 */
static void print_expects(struct txt *t, const struct ir_policy *p)
{
	section(t, "expect", p->nexpects);
	for (size_t i = 0; i < p->nexpects; i++) {
		const struct ir_expect *e = &p->expects[i];
		const struct ast_stmt *s = e->stmt;
		char port[64];

		/* The resolver always links the statement; be safe anyway. */
		if (!s)
			continue;
		for (size_t j = 0, n = expect_nsubjects(e); j < n; j++) {
			txt_pad(t, INDENT, 0);
			txt_puts(t, s->u.expect.verdict == AST_DENY ? "deny"
								    : "allow");
			txt_pad(t, INDENT + EXPECT_VERDICT_W, 1);
			switch (s->u.expect.form) {
			case AST_EXPECT_PATH:
				txt_access(t, expect_modes(s), 0);
				break;
			case AST_EXPECT_NETWORK:
				txt_puts(t, "network ");
				txt_puts(t, word_text(s->u.expect.network.op));
				txt_puts(t, " ");
				txt_puts(t,
					 word_text(s->u.expect.network.proto));
				break;
			case AST_EXPECT_ENV: txt_puts(t, "env"); break;
			case AST_EXPECT_SYSCALL: txt_puts(t, "syscall"); break;
			}
			txt_pad(t, INDENT + EXPECT_VERDICT_W + ACCESS_W, 1);
			txt_word(t, expect_subject(e, j, port, sizeof(port)));
			txt_platforms(t, e->platforms);
			txt_origin(t, EXPECT_COMMENT, &e->origin);
			txt_end(t);
		}
	}
}

void ir_print(struct polc_ctx *ctx, const struct ir_policy *p, FILE *out)
{
	struct txt t = { ctx, out, 0 };

	print_header(&t, p);
	print_settings(&t, p);
	print_paths(&t, p);
	print_net(&t, p);
	print_sys(&t, p);
	print_env(&t, p);
	print_seatbelt(&t, p);
	print_expects(&t, p);
}

/* ---- JSON: a writer with two-space indentation -----------------------------
 */

/*
 * The document has a fixed shape, at most seven levels deep, so the
 * nesting bound is never reached by a well-formed caller.  A container
 * opened "flat" keeps itself and everything inside on one line: short
 * arrays such as ["read", "write"] and each chain link read better so.
 */
enum { JSON_MAX_DEPTH = 16 };

struct jw {
	FILE *out;
	unsigned depth;
	unsigned flat_from; /* depth where one-line output began; 0: none */
	bool first[JSON_MAX_DEPTH];
};

/* Separator and indentation before a member or element. */
static void jw_next(struct jw *w)
{
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		fputc(',', w->out);
	if (w->flat_from) {
		if (!w->first[w->depth])
			fputc(' ', w->out);
	} else {
		fprintf(w->out, "\n%*s", (int)(2 * w->depth), "");
	}
	w->first[w->depth] = false;
}

/* Start a member named @key, or an array element when @key is NULL. */
static void jw_key(struct jw *w, const char *key)
{
	jw_next(w);
	if (key) {
		json_write_string(w->out, key);
		fputs(": ", w->out);
	}
}

static void jw_open(struct jw *w, const char *key, char brace, bool flat)
{
	jw_key(w, key);
	fputc(brace, w->out);
	if (w->depth + 1 < JSON_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
	if (flat && !w->flat_from)
		w->flat_from = w->depth;
}

static void jw_close(struct jw *w, char brace)
{
	if (!w->flat_from && !w->first[w->depth])
		fprintf(w->out, "\n%*s", (int)(2 * (w->depth - 1)), "");
	if (w->flat_from == w->depth)
		w->flat_from = 0;
	w->depth--;
	fputc(brace, w->out);
}

static void jw_string(struct jw *w, const char *key, const char *value)
{
	jw_key(w, key);
	json_write_string(w->out, value);
}

static void jw_uint(struct jw *w, const char *key, uint64_t value)
{
	jw_key(w, key);
	fprintf(w->out, "%llu", (unsigned long long)value);
}

static void jw_bool(struct jw *w, const char *key, bool value)
{
	jw_key(w, key);
	fputs(value ? "true" : "false", w->out);
}

static void jw_null(struct jw *w, const char *key)
{
	jw_key(w, key);
	fputs("null", w->out);
}

static void jw_hex(struct jw *w, const char *key, uint64_t value)
{
	jw_key(w, key);
	fprintf(w->out, "\"0x%llx\"", (unsigned long long)value);
}

/* ---- JSON: the document ---------------------------------------------------
 */

static void json_platforms(struct jw *w, unsigned platforms)
{
	jw_open(w, "platforms", '[', true);
	for (size_t i = 0; i < 2; i++)
		if (platforms & platform_bits[i])
			jw_string(w, NULL, ir_platform_name(platform_bits[i]));
	jw_close(w, ']');
}

static void json_access(struct jw *w, const char *key, unsigned modes)
{
	jw_open(w, key, '[', true);
	for (unsigned b = 0; b < 4; b++)
		if (modes & (1u << b))
			jw_string(w, NULL, access_words[b]);
	jw_close(w, ']');
}

static void json_origin(struct polc_ctx *ctx, struct jw *w, const char *key,
			const struct ir_origin *o)
{
	const char *file;
	unsigned line, col;

	jw_open(w, key, '{', false);
	if (origin_place(ctx, o, &file, &line, &col)) {
		jw_string(w, "file", file);
		jw_uint(w, "line", line);
		jw_uint(w, "column", col);
	} else {
		jw_null(w, "file");
		jw_null(w, "line");
		jw_null(w, "column");
	}
	jw_open(w, "chain", '[', false);
	for (size_t i = 0; i < o->chain_len; i++) {
		jw_open(w, NULL, '{', true);
		jw_string(w, "kind", o->chain[i].group ? "group" : "profile");
		jw_string(w, "name", o->chain[i].name);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

/* "NAME_provenance": the origin, or null when the default applies. */
static void json_setting_origin(struct polc_ctx *ctx, struct jw *w,
				const char *key, const struct ir_setting *s)
{
	if (s->set)
		json_origin(ctx, w, key, &s->origin);
	else
		jw_null(w, key);
}

static void json_settings(struct polc_ctx *ctx, struct jw *w,
			  const struct ir_settings *s, const char *key)
{
	jw_open(w, key, '{', false);
	json_access(w, "workdir", s->workdir);
	json_setting_origin(ctx, w, "workdir_provenance", &s->workdir_from);
	jw_string(w, "network", s->network_allow ? "allow" : "deny");
	json_setting_origin(ctx, w, "network_provenance", &s->network_from);
	jw_open(w, "syscall_default", '{', true);
	jw_string(w, "action", WORD(action_words, s->sys_default));
	if (s->sys_default == IR_SYS_ERRNO)
		jw_uint(w, "errno", s->sys_default_errno);
	jw_close(w, '}');
	json_setting_origin(ctx, w, "syscall_default_provenance",
			    &s->sys_default_from);
	jw_open(w, "ipc", '{', false);
	jw_string(w, "signal", s->ipc_signal ? "allowed" : "scoped");
	json_setting_origin(ctx, w, "signal_provenance", &s->ipc_signal_from);
	jw_string(w, "abstract_unix",
		  s->ipc_abstract_unix ? "allowed" : "scoped");
	json_setting_origin(ctx, w, "abstract_unix_provenance",
			    &s->ipc_abstract_unix_from);
	jw_close(w, '}');
	jw_close(w, '}');
}

static void json_path(struct polc_ctx *ctx, struct jw *w,
		      const struct ir_path_rule *r)
{
	jw_open(w, NULL, '{', false);
	jw_string(w, "verdict", verdict_word(r->verdict));
	jw_bool(w, "override", r->override);
	jw_bool(w, "workdir", r->workdir);
	jw_bool(w, "file", r->file);
	jw_bool(w, "create", r->create);
	jw_bool(w, "existing", r->existing);
	json_access(w, "access", r->modes);
	jw_open(w, "landlock_rights", '[', true);
	for (unsigned b = 0; b < 64; b++) {
		const char *name;

		if (!(r->rights & (UINT64_C(1) << b)))
			continue;
		name = names_landlock_right(b);
		/* An unnamed bit is a resolver bug; still show it. */
		if (name)
			jw_string(w, NULL, name);
		else
			jw_uint(w, NULL, b);
	}
	jw_close(w, ']');
	json_platforms(w, r->platforms);
	jw_string(w, "path", r->path);
	jw_string(w, "raw", r->raw);
	json_origin(ctx, w, "provenance", &r->origin);
	jw_close(w, '}');
}

static void json_net(struct polc_ctx *ctx, struct jw *w,
		     const struct ir_net_rule *r)
{
	jw_open(w, NULL, '{', false);
	jw_string(w, "kind", WORD(net_kind_words, r->kind));
	if (r->kind == IR_NET_CONNECT || r->kind == IR_NET_BIND) {
		const char *proto = proto_word(r->proto);

		if (proto)
			jw_string(w, "protocol", proto);
		else
			jw_uint(w, "protocol", r->proto);
		jw_open(w, "ports", '[', true);
		jw_uint(w, NULL, r->lo);
		jw_uint(w, NULL, r->hi);
		jw_close(w, ']');
	}
	if (r->kind == IR_NET_HOST)
		jw_string(w, "host", r->host);
	json_platforms(w, r->platforms);
	json_origin(ctx, w, "provenance", &r->origin);
	jw_close(w, '}');
}

static void json_sys(struct polc_ctx *ctx, struct jw *w,
		     const struct ir_sys_rule *r)
{
	jw_open(w, NULL, '{', false);
	jw_string(w, "syscall", r->syscall);
	jw_string(w, "action", WORD(action_words, r->action));
	if (r->action == IR_SYS_ERRNO)
		jw_uint(w, "errno", r->errno_value);
	jw_open(w, "conditions", '[', false);
	for (size_t c = 0; c < r->nconds; c++) {
		const struct ir_sys_cond *cond = &r->conds[c];

		jw_open(w, NULL, '{', true);
		jw_uint(w, "arg", cond->arg);
		jw_string(w, "op", WORD(cmp_words, cond->op));
		if (cond->mask != UINT64_MAX)
			jw_hex(w, "mask", cond->mask);
		jw_hex(w, "value", cond->value);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_string(w, "set", r->via_set);
	json_platforms(w, r->platforms);
	json_origin(ctx, w, "provenance", &r->origin);
	jw_close(w, '}');
}

static void json_env(struct polc_ctx *ctx, struct jw *w,
		     const struct ir_env_rule *r)
{
	jw_open(w, NULL, '{', false);
	jw_string(w, "kind", WORD(env_kind_words, r->kind));
	jw_bool(w, "override", r->override);
	if (r->kind == IR_ENV_SET) {
		jw_string(w, "name", r->pattern);
		jw_string(w, "value", r->value);
	} else {
		jw_string(w, "pattern", r->pattern);
	}
	json_platforms(w, r->platforms);
	json_origin(ctx, w, "provenance", &r->origin);
	jw_close(w, '}');
}

static void json_sb(struct polc_ctx *ctx, struct jw *w,
		    const struct ir_sb_rule *r)
{
	jw_open(w, NULL, '{', false);
	jw_string(w, "verdict", r->verdict == IR_ALLOW ? "allow" : "deny");
	jw_string(w, "operation", r->operation);
	jw_string(w, "name", r->name);
	json_platforms(w, r->platforms);
	json_origin(ctx, w, "provenance", &r->origin);
	jw_close(w, '}');
}

static void json_expect(struct polc_ctx *ctx, struct jw *w,
			const struct ir_expect *e)
{
	const struct ast_stmt *s = e->stmt;
	char port[64];

	jw_open(w, NULL, '{', false);
	jw_string(w, "form", WORD(expect_form_words, s->u.expect.form));
	jw_string(w, "verdict",
		  s->u.expect.verdict == AST_DENY ? "deny" : "allow");
	if (s->u.expect.form == AST_EXPECT_PATH)
		json_access(w, "access", expect_modes(s));
	if (s->u.expect.form == AST_EXPECT_NETWORK) {
		const struct ast_network *n = &s->u.expect.network;

		jw_string(w, "operation", n->op ? n->op->text : NULL);
		jw_string(w, "protocol", n->proto ? n->proto->text : NULL);
	}
	jw_open(w, "subjects", '[', false);
	for (size_t j = 0, n = expect_nsubjects(e); j < n; j++)
		jw_string(w, NULL, expect_subject(e, j, port, sizeof(port)));
	jw_close(w, ']');
	json_platforms(w, e->platforms);
	json_origin(ctx, w, "provenance", &e->origin);
	jw_close(w, '}');
}

void ir_print_json(struct polc_ctx *ctx, const struct ir_policy *p, FILE *out)
{
	struct jw w = { .out = out };

	jw_open(&w, NULL, '{', false);
	jw_uint(&w, "polc_ir_version", 1);
	jw_string(&w, "profile", p->profile);
	jw_string(&w, "description", p->description ? p->description : "");
	jw_open(&w, "extends", '[', true);
	for (size_t i = 1; i < p->chain_len; i++)
		jw_string(&w, NULL, p->chain[i]);
	jw_close(&w, ']');

	jw_open(&w, "groups", '[', false);
	for (size_t i = 0; i < p->ngroups; i++) {
		jw_open(&w, NULL, '{', true);
		jw_string(&w, "name", p->groups[i]);
		json_platforms(&w, p->group_platforms ? p->group_platforms[i]
						      : IR_ALL_PLATFORMS);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');

	jw_open(&w, "settings", '{', false);
	for (size_t i = 0; i < 2; i++)
		json_settings(ctx, &w,
			      &p->settings[ir_platform_index(platform_bits[i])],
			      ir_platform_name(platform_bits[i]));
	jw_close(&w, '}');

	jw_open(&w, "paths", '[', false);
	for (size_t i = 0; i < p->npaths; i++)
		json_path(ctx, &w, &p->paths[i]);
	jw_close(&w, ']');
	jw_open(&w, "network", '[', false);
	for (size_t i = 0; i < p->nnet; i++)
		json_net(ctx, &w, &p->net[i]);
	jw_close(&w, ']');
	jw_open(&w, "syscalls", '[', false);
	for (size_t i = 0; i < p->nsys; i++)
		json_sys(ctx, &w, &p->sys[i]);
	jw_close(&w, ']');
	jw_open(&w, "env", '[', false);
	for (size_t i = 0; i < p->nenv; i++)
		json_env(ctx, &w, &p->env[i]);
	jw_close(&w, ']');
	jw_open(&w, "seatbelt", '[', false);
	for (size_t i = 0; i < p->nsb; i++)
		json_sb(ctx, &w, &p->sb[i]);
	jw_close(&w, ']');
	jw_open(&w, "expect", '[', false);
	for (size_t i = 0; i < p->nexpects; i++)
		if (p->expects[i].stmt)
			json_expect(ctx, &w, &p->expects[i]);
	jw_close(&w, ']');
	jw_close(&w, '}');
	fputc('\n', out);
}
