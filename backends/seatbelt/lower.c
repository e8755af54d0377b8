/*
 * lower.c - the macOS rules of a resolved policy as SBPL text.
 *
 * Seatbelt answers with the last rule that matches, so the profile is
 * printed in three tiers after "(deny default)": allows, denies,
 * overrides.  A query matched by an override is allowed, else one matched
 * by a deny is denied, else one matched by an allow is allowed: the
 * decision procedure, for any paths and any parameter values
 * (spec/backends/seatbelt.md §1).  The rules of one tier are printed in the
 * IR's sorted order, and the rules of one tier on one filter are merged,
 * so the bytes depend on the policy only.  Nothing is re-decided here:
 * each rule becomes the operations of its modes on its path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/seatbelt/seatbelt.h"
#include "common/ctx.h"
#include "common/diag.h"
#include "ir/ir.h"

/* The file operations polc emits, in the order it prints them. */
enum op {
	OP_READ_DATA,
	OP_READ_METADATA,
	OP_READ_XATTR,
	OP_WRITE_DATA,
	OP_WRITE_CREATE,
	OP_WRITE_FLAGS,
	OP_WRITE_MODE,
	OP_WRITE_OWNER,
	OP_WRITE_SETUGID,
	OP_WRITE_TIMES,
	OP_WRITE_XATTR,
	OP_LINK,
	OP_CLONE,
	OP_REVOKE,
	OP_IOCTL,
	OP_NET_OUTBOUND,
	OP_EXEC,
	OP_MAP_EXEC,
	OP_UNLINK,
	OP_COUNT,
};

static const char *const op_names[OP_COUNT] = {
	"file-read-data",    "file-read-metadata", "file-read-xattr",
	"file-write-data",   "file-write-create",  "file-write-flags",
	"file-write-mode",   "file-write-owner",   "file-write-setugid",
	"file-write-times",  "file-write-xattr",   "file-link",
	"file-clone",	     "file-revoke",	   "file-ioctl",
	"network-outbound",  "process-exec",	   "file-map-executable",
	"file-write-unlink",
};

#define BIT(op) (1u << (op))
#define WRITE_OPS                                                           \
	(BIT(OP_WRITE_DATA) | BIT(OP_WRITE_CREATE) | BIT(OP_WRITE_FLAGS) |  \
	 BIT(OP_WRITE_MODE) | BIT(OP_WRITE_OWNER) | BIT(OP_WRITE_SETUGID) | \
	 BIT(OP_WRITE_TIMES) | BIT(OP_WRITE_XATTR) | BIT(OP_LINK) |         \
	 BIT(OP_CLONE) | BIT(OP_REVOKE) | BIT(OP_IOCTL) |                   \
	 BIT(OP_NET_OUTBOUND))

/*
 * The operations of @modes (spec/backends/seatbelt.md §2).  A read deny
 * leaves file-read-metadata alone so that tools can still stat.
 */
static uint32_t ops_of(unsigned modes, bool deny)
{
	uint32_t ops = 0;

	if (modes & IR_READ)
		ops |= BIT(OP_READ_DATA) | BIT(OP_READ_XATTR) |
		       (deny ? 0 : BIT(OP_READ_METADATA));
	if (modes & IR_WRITE)
		ops |= WRITE_OPS;
	if (modes & IR_EXEC)
		ops |= BIT(OP_EXEC) | BIT(OP_MAP_EXEC);
	if (modes & IR_DELETE)
		ops |= BIT(OP_UNLINK);
	return ops;
}

enum tier {
	TIER_ALLOW,
	TIER_DENY,
	TIER_OVERRIDE,
	TIER_COUNT,
};

static const char *const tier_titles[TIER_COUNT] = {
	"allows (the workdir included)",
	"denies: after every allow, so a deny wins",
	"overrides: after every deny, so an override wins",
};

static enum tier tier_of(const struct ir_path_rule *r)
{
	if (r->verdict == IR_DENY)
		return TIER_DENY;
	return r->override ? TIER_OVERRIDE : TIER_ALLOW;
}

struct lowering {
	struct polc_ctx *ctx;
	const struct ir_policy *p;
	const struct sb_options *opts;
	FILE *out;
	bool failed;
	bool *used; /* per opts->params: referred to */
};

