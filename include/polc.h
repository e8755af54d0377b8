/*
 * polc.h - the public interface of libpolc, the policy compiler.
 *
 * A polc_ctx is one compilation: it holds the search path, every file read,
 * every tree built and every diagnostic queued, and releases them all in
 * polc_ctx_free().  No function prints diagnostics or exits: each returns 0
 * on success and -1 on failure with diagnostics queued on the context,
 * which the caller renders with polc_diagnostics_print().
 *
 * A PROFILE argument is a file path when it contains '/' or ends in ".pol",
 * and otherwise a profile (or group) name looked up in the library: every
 * .pol file under the search directories, in the order they were added,
 * then the stdlib embedded in the library.
 */
#ifndef POLC_POLC_H
#define POLC_POLC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define POLC_API __attribute__((visibility("default")))

typedef struct polc_ctx polc_ctx;

/* A new context, or NULL when out of memory. */
POLC_API polc_ctx *polc_ctx_new(void);
POLC_API void polc_ctx_free(polc_ctx *ctx);

/* Append a directory to the search path (searched before the stdlib). */
POLC_API int polc_add_search_dir(polc_ctx *ctx, const char *dir);

/* Stop recording errors after @max of them (default 20; 0: no limit). */
POLC_API void polc_set_max_errors(polc_ctx *ctx, unsigned max);

/* Errors and warnings queued so far (including printed ones). */
POLC_API unsigned polc_error_count(const polc_ctx *ctx);
POLC_API unsigned polc_warning_count(const polc_ctx *ctx);

/*
 * The exit status the errors so far call for: 0 none, 1 errors in policy
 * files, 2 errors about the input as a whole (a file that cannot be read,
 * a name that is not defined, bad usage).
 */
POLC_API int polc_exit_status(const polc_ctx *ctx);

enum polc_diag_format {
	POLC_DIAG_TEXT, /* GCC style: file:line:col, source line, caret */
	POLC_DIAG_JSON, /* {"version":1,"diagnostics":[…]} on one line */
};

/* Print and drop the queued diagnostics; @colour adds ANSI colours. */
POLC_API void polc_diagnostics_print(polc_ctx *ctx, FILE *out,
				     enum polc_diag_format format, bool colour);

/*
 * Check each of @args (files or names, see above) for everything that
 * needs no name resolution; with @nargs 0, check the whole library.
 */
POLC_API int polc_validate(polc_ctx *ctx, const char *const *args,
			   size_t nargs);

/*
 * The canonical text of the file at @path, in a buffer the caller frees
 * with free().  Files with errors are not formatted.
 */
POLC_API int polc_format_file(polc_ctx *ctx, const char *path, char **text,
			      size_t *len);

/*
 * Give built-in variable @name (HOME, TMPDIR, UID, USER, WORKDIR or one of
 * the XDG directories) its value for this compilation.  Unset ones take
 * their documented defaults (spec/language.md §4.12) where they have one.
 */
POLC_API int polc_set_variable(polc_ctx *ctx, const char *name,
			       const char *value);

enum polc_show_flags {
	POLC_SHOW_JSON = 1u << 0, /* versioned JSON (spec/ir-json.md) */
	POLC_SHOW_RAW = 1u << 1,  /* keep variables unexpanded */
};

/* Print the resolved policy of PROFILE, every rule with its provenance. */
POLC_API int polc_show(polc_ctx *ctx, const char *profile, unsigned flags,
		       FILE *out);

/* Access modes, for polc_explain. */
enum polc_access {
	POLC_ACCESS_READ = 1u << 0,
	POLC_ACCESS_WRITE = 1u << 1,
	POLC_ACCESS_EXEC = 1u << 2,
	POLC_ACCESS_DELETE = 1u << 3,
	POLC_ACCESS_ALL = 0xfu,
};

/*
 * Print the decision of PROFILE on @path for each mode in @access (0: all)
 * and each platform, with the deciding rules and their provenance.  @path
 * may use '~' and built-in variables.
 */
