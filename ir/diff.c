/*
 * diff.c - what changes from one resolved policy to another (polc diff).
 *
 * The diff is semantic: it puts the same questions to the decision
 * procedure for both policies and reports the answers that differ, not the
 * rules that were written differently.  A rule that moved to another
 * group, or is written twice, changes nothing; a deny added to a group
 * both profiles use shows wherever it changes an answer.
 *
 * The questions are the ones whose answers can differ.  Paths: each path a
 * rule of either policy names, and "everything else below it" (a child no
 * rule names), which between them cover every path, because a path no rule
 * names is decided by the subtree rules above it, as that child is.
 * Network: each port range between the starts and ends of both sides'
 * grants, loopback, each host.  Syscalls: each syscall a rule names.
 * Environment: each variable a rule names without wildcards, plus secrets
 * every profile should answer for.  Settings: the scalars.
 *
 * Every question is asked per platform.  A change that is the same on
 * both platforms is reported once, without a platform tag.
 */
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/ctx.h"
#include "common/diag.h"
#include "common/json.h"
#include "ir/ir.h"

static const unsigned platform_bits[] = { IR_LINUX, IR_MACOS };
static const char *const access_words[] = { "read", "write", "exec", "delete" };
static const char access_letters[] = "rwxd";

/* Variables whose fate every profile should decide, named or not. */
static const char *const secret_names[] = {
	"AWS_SECRET_ACCESS_KEY",
	"GITHUB_TOKEN",
	"ANTHROPIC_API_KEY",
	"OPENAI_API_KEY",
	"SSH_AUTH_SOCK",
	"DATABASE_URL",
	"PATH",
	"HOME",
};

/* ---- lists of changes ---------------------------------------------------- */

/*
 * A list of changes of one kind.  Every change struct starts with the
 * platforms it holds on, so one routine merges a change found on the second
 * platform into the same change found on the first.
 */
struct changes {
	void *items;
	size_t len;
	size_t cap;
	size_t size;
	bool (*same)(const void *x, const void *y); /* all but platforms */
	int (*cmp)(const void *x, const void *y);
};

static void add_change(struct polc_ctx *ctx, struct changes *c,
		       const void *change)
{
	char *items = c->items;

	for (size_t i = 0; i < c->len; i++) {
		unsigned *platforms = (unsigned *)(items + i * c->size);

		if (c->same(platforms, change)) {
			*platforms |= *(const unsigned *)change;
			return;
		}
	}
	memcpy(arena_array_push(&ctx->arena, &c->items, &c->len, &c->cap,
				c->size),
	       change, c->size);
}

static void sort_changes(struct changes *c)
{
	if (c->len > 1)
		qsort(c->items, c->len, c->size, c->cmp);
}

/* Both platforms first, then Linux only, then macOS only. */
static int platform_rank(unsigned platforms)
{
	return platforms == IR_ALL_PLATFORMS ? 0
	       : platforms == IR_LINUX	     ? 1
					     : 2;
}

static int cmp_int(long x, long y)
{
	return (x > y) - (x < y);
}

static int cmp_nullable(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "");
}

/* ---- names --------------------------------------------------------------- */

/* A sorted set of strings (candidate paths, syscalls, variables). */
struct names {
	const char **items;
	size_t len;
	size_t cap;
};

static void names_add(struct polc_ctx *ctx, struct names *n, const char *s)
{
	const char **slot = arena_array_push(&ctx->arena, (void **)&n->items,
					     &n->len, &n->cap, sizeof(*slot));

	*slot = s;
}

static int cmp_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Sort and drop repeats. */
static void names_sort(struct names *n)
{
	size_t k = 0;

	if (n->len > 1)
		qsort(n->items, n->len, sizeof(*n->items), cmp_name);
	for (size_t i = 0; i < n->len; i++)
		if (k == 0 || strcmp(n->items[k - 1], n->items[i]) != 0)
			n->items[k++] = n->items[i];
	n->len = k;
}

/* The index of @s in sorted @n, or -1. */
static long names_find(const struct names *n, const char *s)
{
	const char **at = n->len ? bsearch(&s, n->items, n->len,
					   sizeof(*n->items), cmp_name)
				 : NULL;

	return at ? at - n->items : -1;
}

/* ---- the comparison ------------------------------------------------------ */

struct diff {
	struct polc_ctx *ctx;
	const struct ir_policy *a;
	const struct ir_policy *b;
	const struct ir_diff_options *opts;
	struct changes paths;
	struct changes scalars;
	struct changes net;
	struct changes sys;
	struct changes env;
	struct changes env_rules;
	struct changes sb;
};

/* ---- paths --------------------------------------------------------------- */

/*
 * What a path change describes: the path and everything below it down to
 * the next path listed (subtree), the path alone (file), or what is below
 * it but not the path itself (below).
 */
enum scope {
	SCOPE_SUBTREE,
	SCOPE_FILE,
	SCOPE_BELOW,
};

static const char *const scope_words[] = { "subtree", "file", "below" };

/* The modes that go from deny to allow, and from allow to deny. */
struct delta {
	unsigned granted;
	unsigned revoked;
};

/*
 * A path's change.  Both masks empty means "unchanged": it stands under a
 * path whose change does not reach it (a deny both sides keep).
 */
struct path_change {
	unsigned platforms;
	const char *path;
	const char *shown;
	enum scope scope;
	struct delta delta;
};

static bool delta_eq(struct delta x, struct delta y)
{
	return x.granted == y.granted && x.revoked == y.revoked;
}

static bool same_path_change(const void *x, const void *y)
{
	const struct path_change *p = x, *q = y;

	return strcmp(p->path, q->path) == 0 && p->scope == q->scope &&
	       delta_eq(p->delta, q->delta);
}

/* Paths in tree order: '/' sorts before every other byte, so what is
 * below a path follows it directly. */
static int cmp_tree(const char *x, const char *y)
{
	for (;; x++, y++) {
		unsigned char cx = *x == '/' ? 1 : (unsigned char)*x;
		unsigned char cy = *y == '/' ? 1 : (unsigned char)*y;

		if (cx != cy || !cx)
			return cmp_int(cx, cy);
	}
}

static int cmp_path_change(const void *x, const void *y)
{
	const struct path_change *p = x, *q = y;
	int c = cmp_tree(p->shown, q->shown);

	if (!c)
		c = cmp_int(p->scope, q->scope);
	if (!c)
		c = cmp_int(platform_rank(p->platforms),
			    platform_rank(q->platforms));
	return c;
}