const char *sb_placeholder(struct polc_ctx *ctx, const char *name,
			   bool absolute)
{
	return absolute ? arena_printf(&ctx->arena, "/%c%s%c", SB_MARK_ABS,
				       name, SB_END)
			: arena_printf(&ctx->arena, "%c%s%c", SB_MARK, name,
				       SB_END);
}

static bool applies(const struct ir_path_rule *r)
{
	return r->platforms & IR_MACOS;
}

/*
 * What SBPL cannot express at @origin: an error, or with best effort a
 * warning that says what is lost (@loss).
 */
static void cannot(struct lowering *l, const struct ir_origin *origin,
		   const char *text, const char *loss, const char *advice)
{
	struct diag *d;

	if (l->opts->best_effort) {
		diag_at(l->ctx, DIAG_WARNING, origin->loc,
			"best effort: %s; %s", text, loss);
		return;
	}
	l->failed = true;
	d = diag_at(l->ctx, DIAG_ERROR, origin->loc, "%s", text);
	if (advice)
		diag_note(l->ctx, d, origin->loc, "%s", advice);
}

/* ---- strings --------------------------------------------------------- */

/* @s[0, n) as an SBPL string: only '"' and '\' need escaping. */
static void put_string(FILE *out, const char *s, size_t n)
{
	putc('"', out);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			putc('\\', out);
		putc(s[i], out);
	}
	putc('"', out);
}

/* The index in opts->params of the placeholder name at @s, or -1. */
static long param_at(struct lowering *l, const char *s, const char **end)
{
	const char *e = strchr(s, SB_END);

	if (!e)
		return -1;
	for (size_t i = 0; i < l->opts->nparams; i++) {
		const char *name = l->opts->params[i].name;

		if (strlen(name) == (size_t)(e - s) &&
		    memcmp(name, s, (size_t)(e - s)) == 0) {
			*end = e + 1;
			return (long)i;
		}
	}
	return -1;
}

/* A path SBPL cannot spell: always an error, best effort or not. */
static void unspellable(struct lowering *l, const struct ir_path_rule *r,
			const char *why)
{
	l->failed = true;
	diag_at(l->ctx, DIAG_ERROR, r->origin.loc,
		"this path %s, which the profile cannot spell", why);
}

enum { MAX_PARTS = 16 };

/*
 * Print @path as an SBPL string expression: a literal, (param "NAME"), or
 * (string-append …) of both.  Placeholders become params; any other
 * control character is an error (polc writes bytes as they are, and a
 * control character in a profile is more likely an attack than a name).
 */
static void put_path(struct lowering *l, const struct ir_path_rule *r)
{
	const char *s = r->path;
	const char *parts[MAX_PARTS][2];
	long params[MAX_PARTS];
	size_t n = 0;

	while (*s) {
		const char *lit = s, *end = s;

		if (n == MAX_PARTS) {
			unspellable(l, r, "holds too many variables");
			return;
		}
		while (*end && *end != SB_MARK && *end != SB_MARK_ABS &&
		       !(end[0] == '/' && end[1] == SB_MARK_ABS))
			end++;
		if (end > lit) {
			parts[n][0] = lit;
			parts[n][1] = end;
			params[n++] = -1;
			s = end;
			continue;
		}
		s += *s == '/';
		long i = param_at(l, s + 1, &end);
		if (i < 0) {
			unspellable(l, r, "holds a control character");
			return;
		}
		l->used[i] = true;
		params[n++] = i;
		s = end;
	}
	for (size_t k = 0; k < n; k++)
		for (const char *c = parts[k][0];
		     params[k] < 0 && c < parts[k][1]; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f) {
				unspellable(l, r, "holds a control character");
				return;
			}
	if (n > 1)
		fputs("(string-append", l->out);
	for (size_t k = 0; k < n; k++) {
		if (n > 1)
			putc(' ', l->out);
		if (params[k] >= 0)
			fprintf(l->out, "(param \"%s\")",
				l->opts->params[params[k]].name);
		else
			put_string(l->out, parts[k][0],
				   (size_t)(parts[k][1] - parts[k][0]));
	}
	if (n > 1)
		putc(')', l->out);
}

/* ---- checks ------------------------------------------------------------ */

struct twin_search {
	unsigned modes;
	bool file;
	bool found;
};

static bool twin_covers(const struct ir_path_rule *r, void *arg)
{
	struct twin_search *t = arg;

	if (r->verdict == IR_DENY && applies(r) &&
	    (r->modes & t->modes) == t->modes && (t->file || !r->file))
		t->found = true;
	return !t->found;
}

