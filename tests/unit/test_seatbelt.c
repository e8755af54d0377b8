/*
 * test_seatbelt.c - the Seatbelt backend (backends/seatbelt/) against the
 * decision procedure.
 *
 * A small model of SBPL sits here: it reads an emitted profile with the
 * s-expression reader and answers (operation, path) the way Seatbelt does,
 * the last matching rule deciding, over the filters polc emits (literal,
 * subpath, param, string-append, require-all/any/not; network and signal
 * filters never match a path).  The agreement test compares its answers
 * with ir_decide_path() for every stdlib profile, in literal and parameter
 * mode, over every rule path, its parent, children, near misses and
 * /private twin, for every operation of every mode in
 * spec/backends/seatbelt.md §2 (written out here again, not taken from the
 * emitter), and counts the pairs.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/seatbelt/seatbelt.h"
#include "backends/seatbelt/sexp.h"
#include "frontend/load.h"
#include "helpers.h"
#include "suites.h"

static struct polc_ctx *ctx;
static struct load_unit unit;
static struct ir_options opts;

static void setup(void)
{
	ctx = stdlib_ctx(&unit, &opts);
}

static void teardown(void)
{
	polc_ctx_free(ctx);
	ctx = NULL;
}

/* ---- the model of SBPL -------------------------------------------------- */

/*
 * One rule, its filter's string evaluated once: literal and subpath
 * filters are most of a profile and every query walks them.
 */
struct model_rule {
	const struct sx *form;
	bool allow;
	uint32_t ops;		 /* bit i: the rule names query_ops[i] */
	const struct sx *filter; /* NULL: every path */
	int kind;		 /* 'l' literal, 's' subpath, 0 other */
	const char *value;	 /* the literal's or subpath's path */
	size_t len;
};

struct model {
	struct sx **forms;
	size_t n;
	struct model_rule *rules;
	size_t nrules;
	size_t *by_path; /* literal and subpath rules, sorted by value */
	size_t nby_path;
	size_t *others; /* rules with another filter or none */
	size_t nothers;
	bool allow_default;
	const struct sb_param *params;
	size_t nparams;
};

/* The operations queries ask about (spec/backends/seatbelt.md §2). */
static const char *const query_ops[] = {
	"file-read-data",    "file-read-metadata", "file-read-xattr",
	"file-write-data",   "file-write-create",  "file-write-flags",
	"file-write-mode",   "file-write-owner",   "file-write-setugid",
	"file-write-times",  "file-write-xattr",   "file-link",
	"file-clone",	     "file-revoke",	   "file-ioctl",
	"network-outbound",  "process-exec",	   "file-map-executable",
	"file-write-unlink",
};
enum { NQUERY_OPS = sizeof(query_ops) / sizeof(*query_ops) };

/* The value of a string expression, or NULL when it is not one. */
static const char *eval_string(const struct model *m, const struct sx *x)
{
	if (x->kind == SX_STRING)
		return x->text;
	if (x->kind != SX_LIST || x->n < 1)
		return NULL;
	if (sx_is(x->items[0], "param") && x->n == 2) {
		for (size_t i = 0; i < m->nparams; i++)
			if (strcmp(m->params[i].name, x->items[1]->text) == 0)
				return m->params[i].value;
		ck_abort_msg("parameter '%s' has no value", x->items[1]->text);
	}
	if (sx_is(x->items[0], "string-append")) {
		const char *s = "";

		for (size_t i = 1; i < x->n; i++) {
			const char *part = eval_string(m, x->items[i]);

			ck_assert_ptr_nonnull(part);
			s = arena_printf(&ctx->arena, "%s%s", s, part);
		}
		return s;
	}
	return NULL;
}

static bool filter_matches(const struct model *m, const struct sx *f,
			   const char *path)
{
	const char *head = f->kind == SX_LIST && f->n ? f->items[0]->text : "";

	if (!strcmp(head, "literal") || !strcmp(head, "subpath")) {
		const char *v = eval_string(m, f->items[1]);
		size_t n = strlen(v);

		ck_assert_ptr_nonnull(v);
		if (!strcmp(v, path))
			return true;
		if (!strcmp(head, "literal"))
			return false;
		if (!strcmp(v, "/"))
			return path[0] == '/';
		return !strncmp(v, path, n) && path[n] == '/';
	}
	if (!strcmp(head, "require-all") || !strcmp(head, "require-any")) {
		bool all = !strcmp(head, "require-all");

		for (size_t i = 1; i < f->n; i++)
			if (filter_matches(m, f->items[i], path) != all)
				return !all;
		return all;
	}
	if (!strcmp(head, "require-not"))
		return !filter_matches(m, f->items[1], path);
	/* remote, local, target: not about paths. */
	return false;
}