/* Whether @path is @prefix or below it. */
static size_t under(const char *path, const char *prefix)
{
	size_t n = prefix ? strlen(prefix) : 0;

	/* "/" as $HOME would turn every path into "~/…": no help. */
	if (n < 2 || strncmp(path, prefix, n) != 0 ||
	    (path[n] != '\0' && path[n] != '/'))
		return 0;
	return n;
}

/* @path with $HOME as "~" and $WORKDIR as "$WORKDIR", the longer first. */
static const char *shown_path(struct diff *d, const char *path)
{
	size_t home = under(path, d->opts->home);
	size_t work = under(path, d->opts->workdir);

	if (work && work >= home)
		return arena_printf(&d->ctx->arena, "$WORKDIR%s", path + work);
	if (home)
		return arena_printf(&d->ctx->arena, "~%s", path + home);
	return path;
}

/* The modes whose answer on @path changes from A to B on @platform. */
static struct delta path_delta(struct diff *d, unsigned platform,
			       const char *path)
{
	struct delta r = { 0, 0 };

	for (unsigned m = 0; m < 4; m++) {
		struct ir_decision x, y;

		ir_decide_path(d->ctx, d->a, platform, path, 1u << m, &x);
		ir_decide_path(d->ctx, d->b, platform, path, 1u << m, &y);
		if (x.verdict == IR_DENY && y.verdict == IR_ALLOW)
			r.granted |= 1u << m;
		else if (x.verdict == IR_ALLOW && y.verdict == IR_DENY)
			r.revoked |= 1u << m;
	}
	return r;
}

/*
 * A path directly below @path that neither policy names, nor anything
 * below it: the rules decide it as they decide every such path.  Names
 * hold no control characters in practice; the loop makes sure.
 */
static const char *unnamed_child(struct diff *d, const struct names *cands,
				 const char *path)
{
	const char *child = arena_printf(&d->ctx->arena, "%s%s\x01", path,
					 strcmp(path, "/") ? "/" : "");

	for (size_t i = 0; i < cands->len; i++)
		if (ir_path_covers(child, false, cands->items[i])) {
			child = arena_printf(&d->ctx->arena, "%s\x01", child);
			i = (size_t)-1; /* start over */
		}
	return child;
}

/* The index of the nearest candidate strictly above @path, or -1. */
static long named_parent(struct diff *d, const struct names *cands,
			 const char *path)
{
	char *buf = arena_strdup(&d->ctx->arena, path);
	size_t len = strlen(buf);

	while (len > 1) {
		while (len > 0 && buf[len - 1] != '/')
			len--;
		if (len == 0)
			break;
		len = len > 1 ? len - 1 : 1; /* "/a/b" → "/a", "/a" → "/" */
		buf[len] = '\0';
		long at = names_find(cands, buf);
		if (at >= 0)
			return at;
	}
	return -1;
}

static void add_path(struct diff *d, unsigned platform, const char *path,
		     enum scope scope, struct delta delta)
{
	struct path_change c = {
		.platforms = platform,
		.path = path,
		.shown = shown_path(d, path),
		.scope = scope,
		.delta = delta,
	};

	add_change(d->ctx, &d->paths, &c);
}

/*
 * Each candidate reports what differs from what the nearest candidate
 * above it already says of it, so a granted subtree is one line, and a
 * deny both sides keep inside it is listed as unchanged.
 */
static void diff_paths(struct diff *d)
{
	struct names cands = { 0 };
	const struct ir_policy *sides[] = { d->a, d->b };

	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < sides[s]->npaths; i++)
			names_add(d->ctx, &cands, sides[s]->paths[i].path);
	names_sort(&cands);
	if (!cands.len)
		return;

	struct delta(*at)[2] =
		arena_alloc(&d->ctx->arena, cands.len * sizeof(*at));
	struct delta(*below)[2] =
		arena_alloc(&d->ctx->arena, cands.len * sizeof(*below));
	long *parent = arena_alloc(&d->ctx->arena, cands.len * sizeof(*parent));
	if (!at || !below || !parent)
		return; /* out of memory: the arena says so */

	for (size_t i = 0; i < cands.len; i++) {
		const char *child = unnamed_child(d, &cands, cands.items[i]);

		parent[i] = named_parent(d, &cands, cands.items[i]);
		for (size_t k = 0; k < 2; k++) {
			at[i][k] =
				path_delta(d, platform_bits[k], cands.items[i]);
			below[i][k] = path_delta(d, platform_bits[k], child);
		}
	}
	for (size_t i = 0; i < cands.len; i++) {
		for (size_t k = 0; k < 2; k++) {
			/* No candidate above: no subtree rule covers it. */
			struct delta inherited =
				parent[i] < 0 ? (struct delta){ 0, 0 }
					      : below[parent[i]][k];
			struct delta here = at[i][k], rest = below[i][k];
			unsigned pl = platform_bits[k];

			if (delta_eq(here, rest)) {
				if (!delta_eq(here, inherited))
					add_path(d, pl, cands.items[i],
						 SCOPE_SUBTREE, here);
				continue;
			}
			if (!delta_eq(here, inherited))
				add_path(d, pl, cands.items[i], SCOPE_FILE,
					 here);
			if (!delta_eq(rest, inherited))
				add_path(d, pl, cands.items[i], SCOPE_BELOW,
					 rest);
		}
	}
}

/* ---- scalars: network mode and the settings ------------------------------ */

enum scalar {
	SCALAR_NETWORK,
	SCALAR_WORKDIR,
	SCALAR_SYSCALL_DEFAULT,
	SCALAR_IPC_SIGNAL,
	SCALAR_IPC_ABSTRACT_UNIX,
};

static const char *const scalar_names[] = {
	[SCALAR_NETWORK] = "network",
	[SCALAR_WORKDIR] = "workdir",
	[SCALAR_SYSCALL_DEFAULT] = "syscall_default",
	[SCALAR_IPC_SIGNAL] = "ipc_signal",
	[SCALAR_IPC_ABSTRACT_UNIX] = "ipc_abstract_unix",
};

/* @from and @to: the value; the errno numbers for the syscall default. */
struct scalar_change {
	unsigned platforms;
	enum scalar what;
	unsigned from;
	unsigned to;
	unsigned from_errno;
	unsigned to_errno;
};

static bool same_scalar(const void *x, const void *y)
{
	const struct scalar_change *p = x, *q = y;

	return p->what == q->what && p->from == q->from && p->to == q->to &&
	       p->from_errno == q->from_errno && p->to_errno == q->to_errno;
}

static int cmp_scalar(const void *x, const void *y)
{
	const struct scalar_change *p = x, *q = y;
	int c = cmp_int(p->what, q->what);

	return c ? c
		 : cmp_int(platform_rank(p->platforms),
			   platform_rank(q->platforms));
}

