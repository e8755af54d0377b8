/*
 * ir.h - the resolved policy of one profile, and the decision procedure.
 *
 * Resolution (resolve.c) turns the checked syntax trees of a compilation
 * into one struct ir_policy per profile: the extends chain flattened, the
 * groups the profile ends up with (use adds, exclude subtracts, transitively
 * and per platform), variables expanded, paths normalised, every setting
 * taken from the nearest profile that makes it, and every rule carrying
 * where it was written and through which groups and profiles it arrived.
 * The policy is immutable once built and its rule arrays are sorted, so
 * nothing a reader sees depends on the order of statements or files.
 *
 * The IR knows no target.  Rules keep the platforms they apply to; a backend
 * selects its platform.  The decision procedure (decide.c) answers questions
 * about one platform exactly as spec/semantics.md states, naming the rules
 * that decided.
 */
#ifndef POLC_IR_IR_H
#define POLC_IR_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/loc.h"

struct polc_ctx;
struct load_unit;
struct ast_item;
struct ast_stmt;

/* Platforms as bits; a rule applies on each platform whose bit it has. */
enum ir_platform {
	IR_LINUX = 1u << 0,
	IR_MACOS = 1u << 1,
	IR_ALL_PLATFORMS = IR_LINUX | IR_MACOS,
};

/* Access modes; the same bits as the language's (frontend/ast.h). */
enum ir_access {
	IR_READ = 1u << 0,
	IR_WRITE = 1u << 1,
	IR_EXEC = 1u << 2,
	IR_DELETE = 1u << 3,
	IR_ALL_ACCESS = 0xfu,
};

enum ir_verdict {
	IR_ALLOW,
	IR_DENY,
};

/**
 * struct ir_link - one step of a rule's provenance
 * @group: true for a group, false for a profile
 * @name: the group's or profile's name
 */
struct ir_link {
	bool group;
	const char *name;
};

/**
 * struct ir_origin - where a rule was written and how it arrived
 * @loc: the word that wrote it (a path, a pattern, a port), or the
 *       statement when it has no single word
 * @chain: from the group or profile that holds the statement out to the
 *         resolved profile: "deny_credentials ← default ← claude-code"
 * @chain_len: entries in @chain
 */
struct ir_origin {
	struct polc_loc loc;
	const struct ir_link *chain;
	size_t chain_len;
};

/**
 * struct ir_path_rule - an allow, deny or override on a path
 * @verdict: IR_ALLOW (overrides included) or IR_DENY
 * @override: an "override allow": lifts the denies it overlaps
 * @workdir: made by the profile's workdir setting
 * @file: covers the path only, not what is below it
 * @create: create the directory before sandboxing
 * @existing: a deny that binds the path only if it exists when the sandbox
 *            starts (decisions do not change)
 * @modes: IR_READ… bits
 * @rights: Landlock rights named with landlock(…), bit n = right n
 * @platforms: IR_LINUX / IR_MACOS
 * @path: absolute, normalised, variables expanded
 * @raw: as written, with variables kept ("~" spelled "$HOME")
 * @origin: provenance
 */
struct ir_path_rule {
	enum ir_verdict verdict;
	bool override;
	bool workdir;
	bool file;
	bool create;
	bool existing;
	unsigned modes;
	uint64_t rights;
	unsigned platforms;
	const char *path;
	const char *raw;
	struct ir_origin origin;
};

enum ir_net_kind {
	IR_NET_CONNECT,
	IR_NET_BIND,
	IR_NET_LOOPBACK,
	IR_NET_HOST,
};

/**
 * struct ir_net_rule - a network grant
 * @kind: what it grants
 * @proto: 6 (tcp) or 17 (udp) for connect and bind
 * @lo: first port of the range (connect, bind)
 * @hi: last port of the range
 * @host: the host name (IR_NET_HOST)
 */
struct ir_net_rule {
	enum ir_net_kind kind;
	unsigned proto;
	uint16_t lo;
	uint16_t hi;
	const char *host;
	unsigned platforms;
	struct ir_origin origin;
};

enum ir_sys_action {
	IR_SYS_ALLOW,
	IR_SYS_LOG,
	IR_SYS_NOTIFY,
	IR_SYS_ERRNO,
	IR_SYS_TRAP,
	IR_SYS_KILL_THREAD,
	IR_SYS_KILL,
};

enum ir_cmp {
	IR_CMP_EQ,
	IR_CMP_NE,
	IR_CMP_LT,
	IR_CMP_LE,
	IR_CMP_GT,
	IR_CMP_GE,
};

