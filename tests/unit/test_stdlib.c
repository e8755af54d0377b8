/*
 * test_stdlib.c - the embedded library: every profile resolves cleanly and
 * keeps its own promises, and the invariant that makes required groups
 * worth having: no stdlib profile lets through anything a required group
 * denies.
 *
 * The invariant is checked against the groups' syntax trees, not against
 * the resolved policy: for every stdlib profile, for every path of every
 * deny rule of every required group (expanded here, independently of
 * ir/vars.c, with the same variables), and for every access mode the deny
 * names, ir_decide_path() must answer deny on every platform where the
 * deny applies, for the path itself and, for a subtree rule, for a path
 * below it.  An explicit override in the profile would be the one
 * exception; stdlib profiles have none, and that is asserted too.
 *
 * With the stdlib of this writing the invariant checks 12 profiles x 695
 * (path, access) pairs = 8340 (profile, path, access) triples, which take
 * 19740 decisions (each triple on one or both platforms and, for subtree
 * rules, below the path too); test_required_deny_invariant asserts the
 * count so that a change to the library is noticed here.
 */
#include <check.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

/* The stdlib of this writing; update with the library. */
enum { STDLIB_PROFILES = 12, STDLIB_REQUIRED_GROUPS = 8, TRIPLES = 8340 };

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

/* The items of @kind in the library, in load order. */
static size_t items_of(enum ast_item_kind kind, const struct ast_item **out,
		       size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < unit.files.len; i++) {
		const struct ast_file *f = unit.files.items[i];

		for (size_t j = 0; j < f->items.len; j++) {
			const struct ast_item *it = f->items.items[j];

			if (it->kind != kind)
				continue;
			ck_assert_uint_lt(n, max);
			out[n++] = it;
		}
	}
	return n;
}

static bool is_required(const struct ast_item *g)
{
	for (size_t i = 0; i < g->body.len; i++)
		if (((const struct ast_stmt *)g->body.items[i])->kind ==
		    AST_REQUIRED)
			return true;
	return false;
}

static unsigned platforms_of(const struct ptrvec *names)
{
	unsigned mask = 0;

	for (size_t i = 0; i < names->len; i++) {
		const struct ast_word *w = names->items[i];

		mask |= strcmp(w->text, "linux") == 0	? IR_LINUX
			: strcmp(w->text, "macos") == 0 ? IR_MACOS
							: 0;
	}
	return mask ? mask : IR_ALL_PLATFORMS;
}

/*
 * Expand @text the way spec/language.md §4.12 says, with the built-ins of
 * test_options() and nothing else (the required groups declare no lets:
 * anything else fails the test), then drop a trailing '/'.
 */
static const char *expand(const char *text)
{
	static const struct {
		const char *name, *value;
	} vars[] = {
		{ "HOME", "/home/user" },
		{ "TMPDIR", "/tmp" },
		{ "UID", "1000" },
		{ "USER", "user" },
		{ "WORKDIR", "/work/project" },
		{ "XDG_CONFIG_HOME", "/home/user/.config" },
		{ "XDG_CACHE_HOME", "/home/user/.cache" },
		{ "XDG_DATA_HOME", "/home/user/.local/share" },
		{ "XDG_STATE_HOME", "/home/user/.local/state" },
		{ "XDG_RUNTIME_DIR", "/run/user/1000" },
	};
	char buf[4096];
	size_t len = 0;
	const char *s = text;

	if (s[0] == '~' && (s[1] == '\0' || s[1] == '/')) {
		len = (size_t)snprintf(buf, sizeof(buf), "/home/user");
		s++;
	}
	while (*s) {
		ck_assert_uint_lt(len, sizeof(buf) - 256);
		if (*s != '$') {
			buf[len++] = *s++;
			continue;
		}
		if (s[1] == '$') {
			buf[len++] = '$';
			s += 2;
			continue;
		}
		bool brace = s[1] == '{';
		const char *name = s + 1 + brace;
		size_t n =
			strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "abcdefghijklmnopqrstuvwxyz_0123456789");
		size_t v;
		for (v = 0; v < sizeof(vars) / sizeof(*vars); v++)
			if (strlen(vars[v].name) == n &&
			    strncmp(vars[v].name, name, n) == 0)
				break;
		ck_assert_msg(v < sizeof(vars) / sizeof(*vars),
			      "%s: unknown variable", text);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s",
					vars[v].value);
		s = name + n + brace;
	}
	while (len > 1 && buf[len - 1] == '/')
		len--;
	buf[len] = '\0';
	ck_assert_msg(buf[0] == '/', "%s expands to %s", text, buf);
	ck_assert_msg(!strstr(buf, "//") && !strstr(buf, "/./") &&
			      !strstr(buf, "/../"),
		      "%s is not normalised", buf);
	return arena_strndup(&ctx->arena, buf, len);
}

/**
 * struct deny - one path of one deny of a required group
 * @group: the group's name
 * @path: expanded
 * @file: a file rule
 * @modes: the modes it denies
 * @platforms: where it applies: the group's clause and its block's
 */
