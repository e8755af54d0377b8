/*
 * run.c - "polc run -p PROFILE [--target landlock|seatbelt] [--abi N]
 * [--best-effort] [--dry-run] [--json] -- CMD [ARG...]".
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Warnings (best effort) go out before the command's own output. */
static void print_before_exec(polc_ctx *ctx, void *arg)
{
	struct cli *cli = arg;

	(void)ctx;
	polc_diagnostics_print(cli->ctx, stderr, cli->format, cli->colour);
}

int cmd_run(struct cli *cli, int argc, char **argv)
{
	struct polc_run_options o = { .before_exec = print_before_exec,
				      .arg = cli };
	int status = 0, i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		int rc = cli_target_option("run", argc, argv, &i, &o.target,
					   &status);

		if (rc < 0)
			return status;
		if (rc > 0)
			continue;
		if (strcmp(argv[i], "--dry-run") == 0)
			o.dry_run = true;
		else if (strcmp(argv[i], "--target") == 0 && i + 1 < argc &&
			 (!strcmp(argv[i + 1], "seatbelt") ||
			  !strcmp(argv[i + 1], "landlock")))
			o.seatbelt = !strcmp(argv[++i], "seatbelt");
		else if ((strcmp(argv[i], "-p") == 0 ||
			  strcmp(argv[i], "--profile") == 0) &&
			 i + 1 < argc)
			o.profile = argv[++i];
		else
			return cli_usage_error("run", "unknown option '%s'",
					       argv[i]);
	}
	if (!o.profile)
		return cli_usage_error("run", "which profile? (-p PROFILE)");
	if (i + 1 >= argc && !o.dry_run)
		return cli_usage_error("run", "no command after '--'");
	o.argv = i + 1 < argc ? argv + i + 1 : NULL;
	if (!o.argv && o.dry_run) {
		static char *none[] = { "(dry run)", NULL };
		o.argv = none;
	}
	if (polc_run(cli->ctx, &o, &status) != 0) {
		int diag_status = cli_finish(cli);

		return status == POLC_RUN_SANDBOX_FAILED ||
				       status == POLC_RUN_NOT_FOUND ||
				       status == POLC_RUN_CANNOT_EXECUTE
			       ? status
			       : diag_status;
	}
	cli_finish(cli);
	return status;
}