/* One argument condition: (arg[index] & mask) OP value. */
struct ir_sys_cond {
	unsigned arg;
	enum ir_cmp op;
	uint64_t mask; /* all ones when no mask was written */
	uint64_t value;
};

/**
 * struct ir_sys_rule - the action for one syscall (sets are expanded)
 * @syscall: its name
 * @action: what happens
 * @errno_value: the errno for IR_SYS_ERRNO
 * @conds: conditions that must all hold; none means every call
 * @via_set: the set that named the syscall, or NULL
 * @closure: made by the network closure (spec/semantics.md §4.7) from the
 *           network rules, not written as a syscall rule
 */
struct ir_sys_rule {
	const char *syscall;
	enum ir_sys_action action;
	unsigned errno_value;
	const struct ir_sys_cond *conds;
	size_t nconds;
	const char *via_set;
	bool closure;
	unsigned platforms;
	struct ir_origin origin;
};

enum ir_env_kind {
	IR_ENV_PASS,
	IR_ENV_DROP,
	IR_ENV_SET,
};

/**
 * struct ir_env_rule - a pass, drop or set of environment variables
 * @pattern: the pattern (pass, drop) or the name (set)
 * @value: the value (set)
 * @override: an "override env pass"
 * @needs: ir_glob_needs(@pattern); 0 (needs nothing) is always safe
 */
struct ir_env_rule {
	enum ir_env_kind kind;
	bool override;
	const char *pattern;
	const char *value;
	unsigned platforms;
	uint64_t needs;
	struct ir_origin origin;
};

/**
 * struct ir_sb_rule - a Seatbelt operation that no path names
 * @verdict: allow or deny
 * @operation: "mach-lookup", "sysctl-read", "process-fork" …
 * @name: the service or sysctl name it is limited to; NULL: every one
 */
struct ir_sb_rule {
	enum ir_verdict verdict;
	const char *operation;
	const char *name;
	unsigned platforms;
	struct ir_origin origin;
};

/**
 * struct ir_setting - a scalar setting on one platform
 * @set: whether a profile set it (else the default applies)
 * @origin: where it was set
 */
struct ir_setting {
	bool set;
	struct ir_origin origin;
};

/**
 * struct ir_settings - the scalars of one platform
 * @workdir: access on $WORKDIR (0: none)
 * @network_allow: network mode allow (else deny)
 * @sys_default: action for syscalls no rule names
 * @sys_default_errno: its errno, for IR_SYS_ERRNO
 * @ipc_signal: signals may leave the sandbox (else scoped)
 * @ipc_abstract_unix: abstract unix sockets may leave it (else scoped)
 */
struct ir_settings {
	unsigned workdir;
	struct ir_setting workdir_from;
	bool network_allow;
	struct ir_setting network_from;
	enum ir_sys_action sys_default;
	unsigned sys_default_errno;
	struct ir_setting sys_default_from;
	bool ipc_signal;
	struct ir_setting ipc_signal_from;
	bool ipc_abstract_unix;
	struct ir_setting ipc_abstract_unix_from;
};

/**
 * struct ir_expect - an assertion to check against the policy
 * @stmt: the statement (its form, verdict and subjects)
 * @subjects: expanded paths, or names, one per subject
 * @subject_locs: where each subject was written
 * @platforms: where it is checked
 */
struct ir_expect {
	const struct ast_stmt *stmt;
	const char **subjects;
	const struct polc_loc *subject_locs;
	size_t nsubjects;
	unsigned platforms;
	struct ir_origin origin;
};

/**
 * struct ir_policy - one resolved profile
 * @profile: its name
 * @description: its description, or ""
 * @item: its definition
 * @loc: where its name is written (for messages about it as a whole)
 * @chain: the extends chain, the profile first, its root last
 * @groups: names of the groups it ends up with, sorted
 * @group_platforms: the platforms each of @groups applies on
 * @settings: per platform: [0] linux, [1] macos
 * @paths: path rules, sorted by path, then kind, then provenance
 * @net: network rules, sorted
 * @sys: syscall rules, sorted by syscall
 * @env: env rules, sorted
 * @sb: Seatbelt operation rules, sorted by operation, then name
 * @expects: assertions, in source order of their files
 */
struct ir_policy {
	const char *profile;
	const char *description;
	const struct ast_item *item;
	struct polc_loc loc;
	const char **chain;
	size_t chain_len;
	const char **groups;
	const unsigned *group_platforms;
	size_t ngroups;
	struct ir_settings settings[2];
	const struct ir_path_rule *paths;
	size_t npaths;
	const struct ir_net_rule *net;
	size_t nnet;
	const struct ir_sys_rule *sys;
	size_t nsys;
	const struct ir_env_rule *env;
	size_t nenv;
	const struct ir_sb_rule *sb;
	size_t nsb;
	const struct ir_expect *expects;
	size_t nexpects;
	/* ir_index_paths(); it holds only for the paths it was made for, so
	 * a copy of the policy with other paths ignores it */
	const struct ir_path_index *path_index;
};

