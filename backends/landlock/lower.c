/*
 * lower.c - IR → Landlock plan (see landlock.h).
 *
 * Access modes map to rights as spec/backends/landlock.md tabulates.  The
 * ruleset handles every filesystem right the ABI knows, so anything no
 * rule grants is denied; the network is handled only when the profile
 * limits it; the IPC scopes only when the profile keeps them.  What the ABI
 * cannot handle but the policy relies on is reported as lost.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/landlock/landlock.h"
#include "common/ctx.h"
#include "common/diag.h"

#define WRITE_RIGHTS                                                           \
	(LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_MAKE_REG | LL_FS_MAKE_DIR | \
	 LL_FS_MAKE_SYM | LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO)
#define ALL_FS_RIGHTS ((LL_FS_IOCTL_DEV << 1) - 1)

uint64_t ll_allow_rights(unsigned modes, uint64_t escape)
{
	uint64_t r = escape;

	if (modes & IR_READ)
		r |= LL_FS_READ_FILE | LL_FS_READ_DIR;
	if (modes & IR_WRITE)
		r |= WRITE_RIGHTS;
	if (modes & IR_EXEC)
		r |= LL_FS_EXECUTE;
	if (modes & IR_DELETE)
		r |= LL_FS_REMOVE_FILE | LL_FS_REMOVE_DIR;
	/* A rename is a delete here and a create there. */
	if ((modes & IR_WRITE) && (modes & IR_DELETE))
		r |= LL_FS_REFER;
	return r;
}

uint64_t ll_deny_rights(unsigned modes)
{
	uint64_t r = 0;

	if (modes == IR_ALL_ACCESS)
		return ALL_FS_RIGHTS;
	if (modes & IR_READ)
		r |= LL_FS_READ_FILE | LL_FS_READ_DIR;
	/* Writing covers device ioctls, the other way to change a device. */
	if (modes & IR_WRITE)
		r |= WRITE_RIGHTS | LL_FS_IOCTL_DEV;
	if (modes & IR_EXEC)
		r |= LL_FS_EXECUTE;
	if (modes & IR_DELETE)
		r |= LL_FS_REMOVE_FILE | LL_FS_REMOVE_DIR;
	return r;
}

/* The filesystem rights ABI @abi handles. */
static uint64_t fs_rights_of_abi(unsigned abi)
{
	uint64_t r = LL_FS_MAKE_SYM * 2 - 1; /* ABI 1: bits 0-12 */

	if (abi >= 2)
		r |= LL_FS_REFER;
	if (abi >= 3)
		r |= LL_FS_TRUNCATE;
	if (abi >= 5)
		r |= LL_FS_IOCTL_DEV;
	return r;
}

/* ---- the rights oracle ------------------------------------------------- */

struct accumulated {
	uint64_t allow, deny, lift;
};

static bool accumulate(const struct ir_path_rule *r, void *arg)
{
	struct accumulated *a = arg;

	if (!(r->platforms & IR_LINUX))
		return true;
	if (r->verdict == IR_DENY) {
		a->deny |= ll_deny_rights(r->modes);
		return true;
	}
	a->allow |= ll_allow_rights(r->modes, r->rights);
	/* An override lifts the denies for its own modes (and rights). */
	if (r->override)
		a->lift |= ll_deny_rights(r->modes) |
			   ll_allow_rights(r->modes, r->rights);
	return true;
}

uint64_t ll_rights_in(const struct ir_policy *rules, uint64_t handled,
		      const char *path)
{
	struct accumulated a = { 0 };

	ir_for_covering(rules, path, accumulate, &a);
	return a.allow & ~(a.deny & ~a.lift) & handled;
}

/* ---- lowering ---------------------------------------------------------- */

struct lowering {
	struct polc_ctx *ctx;
	struct ll_plan *plan;
	bool best_effort;
	bool failed;
};

static void report(struct lowering *l, enum ll_report_kind kind,
		   const struct ir_origin *origin, const char *text)
{
	struct ll_plan *p = l->plan;

	/* Out of memory, the plan and its arrays may be the arena's scratch
	 * block; ll_lower() fails anyway. */
	if (arena_failed(&l->ctx->arena))
		return;
	struct ll_report_item *it =
		arena_array_push(&l->ctx->arena, (void **)&p->report,
				 &p->nreport, &p->creport, sizeof(*it));

	it->kind = kind;
	it->text = text;
	it->origin = origin;
}

