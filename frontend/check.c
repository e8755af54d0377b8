/*
 * check.c - the frontend's semantic checks (see check.h).
 *
 * Every check reports and carries on, so one run lists every problem in a
 * file; only the error cap stops it.  Nothing here needs another file: names
 * of groups, profiles, sets and variables are resolved (and reported when
 * undefined) by the IR.
 */
#include "check.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../common/ctx.h"
#include "../common/diag.h"
#include "../common/misspell.h"
#include "names.h"

struct checker {
	struct polc_ctx *ctx;
	unsigned errors;
};

__attribute__((format(printf, 3, 4))) static struct diag *
error(struct checker *c, struct polc_loc loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->errors++;
	return diag_at(c->ctx, DIAG_ERROR, loc, "%s", msg);
}

/* "unknown platform 'macs'; did you mean 'macos'?" */
static bool lookup_word(struct checker *c, const struct name_table *t,
			const struct ast_word *w, uint64_t *value)
{
	if (names_lookup(t, w->text, value))
		return true;
	const char *s = names_suggest(t, w->text);
	if (s)
		error(c, w->loc, "unknown %s '%s'; did you mean '%s'?", t->what,
		      w->text, s);
	else
		error(c, w->loc, "unknown %s '%s'", t->what, w->text);
	return false;
}

static bool is_name_start(char ch)
{
	return isalpha((unsigned char)ch) || ch == '_';
}

static bool is_name_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_';
}

/* ---- paths --------------------------------------------------------------- */

/* Check the variable references of a path; returns false after an error. */
static bool check_path_vars(struct checker *c, const struct ast_word *w)
{
	const char *s = w->text;

	for (size_t i = 0; s[i]; i++) {
		if (s[i] != '$')
			continue;
		if (s[i + 1] == '$') {
			i++;
			continue;
		}
		if (s[i + 1] == '{') {
			size_t j = i + 2;

			if (is_name_start(s[j]))
				while (is_name_char(s[j]))
					j++;
			if (j > i + 2 && s[j] == '}') {
				i = j;
				continue;
			}
		} else if (is_name_start(s[i + 1])) {
			continue;
		}
		error(c, w->loc,
		      "'$' must start a variable ('$NAME' or '${NAME}') in "
		      "path '%s'; write '$$' for a literal '$'",
		      s);
		return false;
	}
	return true;
}

static void check_path(struct checker *c, const struct ast_word *w)
{
	const char *s = w->text;
	const char *glob = strpbrk(s, "*?[");

	if (!*s) {
		error(c, w->loc, "empty path");
		return;
	}
	for (const char *q = s; *q; q++) {
		if ((unsigned char)*q < 0x20 || *q == 0x7f) {
			error(c, w->loc,
			      "path '%s' contains a control character", s);
			return;
		}
	}
	if (s[0] == '~' && s[1] != '\0' && s[1] != '/') {
		error(c, w->loc,
		      "'%s': '~user' paths are not supported; write '~/…' "
		      "for your home or the full path",
		      s);
		return;
	}
	if (s[0] != '/' && s[0] != '~' && s[0] != '$') {
		const char *rest = s;

		while (rest[0] == '.' && rest[1] == '/')
			rest += 2;
		struct diag *d = error(c, w->loc,
				       "relative path '%s': paths start with "
				       "'/', '~' or a variable",
				       s);
		diag_note(c->ctx, d, w->loc, "did you mean '$WORKDIR/%s'?",
			  rest);
		return;
	}
	if (s[0] == '$' && s[1] == '$') {
		error(c, w->loc, "path '%s' starts with a literal '$'", s);
		return;
	}
	if (glob) {
		error(c, w->loc,
		      "'%c' in path '%s': paths name files and directories, "
		      "not patterns",
		      *glob, s);
		return;
	}
	check_path_vars(c, w);
}

static void check_paths(struct checker *c, const struct ptrvec *paths)
{
	for (size_t i = 0; i < paths->len; i++)
		check_path(c, paths->items[i]);
}

/* ---- access expressions -------------------------------------------------- */