static bool op_matches(const struct sx *rule_op, const char *op)
{
	size_t n = rule_op->len;

	if (n && rule_op->text[n - 1] == '*')
		return !strncmp(rule_op->text, op, n - 1);
	return !strcmp(rule_op->text, op);
}

static void model_read(struct model *m, const char *text, size_t len)
{
	memset(m, 0, sizeof(*m));
	if (sx_read(ctx, "profile.sb", text, len, &m->forms, &m->n) != 0)
		ck_abort_msg("unreadable profile:\n%s", diags_text(ctx));
	ck_assert_uint_ge(m->n, 2);
	ck_assert(sx_is(m->forms[0]->items[0], "version"));
	m->rules = arena_alloc(&ctx->arena, m->n * sizeof(*m->rules));
	ck_assert_ptr_nonnull(m->rules);
	for (size_t i = 1; i < m->n; i++) {
		const struct sx *f = m->forms[i];
		struct model_rule *r = &m->rules[m->nrules];
		size_t k = 1;

		ck_assert(sx_is(f->items[0], "allow") ||
			  sx_is(f->items[0], "deny"));
		if (f->n == 2 && sx_is(f->items[1], "default")) {
			m->allow_default = sx_is(f->items[0], "allow");
			continue;
		}
		uint32_t ops = 0;
		for (; k < f->n && f->items[k]->kind == SX_SYMBOL; k++)
			for (unsigned q = 0; q < NQUERY_OPS; q++)
				if (op_matches(f->items[k], query_ops[q]))
					ops |= 1u << q;
		*r = (struct model_rule){ .form = f,
					  .allow = sx_is(f->items[0], "allow"),
					  .ops = ops,
					  .filter = k < f->n ? f->items[k]
							     : NULL };
		m->nrules++;
	}
}

static const struct model *sort_model;

static int by_value(const void *a, const void *b)
{
	const struct model_rule *x = &sort_model->rules[*(const size_t *)a];
	const struct model_rule *y = &sort_model->rules[*(const size_t *)b];
	int c = strcmp(x->value, y->value);

	return c ? c : (x > y) - (x < y);
}

/* Evaluate the literal and subpath filters once the params are known. */
static void model_bind(struct model *m)
{
	for (size_t i = 0; i < m->nrules; i++) {
		struct model_rule *r = &m->rules[i];
		const struct sx *f = r->filter;

		if (!f || f->kind != SX_LIST || f->n != 2)
			continue;
		if (sx_is(f->items[0], "literal"))
			r->kind = 'l';
		else if (sx_is(f->items[0], "subpath"))
			r->kind = 's';
		else
			continue;
		r->value = eval_string(m, f->items[1]);
		ck_assert_ptr_nonnull(r->value);
		r->len = strlen(r->value);
	}
	m->by_path = arena_alloc(&ctx->arena, (m->nrules + 1) * sizeof(size_t));
	m->others = arena_alloc(&ctx->arena, (m->nrules + 1) * sizeof(size_t));
	ck_assert(m->by_path && m->others);
	for (size_t i = 0; i < m->nrules; i++) {
		if (m->rules[i].kind)
			m->by_path[m->nby_path++] = i;
		else
			m->others[m->nothers++] = i;
	}
	sort_model = m;
	qsort(m->by_path, m->nby_path, sizeof(size_t), by_value);
}

static bool rule_matches(const struct model *m, const struct model_rule *r,
			 const char *path)
{
	if (!r->filter)
		return true;
	if (r->kind == 'l')
		return !strcmp(r->value, path);
	if (r->kind == 's')
		return r->len == 1
			       ? path[0] == '/'
			       : !strncmp(r->value, path, r->len) &&
					 (path[r->len] == '/' || !path[r->len]);
	return filter_matches(m, r->filter, path);
}

/* Order of a rule's value against the @n bytes of @key. */
static int value_cmp(const struct model_rule *r, const char *key, size_t n)
{
	int c = strncmp(r->value, key, n);

	return c ? c : r->value[n] != '\0';
}

/*
 * Seatbelt's answer: the last rule whose operation and filter match.  A
 * literal or subpath rule can only match on the path or an ancestor, so
 * those are looked up by value; the latest matching rule decides.
 */
