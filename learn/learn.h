/*
 * learn.h - observations of a traced run lowered to the rules a profile
 * needs on top of a base profile, and printed as .pol or JSON.
 *
 * learn_lower() asks the IR's decision procedure about every observed
 * access: what the base already allows is dropped (and counted), what a
 * required deny group covers is never learned (a warning names the group),
 * and the rest becomes rules, minimised: a created or deleted entry is a
 * grant on the nearest directory that existed before the run, a file rule
 * under a directory grant with the same modes is absorbed into it, and a
 * directory in which at least N entries were used with a mode becomes one
 * subtree grant of that mode (never '/', $HOME, one of its ancestors, or
 * a directory holding a required deny).  The result does not depend on the
 * order of the observations.
 */
#ifndef POLC_LEARN_LEARN_H
#define POLC_LEARN_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "learn/trace.h"

struct polc_ctx;
struct ir_policy;

enum { LEARN_EXAMPLES = 3 };

/**
 * struct learn_rule - one rule of the learned profile
 * @path: absolute
 * @file: a file rule (else the subtree)
 * @override: lifts a deny of the base that is not required
 * @modes: IR_READ… bits
 * @count: the accesses behind it, per TRACE_* bit number
 * @examples: observed paths it grants (@path itself for a file rule)
 * @nexamples: entries of @examples used
 * @paths: distinct observed paths behind it
 */
struct learn_rule {
	const char *path;
	bool file;
	bool override;
	unsigned modes;
	unsigned count[TRACE_NKINDS];
	const char *examples[LEARN_EXAMPLES];
	size_t nexamples;
	size_t paths;
};

/**
 * struct learn_net - a network grant the base lacks
 * @kind: connect or bind (IR_NET_*)
 * @proto: 6 or 17
 * @addr: an address it was used with
 */
struct learn_net {
	unsigned kind;
	unsigned proto;
	unsigned port;
	const char *addr;
	unsigned count;
};

/**
 * struct learn_result - what learn_lower() found
 * @rules: sorted by path, then file before subtree
 * @net: sorted by kind, proto, port
 * @covered: accesses the base already allows
 * @refused: accesses a required deny covers (each also a warning)
 * @denied: accesses a deny of the base covers that could not be lifted
 *          by a file override (each also a warning)
 * @skipped: paths a policy cannot name (with '*' or '?'); warnings
 * @syscalls: recorded syscalls to allow, sorted (only with a syscall set
 *            recorded, see trace_options.all_syscalls)
 * @sys_default_errno: the base lets unnamed syscalls through, so the
 *                     allow-list needs "syscall default errno EPERM"
 */
struct learn_result {
	struct learn_rule *rules;
	size_t nrules;
	struct learn_net *net;
	size_t nnet;
	unsigned long covered;
	unsigned long refused;
	unsigned long denied;
	unsigned long skipped;
	const char **syscalls;
	size_t nsyscalls;
	bool sys_default_errno;
};

/**
 * struct learn_options - how to lower
 * @collapse: entries of one directory used with a mode that make it one
 *            grant of that mode (0: never)
 * @home: $HOME, never collapsed to (nor its ancestors); NULL: unknown
 * @is_required: whether group @name is required (cannot be excluded)
 * @arg: passed to @is_required
 */
struct learn_options {
	unsigned collapse;
	const char *home;
	bool (*is_required)(const char *name, void *arg);
	void *arg;
};

/*
 * Lower @obs against @base into *@out (arena memory).  @exists tells
 * whether a path exists now (lstat in polc; a table in tests).  Returns 0,
 * or -1 when out of memory; warnings are queued on @ctx.
 */
int learn_lower(struct polc_ctx *ctx, const struct ir_policy *base,
		const struct trace_result *obs, const struct learn_options *o,
		bool (*exists)(const char *path, void *arg), void *exists_arg,
		struct learn_result *out);

/**
 * struct learn_header - what the printed profile says about its origin
 * @argv: the command
 * @kernel: "Linux 6.1.0 x86_64"
 * @date: ISO 8601, UTC
 * @base: the profile extended
 * @import: a file to import for @base, or NULL
 * @name: the learned profile's name
 * @vars: values substituted back: names ("WORKDIR") and @values, longest
 *        prefix wins
 */
struct learn_header {
	char *const *argv;
	const char *kernel;
	const char *date;
	const char *base;
	const char *import;
	const char *name;
	const char *const *vars;
	const char *const *values;
	size_t nvars;
};

/* @path with the longest matching variable of @h substituted back. */
const char *learn_spell_path(struct polc_ctx *ctx, const struct learn_header *h,
			     const char *path);

/*
 * Print the rules of @r as .pol statements (each with its comment), one
 * indentation level deep, for a profile body.
 */
void learn_print_rules(struct polc_ctx *ctx, const struct learn_header *h,
		       const struct learn_result *r, FILE *out);

/* A whole profile: header comment, extends, the rules. */
void learn_print_profile(struct polc_ctx *ctx, const struct learn_header *h,
			 const struct trace_result *obs,
			 const struct learn_result *r, FILE *out);

/* The versioned JSON shape of polc learn --json. */
void learn_print_json(struct polc_ctx *ctx, const struct learn_header *h,
		      const struct trace_result *obs,
		      const struct learn_result *r, FILE *out);

/* The summary for a person: READ / WRITE / EXEC / NETWORK lines. */
void learn_print_summary(struct polc_ctx *ctx, const struct learn_header *h,
			 const struct trace_result *obs,
			 const struct learn_result *r, FILE *out);

#endif