static const char letters[] = "rwxd";
static const unsigned letter_bits[] = { AST_ACCESS_READ, AST_ACCESS_WRITE,
					AST_ACCESS_EXEC, AST_ACCESS_DELETE };

/* Decode "rwd"-style shorthand; false when @s is not one. */
static bool decode_letters(const char *s, unsigned *bits, char *dup)
{
	unsigned seen = 0;

	*dup = '\0';
	for (; *s; s++) {
		const char *at = strchr(letters, *s);

		if (!at)
			return false;
		unsigned bit = letter_bits[at - letters];
		if ((seen & bit) && !*dup)
			*dup = *s;
		seen |= bit;
	}
	*bits = seen;
	return true;
}

enum access_use {
	ACCESS_RULE,	  /* a subtree rule */
	ACCESS_FILE_RULE, /* a rule with 'file': file rights only */
	ACCESS_WORKDIR,	  /* 'none' is meaningful */
	ACCESS_EXPECT,	  /* no landlock(...) */
};

/* Landlock rights that apply to a file, as opposed to a directory. */
static const uint64_t file_rights =
	(1u << 0) | (1u << 1) | (1u << 2) | (1u << 14) | (1u << 15);

static void check_mode_word(struct checker *c, struct ast_access *a,
			    const struct ast_word *w, enum access_use use)
{
	unsigned bits;
	uint64_t value;
	char dup;

	if (names_lookup(&names_access, w->text, &value)) {
		bits = (unsigned)value;
		if (strcmp(w->text, "none") == 0) {
			if (use != ACCESS_WORKDIR)
				error(c, w->loc,
				      "'none' grants nothing; it is only "
				      "meaningful as 'workdir none'");
			else if (a->words.len + a->landlock.len > 1)
				error(c, w->loc,
				      "'none' cannot be combined with other "
				      "access");
			a->none = true;
		}
	} else if (decode_letters(w->text, &bits, &dup)) {
		if (dup) {
			error(c, w->loc, "access '%s' names '%c' twice",
			      w->text, dup);
			return;
		}
	} else {
		const char *sug = names_suggest(&names_access, w->text);

		if (sug)
			error(c, w->loc,
			      "unknown access mode '%s'; did you mean '%s'?",
			      w->text, sug);
		else
			error(c, w->loc,
			      "unknown access mode '%s' (expected read, write, "
			      "exec, delete, all, or letters from 'rwxd')",
			      w->text);
		return;
	}
	if (a->modes & bits)
		error(c, w->loc,
		      "'%s' repeats an access mode named earlier in the same "
		      "expression",
		      w->text);
	a->modes |= bits;
}

/* Decode @a into modes and Landlock rights, for the given use. */
static void check_access(struct checker *c, struct ast_access *a,
			 enum access_use use)
{
	for (size_t i = 0; i < a->words.len; i++)
		check_mode_word(c, a, a->words.items[i], use);
	if (use == ACCESS_EXPECT && a->landlock.len) {
		error(c, a->loc,
		      "'landlock(…)' cannot be used in 'expect': assertions "
		      "are about access modes");
		return;
	}
	for (size_t i = 0; i < a->landlock.len; i++) {
		const struct ast_word *w = a->landlock.items[i];
		uint64_t bit;

		if (!lookup_word(c, &names_landlock, w, &bit))
			continue;
		if (a->rights & (1ull << bit))
			error(c, w->loc, "Landlock right '%s' is named twice",
			      w->text);
		else if (use == ACCESS_FILE_RULE &&
			 !(file_rights & (1ull << bit)))
			error(c, w->loc,
			      "Landlock right '%s' applies to directories; a "
			      "'file' rule can only take execute, write_file, "
			      "read_file, truncate and ioctl_dev",
			      w->text);
		a->rights |= 1ull << bit;
	}
}

/* ---- numbers ------------------------------------------------------------- */

enum number_error {
	NUMBER_OK,
	NUMBER_LEADING_ZERO, /* "0644": octal or decimal? neither */
	NUMBER_TOO_BIG,	     /* more than 64 bits */
};