/* A protection ABI @needed provides that the target ABI lacks. */
static void lost(struct lowering *l, const struct ir_origin *origin,
		 unsigned needed, const char *what)
{
	const char *text = arena_printf(
		&l->ctx->arena, "%s (needs Landlock ABI %u, target is %u)",
		what, needed, l->plan->abi);
	/* A default has no rule: point at the profile. */
	struct polc_loc at = origin ? origin->loc : l->plan->policy->loc;

	report(l, LL_REPORT_LOST, origin, text);
	if (l->best_effort) {
		diag_at(l->ctx, DIAG_WARNING, at, "best effort: %s", text);
		return;
	}
	l->failed = true;
	struct diag *d = diag_at(l->ctx, DIAG_ERROR, at, "%s", text);
	diag_note(l->ctx, d, at,
		  "build for a newer ABI, or accept the loss with "
		  "--best-effort");
}

/* The first linux rule of @p for which @pred holds, for reports. */
static const struct ir_path_rule *
first_rule(const struct ir_policy *p,
	   bool (*pred)(const struct ir_path_rule *r))
{
	for (size_t i = 0; i < p->npaths; i++)
		if ((p->paths[i].platforms & IR_LINUX) && pred(&p->paths[i]))
			return &p->paths[i];
	return NULL;
}

static bool denies_write(const struct ir_path_rule *r)
{
	return r->verdict == IR_DENY && (r->modes & IR_WRITE);
}

static bool grants_ioctl(const struct ir_path_rule *r)
{
	return r->verdict == IR_ALLOW && (r->rights & LL_FS_IOCTL_DEV);
}

/* Filesystem rights the ABI lacks but the policy relies on. */
static void lower_fs(struct lowering *l)
{
	const struct ir_policy *p = l->plan->policy;
	unsigned abi = l->plan->abi;
	const struct ir_path_rule *r;

	l->plan->handled_fs = fs_rights_of_abi(abi);
	if (abi < 2)
		report(l, LL_REPORT_APPROX, NULL,
		       "renaming or linking a file into another directory "
		       "always fails below ABI 2 (no refer right): stricter "
		       "than the policy");
	if (abi < 3) {
		r = first_rule(p, denies_write);
		lost(l, r ? &r->origin : NULL, 3,
		     "truncating files that are readable but not writable "
		     "(truncate(2), O_TRUNC) cannot be stopped");
	}
	if (abi < 5) {
		r = first_rule(p, grants_ioctl);
		lost(l, r ? &r->origin : NULL, 5,
		     "ioctl(2) on device files cannot be limited to the "
		     "devices the policy names");
	}
	for (size_t i = 0; i < p->npaths; i++) {
		const struct ir_path_rule *pr = &p->paths[i];

		if (!(pr->platforms & IR_LINUX) || pr->verdict != IR_ALLOW)
			continue;
		uint64_t missing = pr->rights & ~l->plan->handled_fs;
		if (missing)
			report(l, LL_REPORT_APPROX, &pr->origin,
			       arena_printf(&l->ctx->arena,
					    "'%s': %s not known to ABI %u, "
					    "granted by default",
					    pr->path,
					    ll_rights_text(l->ctx, missing),
					    abi));
	}
}

static int port_cmp(const void *a, const void *b)
{
	const struct ll_port *x = a, *y = b;

	return (x->port > y->port) - (x->port < y->port);
}

/* A large range is many rules: Landlock has no port ranges. */
enum { PORTS_REPORTED = 1024 };