struct deny {
	const char *group;
	const char *path;
	bool file;
	unsigned modes;
	unsigned platforms;
};

static void collect_denies(const struct ast_item *g, const struct ptrvec *body,
			   unsigned mask, struct deny *out, size_t *n,
			   size_t max)
{
	for (size_t i = 0; i < body->len; i++) {
		const struct ast_stmt *s = body->items[i];

		if (s->kind == AST_PLATFORM) {
			collect_denies(
				g, &s->u.platform.body,
				mask & platforms_of(&s->u.platform.names), out,
				n, max);
			continue;
		}
		ck_assert_msg(s->kind != AST_LET, "required group %s has a let",
			      g->name->text);
		if (s->kind != AST_RULE || s->u.rule.verdict != AST_DENY)
			continue;
		for (size_t j = 0; j < s->u.rule.paths.len; j++) {
			const struct ast_word *w = s->u.rule.paths.items[j];

			ck_assert_uint_lt(*n, max);
			out[(*n)++] = (struct deny){
				.group = g->name->text,
				.path = expand(w->text),
				.file = s->u.rule.file,
				.modes = s->u.rule.access.present
						 ? s->u.rule.access.modes
						 : IR_ALL_ACCESS,
				.platforms = mask,
			};
		}
	}
}

enum { MAX_ITEMS = 256, MAX_DENIES = 2048 };

static const char *const mode_names[] = { "read", "write", "exec", "delete" };

START_TEST(test_required_deny_invariant)
{
	const struct ast_item *groups[MAX_ITEMS], *profiles[MAX_ITEMS];
	size_t ngroups = items_of(AST_ITEM_GROUP, groups, MAX_ITEMS);
	size_t nprofiles = items_of(AST_ITEM_PROFILE, profiles, MAX_ITEMS);
	static struct deny denies[MAX_DENIES];
	size_t ndenies = 0, nrequired = 0, pairs = 0, triples = 0;
	size_t decisions = 0;

	for (size_t i = 0; i < ngroups; i++) {
		if (!is_required(groups[i]))
			continue;
		nrequired++;
		collect_denies(groups[i], &groups[i]->body,
			       platforms_of(&groups[i]->platforms), denies,
			       &ndenies, MAX_DENIES);
	}
	ck_assert_uint_eq(nrequired, STDLIB_REQUIRED_GROUPS);
	ck_assert_uint_eq(nprofiles, STDLIB_PROFILES);
	for (size_t i = 0; i < ndenies; i++)
		pairs += (size_t)__builtin_popcount(denies[i].modes);

	for (size_t k = 0; k < nprofiles; k++) {
		const char *name = profiles[k]->name->text;
		const struct ir_policy *p = ir_resolve(ctx, &unit, name, &opts);

		if (!p || ctx->nerrors || ctx->nwarnings)
			ck_abort_msg("%s does not resolve cleanly:\n%s", name,
				     diags_text(ctx));
		/* No stdlib profile overrides anything. */
		for (size_t r = 0; r < p->npaths; r++)
			ck_assert_msg(!p->paths[r].override, "%s overrides %s",
				      name, p->paths[r].path);
		/* Every required group reaches every profile, wherever its
		 * clause lets it. */
		for (size_t g = 0; g < ngroups; g++) {
			size_t at;

			if (!is_required(groups[g]))
				continue;
			for (at = 0; at < p->ngroups; at++)
				if (strcmp(p->groups[at],
					   groups[g]->name->text) == 0)
					break;
			ck_assert_msg(at < p->ngroups, "%s lacks %s", name,
				      groups[g]->name->text);
			ck_assert_uint_eq(p->group_platforms[at],
					  platforms_of(&groups[g]->platforms));
		}
		for (size_t i = 0; i < ndenies; i++) {
			const struct deny *d = &denies[i];
			const char *below =
				arena_printf(&ctx->arena, "%s/x", d->path);

			for (unsigned m = 0; m < 4; m++) {
				if (!(d->modes & (1u << m)))
					continue;
				triples++;
				for (unsigned pl = IR_LINUX; pl <= IR_MACOS;
				     pl <<= 1) {
					if (!(d->platforms & pl))
						continue;
					decisions++;
					ck_assert_msg(
						decide(ctx, p, pl, d->path,
						       1u << m) == IR_DENY,
						"%s allows %s of %s on %s "
						"(denied by %s)",
						name, mode_names[m], d->path,
						ir_platform_name(pl), d->group);
					if (d->file)
						continue;
					decisions++;
					ck_assert_msg(
						decide(ctx, p, pl, below,
						       1u << m) == IR_DENY,
						"%s allows %s of %s on %s "
						"(denied by %s)",
						name, mode_names[m], below,
						ir_platform_name(pl), d->group);
				}
			}
		}
	}
	ck_assert_uint_eq(triples, nprofiles * pairs);
	ck_assert_msg(triples == TRIPLES,
		      "the invariant checked %zu (profile, path, access) "
		      "triples (%zu decisions), not %d: update the count",
		      triples, decisions, TRIPLES);
}
END_TEST