static enum number_error parse_number(const char *s, uint64_t *out)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	char *end;

	if (s[0] == '0' && s[1] && !hex)
		return NUMBER_LEADING_ZERO;
	errno = 0;
	unsigned long long v = strtoull(s, &end, hex ? 16 : 10);
	if (errno || *end)
		return NUMBER_TOO_BIG;
	*out = v;
	return NUMBER_OK;
}

/* Parse the number @w; false after reporting why it is not one. */
static bool number_word(struct checker *c, const struct ast_word *w,
			uint64_t *out)
{
	switch (parse_number(w->text, out)) {
	case NUMBER_OK: return true;
	case NUMBER_LEADING_ZERO:
		error(c, w->loc,
		      "'%s': a decimal number cannot start with 0 (write "
		      "hex as 0x…)",
		      w->text);
		return false;
	case NUMBER_TOO_BIG:
		error(c, w->loc, "%s does not fit in 64 bits", w->text);
		return false;
	}
	return false;
}

static void check_port(struct checker *c, const struct ast_port *p)
{
	uint64_t lo, hi = 0;
	bool ok = true;

	if (!number_word(c, p->lo, &lo)) {
		ok = false;
	} else if (lo < 1 || lo > 65535) {
		error(c, p->lo->loc, "port %s is out of range 1-65535",
		      p->lo->text);
		ok = false;
	}
	if (p->hi && !number_word(c, p->hi, &hi)) {
		ok = false;
	} else if (p->hi && (hi < 1 || hi > 65535)) {
		error(c, p->hi->loc, "port %s is out of range 1-65535",
		      p->hi->text);
		ok = false;
	}
	if (ok && p->hi && hi < lo)
		error(c, p->loc, "port range %s-%s is empty", p->lo->text,
		      p->hi->text);
}

static void check_ports(struct checker *c, const struct ptrvec *ports)
{
	for (size_t i = 0; i < ports->len; i++)
		check_port(c, ports->items[i]);
}

/* ---- network ------------------------------------------------------------- */

/* A DNS name: labels of letters, digits, '-' and '_', joined by dots. */
static void check_host(struct checker *c, const struct ast_word *w)
{
	const char *s = w->text;
	size_t label = 0;
	bool ok = true;

	if (s[0] == '*' && s[1] == '.')
		s += 2;
	for (; *s && ok; s++) {
		if (*s == '.') {
			ok = label > 0;
			label = 0;
		} else {
			ok = isalnum((unsigned char)*s) || *s == '-' ||
			     *s == '_';
			label++;
		}
	}
	if (!ok || label == 0)
		error(c, w->loc,
		      "'%s' is not a host name (dot-separated labels of "
		      "letters, digits and '-', optionally after '*.')",
		      w->text);
}

static void check_network(struct checker *c, const struct ast_network *n)
{
	uint64_t v;

	switch (n->form) {
	case AST_NET_MODE: break;
	case AST_NET_WORD:
		if (strcmp(n->op->text, "loopback") != 0) {
			struct misspell m;

			misspell_init(&m, n->op->text);
			misspell_offer(&m, "loopback");
			if (misspell_result(&m))
				error(c, n->op->loc,
				      "unknown network setting '%s'; did you "
				      "mean 'loopback'?",
				      n->op->text);
			else
				error(c, n->op->loc,
				      "unknown network setting '%s' (expected "
				      "allow, deny or loopback)",
				      n->op->text);
		}
		break;
	case AST_NET_PORTS:
		lookup_word(c, &names_net_op, n->op, &v);
		lookup_word(c, &names_net_proto, n->proto, &v);
		check_ports(c, &n->ports);
		break;
	case AST_NET_HOSTS:
		if (strcmp(n->op->text, "host") != 0)
			error(c, n->op->loc,
			      "unknown network rule '%s' before a host name; "
			      "write 'network host \"…\"'",
			      n->op->text);
		for (size_t i = 0; i < n->hosts.len; i++)
			check_host(c, n->hosts.items[i]);
		break;
	}
}

/* ---- syscalls ------------------------------------------------------------ */