static void add_scalar(struct diff *d, unsigned platform, enum scalar what,
		       unsigned from, unsigned to, unsigned from_errno,
		       unsigned to_errno)
{
	struct scalar_change c = { platform, what,	 from,
				   to,	     from_errno, to_errno };

	if (from != to || from_errno != to_errno)
		add_change(d->ctx, &d->scalars, &c);
}

static void diff_scalars(struct diff *d)
{
	for (size_t k = 0; k < 2; k++) {
		const struct ir_settings *x = &d->a->settings[k];
		const struct ir_settings *y = &d->b->settings[k];
		unsigned pl = platform_bits[k];

		add_scalar(d, pl, SCALAR_NETWORK, x->network_allow,
			   y->network_allow, 0, 0);
		add_scalar(d, pl, SCALAR_WORKDIR, x->workdir, y->workdir, 0, 0);
		add_scalar(d, pl, SCALAR_SYSCALL_DEFAULT, x->sys_default,
			   y->sys_default,
			   x->sys_default == IR_SYS_ERRNO ? x->sys_default_errno
							  : 0,
			   y->sys_default == IR_SYS_ERRNO ? y->sys_default_errno
							  : 0);
		add_scalar(d, pl, SCALAR_IPC_SIGNAL, x->ipc_signal,
			   y->ipc_signal, 0, 0);
		add_scalar(d, pl, SCALAR_IPC_ABSTRACT_UNIX,
			   x->ipc_abstract_unix, y->ipc_abstract_unix, 0, 0);
	}
}

/* ---- network ------------------------------------------------------------- */

/*
 * A network change: '+' allowed in B only, '-' in A only.  When the mode
 * changes every answer flips except where both sides allow, and those are
 * listed with '=' (the grants of the side whose mode is deny).
 */
struct net_change {
	unsigned platforms;
	char sign;
	enum ir_net_kind kind;
	unsigned proto;
	unsigned lo;
	unsigned hi;
	const char *host;
};

static bool same_net(const void *x, const void *y)
{
	const struct net_change *p = x, *q = y;

	return p->sign == q->sign && p->kind == q->kind &&
	       p->proto == q->proto && p->lo == q->lo && p->hi == q->hi &&
	       cmp_nullable(p->host, q->host) == 0;
}

static int cmp_net(const void *x, const void *y)
{
	const struct net_change *p = x, *q = y;
	int c = cmp_int(p->kind, q->kind);

	if (!c)
		c = cmp_int(p->proto, q->proto);
	if (!c)
		c = cmp_int(p->lo, q->lo);
	if (!c)
		c = cmp_nullable(p->host, q->host);
	if (!c)
		c = cmp_int(platform_rank(p->platforms),
			    platform_rank(q->platforms));
	return c;
}

/* The sign of a question whose grants answer @ga and @gb (see above). */
static char net_sign(bool mode_a, bool mode_b, bool ga, bool gb)
{
	bool da = mode_a || ga, db = mode_b || gb;

	if (mode_a != mode_b)
		return da && db ? '=' : 0;
	if (da == db)
		return 0;
	return db ? '+' : '-';
}

/* Whether a grant of @p (mode aside) has @kind on @platform for @host. */
static bool has_grant(const struct ir_policy *p, unsigned platform,
		      enum ir_net_kind kind, const char *host)
{
	for (size_t i = 0; i < p->nnet; i++) {
		const struct ir_net_rule *r = &p->net[i];

		if ((r->platforms & platform) && r->kind == kind &&
		    (!host || (r->host && strcmp(r->host, host) == 0)))
			return true;
	}
	return false;
}

static int cmp_port(const void *x, const void *y)
{
	return cmp_int(*(const unsigned *)x, *(const unsigned *)y);
}

/*
 * Ports of one kind and protocol: the grants of both sides start and end
 * at boundaries, so every port between two boundaries has the answers of
 * the first.  @ga and @gb are the policies with the mode set aside, so
 * the decision procedure answers for the grants alone.
 */
static void diff_ports(struct diff *d, unsigned platform,
		       const struct ir_policy *ga, const struct ir_policy *gb,
		       enum ir_net_kind kind, unsigned proto)
{
	const struct ir_policy *sides[] = { ga, gb };
	size_t k = ir_platform_index(platform);
	bool mode_a = d->a->settings[k].network_allow;
	bool mode_b = d->b->settings[k].network_allow;
	unsigned *bounds = NULL;
	size_t n = 0, cap = 0, m = 0;
	struct net_change run = { 0 };

	for (size_t s = 0; s < 2; s++) {
		for (size_t i = 0; i < sides[s]->nnet; i++) {
			const struct ir_net_rule *r = &sides[s]->net[i];

			if (!(r->platforms & platform) || r->kind != kind ||
			    r->proto != proto)
				continue;
			*(unsigned *)arena_array_push(
				&d->ctx->arena, (void **)&bounds, &n, &cap,
				sizeof(*bounds)) = r->lo;
			*(unsigned *)arena_array_push(
				&d->ctx->arena, (void **)&bounds, &n, &cap,
				sizeof(*bounds)) = r->hi + 1u;
		}
	}
	*(unsigned *)arena_array_push(&d->ctx->arena, (void **)&bounds, &n,
				      &cap, sizeof(*bounds)) = 0;
	*(unsigned *)arena_array_push(&d->ctx->arena, (void **)&bounds, &n,
				      &cap, sizeof(*bounds)) = 65536;
	qsort(bounds, n, sizeof(*bounds), cmp_port);
	for (size_t i = 0; i < n; i++)
		if (m == 0 || bounds[m - 1] != bounds[i])
			bounds[m++] = bounds[i];
	for (size_t i = 0; i + 1 < m; i++) {
		const struct ir_net_rule *why;
		bool x = ir_decide_net(ga, platform, kind, proto, bounds[i],
				       &why) == IR_ALLOW;
		bool y = ir_decide_net(gb, platform, kind, proto, bounds[i],
				       &why) == IR_ALLOW;
		char sign = net_sign(mode_a, mode_b, x, y);

		if (run.sign && run.sign == sign) {
			run.hi = bounds[i + 1] - 1;
			continue;
		}
		if (run.sign)
			add_change(d->ctx, &d->net, &run);
		run = (struct net_change){ .platforms = platform,
					   .sign = sign,
					   .kind = kind,
					   .proto = proto,
					   .lo = bounds[i],
					   .hi = bounds[i + 1] - 1 };
	}
	if (run.sign)
		add_change(d->ctx, &d->net, &run);
}

/*
 * Host grants decide nothing (spec/semantics.md §4.4): they are recorded
 * for a filtering proxy, so they are compared as grants, whatever the
 * mode.
 */