/*
 * /etc, /tmp and /var are symbolic links into /private on macOS, and
 * Seatbelt matches the resolved path: a deny written on the link alone
 * would never match.
 */
static void check_private_twin(struct lowering *l, const struct ir_path_rule *r)
{
	static const char *const links[] = { "/etc", "/tmp", "/var" };

	for (size_t i = 0; i < sizeof(links) / sizeof(*links); i++) {
		if (!ir_path_covers(links[i], false, r->path))
			continue;
		const char *twin =
			arena_printf(&l->ctx->arena, "/private%s", r->path);
		struct twin_search t = { .modes = r->modes, .file = r->file };

		ir_for_covering(l->p, twin, twin_covers, &t);
		if (!t.found)
			cannot(l, &r->origin,
			       arena_printf(&l->ctx->arena,
					    "this deny cannot match on macOS, "
					    "where %s is a link into /private "
					    "and the sandbox sees resolved "
					    "paths",
					    links[i]),
			       "it protects nothing there",
			       arena_printf(&l->ctx->arena,
					    "deny '%s' as well (or accept "
					    "the loss with --best-effort)",
					    twin));
	}
}

static void check_rules(struct lowering *l)
{
	for (size_t i = 0; i < l->p->npaths; i++) {
		const struct ir_path_rule *r = &l->p->paths[i];

		if (!applies(r))
			continue;
		if (r->rights)
			cannot(l, &r->origin,
			       "landlock(…) rights have no Seatbelt meaning",
			       "the rule is lowered with its modes only",
			       "put the rights in a 'platform linux' block, or "
			       "accept the loss with --best-effort");
		if (r->verdict == IR_DENY)
			check_private_twin(l, r);
	}
}

/* ---- path rules ------------------------------------------------------- */

/*
 * The operations of the rules of tier @t on the run [first, end) of rules
 * on one path, with @file scope.
 */
static uint32_t run_ops(struct lowering *l, size_t first, size_t end,
			enum tier t, bool file)
{
	uint32_t ops = 0;

	for (size_t i = first; i < end; i++) {
		const struct ir_path_rule *r = &l->p->paths[i];

		if (applies(r) && tier_of(r) == t && r->file == file)
			ops |= ops_of(r->modes, t == TIER_DENY);
	}
	return ops;
}

static void put_ops(FILE *out, uint32_t ops)
{
	for (unsigned o = 0; o < OP_COUNT; o++)
		if (ops & BIT(o))
			fprintf(out, " %s", op_names[o]);
}

static void emit_run(struct lowering *l, size_t first, size_t end, enum tier t,
		     bool file)
{
	uint32_t ops = run_ops(l, first, end, t, file), later = 0;

	if (!ops)
		return;
	for (unsigned u = t + 1; u < TIER_COUNT; u++)
		later |= run_ops(l, first, end, (enum tier)u, file);
	for (size_t i = first; i < end; i++) {
		const struct ir_path_rule *r = &l->p->paths[i];

		if (applies(r) && tier_of(r) == t && r->file == file)
			fprintf(l->out, "; %s (%s)\n",
				ir_origin_chain(l->ctx, &r->origin),
				ir_origin_where(l->ctx, &r->origin));
	}
	/* A later tier on the same filter decides every operation. */
	if ((ops & ~later) == 0) {
		fputs(";   never decides: a later rule on the same path "
		      "does\n",
		      l->out);
		return;
	}
	fputs(t == TIER_DENY ? "(deny" : "(allow", l->out);
	put_ops(l->out, ops);
	fputs(file ? "\n    (literal " : "\n    (subpath ", l->out);
	put_path(l, &l->p->paths[first]);
	fputs("))\n", l->out);
}

static void emit_tier(struct lowering *l, enum tier t)
{
	for (size_t i = 0; i < l->p->npaths;) {
		size_t first;
		size_t n = ir_rules_on(l->p, l->p->paths[i].path, &first);

		emit_run(l, first, first + n, t, false);
		emit_run(l, first, first + n, t, true);
		i = first + n;
	}
}

/* ---- operations without a path --------------------------------------------
 */

/* The filter that names what an operation acts on. */
static const char *name_filter(const char *operation)
{
	if (!strncmp(operation, "mach-", 5))
		return "global-name";
	if (!strcmp(operation, "sysctl-read"))
		return "sysctl-name";
	return "iokit-user-client-class"; /* iokit-open */
}