static void check_syscall_name(struct checker *c, const struct ast_word *w)
{
	if (w->text[0] == '@')
		return; /* a set: resolved by the IR */
	if (isdigit((unsigned char)w->text[0])) {
		error(c, w->loc,
		      "syscall numbers differ between architectures; name "
		      "the syscall instead of '%s'",
		      w->text);
		return;
	}
	if (!names_syscall_known(w->text)) {
		char buf[64];
		const char *sug =
			names_syscall_suggest(w->text, buf, sizeof(buf));

		if (sug)
			error(c, w->loc,
			      "unknown syscall '%s'; did you mean '%s'?",
			      w->text, sug);
		else
			error(c, w->loc, "unknown syscall '%s'", w->text);
	}
}

static void check_cond(struct checker *c, const struct ast_cond *cond)
{
	const char *arg = cond->arg->text;
	const struct ast_word *vals[] = { cond->mask, cond->value };
	uint64_t v;

	if (strncmp(arg, "arg", 3) != 0 || arg[3] < '0' || arg[3] > '5' ||
	    arg[4] != '\0')
		error(c, cond->arg->loc,
		      "'%s' is not a syscall argument (arg0 … arg5)", arg);
	for (size_t i = 0; i < 2; i++) {
		const struct ast_word *w = vals[i];

		if (!w)
			continue;
		if (isdigit((unsigned char)w->text[0])) {
			number_word(c, w, &v);
		} else {
			lookup_word(c, &names_constant, w, &v);
		}
	}
}

static void check_syscall(struct checker *c, const struct ast_stmt *s)
{
	const struct ptrvec *w = &s->u.syscall.words;
	const struct ast_word *first = w->items[0];
	size_t i = 0;
	bool is_default = strcmp(first->text, "default") == 0;
	uint64_t action;

	if (is_default)
		i++;
	if (i >= w->len) {
		error(c, first->loc, "'syscall default' needs an action");
		return;
	}
	const struct ast_word *act = w->items[i++];
	if (!lookup_word(c, &names_syscall_action, act, &action))
		return;
	if (strcmp(act->text, "errno") == 0) {
		const struct ast_word *val = i < w->len ? w->items[i] : NULL;
		uint64_t n;
		int e;

		if (!val || val->text[0] == '@') {
			error(c, act->loc,
			      "'errno' needs a value (a number or a name "
			      "such as EPERM)");
			return;
		}
		i++;
		if (isdigit((unsigned char)val->text[0])) {
			if (number_word(c, val, &n) && (n < 1 || n > 4095))
				error(c, val->loc,
				      "errno %s is out of range 1-4095",
				      val->text);
		} else if (!names_errno_lookup(val->text, &e)) {
			error(c, val->loc, "unknown errno name '%s'",
			      val->text);
		}
	}
	if (is_default) {
		if (i < w->len)
			error(c, ((struct ast_word *)w->items[i])->loc,
			      "'syscall default' takes only an action");
		if (s->u.syscall.conds.len)
			error(c, s->loc,
			      "'syscall default' cannot have conditions");
		return;
	}
	if (i >= w->len) {
		error(c, act->loc, "syscall rule names no syscall");
		return;
	}
	for (; i < w->len; i++)
		check_syscall_name(c, w->items[i]);
	for (i = 0; i < s->u.syscall.conds.len; i++)
		check_cond(c, s->u.syscall.conds.items[i]);
}

/* ---- env ----------------------------------------------------------------- */

static void check_env_name(struct checker *c, const struct ast_word *w,
			   bool pattern)
{
	const char *s = w->text;
	bool ok = *s != '\0';

	for (; *s && ok; s++)
		ok = is_name_char(*s) || (pattern && (*s == '*' || *s == '?'));
	if (!ok)
		error(c, w->loc, "'%s' is not an environment variable %s",
		      w->text, pattern ? "pattern" : "name");
}

/* Names filter the operations that have them (global or sysctl names). */
static void check_seatbelt(struct checker *c, const struct ast_stmt *s)
{
	uint64_t takes_names;

	if (!lookup_word(c, &names_seatbelt_op, s->u.seatbelt.op, &takes_names))
		return;
	if (s->u.seatbelt.names.len && !takes_names)
		error(c, s->u.seatbelt.op->loc,
		      "'%s' takes no names: it is allowed or denied as a "
		      "whole",
		      s->u.seatbelt.op->text);
	for (size_t i = 0; i < s->u.seatbelt.names.len; i++) {
		const struct ast_word *w = s->u.seatbelt.names.items[i];

		if (!*w->text)
			error(c, w->loc, "an empty name names nothing");
		for (const char *t = w->text; *t; t++)
			if ((unsigned char)*t < 0x20 || *t == 0x7f) {
				error(c, w->loc,
				      "this name holds a control character, "
				      "which no service or sysctl name has");
				break;
			}
	}
}

