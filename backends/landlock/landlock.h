/*
 * landlock.h - the Landlock backend: resolved policy → ruleset → kernel.
 *
 * Three steps, each a pure function of what it is given:
 *   lower:       IR (linux rules only) → a host-independent *plan*: the
 *                rights each rule grants or denies, the rights, ports and
 *                scopes the ruleset handles for the target ABI, and a
 *                report of what the ABI cannot enforce (an error unless the
 *                caller accepts best effort);
 *   materialise: plan + the real filesystem → the *ruleset*: the (path,
 *                rights) rules Landlock needs, with denies inside allows
 *                carved out (spec/backends/landlock.md) and the cost of
 *                each carve reported;
 *   apply:       ruleset → landlock_restrict_self() in the calling process
 *                (polc run's supervisor, which the command inherits it
 *                from), failing closed.
 * Landlock is allow-only: every right the ruleset handles and no rule
 * grants is denied, which is how denies and the default hold.
 */
#ifndef POLC_BACKENDS_LANDLOCK_LANDLOCK_H
#define POLC_BACKENDS_LANDLOCK_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "backends/landlock/uapi.h"
#include "ir/ir.h"

struct polc_ctx;

enum { LL_ABI_MAX = 7 };

/* The rights a rule on a file (not a directory) may carry. */
#define LL_FILE_RIGHTS                                                         \
	(LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | \
	 LL_FS_IOCTL_DEV)

enum ll_report_kind {
	LL_REPORT_LOST,	   /* a protection the target cannot give */
	LL_REPORT_APPROX,  /* enforced, but coarser than written */
	LL_REPORT_CARVE,   /* what carving a deny out of an allow costs */
	LL_REPORT_SKIPPED, /* a rule with nothing to attach to */
	LL_REPORT_NOTE,	   /* recorded, not enforced by Landlock */
};

/**
 * struct ll_report_item - one line of the lowering report
 * @kind: what sort of line
 * @text: what it says
 * @origin: the rule it is about, or NULL
 * @path: for a carve, the directory that lacks @rights itself
 * @rights: for a carve, the rights it lacks
 */
struct ll_report_item {
	enum ll_report_kind kind;
	const char *text;
	const struct ir_origin *origin;
	const char *path;
	uint64_t rights;
};

/**
 * struct ll_port - a TCP port the ruleset grants
 * @port: the port
 * @rights: LL_NET_BIND_TCP and/or LL_NET_CONNECT_TCP
 */
struct ll_port {
	uint16_t port;
	uint64_t rights;
};

/**
 * struct ll_plan - the host-independent plan for one policy and ABI
 * @policy: the policy lowered
 * @abi: the target ABI
 * @handled_fs: filesystem rights the ruleset handles (deny unless granted)
 * @handled_net: network rights it handles (0: the network is not limited)
 * @scoped: IPC scopes (abstract unix sockets, signals)
 * @ports: TCP ports granted, sorted
 * @report: struct ll_report_item *, in the order found
 */
struct ll_plan {
	const struct ir_policy *policy;
	unsigned abi;
	uint64_t handled_fs;
	uint64_t handled_net;
	uint64_t scoped;
	struct ll_port *ports;
	size_t nports;
	struct ll_report_item *report;
	size_t nreport, creport;
};

/*
 * Lower @p for Landlock ABI @abi (1..LL_ABI_MAX).  A protection the ABI
 * cannot give is an error naming it and the rule that needs it, or with
 * @best_effort a warning.  Returns 0 and the plan, or -1.
 */
int ll_lower(struct polc_ctx *ctx, const struct ir_policy *p, unsigned abi,
	     bool best_effort, const struct ll_plan **out);

/* Rights the ruleset grants for an allow of @modes (IR_READ…) with the
 * extra Landlock rights @escape, and the rights a deny of @modes takes. */
uint64_t ll_allow_rights(unsigned modes, uint64_t escape);
uint64_t ll_deny_rights(unsigned modes);

