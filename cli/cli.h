/*
 * cli.h - what the command files share: parsed global options.
 *
 * The CLI is a thin layer: each command parses its own options, calls the
 * library and maps the outcome to an exit status (README, "Exit status").
 */
#ifndef POLC_CLI_CLI_H
#define POLC_CLI_CLI_H

#include <stdbool.h>

#include "polc.h"

enum {
	EXIT_OK = 0,
	EXIT_POLICY = 1, /* the policy has errors */
	EXIT_USAGE = 2,	 /* bad usage, unreadable input */
};

enum { CLI_VARIABLES = 5 };

/**
 * struct cli - the invocation
 * @ctx: the compilation context (search path already set)
 * @format: how diagnostics are printed
 * @colour: whether diagnostics are coloured
 * @variables: --home, --workdir, --tmpdir, --uid and --user, or NULL
 */
struct cli {
	polc_ctx *ctx;
	enum polc_diag_format format;
	bool colour;
	const char *variables[CLI_VARIABLES];
};

/* Print the queued diagnostics and return the exit status they call for. */
int cli_finish(struct cli *cli);

/* Report a usage error for @command and return EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The options polc build and polc run share (--abi, --best-effort,
 * --json): returns 1 when argv[*i] was one (consuming its value), 0 when
 * not, -1 after a usage error (*status set).
 */
int cli_target_option(const char *command, int argc, char **argv, int *i,
		      struct polc_target_options *t, int *status);

/*
 * Write @path atomically: a temporary file in the same directory, fsync,
 * rename; an existing file keeps its mode, and anything but a regular file
 * is refused.  Reports failures on stderr; returns 0 or -1.
 */
int cli_write_file(const char *path, const char *text, size_t len);

int cmd_validate(struct cli *cli, int argc, char **argv);
int cmd_fmt(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_profiles(struct cli *cli, int argc, char **argv);
int cmd_groups(struct cli *cli, int argc, char **argv);
int cmd_explain(struct cli *cli, int argc, char **argv);
int cmd_build(struct cli *cli, int argc, char **argv);
int cmd_run(struct cli *cli, int argc, char **argv);
int cmd_diff(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_learn(struct cli *cli, int argc, char **argv);

#endif