static void check_env(struct checker *c, const struct ast_stmt *s)
{
	uint64_t v;

	if (!s->u.env.action) {
		check_env_name(c, s->u.env.name, false);
		return;
	}
	if (lookup_word(c, &names_env_action, s->u.env.action, &v) &&
	    s->override && strcmp(s->u.env.action->text, "pass") != 0)
		error(c, s->u.env.action->loc,
		      "'override' applies to 'env pass': it lets a variable "
		      "through a drop");
	for (size_t i = 0; i < s->u.env.patterns.len; i++)
		check_env_name(c, s->u.env.patterns.items[i], true);
}

/* ---- statements ---------------------------------------------------------- */

enum { PLATFORM_LINUX = 1, PLATFORM_MACOS = 2, PLATFORM_ALL = 3 };

/**
 * struct scalar - a profile setting made once per platform
 * @key: what is set ("workdir", "ipc signal", …)
 * @platforms: the platforms the setting applies to
 * @loc: where it is set
 */
struct scalar {
	const char *key;
	unsigned platforms;
	struct polc_loc loc;
};

/**
 * struct body - what the checker tracks across one profile or group body
 * @group: a group's body (else a profile's)
 * @group_platforms: a group's platform clause (PLATFORM_ALL without one)
 * @description: the first description
 * @required: the first 'required'
 * @metas: struct ast_stmt *: meta statements so far
 * @scalars: struct scalar *: profile settings so far
 * @lets: struct scalar *: the body's variables so far ("let NAME")
 */
struct body {
	bool group;
	unsigned group_platforms;
	const struct ast_stmt *description;
	const struct ast_stmt *required;
	struct ptrvec metas;
	struct ptrvec scalars;
	struct ptrvec lets;
};

/* The platforms named by @names (a platform clause or block). */
static unsigned check_platforms(struct checker *c, const struct ptrvec *names)
{
	unsigned mask = 0;

	for (size_t i = 0; i < names->len; i++) {
		const struct ast_word *w = names->items[i];
		uint64_t v;

		if (!lookup_word(c, &names_platform, w, &v))
			continue;
		if (mask & (1u << v))
			error(c, w->loc, "platform '%s' is named twice",
			      w->text);
		mask |= 1u << v;
	}
	return mask ? mask : PLATFORM_ALL;
}

static void check_let(struct checker *c, const struct ast_word *name,
		      const struct ast_word *value)
{
	uint64_t v;

	if (names_lookup(&names_builtin_var, name->text, &v))
		error(c, name->loc,
		      "'%s' is a built-in variable and cannot be redefined",
		      name->text);
	else if (strchr(name->text, '-'))
		error(c, name->loc,
		      "variable names hold letters, digits and '_' only");
	/* A value may be a fragment ("sub/dir"); its form is checked where
	 * it is used, once expanded. */
	if (value->text[0] == '\0')
		error(c, value->loc, "empty path");
	else if (value->text[0] == '/' || value->text[0] == '~' ||
		 value->text[0] == '$')
		check_path(c, value);
}

static void check_rule(struct checker *c, struct ast_stmt *s)
{
	bool allow = s->u.rule.verdict == AST_ALLOW;

	if (s->override && !allow)
		error(c, s->loc,
		      "'override' applies to 'allow': it grants access "
		      "inside a deny");
	if (allow && !s->u.rule.access.present)
		error(c, s->u.rule.access.loc,
		      "'allow' needs an access mode (for example "
		      "'allow read …')");
	check_access(c, &s->u.rule.access,
		     s->u.rule.file ? ACCESS_FILE_RULE : ACCESS_RULE);
	if (s->u.rule.create && !allow)
		error(c, s->loc, "'create' applies to 'allow' rules");
	else if (s->u.rule.create && s->u.rule.file)
		error(c, s->loc,
		      "'create' makes directories; it cannot go with 'file'");
	if (s->u.rule.existing && allow)
		error(c, s->loc,
		      "'existing' applies to 'deny' rules: it limits a deny to "
		      "what exists when the sandbox starts");
	check_paths(c, &s->u.rule.paths);
}