static void diff_hosts(struct diff *d, unsigned platform)
{
	struct names hosts = { 0 };
	const struct ir_policy *sides[] = { d->a, d->b };

	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < sides[s]->nnet; i++)
			if (sides[s]->net[i].kind == IR_NET_HOST)
				names_add(d->ctx, &hosts,
					  sides[s]->net[i].host);
	names_sort(&hosts);
	for (size_t i = 0; i < hosts.len; i++) {
		const char *h = hosts.items[i];
		bool x = has_grant(d->a, platform, IR_NET_HOST, h);
		bool y = has_grant(d->b, platform, IR_NET_HOST, h);

		if (x != y)
			add_change(d->ctx, &d->net,
				   &(struct net_change){ .platforms = platform,
							 .sign = y ? '+' : '-',
							 .kind = IR_NET_HOST,
							 .host = h });
	}
}

static void diff_net(struct diff *d)
{
	static const enum ir_net_kind port_kinds[] = { IR_NET_CONNECT,
						       IR_NET_BIND };
	static const unsigned protos[] = { 6, 17 };

	for (size_t k = 0; k < 2; k++) {
		unsigned pl = platform_bits[k];
		bool mode_a = d->a->settings[k].network_allow;
		bool mode_b = d->b->settings[k].network_allow;
		struct ir_policy ga = *d->a, gb = *d->b;

		diff_hosts(d, pl);
		if (mode_a && mode_b)
			continue; /* everything is allowed on both sides */
		ga.settings[k].network_allow = false;
		gb.settings[k].network_allow = false;
		for (size_t i = 0; i < 2; i++)
			for (size_t j = 0; j < 2; j++)
				diff_ports(d, pl, &ga, &gb, port_kinds[i],
					   protos[j]);

		/* Loopback traffic: the mode allows it, or the grant. */
		char sign =
			net_sign(mode_a, mode_b,
				 has_grant(d->a, pl, IR_NET_LOOPBACK, NULL),
				 has_grant(d->b, pl, IR_NET_LOOPBACK, NULL));
		if (sign)
			add_change(d->ctx, &d->net,
				   &(struct net_change){
					   .platforms = pl,
					   .sign = sign,
					   .kind = IR_NET_LOOPBACK });
	}
}

/* ---- syscalls ------------------------------------------------------------ */

/* The outcomes by name; "mixed": depends on the arguments (or notify). */
static const char *const sys_outcome_words[] = {
	[IR_SYS_PROCEEDS] = "allow",
	[IR_SYS_BLOCKS] = "deny",
	[IR_SYS_DEPENDS] = "mixed",
	[IR_SYS_UNDECIDABLE] = "undecidable",
};

struct sys_change {
	unsigned platforms;
	const char *name;
	enum ir_sys_outcome from;
	enum ir_sys_outcome to;
};

static bool same_sys(const void *x, const void *y)
{
	const struct sys_change *p = x, *q = y;

	return strcmp(p->name, q->name) == 0 && p->from == q->from &&
	       p->to == q->to;
}

static int cmp_sys(const void *x, const void *y)
{
	const struct sys_change *p = x, *q = y;
	int c = strcmp(p->name, q->name);

	return c ? c
		 : cmp_int(platform_rank(p->platforms),
			   platform_rank(q->platforms));
}

/* Whether @x arrived by a shorter chain than @y, or was written first. */
static bool nearer(const struct ir_origin *x, const struct ir_origin *y)
{
	if (x->chain_len != y->chain_len)
		return x->chain_len < y->chain_len;
	if (x->loc.file != y->loc.file)
		return x->loc.file < y->loc.file;
	return x->loc.start < y->loc.start;
}

/*
 * A syscall whose outcome polc cannot decide exactly is an error, never a
 * guess (spec/semantics.md §4.6).  It points at the conditional rule for
 * the syscall nearest the profile, where the user most likely wrote the
 * combination, rather than at whichever rule the policy sorts first.
 */
static void undecidable(struct diff *d, const struct ir_policy *p,
			unsigned platform, const char *name)
{
	const struct ir_sys_rule *at = NULL;

	for (size_t i = 0; i < p->nsys; i++) {
		const struct ir_sys_rule *r = &p->sys[i];

		if ((r->platforms & platform) && r->nconds &&
		    strcmp(r->syscall, name) == 0 &&
		    (!at || nearer(&r->origin, &at->origin)))
			at = r;
	}
	if (at)
		diag_at(d->ctx, DIAG_ERROR, at->origin.loc,
			"cannot compare syscall '%s' of profile '%s' on %s: "
			"beyond what polc decides exactly (an argument "
			"compared both masked and unmasked, or with two "
			"masks)",
			name, p->profile, ir_platform_name(platform));
	else
		diag_subject(d->ctx, DIAG_ERROR, p->profile,
			     "cannot compare syscall '%s' on %s: beyond what "
			     "polc decides exactly",
			     name, ir_platform_name(platform));
}

static void diff_sys(struct diff *d)
{
	struct names calls = { 0 };

	for (size_t i = 0; i < d->a->nsys; i++)
		names_add(d->ctx, &calls, d->a->sys[i].syscall);
	for (size_t i = 0; i < d->b->nsys; i++)
		names_add(d->ctx, &calls, d->b->sys[i].syscall);
	names_sort(&calls);
	for (size_t i = 0; i < calls.len; i++) {
		bool reported = false;

		for (size_t k = 0; k < 2; k++) {
			const struct ir_sys_rule *why;
			unsigned pl = platform_bits[k];
			struct sys_change c = {
				.platforms = pl,
				.name = calls.items[i],
				.from = ir_decide_syscall(d->ctx, d->a, pl,
							  calls.items[i], &why),
				.to = ir_decide_syscall(d->ctx, d->b, pl,
							calls.items[i], &why),
			};

			if (!reported && c.from == IR_SYS_UNDECIDABLE)
				undecidable(d, d->a, pl, c.name);
			if (!reported && c.to == IR_SYS_UNDECIDABLE)
				undecidable(d, d->b, pl, c.name);
			reported |= c.from == IR_SYS_UNDECIDABLE ||
				    c.to == IR_SYS_UNDECIDABLE;
			if (c.from != c.to)
				add_change(d->ctx, &d->sys, &c);
		}
	}
}

/* ---- environment --------------------------------------------------------- */

/* What becomes of a variable: passed, dropped, or set to @value. */
struct env_state {
	enum ir_env_kind kind;
	const char *value;
};

struct env_change {
	unsigned platforms;
	const char *name;
	struct env_state from;
	struct env_state to;
};

static bool same_env_state(struct env_state x, struct env_state y)
{
	return x.kind == y.kind && cmp_nullable(x.value, y.value) == 0;
}