static bool same_target(const struct ir_sb_rule *a, const struct ir_sb_rule *b)
{
	return !strcmp(a->operation, b->operation) && !a->name == !b->name &&
	       (!a->name || !strcmp(a->name, b->name));
}

/*
 * The "seatbelt allow|deny" rules of verdict @v, one per operation and
 * name (the rules are sorted, so equal ones are neighbours).  An allow
 * that a deny on the same name follows never decides.
 */
static void emit_operations(struct lowering *l, enum ir_verdict v)
{
	const struct ir_sb_rule *sb = l->p->sb;

	for (size_t i = 0, end; i < l->p->nsb; i = end) {
		bool mine = false, denied = false;

		for (end = i; end < l->p->nsb && same_target(&sb[i], &sb[end]);
		     end++) {
			if (!(sb[end].platforms & IR_MACOS))
				continue;
			denied |= sb[end].verdict == IR_DENY;
			if (sb[end].verdict != v)
				continue;
			mine = true;
			fprintf(l->out, "; %s (%s)\n",
				ir_origin_chain(l->ctx, &sb[end].origin),
				ir_origin_where(l->ctx, &sb[end].origin));
		}
		if (!mine)
			continue;
		if (v == IR_ALLOW && denied) {
			fputs(";   never decides: a later rule on the same "
			      "name does\n",
			      l->out);
			continue;
		}
		fprintf(l->out, "(%s %s", v == IR_ALLOW ? "allow" : "deny",
			sb[i].operation);
		for (const char *c = sb[i].name; c && *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f) {
				l->failed = true;
				diag_at(l->ctx, DIAG_ERROR, sb[i].origin.loc,
					"this name holds a control character, "
					"which the profile cannot spell");
				break;
			}
		if (sb[i].name) {
			fprintf(l->out, " (%s ", name_filter(sb[i].operation));
			put_string(l->out, sb[i].name, strlen(sb[i].name));
			putc(')', l->out);
		}
		fputs(")\n", l->out);
	}
}

/* ---- network and signals ------------------------------------------------ */

/* Seatbelt filters name one port or all: a range is one rule per port. */
enum { SB_MAX_RANGE = 256 };

static void emit_net(struct lowering *l)
{
	const struct ir_settings *st = &l->p->settings[1];

	if (st->network_allow) {
		/* IP only: unix sockets are paths, which path rules decide. */
		fputs("; network allow\n"
		      "(allow network* (remote ip \"*:*\"))\n"
		      "(allow network* (local ip \"*:*\"))\n",
		      l->out);
		return;
	}
	for (size_t i = 0; i < l->p->nnet; i++) {
		const struct ir_net_rule *r = &l->p->net[i];
		const char *proto = r->proto == 17 ? "udp" : "tcp";

		if (!(r->platforms & IR_MACOS) || r->kind == IR_NET_HOST)
			continue;
		fprintf(l->out, "; %s (%s)\n",
			ir_origin_chain(l->ctx, &r->origin),
			ir_origin_where(l->ctx, &r->origin));
		if (r->kind == IR_NET_LOOPBACK) {
			fputs("(allow network* (remote ip \"localhost:*\"))\n"
			      "(allow network* (local ip \"localhost:*\"))\n",
			      l->out);
			continue;
		}
		if ((unsigned)r->hi - r->lo >= SB_MAX_RANGE) {
			cannot(l, &r->origin,
			       arena_printf(
				       &l->ctx->arena,
				       "ports %u-%u: Seatbelt filters name "
				       "one port each, and polc writes at "
				       "most %u rules for a range",
				       r->lo, r->hi, SB_MAX_RANGE),
			       "the range is not granted",
			       "name the ports the program uses");
			continue;
		}
		for (unsigned port = r->lo; port <= r->hi; port++)
			fprintf(l->out,
				r->kind == IR_NET_CONNECT
					? "(allow network-outbound (remote %s "
					  "\"*:%u\"))\n"
					: "(allow network-bind network-inbound "
					  "(local %s \"*:%u\"))\n",
				proto, port);
	}
}

static void emit_signal(struct lowering *l)
{
	const struct ir_settings *st = &l->p->settings[1];

	fputs(st->ipc_signal ? "; ipc signal allow\n(allow signal)\n"
			     : "; signals stay inside the sandbox\n"
			       "(allow signal (target same-sandbox))\n",
	      l->out);
}