POLC_API int polc_explain(polc_ctx *ctx, const char *profile, const char *path,
			  unsigned access, FILE *out);

/*
 * Print what PROFILE does with environment variable @name on each
 * platform (passed, dropped, set or not passed), with the deciding rule,
 * the rule it beats or overrides, and their provenance.
 */
POLC_API int polc_explain_env(polc_ctx *ctx, const char *profile,
			      const char *name, FILE *out);

/*
 * Print what changes between the decisions of profiles A and B: paths and
 * access, network, syscalls, environment and settings.
 */
POLC_API int polc_diff(polc_ctx *ctx, const char *a, const char *b, bool json,
		       FILE *out);

/**
 * struct polc_target_options - how to build for a target
 * @abi: Landlock ABI to build for; 0 for the running kernel's
 * @best_effort: a protection the target cannot give is a warning, not an
 *               error
 * @materialize: carve against this host's filesystem (Landlock)
 * @json: print JSON rather than a listing
 * @raw: write the raw program rather than a listing (seccomp)
 * @arch: "x86_64" or "aarch64" (seccomp); NULL for the native one
 * @sbpl_params: keep the built-in variables as (param "NAME") (seatbelt)
 */
struct polc_target_options {
	unsigned abi;
	bool best_effort;
	bool materialize;
	bool json;
	bool raw;
	const char *arch;
	bool sbpl_params;
};

/*
 * Print what PROFILE lowers to for @target ("landlock", "seccomp" or
 * "seatbelt").
 */
POLC_API int polc_build(polc_ctx *ctx, const char *profile, const char *target,
			const struct polc_target_options *opts, FILE *out);

/*
 * Check the text @target emits ("seatbelt" only): for each of @args, a
 * profile is built (literal and with parameters) and its SBPL checked; an
 * argument ending in ".sb", or a path that does not end in ".pol", is read
 * as SBPL.  Balanced s-expressions, escapes, known operations and filters,
 * no rule that never decides (spec/backends/seatbelt.md §7).
 */
POLC_API int polc_validate_target(polc_ctx *ctx, const char *target,
				  const char *const *args, size_t nargs);

/**
 * struct polc_run_options - polc run
 * @profile: the PROFILE argument
 * @target: @abi and @best_effort as for polc_build
 * @dry_run: print the materialised ruleset and the report, and the seccomp
 *           listing (not with @target.json), instead; with @seatbelt, the
 *           profile and the sandbox-exec command line
 * @seatbelt: run under a Seatbelt profile with /usr/bin/sandbox-exec (the
 *            default on macOS; elsewhere only --dry-run can)
 * @argv: the command, NULL-terminated
 * @before_exec: called once everything is ready, just before the command
 *               starts (the CLI prints warnings there); may be NULL
 * @arg: passed to @before_exec
 */
struct polc_run_options {
	const char *profile;
	struct polc_target_options target;
	bool dry_run;
	bool seatbelt;
	char *const *argv;
	void (*before_exec)(polc_ctx *ctx, void *arg);
	void *arg;
};

/* Exit statuses of polc run besides the command's own. */
enum {
	POLC_RUN_SANDBOX_FAILED = 125, /* the sandbox could not be set up */
	POLC_RUN_CANNOT_EXECUTE = 126, /* the command could not be executed */
	POLC_RUN_NOT_FOUND = 127,      /* the command was not found */
};

/*
 * Run the command of @opts under PROFILE: resolve, lower for Landlock and
 * seccomp, materialise; then the calling process becomes the command's
 * supervisor: it applies the ruleset to itself (a private mount namespace,
 * no_new_privs, the Landlock domain, no CAP_SYS_ADMIN or CAP_PERFMON) and
 * starts the command, which marks every descriptor above 2 close-on-exec (the
 * caller's too: the two share them until the command executes), loads the
 * seccomp program and executes with the environment the policy allows; the
 * supervisor answers the command's connect(2) calls, forwards SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT and waits.  The caller stays in the sandbox after
 * polc_run() returns, whatever it returns once the sandbox was entered: call it
 * from a process that exits next (fork first to go on).  *status receives the
 * command's exit status (128 + N when signal N ended it), one of POLC_RUN_*
 * when the sandbox or the command could not start, or -1 when nothing was
 * started (an error in the policy, say). Returns 0 when the command ran
 * (whatever its status), -1 with errors queued otherwise.  Nothing runs
 * unsandboxed.
 */