static void check_expect(struct checker *c, struct ast_stmt *s)
{
	switch (s->u.expect.form) {
	case AST_EXPECT_PATH:
		check_access(c, &s->u.expect.access, ACCESS_EXPECT);
		check_paths(c, &s->u.expect.subjects);
		break;
	case AST_EXPECT_NETWORK: check_network(c, &s->u.expect.network); break;
	case AST_EXPECT_ENV:
		for (size_t i = 0; i < s->u.expect.subjects.len; i++)
			check_env_name(c, s->u.expect.subjects.items[i], false);
		break;
	case AST_EXPECT_SYSCALL:
		for (size_t i = 0; i < s->u.expect.subjects.len; i++) {
			const struct ast_word *w =
				s->u.expect.subjects.items[i];

			if (w->text[0] == '@')
				error(c, w->loc,
				      "'expect' names syscalls, not sets");
			else
				check_syscall_name(c, w);
		}
		break;
	}
}

/* Record profile setting @key; an overlapping earlier one is an error. */
static void set_scalar(struct checker *c, struct body *b, const char *key,
		       unsigned platforms, struct polc_loc loc)
{
	for (size_t i = 0; i < b->scalars.len; i++) {
		const struct scalar *prev = b->scalars.items[i];

		if (strcmp(prev->key, key) != 0 ||
		    !(prev->platforms & platforms))
			continue;
		struct diag *d = error(c, loc,
				       "'%s' is set twice for the same "
				       "platform",
				       key);
		diag_note(c->ctx, d, prev->loc, "first set here");
		return;
	}
	struct scalar *sc = arena_alloc(&c->ctx->arena, sizeof(*sc));
	sc->key = key;
	sc->platforms = platforms;
	sc->loc = loc;
	ptrvec_push(&c->ctx->arena, &b->scalars, sc);
}

/* The settings @s makes (spec: "Scalar settings"); false for none. */
static bool check_scalars(struct checker *c, struct body *b,
			  const struct ast_stmt *s, unsigned platforms)
{
	const char *key = NULL;

	if (s->kind == AST_WORKDIR)
		key = "workdir";
	else if (s->kind == AST_NETWORK && s->u.network.form == AST_NET_MODE)
		key = "network mode";
	else if (s->kind == AST_SYSCALL &&
		 strcmp(((struct ast_word *)s->u.syscall.words.items[0])->text,
			"default") == 0)
		key = "syscall default";
	else if (s->kind == AST_IPC)
		key = "ipc";
	if (!key)
		return false;
	if (b->group) {
		const char *shown = key;

		if (s->kind == AST_NETWORK)
			shown = s->u.network.mode == AST_ALLOW ? "network allow"
							       : "network deny";
		error(c, s->loc,
		      "'%s' is a profile setting; groups add rules and cannot "
		      "set it",
		      shown);
		return true;
	}
	if (s->kind != AST_IPC) {
		set_scalar(c, b, key, platforms, s->loc);
		return true;
	}
	for (size_t i = 0; i < s->u.ipc.kinds.len; i++) {
		const struct ast_word *w = s->u.ipc.kinds.items[i];
		uint64_t v;

		if (lookup_word(c, &names_ipc, w, &v))
			set_scalar(
				c, b,
				arena_printf(&c->ctx->arena, "ipc %s", w->text),
				platforms, w->loc);
	}
	return true;
}

static void check_body(struct checker *c, struct body *b,
		       const struct ptrvec *stmts, unsigned platforms,
		       bool in_block);

/*
 * A body's variable is defined once per platform: with two definitions,
 * which one a use meant would depend on statement order.
 */