/* ---- the header --------------------------------------------------------- */

static void emit_header(struct lowering *l)
{
	const struct ir_policy *p = l->p;
	size_t nsys = 0, nenv = 0;

	fprintf(l->out,
		";; Seatbelt profile of '%s', by polc "
		"(spec/backends/seatbelt.md)\n",
		p->profile);
	for (size_t i = 0; i < p->nsys; i++)
		nsys += (p->sys[i].platforms & IR_MACOS) != 0;
	for (size_t i = 0; i < p->nenv; i++)
		nenv += (p->env[i].platforms & IR_MACOS) != 0;
	if (nsys)
		fprintf(l->out,
			";; not in this profile: %zu syscall rules (Linux "
			"system calls, for the seccomp target)\n",
			nsys);
	if (nenv)
		fprintf(l->out,
			";; not in this profile: %zu environment rules (the "
			"launcher filters the environment)\n",
			nenv);
	for (size_t i = 0; i < p->nnet; i++)
		if (p->net[i].kind == IR_NET_HOST &&
		    (p->net[i].platforms & IR_MACOS))
			fprintf(l->out,
				";; not enforced: host \"%s\" is recorded; "
				"only a filtering proxy can limit "
				"connections by name\n",
				p->net[i].host);
}

/* The command line, once the parameters used are known. */
static void emit_command(struct lowering *l, FILE *out)
{
	static char *const cmd[] = { "CMD", NULL };
	struct sb_param *used = arena_alloc(
		&l->ctx->arena, (l->opts->nparams + 1) * sizeof(*used));
	size_t n = 0;

	for (size_t i = 0; used && i < l->opts->nparams; i++)
		if (l->used[i])
			used[n++] = l->opts->params[i];
	if (!n)
		return;
	char **argv = sb_launch_argv(
		l->ctx, arena_printf(&l->ctx->arena, "%s.sb", l->p->profile),
		used, n, cmd);
	if (!argv)
		return;
	fputs(";;", out);
	sb_print_command(out, argv);
	putc('\n', out);
}

/* ---- the profile -------------------------------------------------------- */

int sb_lower(struct polc_ctx *ctx, const struct ir_policy *p,
	     const struct sb_options *opts, struct sb_profile *out)
{
	struct lowering l = { .ctx = ctx, .p = p, .opts = opts };
	char *body = NULL, *head = NULL;
	size_t body_len = 0, head_len = 0;

	l.used = arena_alloc(&ctx->arena, (opts->nparams + 1) * sizeof(bool));
	check_rules(&l);
	l.out = open_memstream(&body, &body_len);
	if (!l.out || !l.used) {
		diag_subject(ctx, DIAG_ERROR, "seatbelt", "out of memory");
		return -1;
	}
	for (unsigned t = 0; t < TIER_COUNT; t++) {
		fprintf(l.out, "\n;; tier %u: %s\n", t + 1, tier_titles[t]);
		emit_tier(&l, (enum tier)t);
		if (t == TIER_ALLOW) {
			emit_operations(&l, IR_ALLOW);
			emit_net(&l);
			emit_signal(&l);
		}
		if (t == TIER_DENY)
			emit_operations(&l, IR_DENY);
	}
	fclose(l.out);
	/* The header needs the parameters the rules used; it goes first. */
	l.out = open_memstream(&head, &head_len);
	if (l.out) {
		fputs("(version 1)\n(deny default)\n", l.out);
		emit_header(&l);
		emit_command(&l, l.out);
		fclose(l.out);
	}
	char *text =
		head ? arena_alloc(&ctx->arena, head_len + body_len + 1) : NULL;
	if (text) {
		memcpy(text, head, head_len);
		memcpy(text + head_len, body, body_len + 1);
	}
	free(head);
	free(body);
	if (!text) {
		diag_subject(ctx, DIAG_ERROR, "seatbelt", "out of memory");
		return -1;
	}
	size_t nused = 0;
	struct sb_param *used =
		arena_alloc(&ctx->arena, (opts->nparams + 1) * sizeof(*used));
	for (size_t i = 0; used && i < opts->nparams; i++)
		if (l.used[i])
			used[nused++] = opts->params[i];
	*out = (struct sb_profile){ .text = text,
				    .len = head_len + body_len,
				    .params = used,
				    .nparams = nused };
	return l.failed || arena_failed(&ctx->arena) ? -1 : 0;
}