static bool model_allows_op(const struct model *m, unsigned q, const char *path)
{
	size_t len = strlen(path);
	long best = -1;

	for (size_t k = 0; k < m->nothers; k++) {
		const struct model_rule *r = &m->rules[m->others[k]];

		if ((r->ops & (1u << q)) && (long)m->others[k] > best &&
		    rule_matches(m, r, path))
			best = (long)m->others[k];
	}
	/* The path, then each ancestor: "/a/b", "/a", "/". */
	for (size_t n = len; n > 0;) {
		size_t lo = 0, hi = m->nby_path;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (value_cmp(&m->rules[m->by_path[mid]], path, n) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < m->nby_path &&
		       !value_cmp(&m->rules[m->by_path[lo]], path, n);
		     lo++) {
			const struct model_rule *r = &m->rules[m->by_path[lo]];

			if ((r->ops & (1u << q)) &&
			    (r->kind == 's' || n == len) &&
			    (long)m->by_path[lo] > best)
				best = (long)m->by_path[lo];
		}
		if (n == 1)
			break;
		while (n > 1 && path[n - 1] != '/')
			n--;
		if (n > 1)
			n--; /* "/a/" → "/a"; "/" stays */
	}
	return best >= 0 ? m->rules[best].allow : m->allow_default;
}

/*
 * Seatbelt's answer for an operation without a path, on service or sysctl
 * @name (NULL: the operation as a whole): the last rule naming the
 * operation whose filter, if any, names @name.
 */
static bool model_allows_named(const struct model *m, const char *op,
			       const char *name)
{
	for (size_t i = m->nrules; i-- > 0;) {
		const struct sx *f = m->rules[i].form;
		const struct sx *filter = m->rules[i].filter;
		bool ops = false;

		for (size_t k = 1; k < f->n && f->items[k]->kind == SX_SYMBOL;
		     k++)
			ops |= op_matches(f->items[k], op);
		if (!ops)
			continue;
		if (filter &&
		    !(name && filter->kind == SX_LIST && filter->n == 2 &&
		      (sx_is(filter->items[0], "global-name") ||
		       sx_is(filter->items[0], "sysctl-name") ||
		       sx_is(filter->items[0], "iokit-user-client-class")) &&
		      !strcmp(filter->items[1]->text, name)))
			continue;
		return m->rules[i].allow;
	}
	return m->allow_default;
}

static unsigned query_op(const char *op)
{
	unsigned q = 0;

	while (q < NQUERY_OPS && strcmp(query_ops[q], op))
		q++;
	if (q == NQUERY_OPS)
		ck_abort_msg("no query operation '%s'", op);
	return q;
}

static bool model_allows(const struct model *m, const char *op,
			 const char *path)
{
	return model_allows_op(m, query_op(op), path);
}

START_TEST(test_model_takes_the_last_match)
{
	static const char text[] =
		"(version 1) (deny default)\n"
		"(allow file-read* (subpath \"/a\"))\n"
		"(deny file-read-data (literal \"/a/b\"))\n"
		"(allow file-read-data (require-all (subpath \"/a/b\") "
		"(require-not (literal \"/a/b\"))))\n"
		"(allow file-write* (subpath (string-append (param \"HOME\") "
		"\"/x\")))\n";
	static const struct sb_param home = { "HOME", "/h" };
	struct model m;

	model_read(&m, text, sizeof(text) - 1);
	m.params = &home;
	m.nparams = 1;
	model_bind(&m);
	ck_assert(model_allows(&m, "file-read-data", "/a"));
	ck_assert(model_allows(&m, "file-read-metadata", "/a/b"));
	ck_assert(!model_allows(&m, "file-read-data", "/a/b"));
	ck_assert(model_allows(&m, "file-read-data", "/a/b/c"));
	ck_assert(!model_allows(&m, "file-read-data", "/ab"));
	ck_assert(model_allows(&m, "file-write-data", "/h/x/y"));
	ck_assert(!model_allows(&m, "file-write-data", "/h/xy"));
	ck_assert(!model_allows(&m, "process-exec", "/a"));
}
END_TEST

/* ---- lowering helpers ------------------------------------------------------
 */

static const struct sb_param pinned[] = {
	{ "HOME", "/home/user" },
	{ "TMPDIR", "/tmp" },
	{ "UID", "1000" },
	{ "USER", "user" },
	{ "WORKDIR", "/work/project" },
};
enum { NPINNED = sizeof(pinned) / sizeof(*pinned) };