static bool same_env(const void *x, const void *y)
{
	const struct env_change *p = x, *q = y;

	return strcmp(p->name, q->name) == 0 &&
	       same_env_state(p->from, q->from) && same_env_state(p->to, q->to);
}

static int cmp_env(const void *x, const void *y)
{
	const struct env_change *p = x, *q = y;
	int c = strcmp(p->name, q->name);

	return c ? c
		 : cmp_int(platform_rank(p->platforms),
			   platform_rank(q->platforms));
}

static struct env_state env_state(const struct ir_policy *p, unsigned platform,
				  const char *name)
{
	const struct ir_env_rule *why;

	if (ir_decide_env(p, platform, name, &why) == IR_ALLOW)
		return (struct env_state){ IR_ENV_PASS, NULL };
	if (why && why->kind == IR_ENV_SET)
		return (struct env_state){ IR_ENV_SET, why->value };
	return (struct env_state){ IR_ENV_DROP, NULL };
}

/* An env rule one side has on a platform and the other has not. */
struct env_rule_change {
	unsigned platforms;
	char sign;
	const struct ir_env_rule *rule;
};

static bool same_env_rule(const struct ir_env_rule *x,
			  const struct ir_env_rule *y)
{
	return x->kind == y->kind && x->override == y->override &&
	       strcmp(x->pattern, y->pattern) == 0 &&
	       cmp_nullable(x->value, y->value) == 0;
}

static bool same_env_rule_change(const void *x, const void *y)
{
	const struct env_rule_change *p = x, *q = y;

	return p->sign == q->sign && same_env_rule(p->rule, q->rule);
}

static int cmp_env_rule_change(const void *x, const void *y)
{
	const struct env_rule_change *p = x, *q = y;
	int c = strcmp(p->rule->pattern, q->rule->pattern);

	/* What goes, then what comes, for each name. */
	if (!c)
		c = cmp_int(p->sign == '+', q->sign == '+');
	if (!c)
		c = cmp_int(p->rule->kind, q->rule->kind);
	if (!c)
		c = cmp_int(p->rule->override, q->rule->override);
	if (!c)
		c = cmp_nullable(p->rule->value, q->rule->value);
	if (!c)
		c = cmp_int(platform_rank(p->platforms),
			    platform_rank(q->platforms));
	return c;
}

/* Rules of @p on @platform that @other lacks there, as @sign changes. */
static void env_rules_only(struct diff *d, const struct ir_policy *p,
			   const struct ir_policy *other, unsigned platform,
			   char sign)
{
	for (size_t i = 0; i < p->nenv; i++) {
		const struct ir_env_rule *r = &p->env[i];
		bool found = false;

		if (!(r->platforms & platform))
			continue;
		for (size_t j = 0; j < other->nenv && !found; j++)
			found = (other->env[j].platforms & platform) &&
				same_env_rule(r, &other->env[j]);
		if (!found)
			add_change(
				d->ctx, &d->env_rules,
				&(struct env_rule_change){ platform, sign, r });
	}
}

static bool literal(const char *pattern)
{
	return !strpbrk(pattern, "*?");
}

static void diff_env(struct diff *d)
{
	struct names vars = { 0 };
	const struct ir_policy *sides[] = { d->a, d->b };

	for (size_t i = 0; i < sizeof(secret_names) / sizeof(*secret_names);
	     i++)
		names_add(d->ctx, &vars, secret_names[i]);
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < sides[s]->nenv; i++)
			if (literal(sides[s]->env[i].pattern))
				names_add(d->ctx, &vars,
					  sides[s]->env[i].pattern);
	names_sort(&vars);
	for (size_t k = 0; k < 2; k++) {
		unsigned pl = platform_bits[k];

		for (size_t i = 0; i < vars.len; i++) {
			struct env_change c = {
				.platforms = pl,
				.name = vars.items[i],
				.from = env_state(d->a, pl, vars.items[i]),
				.to = env_state(d->b, pl, vars.items[i]),
			};

			if (!same_env_state(c.from, c.to))
				add_change(d->ctx, &d->env, &c);
		}
		env_rules_only(d, d->a, d->b, pl, '-');
		env_rules_only(d, d->b, d->a, pl, '+');
	}
}

/* ---- Seatbelt operations ------------------------------------------------- */

/* An operation (on one name, or as a whole) whose decision changes. */
struct sb_change {
	unsigned platforms;
	const char *operation;
	const char *name; /* NULL: the operation as a whole */
	enum ir_verdict from;
	enum ir_verdict to;
};

static bool same_sb(const void *x, const void *y)
{
	const struct sb_change *p = x, *q = y;

	return strcmp(p->operation, q->operation) == 0 &&
	       cmp_nullable(p->name, q->name) == 0 && p->from == q->from &&
	       p->to == q->to;
}

static int cmp_sb(const void *x, const void *y)
{
	const struct sb_change *p = x, *q = y;
	int c = strcmp(p->operation, q->operation);

	if (!c)
		c = cmp_int(p->name != NULL, q->name != NULL);
	if (!c)
		c = cmp_nullable(p->name, q->name);
	return c ? c
		 : cmp_int(platform_rank(p->platforms),
			   platform_rank(q->platforms));
}

/* Every operation, and every name, that a rule of either side names. */
static void diff_seatbelt(struct diff *d)
{
	const struct ir_policy *sides[] = { d->a, d->b };

	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < sides[s]->nsb; i++) {
			const struct ir_sb_rule *r = &sides[s]->sb[i];
			const struct ir_sb_rule *why;
			struct sb_change c = {
				.platforms = IR_MACOS,
				.operation = r->operation,
				.name = r->name,
				.from = ir_decide_seatbelt(d->a, IR_MACOS,
							   r->operation,
							   r->name, &why),
				.to = ir_decide_seatbelt(d->b, IR_MACOS,
							 r->operation, r->name,
							 &why),
			};

			if (c.from != c.to)
				add_change(d->ctx, &d->sb, &c);
		}
}

/* ---- text ---------------------------------------------------------------- */

enum { PATH_W = 34, NAME_W = 24 };

static const char *const action_words[] = {
	[IR_SYS_ALLOW] = "allow",   [IR_SYS_LOG] = "log",
	[IR_SYS_NOTIFY] = "notify", [IR_SYS_ERRNO] = "errno",
	[IR_SYS_TRAP] = "trap",	    [IR_SYS_KILL_THREAD] = "kill_thread",
	[IR_SYS_KILL] = "kill",
};

static const char *action_word(unsigned a)
{
	return a < sizeof(action_words) / sizeof(*action_words)
		       ? action_words[a]
		       : "?";
}

static const char *env_kind_word(enum ir_env_kind k)
{
	return k == IR_ENV_PASS ? "pass" : k == IR_ENV_DROP ? "drop" : "set";
}