POLC_API int polc_run(polc_ctx *ctx, const struct polc_run_options *opts,
		      int *status);

/**
 * struct polc_import_options - polc import
 * @format: the input's format ("oci-seccomp", "nono-profile", "nono-learn",
 *          "agentfile"), or NULL to recognise it
 * @name: the profile's name; NULL for one made from the file's name
 * @arch: "x86_64" or "aarch64", for entries limited to architectures;
 *        NULL for the native one
 * @caps: capabilities the sandboxed process holds besides a Docker
 *        container's default set, for entries limited to capabilities
 *        (NULL-terminated; may be NULL)
 * @best_effort: a protection a nono profile or an Agentfile asks for that
 *               polc cannot enforce is a warning naming it, and left out,
 *               instead of an error (spec/import.md)
 */
struct polc_import_options {
	const char *format;
	const char *name;
	const char *arch;
	const char *const *caps;
	bool best_effort;
};

/*
 * Translate the policy in @file (an OCI/Docker seccomp profile, a nono
 * profile or `nono learn --json` fragment, an Agentfile) into
 * .pol text, in a buffer the caller frees with free().  What the
 * translation leaves out is a warning that names it; what it cannot
 * translate exactly is an error at the value (file:line:col).
 */
POLC_API int polc_import(polc_ctx *ctx, const char *file,
			 const struct polc_import_options *opts, char **text,
			 size_t *len);

/**
 * struct polc_learn_options - polc learn
 * @base: the profile the learned one extends (a name or a file)
 * @output: file to write the profile to, "-" or NULL for stdout (with
 *          @merge, NULL is the merged file itself)
 * @merge: an existing profile file to add what is new to, or NULL
 * @json: write the versioned JSON of what was learned instead of .pol
 * @collapse: used entries that make their directory one grant (0: never)
 * @timeout: seconds before the command is killed (0: none); what was
 *           seen until then is still written
 * @syscalls: record every syscall the command makes and write the
 *            allow-list (slow: every call stops)
 * @argv: the command, NULL-terminated
 * @summary: where the summary for a person goes (NULL: nowhere)
 */
struct polc_learn_options {
	const char *base;
	const char *output;
	const char *merge;
	bool json;
	unsigned collapse;
	unsigned timeout;
	bool syscalls;
	char *const *argv;
	FILE *summary;
};

/*
 * Run the command of @opts traced, under the seccomp program of the base
 * (the one of @merge when given), and write the profile that lets it do
 * what it did on top of that base: each access the base lacks becomes a
 * rule, except what a required deny covers (a warning instead).  *status
 * receives the command's exit status as for polc_run(), or -1 when it did
 * not run.  Returns 0 when a profile was written, -1 with errors queued.
 */
POLC_API int polc_learn(polc_ctx *ctx, const struct polc_learn_options *opts,
			int *status);

/*
 * Write @len bytes of @text to @path whole or not at all (a temporary file
 * in the same directory, fsync, rename).  An existing @path must be a
 * regular file, and keeps its mode.  Returns 0, or -1 with errno set
 * (EINVAL: @path is a device, directory, FIFO or symbolic link).
 */
POLC_API int polc_write_file(const char *path, const char *text, size_t len);

/* Print the definition of group @name. */
POLC_API int polc_describe_group(polc_ctx *ctx, const char *name, FILE *out);

enum polc_kind {
	POLC_KIND_PROFILE,
	POLC_KIND_GROUP,
};

/* List the library's profiles or groups: name, description, file:line. */
POLC_API int polc_list(polc_ctx *ctx, enum polc_kind kind, FILE *out);

#ifdef __cplusplus
}
#endif

#endif