/* Resolve @name with the built-ins as placeholders (as --sbpl-params). */
static const struct ir_policy *resolve_symbolic(const struct load_unit *u,
						const char *name)
{
	struct ir_options o = { 0 };

	for (size_t i = 0; i < NPINNED; i++) {
		int v = ir_builtin_index(pinned[i].name);

		o.builtins[v] =
			sb_placeholder(ctx, pinned[i].name,
				       v != IR_VAR_UID && v != IR_VAR_USER);
	}
	o.builtins[IR_VAR_XDG_CONFIG_HOME] = arena_printf(
		&ctx->arena, "%s/.config", o.builtins[IR_VAR_HOME]);
	o.builtins[IR_VAR_XDG_CACHE_HOME] =
		arena_printf(&ctx->arena, "%s/.cache", o.builtins[IR_VAR_HOME]);
	o.builtins[IR_VAR_XDG_DATA_HOME] = arena_printf(
		&ctx->arena, "%s/.local/share", o.builtins[IR_VAR_HOME]);
	o.builtins[IR_VAR_XDG_STATE_HOME] = arena_printf(
		&ctx->arena, "%s/.local/state", o.builtins[IR_VAR_HOME]);
	o.builtins[IR_VAR_XDG_RUNTIME_DIR] = arena_printf(
		&ctx->arena, "/run/user/%s", o.builtins[IR_VAR_UID]);
	return ir_resolve(ctx, u, name, &o);
}

static void lower(const struct ir_policy *p, bool params, struct model *m)
{
	struct sb_options o = { .params = params ? pinned : NULL,
				.nparams = params ? NPINNED : 0 };
	struct sb_profile sb;

	ck_assert_ptr_nonnull(p);
	if (sb_lower(ctx, p, &o, &sb) != 0)
		ck_abort_msg("%s does not lower:\n%s", p->profile,
			     diags_text(ctx));
	model_read(m, sb.text, sb.len);
	m->params = sb.params;
	m->nparams = sb.nparams;
	model_bind(m);
}

/* ---- the agreement test ---------------------------------------------------
 */

/* spec/backends/seatbelt.md §2: the operations each mode is checked on. */
static const struct {
	unsigned mode;
	const char *ops[16];
} mode_ops[] = {
	{ IR_READ, { "file-read-data", "file-read-xattr" } },
	{ IR_WRITE,
	  { "file-write-data", "file-write-create", "file-write-flags",
	    "file-write-mode", "file-write-owner", "file-write-setugid",
	    "file-write-times", "file-write-xattr", "file-link", "file-clone",
	    "file-revoke", "file-ioctl", "network-outbound" } },
	{ IR_EXEC, { "process-exec", "file-map-executable" } },
	{ IR_DELETE, { "file-write-unlink" } },
};

struct read_allow {
	bool found;
};

static bool grants_read(const struct ir_path_rule *r, void *arg)
{
	struct read_allow *a = arg;

	a->found |= r->verdict == IR_ALLOW && (r->platforms & IR_MACOS) &&
		    (r->modes & IR_READ);
	return !a->found;
}

/* Compare the model with decide() on @path; returns the pairs checked. */
static size_t agree_on(const struct ir_policy *p, const struct model *m,
		       const char *path, bool params)
{
	size_t pairs = 0;

	for (size_t k = 0; k < sizeof(mode_ops) / sizeof(*mode_ops); k++) {
		bool want = decide(ctx, p, IR_MACOS, path, mode_ops[k].mode) ==
			    IR_ALLOW;

		for (size_t o = 0; mode_ops[k].ops[o]; o++, pairs++)
			if (model_allows_op(m, query_op(mode_ops[k].ops[o]),
					    path) != want)
				ck_abort_msg("%s%s: %s %s: SBPL %s, decide() "
					     "%s",
					     p->profile,
					     params ? " (params)" : "",
					     mode_ops[k].ops[o], path,
					     want ? "denies" : "allows",
					     want ? "allows" : "denies");
	}
	/* Denies keep metadata: any read allow grants it (§2). */
	struct read_allow a = { false };
	ir_for_covering(p, path, grants_read, &a);
	/* Plain tests: Check's assertions record every call. */
	if (model_allows_op(m, query_op("file-read-metadata"), path) != a.found)
		ck_abort_msg("%s: file-read-metadata %s", p->profile, path);
	return pairs + 1;
}

/* Operations without a path: every name a rule names, and others. */
static size_t agree_on_operations(const struct ir_policy *p,
				  const struct model *m)
{
	size_t pairs = 0;

	for (size_t i = 0; i < p->nsb; i++) {
		const char *op = p->sb[i].operation;
		const char *names[] = { p->sb[i].name, NULL,
					"com.example.other" };

		for (size_t k = 0; k < 3; k++, pairs++) {
			const struct ir_sb_rule *why;
			bool want =
				ir_decide_seatbelt(p, IR_MACOS, op, names[k],
						   &why) == IR_ALLOW;

			if (model_allows_named(m, op, names[k]) != want)
				ck_abort_msg("%s: %s %s: SBPL %s, decide() %s",
					     p->profile, op,
					     names[k] ? names[k] : "(any)",
					     want ? "denies" : "allows",
					     want ? "allows" : "denies");
		}
	}
	return pairs;
}

