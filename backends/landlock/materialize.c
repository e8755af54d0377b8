/*
 * materialize.c - a Landlock plan on this host: carving denies out of
 * allows (spec/backends/landlock.md, "Carving").
 *
 * A Landlock rule on a directory grants its rights to everything below it,
 * so a right that is denied somewhere below a directory may not be granted
 * on the directory itself.  Walking down from "/", each node N on the way
 * to the policy's paths gets the rights that hold on all of N's subtree
 * (and are not inherited already); when that is less than what N's
 * children may have, N is *carved*: its entries are listed and each entry
 * not on the way to a deeper rule gets its own rule with what it may have.
 * Only directories that need it are read.  Entries that are symbolic links
 * get no rule (access is checked where the link leads), and rules made for
 * listed entries never follow links, so a link cannot smuggle a grant onto
 * a denied tree.  Paths that do not exist grant nothing and are reported.
 * Rights are computed by ll_rights_at(), decide() at the level of rights,
 * so the kernel's answers and the IR's agree.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backends/landlock/landlock.h"
#include "common/ctx.h"
#include "common/diag.h"

struct materializer {
	struct polc_ctx *ctx;
	const struct ll_plan *plan;
	struct ll_ruleset *rs;
	const char **paths; /* the policy's linux rule paths, sorted, unique */
	size_t npaths;
};

static void emit(struct materializer *m, const char *path, uint64_t rights,
		 bool nofollow, bool dir)
{
	struct ll_fs_rule *r =
		arena_array_push(&m->ctx->arena, (void **)&m->rs->rules,
				 &m->rs->nrules, &m->rs->crules, sizeof(*r));

	r->path = path;
	r->rights = dir ? rights : rights & LL_FILE_RIGHTS;
	r->nofollow = nofollow;
	r->dir = dir;
}

static struct ll_report_item *report(struct materializer *m,
				     enum ll_report_kind kind, const char *text)
{
	struct ll_report_item *it =
		arena_array_push(&m->ctx->arena, (void **)&m->rs->report,
				 &m->rs->nreport, &m->rs->creport, sizeof(*it));

	it->kind = kind;
	it->text = text;
	return it;
}

static const char *join(struct polc_ctx *ctx, const char *dir, const char *name)
{
	return arena_printf(&ctx->arena, "%s%s%s", dir,
			    strcmp(dir, "/") ? "/" : "", name);
}

/* Whether @path is @dir or lies below it. */
static bool within(const char *dir, const char *path)
{
	return ir_path_covers(dir, false, path);
}

/* The rights held by a name below @dir that no rule names. */
static uint64_t child_rights(struct materializer *m, const char *dir)
{
	return ll_rights_at(m->plan, join(m->ctx, dir, "\001"));
}

/* Indexes [*first, *last) of m->paths strictly below @dir. */
static void below(struct materializer *m, const char *dir, size_t *first,
		  size_t *last)
{
	size_t lo = 0, hi = m->npaths;

	/* Sorted by strcmp: paths below dir form one run after dir. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(m->paths[mid], dir) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo < m->npaths && strcmp(m->paths[lo], dir) > 0 &&
	       (within(dir, m->paths[lo]) ||
		/* "/a-b" sorts between "/a" and "/a/b": skip past it. */
		strncmp(m->paths[lo], dir, strlen(dir)) == 0))
		lo++;
	*last = lo;
}

static void visit(struct materializer *m, const char *path, uint64_t inherited);

/* N needs no carving: its deeper rules only add, visit the nearest ones. */
static void visit_nearest(struct materializer *m, const char *path,
			  size_t first, size_t last, uint64_t inherited)
{
	const char *taken = NULL;

	for (size_t i = first; i < last; i++) {
		if (!within(path, m->paths[i]) || !strcmp(path, m->paths[i]))
			continue;
		if (taken && within(taken, m->paths[i]))
			continue;
		taken = m->paths[i];
		visit(m, taken, inherited);
	}
}

/* List N's entries: each on the way to a deeper rule is visited, each
 * other gets what it may have. */