/* Index of a platform bit into ir_policy.settings. */
static inline unsigned ir_platform_index(unsigned platform)
{
	return platform == IR_MACOS;
}

const char *ir_platform_name(unsigned platform);

/* ---- resolution ------------------------------------------------------ */

/* The names of the built-in variables whose values resolution needs. */
enum ir_builtin {
	IR_VAR_HOME,
	IR_VAR_TMPDIR,
	IR_VAR_UID,
	IR_VAR_USER,
	IR_VAR_WORKDIR,
	IR_VAR_XDG_CONFIG_HOME,
	IR_VAR_XDG_CACHE_HOME,
	IR_VAR_XDG_DATA_HOME,
	IR_VAR_XDG_STATE_HOME,
	IR_VAR_XDG_RUNTIME_DIR,
	IR_VAR_COUNT,
};

/* The index of built-in variable @name ("HOME"), or -1. */
int ir_builtin_index(const char *name);

/* The name of built-in variable @var ("HOME"). */
const char *ir_builtin_name(enum ir_builtin var);

/**
 * struct ir_options - how to resolve
 * @builtins: values of the built-in variables, NULL where unknown
 * @raw: keep variables unexpanded (paths stay as written)
 */
struct ir_options {
	const char *builtins[IR_VAR_COUNT];
	bool raw;
};

/*
 * Resolve profile @name of @unit.  Returns the policy, or NULL with errors
 * queued (undefined names with "did you mean", extends cycles, excluded
 * required groups, undefined or cyclic variables, relative paths, dead
 * overrides).  Warnings (dead rules, needless excludes) do not fail it.
 */
const struct ir_policy *ir_resolve(struct polc_ctx *ctx,
				   const struct load_unit *unit,
				   const char *name,
				   const struct ir_options *opts);

/*
 * Check every group of @unit, whether a profile uses it or not: undefined
 * groups, sets and variables, and use cycles.  Returns 0 when clean.
 */
int ir_check_groups(struct polc_ctx *ctx, const struct load_unit *unit,
		    const struct ir_options *opts);

/* ---- the decision procedure ------------------------------------------ */

/**
 * struct ir_decision - an answer and the rules behind it
 * @verdict: allow or deny
 * @rules: the deciding rules: the denies that hold, or the allows (and
 *         overrides) that grant; none when nothing covers the question
 * @lifted: denies that an override lifted (for explanations)
 */
struct ir_decision {
	enum ir_verdict verdict;
	const struct ir_path_rule **rules;
	size_t nrules;
	const struct ir_path_rule **lifted;
	size_t nlifted;
};

/*
 * May a process on @platform use @access (one IR_* bit) on @path (absolute,
 * normalised)?  A deny covering (path, access) decides unless an override
 * covers (path, access); else an allow covering it grants; else deny.
 */
void ir_decide_path(struct polc_ctx *ctx, const struct ir_policy *p,
		    unsigned platform, const char *path, unsigned access,
		    struct ir_decision *out);

/* Whether connecting to (or binding) @port with @proto is allowed. */
enum ir_verdict ir_decide_net(const struct ir_policy *p, unsigned platform,
			      enum ir_net_kind kind, unsigned proto,
			      unsigned port, const struct ir_net_rule **why);

/*
 * Whether Seatbelt operation @operation on @name (a service or sysctl
 * name; NULL for an operation without names) is allowed: a deny on the
 * operation, for every name or for @name, beats an allow; else an allow
 * for every name or for @name grants; else deny.  *why receives the
 * deciding rule (NULL: the default).
 */
enum ir_verdict ir_decide_seatbelt(const struct ir_policy *p, unsigned platform,
				   const char *operation, const char *name,
				   const struct ir_sb_rule **why);

/*
 * What happens to environment variable @name: IR_ALLOW when its value
 * passes unchanged.  *why receives the deciding rule (NULL: the default).
 */
enum ir_verdict ir_decide_env(const struct ir_policy *p, unsigned platform,
			      const char *name, const struct ir_env_rule **why);

enum ir_sys_outcome {
	IR_SYS_PROCEEDS,    /* allowed (or logged) for every argument vector */
	IR_SYS_BLOCKS,	    /* refused (errno, trap, kill) for every vector */
	IR_SYS_DEPENDS,	    /* depends on the arguments, or is notify */
	IR_SYS_UNDECIDABLE, /* conditions beyond the exact method (decide.c) */
};