/* The paths asked about for rule path @r: it and its neighbourhood. */
static size_t agree_around(const struct ir_policy *p, const struct model *lit,
			   const struct model *sym, const char *r)
{
	const char *slash = strrchr(r, '/');
	const char *paths[] = {
		r,
		arena_printf(&ctx->arena, "%s/x", r[1] ? r : ""),
		arena_printf(&ctx->arena, "%s/x/y z", r[1] ? r : ""),
		arena_printf(&ctx->arena, "%sx", r),
		arena_printf(&ctx->arena, "%.*s", (int)(slash - r), r),
		arena_printf(&ctx->arena, "/private%s", r),
	};
	size_t pairs = 0;

	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		const char *q = paths[i][0] ? paths[i] : "/";

		pairs += agree_on(p, lit, q, false);
		pairs += agree_on(p, sym, q, true);
	}
	return pairs;
}

START_TEST(test_sbpl_agrees_with_decide)
{
	static const char *const extra[] = {
		"/",
		"/home/user/.ssh/id_rsa",
		"/work/project/.git/hooks/pre-commit",
		"/work/project/src/main.c",
		"/home/user/Library/Keychains/login.keychain-db",
		"/usr/bin/security",
		"/Users/other/.ssh/id_rsa",
	};
	size_t pairs = 0, profiles = 0;

	for (size_t i = 0; i < unit.files.len; i++) {
		const struct ast_file *f = unit.files.items[i];

		for (size_t j = 0; j < f->items.len; j++) {
			const struct ast_item *it = f->items.items[j];
			struct model lit, sym;

			if (it->kind != AST_ITEM_PROFILE)
				continue;
			const struct ir_policy *p =
				ir_resolve(ctx, &unit, it->name->text, &opts);
			lower(p, false, &lit);
			lower(resolve_symbolic(&unit, it->name->text), true,
			      &sym);
			for (size_t r = 0; r < p->npaths; r++)
				pairs += agree_around(p, &lit, &sym,
						      p->paths[r].path);
			pairs += agree_on_operations(p, &lit);
			pairs += agree_on_operations(p, &sym);
			for (size_t e = 0; e < sizeof(extra) / sizeof(*extra);
			     e++) {
				pairs += agree_on(p, &lit, extra[e], false);
				pairs += agree_on(p, &sym, extra[e], true);
			}
			profiles++;
		}
	}
	ck_assert_uint_ge(profiles, 12);
	printf("seatbelt agreement: %zu (operation, path or name) pairs over "
	       "%zu "
	       "profiles, literal and parameter mode, 0 disagreements\n",
	       pairs, profiles);
}
END_TEST

/*
 * Overrides, nested denies and allows, file and subtree rules on one path,
 * platform blocks: what the stdlib does not exercise (it has no override).
 */
START_TEST(test_sbpl_agrees_on_overlaps)
{
	static const char policy[] =
		"profile overlaps {\n"
		"    allow rw ~;\n"
		"    deny ~/.ssh;\n"
		"    override allow read file ~/.ssh/known_hosts;\n"
		"    override allow rw ~/.ssh/agent;\n"
		"    workdir all;\n"
		"    deny wd $WORKDIR/.git/hooks;\n"
		"    override allow write file $WORKDIR/.git/hooks/ok;\n"
		"    allow rx /usr;\n"
		"    deny exec file /usr/bin/sudo;\n"
		"    allow all /a;\n"
		"    deny /a/b;\n"
		"    deny read file /a;\n"
		"    allow read file /a/b/c;\n"
		"    override allow write /a/b/c/d;\n"
		"    allow rwd file /a/b/c/d;\n"
		"    deny delete /a/b/c/d/e;\n"
		"    platform linux { deny /a/lin; allow all /lin; }\n"
		"    platform macos { deny write /a/mac; allow rw /mac; }\n"
		"    seatbelt allow mach-lookup \"a.b\" \"c.d\";\n"
		"    seatbelt deny mach-lookup \"c.d\";\n"
		"    seatbelt allow sysctl-read;\n"
		"    seatbelt deny sysctl-read \"kern.secret\";\n"
		"    seatbelt allow process-fork;\n"
		"    seatbelt deny process-fork;\n"
		"    seatbelt allow mach-register \"x.y\";\n"
		"    seatbelt allow mach-register \"x.y\";\n"
		"}\n";
	struct load_unit u = { 0 };
	struct model lit, sym;
	size_t pairs = 0;

	unit_add(ctx, &u, "overlaps.pol", policy);
	const struct ir_policy *p = ir_resolve(ctx, &u, "overlaps", &opts);
	ck_assert_ptr_nonnull(p);
	lower(p, false, &lit);
	lower(resolve_symbolic(&u, "overlaps"), true, &sym);
	for (size_t r = 0; r < p->npaths; r++)
		pairs += agree_around(p, &lit, &sym, p->paths[r].path);
	ck_assert_uint_eq(agree_on_operations(p, &lit), 3 * 9);
	ck_assert_uint_gt(pairs, 1000);
}
END_TEST