static void lower_net(struct lowering *l)
{
	const struct ir_policy *p = l->plan->policy;
	const struct ir_settings *st = &p->settings[0];
	struct ll_plan *plan = l->plan;
	size_t cports = 0;

	for (size_t i = 0; i < p->nnet; i++) {
		const struct ir_net_rule *r = &p->net[i];

		if (!(r->platforms & IR_LINUX))
			continue;
		if (r->kind == IR_NET_HOST)
			report(l, LL_REPORT_NOTE, &r->origin,
			       arena_printf(&l->ctx->arena,
					    "host '%s' is recorded, not "
					    "enforced: only a filtering proxy "
					    "can limit connections by name",
					    r->host));
		else if (r->kind == IR_NET_LOOPBACK && !st->network_allow)
			report(l, LL_REPORT_APPROX, &r->origin,
			       "loopback: Landlock cannot tell loopback from "
			       "other hosts; TCP is allowed only to the "
			       "ports connect and bind rules grant, to any "
			       "host");
		else if (r->proto == 17 && !st->network_allow)
			report(l, LL_REPORT_APPROX, &r->origin,
			       arena_printf(&l->ctx->arena,
					    "udp %u-%u: Linux limits UDP by "
					    "neither port nor host; the "
					    "grant opens UDP sockets, to "
					    "every destination",
					    r->lo, r->hi));
	}
	if (st->network_allow)
		return;
	if (plan->abi < 4) {
		lost(l, st->network_from.set ? &st->network_from.origin : NULL,
		     4,
		     "TCP connect and bind cannot be limited: the network "
		     "stays open");
		return;
	}
	plan->handled_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
	for (size_t i = 0; i < p->nnet; i++) {
		const struct ir_net_rule *r = &p->net[i];
		uint64_t right = r->kind == IR_NET_BIND ? LL_NET_BIND_TCP
							: LL_NET_CONNECT_TCP;

		if (!(r->platforms & IR_LINUX) || r->proto != 6 ||
		    (r->kind != IR_NET_CONNECT && r->kind != IR_NET_BIND))
			continue;
		if ((unsigned)r->hi - r->lo + 1 > PORTS_REPORTED)
			report(l, LL_REPORT_NOTE, &r->origin,
			       arena_printf(&l->ctx->arena,
					    "tcp %u-%u: %u rules (Landlock "
					    "has no port ranges)",
					    r->lo, r->hi, r->hi - r->lo + 1u));
		for (unsigned port = r->lo; port <= r->hi; port++) {
			struct ll_port *slot = arena_array_push(
				&l->ctx->arena, (void **)&plan->ports,
				&plan->nports, &cports, sizeof(*slot));
			slot->port = (uint16_t)port;
			slot->rights = right;
		}
	}
	/* One entry per port, rights merged. */
	if (plan->nports)
		qsort(plan->ports, plan->nports, sizeof(*plan->ports),
		      port_cmp);
	size_t n = 0;
	for (size_t i = 0; i < plan->nports; i++) {
		if (n && plan->ports[n - 1].port == plan->ports[i].port)
			plan->ports[n - 1].rights |= plan->ports[i].rights;
		else
			plan->ports[n++] = plan->ports[i];
	}
	plan->nports = n;
}

static void lower_scopes(struct lowering *l)
{
	const struct ir_settings *st = &l->plan->policy->settings[0];
	uint64_t want = 0;

	if (!st->ipc_abstract_unix)
		want |= LL_SCOPE_ABSTRACT_UNIX_SOCKET;
	if (!st->ipc_signal)
		want |= LL_SCOPE_SIGNAL;
	if (!want)
		return;
	if (l->plan->abi < 6) {
		const struct ir_setting *from =
			!st->ipc_signal ? &st->ipc_signal_from
					: &st->ipc_abstract_unix_from;

		lost(l, from->set ? &from->origin : NULL, 6,
		     "signals and abstract unix sockets reach processes "
		     "outside the sandbox");
		return;
	}
	l->plan->scoped = want;
}

int ll_lower(struct polc_ctx *ctx, const struct ir_policy *p, unsigned abi,
	     bool best_effort, const struct ll_plan **out)
{
	struct ll_plan *plan = arena_alloc(&ctx->arena, sizeof(*plan));
	struct lowering l = { ctx, plan, best_effort, false };

	*out = NULL;
	if (abi < 1 || abi > LL_ABI_MAX) {
		diag_subject(ctx, DIAG_ERROR, "landlock",
			     "ABI %u is not one polc knows (1-%d)", abi,
			     LL_ABI_MAX);
		return -1;
	}
	if (arena_failed(&ctx->arena))
		return -1;
	plan->policy = p;
	plan->abi = abi;
	lower_fs(&l);
	lower_net(&l);
	lower_scopes(&l);
	if (l.failed || arena_failed(&ctx->arena))
		return -1;
	*out = plan;
	return 0;
}