static const char *proto_word(unsigned proto)
{
	return proto == 6 ? "tcp" : proto == 17 ? "udp" : "?";
}

/* " [linux]" for a change on one platform only; "" for both. */
static const char *platform_tag(unsigned platforms)
{
	return platforms == IR_ALL_PLATFORMS ? ""
	       : platforms == IR_LINUX	     ? " [linux]"
					     : " [macos]";
}

/* Modes as letters in rwxd order: "rwd". */
static const char *letters(struct polc_ctx *ctx, unsigned modes)
{
	char buf[5];
	size_t n = 0;

	for (unsigned b = 0; b < 4; b++)
		if (modes & (1u << b))
			buf[n++] = access_letters[b];
	buf[n] = '\0';
	return arena_strdup(&ctx->arena, buf);
}

/* Workdir access as polc show spells it: none, one mode as its word,
 * several as letters, all. */
static const char *workdir_word(struct polc_ctx *ctx, unsigned modes)
{
	for (unsigned b = 0; b < 4; b++)
		if (modes == 1u << b)
			return access_words[b];
	return modes == 0		? "none"
	       : modes == IR_ALL_ACCESS ? "all"
					: letters(ctx, modes);
}

/* A string as the language quotes it. */
static void text_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void text_path_line(struct diff *d, FILE *out, char sign, unsigned modes,
			   const struct path_change *c)
{
	int len = (int)strlen(c->shown);

	fprintf(out, "  %c %-5s %s%*s [%s%s%s]\n", sign, letters(d->ctx, modes),
		c->shown, len < PATH_W ? PATH_W - len : 0, "",
		scope_words[c->scope],
		c->platforms == IR_ALL_PLATFORMS ? "" : ", ",
		c->platforms == IR_ALL_PLATFORMS
			? ""
			: ir_platform_name(c->platforms));
}

static void text_paths(struct diff *d, FILE *out)
{
	const struct path_change *c = d->paths.items;

	if (d->paths.len)
		fputs("paths:\n", out);
	for (size_t i = 0; i < d->paths.len; i++) {
		if (c[i].delta.granted)
			text_path_line(d, out, '+', c[i].delta.granted, &c[i]);
		if (c[i].delta.revoked)
			text_path_line(d, out, '-', c[i].delta.revoked, &c[i]);
		if (!c[i].delta.granted && !c[i].delta.revoked)
			text_path_line(d, out, '=', 0, &c[i]);
	}
}

static void text_scalar_value(struct diff *d, FILE *out,
			      const struct scalar_change *c, unsigned v,
			      unsigned err)
{
	switch (c->what) {
	case SCALAR_NETWORK: fputs(v ? "allow" : "deny", out); break;
	case SCALAR_WORKDIR: fputs(workdir_word(d->ctx, v), out); break;
	case SCALAR_SYSCALL_DEFAULT:
		fputs(action_word(v), out);
		if (v == IR_SYS_ERRNO) {
			const char *name = strerrorname_np((int)err);

			if (name)
				fprintf(out, " %s", name);
			else
				fprintf(out, " %u", err);
		}
		break;
	default: fputs(v ? "allowed" : "scoped", out);
	}
}

static void text_scalar(struct diff *d, FILE *out,
			const struct scalar_change *c)
{
	static const char *const labels[] = {
		[SCALAR_NETWORK] = "mode",
		[SCALAR_WORKDIR] = "workdir",
		[SCALAR_SYSCALL_DEFAULT] = "syscall default",
		[SCALAR_IPC_SIGNAL] = "ipc signal",
		[SCALAR_IPC_ABSTRACT_UNIX] = "ipc abstract_unix",
	};

	fprintf(out, "  %s: ", labels[c->what]);
	text_scalar_value(d, out, c, c->from, c->from_errno);
	fputs(" -> ", out);
	text_scalar_value(d, out, c, c->to, c->to_errno);
	fprintf(out, "%s\n", platform_tag(c->platforms));
}

static void text_net(struct diff *d, FILE *out)
{
	const struct scalar_change *s = d->scalars.items;
	const struct net_change *c = d->net.items;
	bool any = d->net.len > 0;

	for (size_t i = 0; i < d->scalars.len; i++)
		any |= s[i].what == SCALAR_NETWORK;
	if (!any)
		return;
	fputs("network:\n", out);
	for (size_t i = 0; i < d->scalars.len; i++)
		if (s[i].what == SCALAR_NETWORK)
			text_scalar(d, out, &s[i]);
	for (size_t i = 0; i < d->net.len; i++) {
		fprintf(out, "  %c ", c[i].sign);
		switch (c[i].kind) {
		case IR_NET_CONNECT:
		case IR_NET_BIND:
			fprintf(out, "%s %s %u",
				c[i].kind == IR_NET_BIND ? "bind" : "connect",
				proto_word(c[i].proto), c[i].lo);
			if (c[i].hi != c[i].lo)
				fprintf(out, "-%u", c[i].hi);
			break;
		case IR_NET_LOOPBACK: fputs("loopback", out); break;
		case IR_NET_HOST: fprintf(out, "host %s", c[i].host); break;
		}
		fprintf(out, "%s\n", platform_tag(c[i].platforms));
	}
}

static void text_sys(struct diff *d, FILE *out)
{
	const struct sys_change *c = d->sys.items;

	if (d->sys.len)
		fputs("syscalls:\n", out);
	for (size_t i = 0; i < d->sys.len; i++)
		fprintf(out, "  %-*s %s -> %s%s\n", NAME_W, c[i].name,
			sys_outcome_words[c[i].from],
			sys_outcome_words[c[i].to],
			platform_tag(c[i].platforms));
}

static void text_env_state(FILE *out, struct env_state s)
{
	fputs(env_kind_word(s.kind), out);
	if (s.kind == IR_ENV_SET) {
		fputc(' ', out);
		text_quoted(out, s.value);
	}
}

static void text_env(struct diff *d, FILE *out)
{
	const struct env_change *c = d->env.items;
	const struct env_rule_change *r = d->env_rules.items;

	if (d->env.len || d->env_rules.len)
		fputs("env:\n", out);
	for (size_t i = 0; i < d->env.len; i++) {
		fprintf(out, "  %-*s ", NAME_W, c[i].name);
		text_env_state(out, c[i].from);
		fputs(" -> ", out);
		text_env_state(out, c[i].to);
		fprintf(out, "%s\n", platform_tag(c[i].platforms));
	}
	for (size_t i = 0; i < d->env_rules.len; i++) {
		const struct ir_env_rule *rule = r[i].rule;

		fprintf(out, "  %c %senv %s %s", r[i].sign,
			rule->override ? "override " : "",
			env_kind_word(rule->kind), rule->pattern);
		if (rule->kind == IR_ENV_SET) {
			fputs(" = ", out);
			text_quoted(out, rule->value);
		}
		fprintf(out, "%s\n", platform_tag(r[i].platforms));
	}
}