static void check_let_once(struct checker *c, struct body *b,
			   const struct ast_word *name, unsigned platforms)
{
	for (size_t i = 0; i < b->lets.len; i++) {
		const struct scalar *prev = b->lets.items[i];

		if (strcmp(prev->key, name->text) != 0 ||
		    !(prev->platforms & platforms))
			continue;
		struct diag *d = error(c, name->loc,
				       "variable '%s' is defined twice for "
				       "the same platform",
				       name->text);
		diag_note(c->ctx, d, prev->loc, "first defined here");
		return;
	}
	struct scalar *let = arena_alloc(&c->ctx->arena, sizeof(*let));
	let->key = name->text;
	let->platforms = platforms;
	let->loc = name->loc;
	ptrvec_push(&c->ctx->arena, &b->lets, let);
}

/* description, meta, required: once per body, never in a platform block. */
static void check_header_stmt(struct checker *c, struct body *b,
			      const struct ast_stmt *s, bool in_block)
{
	static const char *const names[] = { [AST_DESCRIPTION] = "description",
					     [AST_META] = "meta",
					     [AST_REQUIRED] = "required" };
	const struct ast_stmt **first =
		s->kind == AST_DESCRIPTION ? &b->description : &b->required;

	if (in_block) {
		error(c, s->loc,
		      "'%s' describes a whole group or profile; it cannot go "
		      "in a platform block",
		      names[s->kind]);
		return;
	}
	if (s->kind == AST_REQUIRED && !b->group) {
		error(c, s->loc,
		      "'required' applies to groups: it stops profiles from "
		      "excluding them");
		return;
	}
	if (s->kind == AST_DESCRIPTION && s->u.text->text[0] == '\0')
		error(c, s->u.text->loc, "empty description");
	if (s->kind == AST_META) {
		for (size_t i = 0; i < b->metas.len; i++) {
			const struct ast_stmt *prev = b->metas.items[i];

			if (strcmp(prev->u.meta.key->text,
				   s->u.meta.key->text) != 0)
				continue;
			struct diag *d = error(c, s->u.meta.key->loc,
					       "duplicate 'meta %s'",
					       s->u.meta.key->text);
			diag_note(c->ctx, d, prev->loc, "first given here");
			return;
		}
		ptrvec_push(&c->ctx->arena, &b->metas, (void *)s);
		return;
	}
	if (*first) {
		struct diag *d =
			error(c, s->loc, "duplicate '%s'", names[s->kind]);
		diag_note(c->ctx, d, (*first)->loc, "first given here");
		return;
	}
	*first = s;
}

static void check_platform_block(struct checker *c, struct body *b,
				 struct ast_stmt *s, bool in_block)
{
	unsigned mask = check_platforms(c, &s->u.platform.names);

	if (in_block) {
		error(c, s->loc, "platform blocks cannot be nested");
		return;
	}
	if (b->group && !(mask & b->group_platforms))
		diag_at(c->ctx, DIAG_WARNING, s->loc,
			"this platform block can never apply: the group is "
			"only for %s",
			b->group_platforms == PLATFORM_LINUX ? "linux"
							     : "macos");
	check_body(c, b, &s->u.platform.body, mask & b->group_platforms, true);
}

static void check_stmt(struct checker *c, struct body *b, struct ast_stmt *s,
		       unsigned platforms, bool in_block)
{
	if (check_scalars(c, b, s, platforms) && s->kind == AST_WORKDIR) {
		check_access(c, &s->u.workdir, ACCESS_WORKDIR);
		return;
	}
	switch (s->kind) {
	case AST_DESCRIPTION:
	case AST_META:
	case AST_REQUIRED: check_header_stmt(c, b, s, in_block); break;
	case AST_USE: break;
	case AST_EXCLUDE:
		if (b->group)
			error(c, s->loc,
			      "'exclude' applies to profiles: a group adds "
			      "rules, it does not take groups away");
		break;
	case AST_RULE: check_rule(c, s); break;
	case AST_WORKDIR: /* handled with the other settings */
	case AST_IPC: break;
	case AST_LET:
		check_let(c, s->u.let.name, s->u.let.value);
		check_let_once(c, b, s->u.let.name, platforms);
		break;
	case AST_PLATFORM: check_platform_block(c, b, s, in_block); break;
	case AST_NETWORK: check_network(c, &s->u.network); break;
	case AST_SYSCALL: check_syscall(c, s); break;
	case AST_ENV: check_env(c, s); break;
	case AST_SEATBELT: check_seatbelt(c, s); break;
	case AST_EXPECT: check_expect(c, s); break;
	}
}