/* spec/semantics.md §4.5a: deny beats allow; macOS only. */
START_TEST(test_decide_seatbelt)
{
	static const char policy[] =
		"profile ops {\n"
		"    seatbelt allow mach-lookup;\n"
		"    seatbelt deny mach-lookup \"k.s\";\n"
		"    seatbelt allow sysctl-read \"hw.ncpu\";\n"
		"    seatbelt deny process-fork;\n"
		"    seatbelt allow process-fork;\n"
		"}\n";
	struct load_unit u = { 0 };
	const struct ir_sb_rule *why;

	unit_add(ctx, &u, "ops.pol", policy);
	const struct ir_policy *p = ir_resolve(ctx, &u, "ops", &opts);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->nsb, 5);
	ck_assert_int_eq(
		ir_decide_seatbelt(p, IR_MACOS, "mach-lookup", "a.b", &why),
		IR_ALLOW);
	ck_assert_ptr_null(why->name);
	ck_assert_int_eq(
		ir_decide_seatbelt(p, IR_MACOS, "mach-lookup", "k.s", &why),
		IR_DENY);
	ck_assert_str_eq(why->name, "k.s");
	ck_assert_int_eq(
		ir_decide_seatbelt(p, IR_MACOS, "sysctl-read", "hw.ncpu", &why),
		IR_ALLOW);
	ck_assert_int_eq(
		ir_decide_seatbelt(p, IR_MACOS, "sysctl-read", "kern.x", &why),
		IR_DENY);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(
		ir_decide_seatbelt(p, IR_MACOS, "sysctl-read", NULL, &why),
		IR_DENY);
	ck_assert_int_eq(
		ir_decide_seatbelt(p, IR_MACOS, "process-fork", NULL, &why),
		IR_DENY);
	ck_assert_int_eq(
		ir_decide_seatbelt(p, IR_LINUX, "mach-lookup", "a.b", &why),
		IR_DENY);
}
END_TEST

START_TEST(test_claude_code_acceptance)
{
	struct model m;

	lower(ir_resolve(ctx, &unit, "claude-code", &opts), false, &m);
	ck_assert(
		!model_allows(&m, "file-read-data", "/home/user/.ssh/id_rsa"));
	ck_assert(model_allows(&m, "file-read-metadata",
			       "/home/user/.ssh/id_rsa") == false);
	ck_assert(!model_allows(&m, "file-write-create",
				"/work/project/.git/hooks/x"));
	ck_assert(!model_allows(&m, "file-write-data",
				"/work/project/.git/hooks/x"));
	ck_assert(model_allows(&m, "file-write-create", "/work/project/src/x"));
	ck_assert(model_allows(&m, "file-write-data", "/work/project/src/x"));
	ck_assert(model_allows(&m, "file-read-metadata",
			       "/work/project/.git/hooks/x"));
}
END_TEST

/* ---- the validator ------------------------------------------------------ */

