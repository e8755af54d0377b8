/*
 * show.c - "polc show NAME", "polc profiles", "polc groups".
 */
#include <stdio.h>

#include "cli.h"

int cmd_show(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage_error("show",
				       "expected one profile or group name");
	polc_show(cli->ctx, argv[1], stdout);
	return cli_finish(cli);
}

static int list(struct cli *cli, int argc, enum polc_kind kind,
		const char *command)
{
	if (argc != 1)
		return cli_usage_error(command, "takes no arguments");
	polc_list(cli->ctx, kind, stdout);
	return cli_finish(cli);
}

int cmd_profiles(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	return list(cli, argc, POLC_KIND_PROFILE, "profiles");
}

int cmd_groups(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	return list(cli, argc, POLC_KIND_GROUP, "groups");
}