static void check_body(struct checker *c, struct body *b,
		       const struct ptrvec *stmts, unsigned platforms,
		       bool in_block)
{
	for (size_t i = 0; i < stmts->len && !diag_cap_reached(c->ctx); i++)
		check_stmt(c, b, stmts->items[i], platforms, in_block);
}

static void check_set(struct checker *c, const struct ast_item *it)
{
	for (size_t i = 0; i < it->members.len; i++)
		check_syscall_name(c, it->members.items[i]);
}

int ast_check(struct polc_ctx *ctx, struct ast_file *file)
{
	struct checker c = { .ctx = ctx };

	for (size_t i = 0; i < file->items.len; i++) {
		struct ast_item *it = file->items.items[i];
		struct body b = { .group = it->kind == AST_ITEM_GROUP,
				  .group_platforms = PLATFORM_ALL };

		switch (it->kind) {
		case AST_ITEM_IMPORT: break;
		case AST_ITEM_PROFILE:
			check_body(&c, &b, &it->body, PLATFORM_ALL, false);
			break;
		case AST_ITEM_GROUP:
			b.group_platforms = check_platforms(&c, &it->platforms);
			check_body(&c, &b, &it->body, b.group_platforms, false);
			break;
		case AST_ITEM_LET: check_let(&c, it->name, it->value); break;
		case AST_ITEM_SET: check_set(&c, it); break;
		}
	}
	return c.errors ? -1 : 0;
}

/* ---- duplicates across files --------------------------------------------- */

static const char *item_kind_name(enum ast_item_kind kind)
{
	switch (kind) {
	case AST_ITEM_PROFILE: return "profile";
	case AST_ITEM_GROUP: return "group";
	case AST_ITEM_LET: return "variable";
	case AST_ITEM_SET: return "syscall set";
	case AST_ITEM_IMPORT: break;
	}
	return "item";
}

/* Order by kind, then name, then position among the files. */
struct named {
	const struct ast_item *item;
	size_t order;
};

static int named_cmp(const void *pa, const void *pb)
{
	const struct named *a = pa, *b = pb;

	if (a->item->kind != b->item->kind)
		return (int)a->item->kind - (int)b->item->kind;
	int c = strcmp(a->item->name->text, b->item->name->text);
	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

int ast_check_duplicates(struct polc_ctx *ctx, const struct ptrvec *files)
{
	size_t n = 0, k = 0;
	int rc = 0;

	for (size_t f = 0; f < files->len; f++)
		n += ((const struct ast_file *)files->items[f])->items.len;
	struct named *all = arena_alloc(&ctx->arena, (n + 1) * sizeof(*all));
	if (!all)
		return -1;
	for (size_t f = 0; f < files->len; f++) {
		const struct ast_file *file = files->items[f];

		for (size_t i = 0; i < file->items.len; i++) {
			const struct ast_item *it = file->items.items[i];

			if (it->kind == AST_ITEM_IMPORT)
				continue;
			all[k] = (struct named){ it, k };
			k++;
		}
	}
	qsort(all, k, sizeof(*all), named_cmp);
	for (size_t i = 1; i < k; i++) {
		const struct ast_item *first = all[i - 1].item;
		const struct ast_item *again = all[i].item;
		size_t j = i;

		if (first->kind != again->kind ||
		    strcmp(first->name->text, again->name->text) != 0)
			continue;
		/* Point every repeat at the first definition. */
		while (j > 0 && all[j - 1].item->kind == again->kind &&
		       strcmp(all[j - 1].item->name->text, again->name->text) ==
			       0)
			j--;
		struct diag *d =
			diag_at(ctx, DIAG_ERROR, again->name->loc,
				"redefinition of %s '%s'",
				item_kind_name(again->kind), again->name->text);
		diag_note(ctx, d, all[j].item->name->loc, "first defined here");
		rc = -1;
	}
	return rc;
}