static const struct {
	const char *text;
	const char *error; /* NULL: valid */
} validator_cases[] = {
	{ "(version 1)(deny default)(allow file-read* (subpath \"/usr\"))",
	  NULL },
	{ "(version 1)(allow file-read-data (literal (string-append (param "
	  "\"HOME\") \"/x\")))",
	  NULL },
	{ "(version 1)(allow network-outbound (remote tcp \"*:443\"))", NULL },
	{ "(version 1)(deny default", "'(' is never closed" },
	{ "(version 1))", "')' closes nothing" },
	{ "(version 1)(allow file-read* (subpath \"/usr))",
	  "unterminated string" },
	{ "(version 1)(allow file-read* (subpath \"/u\\sr\"))",
	  "unknown escape" },
	{ "(deny default)", "starts with (version 1)" },
	{ "(version 2)(deny default)", "starts with (version 1)" },
	{ "(version 1)(allow file-reed-data (subpath \"/usr\"))",
	  "unknown operation 'file-reed-data'" },
	{ "(version 1)(allow file-read* (subdir \"/usr\"))",
	  "unknown filter 'subdir'" },
	{ "(version 1)(allow file-read* (subpath \"/a\" \"/b\"))",
	  "wrong number of arguments to 'subpath'" },
	{ "(version 1)(allow file-read* (subpath usr))", "expected a string" },
	{ "(version 1)(allow (subpath \"/usr\"))",
	  "names at least one operation" },
	{ "(version 1)(permit file-read*)", "expected (allow …) or (deny …)" },
	{ "(version 1)(allow file-read* (subpath \"/a\"))"
	  "(allow file-read* (subpath \"/a\"))",
	  "never decides" },
	{ "(version 1)(allow file-read-data (literal \"/a\"))"
	  "(deny file-read-data file-write-data (literal \"/a\"))",
	  "never decides" },
	{ "(version 1)(allow file-read-data file-write-data (literal \"/a\"))"
	  "(deny file-read-data (literal \"/a\"))",
	  NULL },
	{ "(version 1)(allow file-read* (subpath \"/a\"))"
	  "(allow file-read* (subpath \"/a/b\"))",
	  NULL },
	{ "(version 1)(allow network* (remote smtp \"*:25\"))",
	  "takes ip, tcp, udp or unix-socket" },
	{ "(version 1)(allow file-read* (subpath \"/a\x01\"))",
	  "control character" },
};

START_TEST(test_validator)
{
	const char *text = validator_cases[_i].text;
	const char *want = validator_cases[_i].error;
	int rc = sb_validate(ctx, "t.sb", text, strlen(text));
	const char *got = diags_text(ctx);

	if (!want) {
		ck_assert_msg(rc == 0, "%s: %s", text, got);
		return;
	}
	ck_assert_msg(rc != 0 && strstr(got, want), "%s: wanted '%s', got '%s'",
		      text, want, got);
	ck_assert_msg(strstr(got, "t.sb:1:"), "no location: %s", got);
}
END_TEST

/* A NUL byte ends no symbol: it once made the reader loop forever. */
START_TEST(test_reader_refuses_nul)
{
	static const char text[] = "(version 1)(allow file\0read*)";
	static const char in_string[] =
		"(version 1)(allow x (literal \"/\0\"))";

	ck_assert_int_eq(sb_validate(ctx, "t.sb", text, sizeof(text) - 1), -1);
	ck_assert_ptr_nonnull(strstr(diags_text(ctx), "t.sb:1:23: error: NUL"));
	ck_assert_int_eq(
		sb_validate(ctx, "t.sb", in_string, sizeof(in_string) - 1), -1);
}
END_TEST

START_TEST(test_every_stdlib_profile_validates)
{
	for (size_t i = 0; i < unit.files.len; i++) {
		const struct ast_file *f = unit.files.items[i];

		for (size_t j = 0; j < f->items.len; j++) {
			const struct ast_item *it = f->items.items[j];
			struct sb_profile sb;

			if (it->kind != AST_ITEM_PROFILE)
				continue;
			ck_assert_int_eq(
				sb_lower(ctx,
					 ir_resolve(ctx, &unit, it->name->text,
						    &opts),
					 &(struct sb_options){ 0 }, &sb),
				0);
			ck_assert_msg(sb_validate(ctx, it->name->text, sb.text,
						  sb.len) == 0,
				      "%s", diags_text(ctx));
		}
	}
}
END_TEST

/* ---- escaping --------------------------------------------------------- */

START_TEST(test_paths_are_spelled_exactly)
{
	static const char *const paths[] = {
		"/d/say \"hi\"", "/d/back\\slash",     "/d/with space",
		"/d/café/日本",	 "/d/a.b+(e)^$f|g{1}", "/d/x\\\"y",
	};
	static const char policy[] =
		"profile esc {\n"
		"    allow rw \"/d/say \\\"hi\\\"\" \"/d/back\\\\slash\"\n"
		"        \"/d/with space\" \"/d/café/日本\"\n"
		"        \"/d/a.b+(e)^$$f|g{1}\" \"/d/x\\\\\\\"y\";\n"
		"    deny write file \"/d/say \\\"hi\\\"/s\";\n"
		"}\n";
	struct load_unit u = { 0 };
	struct model m;

	unit_add(ctx, &u, "esc.pol", policy);
	const struct ir_policy *p = ir_resolve(ctx, &u, "esc", &opts);
	lower(p, false, &m);
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		ck_assert_ptr_nonnull(find_path_rule(p, paths[i]));
		ck_assert_msg(model_allows(&m, "file-write-data", paths[i]),
			      "%s", paths[i]);
		ck_assert(model_allows(
			&m, "file-write-data",
			arena_printf(&ctx->arena, "%s/below", paths[i])));
		/* No pattern: a metacharacter matches only itself. */
		ck_assert(!model_allows(
			&m, "file-write-data",
			arena_printf(&ctx->arena, "%sx", paths[i])));
	}
	ck_assert(!model_allows(&m, "file-write-data", "/d/say \"hi\"/s"));
	ck_assert(model_allows(&m, "file-read-data", "/d/say \"hi\"/s"));
}
END_TEST