START_TEST(test_profiles_resolve_cleanly_and_keep_their_expects)
{
	const struct ast_item *profiles[MAX_ITEMS];
	size_t nprofiles = items_of(AST_ITEM_PROFILE, profiles, MAX_ITEMS);
	size_t nexpects = 0;

	ck_assert_uint_eq(nprofiles, STDLIB_PROFILES);
	for (size_t k = 0; k < nprofiles; k++) {
		const char *name = profiles[k]->name->text;
		const struct ir_policy *p = ir_resolve(ctx, &unit, name, &opts);

		if (!p || ctx->nerrors || ctx->nwarnings)
			ck_abort_msg("%s does not resolve cleanly:\n%s", name,
				     diags_text(ctx));
		ck_assert_str_eq(p->profile, name);
		ck_assert_uint_gt(p->nexpects, 0);
		nexpects += p->nexpects;
		if (ir_check_expects(ctx, p) != 0 || ctx->nerrors)
			ck_abort_msg("%s fails its expects:\n%s", name,
				     diags_text(ctx));
		ck_assert_uint_eq(diag_count(ctx), 0);
	}
	ck_assert_uint_gt(nexpects, nprofiles);
}
END_TEST

/*
 * The stdlib's promises must hold wherever the user lives and works: a home
 * or a project under an allowed /tmp, a project that is the home, root's
 * home.  Deny beats allow, so every expect must still hold.
 */
START_TEST(test_expects_hold_in_any_environment)
{
	static const struct {
		const char *home, *workdir, *tmpdir;
	} envs[] = {
		{ "/home/user", "/work/project", "/tmp" },
		{ "/tmp/home", "/tmp/home/project", "/tmp" },
		{ "/home/user", "/tmp/project", "/tmp" },
		{ "/home/user", "/home/user", "/tmp" },
		{ "/root", "/root/src/app", "/var/tmp" },
		{ "/Users/someone", "/Users/someone/Code/app", "/private/tmp" },
	};
	const struct ast_item *profiles[MAX_ITEMS];
	size_t nprofiles = items_of(AST_ITEM_PROFILE, profiles, MAX_ITEMS);

	for (size_t e = 0; e < sizeof(envs) / sizeof(*envs); e++) {
		struct ir_options o = opts;

		o.builtins[IR_VAR_HOME] = envs[e].home;
		o.builtins[IR_VAR_WORKDIR] = envs[e].workdir;
		o.builtins[IR_VAR_TMPDIR] = envs[e].tmpdir;
		o.builtins[IR_VAR_XDG_CONFIG_HOME] =
			arena_printf(&ctx->arena, "%s/.config", envs[e].home);
		o.builtins[IR_VAR_XDG_CACHE_HOME] =
			arena_printf(&ctx->arena, "%s/.cache", envs[e].home);
		o.builtins[IR_VAR_XDG_DATA_HOME] = arena_printf(
			&ctx->arena, "%s/.local/share", envs[e].home);
		o.builtins[IR_VAR_XDG_STATE_HOME] = arena_printf(
			&ctx->arena, "%s/.local/state", envs[e].home);
		for (size_t k = 0; k < nprofiles; k++) {
			const char *name = profiles[k]->name->text;
			const struct ir_policy *p =
				ir_resolve(ctx, &unit, name, &o);

			if (!p || ir_check_expects(ctx, p) != 0 || ctx->nerrors)
				ck_abort_msg("%s fails with HOME=%s WORKDIR=%s "
					     "TMPDIR=%s:\n%s",
					     name, envs[e].home,
					     envs[e].workdir, envs[e].tmpdir,
					     diags_text(ctx));
		}
	}
}
END_TEST

/* Every child of default is default plus more: its chain ends there. */
START_TEST(test_profiles_extend_default)
{
	const struct ast_item *profiles[MAX_ITEMS];
	size_t nprofiles = items_of(AST_ITEM_PROFILE, profiles, MAX_ITEMS);

	for (size_t k = 0; k < nprofiles; k++) {
		const char *name = profiles[k]->name->text;
		const struct ir_policy *p = ir_resolve(ctx, &unit, name, &opts);

		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(p->chain[p->chain_len - 1], "default");
		ck_assert_uint_eq(p->chain_len,
				  strcmp(name, "default") ? 2u : 1u);
	}
}
END_TEST

Suite *suite_stdlib(void)
{
	Suite *s = suite_create("stdlib");
	TCase *tc = tcase_create("stdlib");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_required_deny_invariant);
	tcase_add_test(tc,
		       test_profiles_resolve_cleanly_and_keep_their_expects);
	tcase_add_test(tc, test_expects_hold_in_any_environment);
	tcase_add_test(tc, test_profiles_extend_default);
	suite_add_tcase(s, tc);
	return s;
}