static const char *verdict_word(enum ir_verdict v)
{
	return v == IR_ALLOW ? "allow" : "deny";
}

static void text_seatbelt(struct diff *d, FILE *out)
{
	const struct sb_change *c = d->sb.items;

	if (d->sb.len)
		fputs("seatbelt:\n", out);
	for (size_t i = 0; i < d->sb.len; i++) {
		fprintf(out, "  %s", c[i].operation);
		if (c[i].name) {
			fputc(' ', out);
			text_quoted(out, c[i].name);
		}
		fprintf(out, ": %s -> %s%s\n", verdict_word(c[i].from),
			verdict_word(c[i].to), platform_tag(c[i].platforms));
	}
}

static void text_settings(struct diff *d, FILE *out)
{
	const struct scalar_change *s = d->scalars.items;
	bool any = false;

	for (size_t i = 0; i < d->scalars.len; i++)
		if (s[i].what != SCALAR_NETWORK) {
			if (!any)
				fputs("settings:\n", out);
			any = true;
			text_scalar(d, out, &s[i]);
		}
}

/* "default", or "a.pol (profile alpha)" when the name is not the
 * profile's. */
static void text_label(FILE *out, const char *mark, const char *arg,
		       const struct ir_policy *p)
{
	if (strcmp(arg, p->profile) == 0)
		fprintf(out, "%s %s\n", mark, arg);
	else
		fprintf(out, "%s %s (profile %s)\n", mark, arg, p->profile);
}

static void print_text(struct diff *d, FILE *out, bool differ)
{
	text_label(out, "---", d->opts->from, d->a);
	text_label(out, "+++", d->opts->to, d->b);
	if (!differ) {
		fputs("no differences\n", out);
		return;
	}
	text_paths(d, out);
	text_net(d, out);
	text_sys(d, out);
	text_env(d, out);
	text_seatbelt(d, out);
	text_settings(d, out);
}

/* ---- JSON ---------------------------------------------------------------- */

/*
 * One change per line: the document stays small, and a change of the
 * policies shows as a change of lines in the output.
 */

static void json_platforms(FILE *out, unsigned platforms)
{
	fputs("\"platforms\": [", out);
	for (size_t k = 0, n = 0; k < 2; k++)
		if (platforms & platform_bits[k])
			fprintf(out, "%s\"%s\"", n++ ? ", " : "",
				ir_platform_name(platform_bits[k]));
	fputc(']', out);
}

static void json_access(FILE *out, unsigned modes)
{
	fputc('[', out);
	for (unsigned b = 0, n = 0; b < 4; b++)
		if (modes & (1u << b))
			fprintf(out, "%s\"%s\"", n++ ? ", " : "",
				access_words[b]);
	fputc(']', out);
}

/* Separator before element @i of an array whose elements take a line. */
static void json_element(FILE *out, size_t i)
{
	fputs(i ? ",\n    " : "\n    ", out);
}

static void json_array_end(FILE *out, size_t n)
{
	fputs(n ? "\n  ]" : "]", out);
}

static void json_paths(FILE *out, const struct changes *paths)
{
	const struct path_change *c = paths->items;

	fputs(",\n  \"paths\": [", out);
	for (size_t i = 0; i < paths->len; i++) {
		json_element(out, i);
		fputs("{\"path\": ", out);
		json_write_string(out, c[i].path);
		fputs(", \"shown\": ", out);
		json_write_string(out, c[i].shown);
		fputs(", ", out);
		json_platforms(out, c[i].platforms);
		fprintf(out, ", \"scope\": \"%s\", \"granted\": ",
			scope_words[c[i].scope]);
		json_access(out, c[i].delta.granted);
		fputs(", \"revoked\": ", out);
		json_access(out, c[i].delta.revoked);
		fputc('}', out);
	}
	json_array_end(out, paths->len);
}

static const char *sign_word(char sign)
{
	return sign == '+' ? "granted" : sign == '-' ? "revoked" : "kept";
}

static void json_net(FILE *out, const struct diff *d)
{
	const struct scalar_change *s = d->scalars.items;
	const struct net_change *c = d->net.items;
	size_t n = 0;

	fputs(",\n  \"network\": {\n    \"mode\": [", out);
	for (size_t i = 0; i < d->scalars.len; i++) {
		if (s[i].what != SCALAR_NETWORK)
			continue;
		fputs(n++ ? ",\n      {" : "\n      {", out);
		json_platforms(out, s[i].platforms);
		fprintf(out, ", \"from\": \"%s\", \"to\": \"%s\"}",
			s[i].from ? "allow" : "deny",
			s[i].to ? "allow" : "deny");
	}
	fputs(n ? "\n    ],\n    \"grants\": [" : "],\n    \"grants\": [", out);
	for (size_t i = 0; i < d->net.len; i++) {
		fputs(i ? ",\n      " : "\n      ", out);
		fprintf(out, "{\"change\": \"%s\", \"kind\": \"%s\"",
			sign_word(c[i].sign),
			c[i].kind == IR_NET_CONNECT ? "connect"
			: c[i].kind == IR_NET_BIND  ? "bind"
			: c[i].kind == IR_NET_HOST  ? "host"
						    : "loopback");
		if (c[i].kind == IR_NET_CONNECT || c[i].kind == IR_NET_BIND)
			fprintf(out,
				", \"protocol\": \"%s\", \"ports\": [%u, %u]",
				proto_word(c[i].proto), c[i].lo, c[i].hi);
		if (c[i].kind == IR_NET_HOST) {
			fputs(", \"host\": ", out);
			json_write_string(out, c[i].host);
		}
		fputs(", ", out);
		json_platforms(out, c[i].platforms);
		fputc('}', out);
	}
	fputs(d->net.len ? "\n    ]\n  }" : "]\n  }", out);
}

static void json_sys(FILE *out, const struct changes *sys)
{
	const struct sys_change *c = sys->items;

	fputs(",\n  \"syscalls\": [", out);
	for (size_t i = 0; i < sys->len; i++) {
		json_element(out, i);
		fputs("{\"syscall\": ", out);
		json_write_string(out, c[i].name);
		fputs(", ", out);
		json_platforms(out, c[i].platforms);
		fprintf(out, ", \"from\": \"%s\", \"to\": \"%s\"}",
			sys_outcome_words[c[i].from],
			sys_outcome_words[c[i].to]);
	}
	json_array_end(out, sys->len);
}