static void carve(struct materializer *m, const char *path, size_t first,
		  size_t last, uint64_t inherited)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		report(m, LL_REPORT_SKIPPED,
		       arena_printf(&m->ctx->arena,
				    "%s: cannot list it to carve (%s); its "
				    "entries get no rule",
				    path, strerror(errno)));
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;
		bool on_way = false;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		const char *child = join(m->ctx, path, e->d_name);
		for (size_t i = first; i < last && !on_way; i++)
			on_way = within(child, m->paths[i]);
		if (on_way) {
			visit(m, child, inherited);
			continue;
		}
		uint64_t r = ll_rights_at(m->plan, child) & ~inherited;
		if (!r || lstat(child, &st) != 0 || S_ISLNK(st.st_mode))
			continue;
		emit(m, child, r, true, S_ISDIR(st.st_mode));
	}
	closedir(d);
}

static void visit(struct materializer *m, const char *path, uint64_t inherited)
{
	struct stat st;
	size_t first, last;
	uint64_t here = ll_rights_at(m->plan, path);

	if (stat(path, &st) != 0) {
		/* Nothing to attach a rule to: skipped, so denied. */
		if (here & ~inherited)
			report(m, LL_REPORT_SKIPPED,
			       arena_printf(&m->ctx->arena,
					    "%s: %s; its rule grants nothing",
					    path, strerror(errno)));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (here & LL_FILE_RIGHTS & ~inherited)
			emit(m, path, here & ~inherited, false, false);
		return;
	}
	below(m, path, &first, &last);
	uint64_t kids = child_rights(m, path);
	/* What holds on N and everywhere below it. */
	uint64_t uniform = here & kids;
	for (size_t i = first; i < last; i++)
		if (within(path, m->paths[i]))
			uniform &= ll_rights_at(m->plan, m->paths[i]) &
				   child_rights(m, m->paths[i]);
	uint64_t grant = uniform & ~inherited;
	if (grant)
		emit(m, path, grant, false, true);
	inherited |= grant;
	if ((kids & ~inherited) == 0 && (here & ~inherited) == 0) {
		visit_nearest(m, path, first, last, inherited);
		return;
	}
	carve(m, path, first, last, inherited);
	if (here & ~inherited) {
		struct ll_report_item *it = report(
			m, LL_REPORT_CARVE,
			arena_printf(
				&m->ctx->arena,
				"%s itself lacks %s, which a rule below "
				"it denies",
				path,
				ll_rights_text(m->ctx, here & ~inherited)));
		it->path = path;
		it->rights = here & ~inherited;
	}
	if (kids & ~inherited)
		report(m, LL_REPORT_CARVE,
		       arena_printf(&m->ctx->arena,
				    "%s: entries created in it after the "
				    "sandbox starts lack %s",
				    path,
				    ll_rights_text(m->ctx, kids & ~inherited)));
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int ll_materialize(struct polc_ctx *ctx, const struct ll_plan *plan,
		   const struct ll_ruleset **out)
{
	const struct ir_policy *p = plan->policy;
	struct ll_ruleset *rs = arena_alloc(&ctx->arena, sizeof(*rs));
	struct materializer m = { ctx, plan, rs, NULL, 0 };

	rs->plan = plan;
	m.paths = arena_alloc(&ctx->arena, (p->npaths + 1) * sizeof(*m.paths));
	for (size_t i = 0; i < p->npaths; i++)
		if (p->paths[i].platforms & IR_LINUX)
			m.paths[m.npaths++] = p->paths[i].path;
	if (m.npaths)
		qsort(m.paths, m.npaths, sizeof(*m.paths), path_cmp);
	size_t n = 0;
	for (size_t i = 0; i < m.npaths; i++)
		if (!n || strcmp(m.paths[n - 1], m.paths[i]))
			m.paths[n++] = m.paths[i];
	m.npaths = n;
	/* The plan's own report comes first. */
	for (size_t i = 0; i < plan->nreport; i++) {
		struct ll_report_item *it = arena_array_push(
			&ctx->arena, (void **)&rs->report, &rs->nreport,
			&rs->creport, sizeof(*it));
		*it = plan->report[i];
	}
	visit(&m, "/", 0);
	*out = rs;
	return arena_failed(&ctx->arena) ? -1 : 0;
}
