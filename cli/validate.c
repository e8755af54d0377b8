/*
 * validate.c - "polc validate [--werror] [FILE|NAME...]".
 */
#include <string.h>

#include "cli.h"

int cmd_validate(struct cli *cli, int argc, char **argv)
{
	const char **args = (const char **)argv + 1;
	size_t nargs = 0;
	bool werror = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--werror") == 0)
			werror = true;
		else if (argv[i][0] == '-' && argv[i][1] &&
			 strcmp(argv[i], "--"))
			return cli_usage_error("validate",
					       "unknown option '%s'", argv[i]);
		else if (strcmp(argv[i], "--"))
			args[nargs++] = argv[i];
	}
	polc_validate(cli->ctx, args, nargs);
	int status = cli_finish(cli);
	if (status == EXIT_OK && werror && polc_warning_count(cli->ctx))
		status = EXIT_POLICY;
	return status;
}
