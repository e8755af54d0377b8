/*
 * show.c - "polc show PROFILE [--json] [--raw]", "polc profiles",
 * "polc groups [NAME]".
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_show(struct cli *cli, int argc, char **argv)
{
	const char *profile = NULL;
	unsigned flags = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			flags |= POLC_SHOW_JSON;
		else if (strcmp(argv[i], "--raw") == 0)
			flags |= POLC_SHOW_RAW;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("show", "unknown option '%s'",
					       argv[i]);
		else if (profile)
			return cli_usage_error("show", "one profile at a time");
		else
			profile = argv[i];
	}
	if (!profile)
		return cli_usage_error("show", "which profile?");
	polc_show(cli->ctx, profile, flags, stdout);
	return cli_finish(cli);
}

int cmd_profiles(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage_error("profiles", "takes no arguments");
	polc_list(cli->ctx, POLC_KIND_PROFILE, stdout);
	return cli_finish(cli);
}

int cmd_groups(struct cli *cli, int argc, char **argv)
{
	if (argc > 2)
		return cli_usage_error("groups",
				       "takes at most one group name");
	if (argc == 2)
		polc_describe_group(cli->ctx, argv[1], stdout);
	else
		polc_list(cli->ctx, POLC_KIND_GROUP, stdout);
	return cli_finish(cli);
}