START_TEST(test_what_seatbelt_cannot_say_fails)
{
	static const char policy[] =
		"profile cannot {\n"
		"    allow rw,landlock(ioctl_dev) file /dev/tty;\n"
		"    deny /etc/sudoers;\n"
		"}\n";
	struct load_unit u = { 0 };
	struct sb_profile sb;

	unit_add(ctx, &u, "cannot.pol", policy);
	const struct ir_policy *p = ir_resolve(ctx, &u, "cannot", &opts);
	ck_assert_int_eq(sb_lower(ctx, p, &(struct sb_options){ 0 }, &sb), -1);
	const char *got = diags_brief(ctx);
	ck_assert_str_eq(got,
			 "cannot.pol:2:39: error: landlock(…) rights have no "
			 "Seatbelt meaning\n"
			 "cannot.pol:2:39: note: put the rights in a "
			 "'platform linux' block, or accept the loss with "
			 "--best-effort\n"
			 "cannot.pol:3:10: error: this deny cannot match on "
			 "macOS, where /etc is a link into /private and the "
			 "sandbox sees resolved paths\n"
			 "cannot.pol:3:10: note: deny '/private/etc/sudoers' "
			 "as well (or accept the loss with --best-effort)\n");
	ck_assert_int_eq(sb_lower(ctx, p,
				  &(struct sb_options){ .best_effort = true },
				  &sb),
			 0);
	ck_assert_uint_eq(polc_warning_count(ctx), 2);
}
END_TEST

/* ---- the launcher -------------------------------------------------------- */

START_TEST(test_launch_argv)
{
	static char *const cmd[] = { "-rf", "a b", NULL };
	static const struct sb_param params[] = { { "HOME", "/Users/u" },
						  { "WORKDIR", "/w d" } };
	char **argv = sb_launch_argv(ctx, "/tmp/p.sb", params, 2, cmd);
	static const char *const want[] = {
		"/usr/bin/sandbox-exec",
		"-f",
		"/tmp/p.sb",
		"-D",
		"HOME=/Users/u",
		"-D",
		"WORKDIR=/w d",
		"--",
		"-rf",
		"a b",
	};
	size_t n = 0;

	ck_assert_ptr_nonnull(argv);
	/* An absolute path: PATH never chooses the sandbox. */
	ck_assert_int_eq(argv[0][0], '/');
	for (; argv[n]; n++) {
		ck_assert_uint_lt(n, sizeof(want) / sizeof(*want));
		ck_assert_str_eq(argv[n], want[n]);
	}
	ck_assert_uint_eq(n, sizeof(want) / sizeof(*want));
	argv = sb_launch_argv(ctx, "p.sb", NULL, 0, cmd + 2);
	ck_assert_str_eq(argv[3], "--");
	ck_assert_ptr_null(argv[4]);
}
END_TEST

Suite *suite_seatbelt(void)
{
	Suite *s = suite_create("seatbelt");
	TCase *tc = tcase_create("seatbelt");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_model_takes_the_last_match);
	tcase_add_test(tc, test_sbpl_agrees_with_decide);
	tcase_add_test(tc, test_sbpl_agrees_on_overlaps);
	tcase_add_test(tc, test_decide_seatbelt);
	tcase_add_test(tc, test_claude_code_acceptance);
	tcase_add_loop_test(tc, test_validator, 0,
			    sizeof(validator_cases) / sizeof(*validator_cases));
	tcase_add_test(tc, test_reader_refuses_nul);
	tcase_add_test(tc, test_every_stdlib_profile_validates);
	tcase_add_test(tc, test_paths_are_spelled_exactly);
	tcase_add_test(tc, test_what_seatbelt_cannot_say_fails);
	tcase_add_test(tc, test_launch_argv);
	suite_add_tcase(s, tc);
	return s;
}