/*
 * The rights the path rules of @rules allow on @path (absolute,
 * normalised), out of @handled: the covering allows, minus the covering
 * denies that no covering override lifts.  It is decide() at the level of
 * Landlock rights (spec/backends/landlock.md §1).
 */
uint64_t ll_rights_in(const struct ir_policy *rules, uint64_t handled,
		      const char *path);

/**
 * struct ll_fs_rule - one rule of a materialised ruleset
 * @path: what it is attached to
 * @rights: the rights it grants (file rights only, on a file)
 * @nofollow: found by reading a directory: never follow a symbolic link
 * @dir: a directory, when materialised
 */
struct ll_fs_rule {
	const char *path;
	uint64_t rights;
	bool nofollow;
	bool dir;
};

/**
 * struct ll_mount - a deny enforced by a bind mount
 * @path: what is mounted onto itself
 * @read_only: writes, creations and deletions fail (EROFS)
 * @noexec: executing fails (EACCES)
 * @dir: a directory, bound with the mounts below it; a file has none
 * Neither read-only nor noexec: a pin, so that the mounts below it cannot
 * be renamed away.
 */
struct ll_mount {
	const char *path;
	bool read_only;
	bool noexec;
	bool dir;
};

/**
 * struct ll_ruleset - a plan materialised on this host
 * @plan: what it was made from
 * @rules: the rules, in the order made
 * @report: the plan's report plus carves and skipped paths
 * @mounts: paths bind-mounted onto themselves, read-only and/or noexec,
 *          in a private mount namespace: the denies of writing, deleting
 *          and executing that an allow above them would otherwise make
 *          carving cost, and the pins above them, sorted by path
 *          (spec/backends/landlock.md §2.1)
 */
struct ll_ruleset {
	const struct ll_plan *plan;
	struct ll_fs_rule *rules;
	size_t nrules, crules;
	struct ll_report_item *report;
	size_t nreport, creport;
	struct ll_mount *mounts;
	size_t nmounts, cmounts;
};

/*
 * Materialise @plan against the filesystem, with the report (the plan's,
 * then what carving cost) when @report is set: polc run, which prints
 * none, saves formatting it.  Returns 0, or -1.
 */
int ll_materialize(struct polc_ctx *ctx, const struct ll_plan *plan,
		   bool report, const struct ll_ruleset **out);

/* The Landlock ABI of the running kernel, or 0 when it has none. */
unsigned ll_probe_abi(void);

/*
 * Apply @rs to the calling process: make its read-only mounts (in a new
 * mount namespace, and a user namespace when not privileged), build the
 * ruleset, add every rule, set no_new_privs and restrict.  Meant for polc run's
 * supervisor (polc itself), before it starts the command: it allocates
 * nothing and reports through @err.
 * Returns 0, or -1 with a message in @err; the process must not run anything
 * then.
 */
int ll_apply(const struct ll_ruleset *rs, char *err, size_t errlen);

/*
 * After ll_apply(@rs): one more Landlock layer that restricts nothing
 * more (it handles execution and refer and grants both on /) but keeps
 * @rs's scopes.
 * The process that calls it enters a domain nested in the one it shared
 * with its parent, which the kernel then shields from it: no ptrace, no
 * /proc/PID access to its memory, environment or descriptors, and with
 * the signal scope no signals.  polc run's supervisor stays in the outer
 * domain; the command takes this layer.  Returns 0, or -1 with a message
 * in @err.
 */
int ll_apply_nested(const struct ll_ruleset *rs, char *err, size_t errlen);

/* The plan, or the materialised ruleset, as a listing or as JSON. */
void ll_print_plan(struct polc_ctx *ctx, const struct ll_plan *plan, bool json,
		   FILE *out);
void ll_print_ruleset(struct polc_ctx *ctx, const struct ll_ruleset *rs,
		      bool json, FILE *out);

/* "read_file,read_dir" for @rights. */
const char *ll_rights_text(struct polc_ctx *ctx, uint64_t rights);

#endif
