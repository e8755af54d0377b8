/*
 * diff.c - "polc diff A B [--json]": what changes from profile A to B.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_diff(struct cli *cli, int argc, char **argv)
{
	const char *args[2];
	int nargs = 0;
	bool json = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("diff", "unknown option '%s'",
					       argv[i]);
		else if (nargs == 2)
			return cli_usage_error(
				"diff", "expected two profiles, A and B");
		else
			args[nargs++] = argv[i];
	}
	if (nargs != 2)
		return cli_usage_error("diff",
				       "expected two profiles, A and B");
	polc_diff(cli->ctx, args[0], args[1], json, stdout);
	return cli_finish(cli);
}