/*
 * The outcome of syscall @name on @platform over every argument vector,
 * decided exactly; *why receives a rule behind it (NULL: the default).
 */
enum ir_sys_outcome ir_decide_syscall(struct polc_ctx *ctx,
				      const struct ir_policy *p,
				      unsigned platform, const char *name,
				      const struct ir_sys_rule **why);

/*
 * The action for one call of syscall @name on @platform with arguments
 * @args (spec/semantics.md §4.6): the most restrictive applicable rule's,
 * the smallest errno among errno rules, else the default.  *errno_value
 * receives the errno for IR_SYS_ERRNO; *why the deciding rule (NULL: the
 * default).  What a backend's program is checked against.
 */
enum ir_sys_action ir_syscall_action(const struct ir_policy *p,
				     unsigned platform, const char *name,
				     const uint64_t args[6],
				     unsigned *errno_value,
				     const struct ir_sys_rule **why);

/*
 * The path rules on exactly @path: [*first, *first + return value) of the
 * sorted p->paths.  Rules that cover a path sit on it or on one of its
 * ancestors, so a walk up the path finds them all in O(depth · log n), or
 * O(depth) once the paths are indexed.
 */
size_t ir_rules_on(const struct ir_policy *p, const char *path, size_t *first);

/*
 * Index @p's path rules by path (a hash table in @ctx's arena), for the
 * callers that ask ir_rules_on() and ir_for_covering() thousands of times
 * (materialising a Landlock plan).  p->paths must be sorted and must not
 * change afterwards.  Out of memory, @p stays unindexed.
 */
void ir_index_paths(struct polc_ctx *ctx, struct ir_policy *p);

/*
 * Rules on paths strictly below @path: [*first, *first + return value),
 * contiguous because the rules are sorted by path.
 */
size_t ir_rules_below(const struct ir_policy *p, const char *path,
		      size_t *first);

/*
 * Call @fn on every path rule that covers @path (on it, or a subtree rule
 * on an ancestor).  Stops early when @fn returns false.
 */
void ir_for_covering(const struct ir_policy *p, const char *path,
		     bool (*fn)(const struct ir_path_rule *rule, void *arg),
		     void *arg);

/* Whether a rule on @rule_path (subtree unless @file) covers @path. */
bool ir_path_covers(const char *rule_path, bool file, const char *path);

/* Whether @pattern (with * and ?) matches all of @name. */
bool ir_glob_match(const char *pattern, const char *name);

/*
 * The characters a name must hold for @pattern to match it, as a set (one
 * bit per letter, digit or '_', one for all others): a name whose own set
 * lacks one of them cannot match, which decides most variables against
 * most patterns without matching (polc run decides every variable of its
 * environment against some forty patterns).
 */
uint64_t ir_glob_needs(const char *pattern);

/* ---- checks ---------------------------------------------------------------
 */

/*
 * Evaluate the expect assertions of @p; a failure is an error citing the
 * deciding rules.  Returns 0 when all hold.
 */
int ir_check_expects(struct polc_ctx *ctx, const struct ir_policy *p);

/* ---- output ---------------------------------------------------------------
 */

/* The canonical text of @p (what polc show prints). */
void ir_print(struct polc_ctx *ctx, const struct ir_policy *p, FILE *out);

/* @p as JSON, versioned (spec/ir-json.md). */
void ir_print_json(struct polc_ctx *ctx, const struct ir_policy *p, FILE *out);

/* "deny_credentials ← default ← claude-code" */
const char *ir_origin_chain(struct polc_ctx *ctx, const struct ir_origin *o);

/* "stdlib/groups/credentials.pol:12:5" */
const char *ir_origin_where(struct polc_ctx *ctx, const struct ir_origin *o);

/* ---- diff -------------------------------------------------------------- */

/**
 * struct ir_diff_options - how ir_diff() names and shows what it compares
 * @from: the first policy as the user named it ("default", "a.pol")
 * @to: the second
 * @home: $HOME, shown as "~" where a path starts with it; NULL: never
 * @workdir: $WORKDIR, shown as "$WORKDIR" likewise
 * @json: versioned JSON (spec/ir-json.md, "polc diff --json"), not text
 */
struct ir_diff_options {
	const char *from;
	const char *to;
	const char *home;
	const char *workdir;
	bool json;
};

/*
 * Print what changes from @a to @b: the answers of the decision procedure
 * that differ (paths, network, syscalls, environment) and the settings
 * that differ.  Returns whether anything does.
 */
bool ir_diff(struct polc_ctx *ctx, const struct ir_policy *a,
	     const struct ir_policy *b, const struct ir_diff_options *opts,
	     FILE *out);

#endif