static void json_env_state(FILE *out, const char *key, struct env_state s)
{
	fprintf(out, ", \"%s\": \"%s\"", key, env_kind_word(s.kind));
	if (s.kind == IR_ENV_SET) {
		fprintf(out, ", \"%s_value\": ", key);
		json_write_string(out, s.value);
	}
}

static void json_env(FILE *out, const struct diff *d)
{
	const struct env_change *c = d->env.items;
	const struct env_rule_change *r = d->env_rules.items;

	fputs(",\n  \"env\": [", out);
	for (size_t i = 0; i < d->env.len; i++) {
		json_element(out, i);
		fputs("{\"name\": ", out);
		json_write_string(out, c[i].name);
		fputs(", ", out);
		json_platforms(out, c[i].platforms);
		json_env_state(out, "from", c[i].from);
		json_env_state(out, "to", c[i].to);
		fputc('}', out);
	}
	json_array_end(out, d->env.len);
	fputs(",\n  \"env_rules\": [", out);
	for (size_t i = 0; i < d->env_rules.len; i++) {
		const struct ir_env_rule *rule = r[i].rule;

		json_element(out, i);
		fprintf(out,
			"{\"change\": \"%s\", \"kind\": \"%s\", "
			"\"override\": %s, ",
			r[i].sign == '+' ? "added" : "removed",
			env_kind_word(rule->kind),
			rule->override ? "true" : "false");
		if (rule->kind == IR_ENV_SET) {
			fputs("\"name\": ", out);
			json_write_string(out, rule->pattern);
			fputs(", \"value\": ", out);
			json_write_string(out, rule->value ? rule->value : "");
		} else {
			fputs("\"pattern\": ", out);
			json_write_string(out, rule->pattern);
		}
		fputs(", ", out);
		json_platforms(out, r[i].platforms);
		fputc('}', out);
	}
	json_array_end(out, d->env_rules.len);
}

static void json_seatbelt(FILE *out, const struct diff *d)
{
	const struct sb_change *c = d->sb.items;

	fputs(",\n  \"seatbelt\": [", out);
	for (size_t i = 0; i < d->sb.len; i++) {
		json_element(out, i);
		fputs("{\"operation\": ", out);
		json_write_string(out, c[i].operation);
		fputs(", \"name\": ", out);
		if (c[i].name)
			json_write_string(out, c[i].name);
		else
			fputs("null", out);
		fputs(", ", out);
		json_platforms(out, c[i].platforms);
		fprintf(out, ", \"from\": \"%s\", \"to\": \"%s\"}",
			verdict_word(c[i].from), verdict_word(c[i].to));
	}
	json_array_end(out, d->sb.len);
}

static void json_scalar_value(FILE *out, const struct scalar_change *c,
			      unsigned v, unsigned err)
{
	switch (c->what) {
	case SCALAR_WORKDIR: json_access(out, v); break;
	case SCALAR_SYSCALL_DEFAULT:
		fprintf(out, "{\"action\": \"%s\"", action_word(v));
		if (v == IR_SYS_ERRNO)
			fprintf(out, ", \"errno\": %u", err);
		fputc('}', out);
		break;
	case SCALAR_NETWORK: fputs(v ? "\"allow\"" : "\"deny\"", out); break;
	default: fputs(v ? "\"allowed\"" : "\"scoped\"", out);
	}
}

static void json_settings(FILE *out, const struct diff *d)
{
	const struct scalar_change *s = d->scalars.items;
	size_t n = 0;

	fputs(",\n  \"settings\": [", out);
	for (size_t i = 0; i < d->scalars.len; i++) {
		if (s[i].what == SCALAR_NETWORK)
			continue;
		json_element(out, n++);
		fprintf(out, "{\"setting\": \"%s\", ", scalar_names[s[i].what]);
		json_platforms(out, s[i].platforms);
		fputs(", \"from\": ", out);
		json_scalar_value(out, &s[i], s[i].from, s[i].from_errno);
		fputs(", \"to\": ", out);
		json_scalar_value(out, &s[i], s[i].to, s[i].to_errno);
		fputc('}', out);
	}
	json_array_end(out, n);
}

static void print_json(struct diff *d, FILE *out, bool differ)
{
	fputs("{\n  \"polc_diff_version\": 1,\n  \"from\": ", out);
	json_write_string(out, d->opts->from);
	fputs(",\n  \"from_profile\": ", out);
	json_write_string(out, d->a->profile);
	fputs(",\n  \"to\": ", out);
	json_write_string(out, d->opts->to);
	fputs(",\n  \"to_profile\": ", out);
	json_write_string(out, d->b->profile);
	fprintf(out, ",\n  \"differ\": %s", differ ? "true" : "false");
	json_paths(out, &d->paths);
	json_net(out, d);
	json_sys(out, &d->sys);
	json_env(out, d);
	json_seatbelt(out, d);
	json_settings(out, d);
	fputs("\n}\n", out);
}

/* ---- entry --------------------------------------------------------------- */

bool ir_diff(struct polc_ctx *ctx, const struct ir_policy *a,
	     const struct ir_policy *b, const struct ir_diff_options *opts,
	     FILE *out)
{
	struct diff d = {
		.ctx = ctx,
		.a = a,
		.b = b,
		.opts = opts,
		.paths = { .size = sizeof(struct path_change),
			   .same = same_path_change,
			   .cmp = cmp_path_change },
		.scalars = { .size = sizeof(struct scalar_change),
			     .same = same_scalar,
			     .cmp = cmp_scalar },
		.net = { .size = sizeof(struct net_change),
			 .same = same_net,
			 .cmp = cmp_net },
		.sys = { .size = sizeof(struct sys_change),
			 .same = same_sys,
			 .cmp = cmp_sys },
		.env = { .size = sizeof(struct env_change),
			 .same = same_env,
			 .cmp = cmp_env },
		.env_rules = { .size = sizeof(struct env_rule_change),
			       .same = same_env_rule_change,
			       .cmp = cmp_env_rule_change },
		.sb = { .size = sizeof(struct sb_change),
			.same = same_sb,
			.cmp = cmp_sb },
	};
	struct changes *all[] = { &d.paths, &d.scalars,	  &d.net, &d.sys,
				  &d.env,   &d.env_rules, &d.sb };
	bool differ = false;

	diff_paths(&d);
	diff_scalars(&d);
	diff_net(&d);
	diff_sys(&d);
	diff_env(&d);
	diff_seatbelt(&d);
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++) {
		sort_changes(all[i]);
		differ |= all[i]->len > 0;
	}
	if (opts->json)
		print_json(&d, out, differ);
	else
		print_text(&d, out, differ);
	return differ;
}
