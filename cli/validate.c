/*
 * validate.c - "polc validate [--werror] [FILE|NAME...]" and "polc validate
 * --target seatbelt PROFILE|FILE.sb...".
 */
#include <string.h>

#include "cli.h"

int cmd_validate(struct cli *cli, int argc, char **argv)
{
	const char **args = (const char **)argv + 1;
	size_t nargs = 0;
	bool werror = false;
	const char *target = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--werror") == 0)
			werror = true;
		else if (strcmp(argv[i], "--target") == 0 && i + 1 < argc)
			target = argv[++i];
		else if (strncmp(argv[i], "--target=", 9) == 0)
			target = argv[i] + 9;
		else if (argv[i][0] == '-' && argv[i][1] &&
			 strcmp(argv[i], "--"))
			return cli_usage_error("validate",
					       "unknown option '%s'", argv[i]);
		else if (strcmp(argv[i], "--"))
			args[nargs++] = argv[i];
	}
	if (target && !nargs)
		return cli_usage_error("validate", "--target needs profiles or "
						   ".sb files to check");
	if (target)
		polc_validate_target(cli->ctx, target, args, nargs);
	else
		polc_validate(cli->ctx, args, nargs);
	int status = cli_finish(cli);
	if (status == EXIT_OK && werror && polc_warning_count(cli->ctx))
		status = EXIT_POLICY;
	return status;
}
