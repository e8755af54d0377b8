/*
 * learn.c - "polc learn [-o FILE] [--profile BASE] [--merge FILE] [--json]
 * [--collapse N] [--timeout S] [--syscalls] -- CMD [ARG...]".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A non-negative number for @option, or -1. */
static long number(const char *option, const char *text)
{
	char *end;
	long n = strtol(text, &end, 10);

	if (!*text || *end || n < 0 || n > 1000000) {
		cli_usage_error("learn", "%s wants a number, not '%s'", option,
				text);
		return -1;
	}
	return n;
}

int cmd_learn(struct cli *cli, int argc, char **argv)
{
	struct polc_learn_options o = { .collapse = 4, .summary = stderr };
	int status = 0, i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *a = argv[i];
		bool has_value = i + 1 < argc;
		long n;

		if (!strcmp(a, "--json"))
			o.json = true;
		else if (!strcmp(a, "--syscalls"))
			o.syscalls = true;
		else if (!strcmp(a, "-o") && has_value)
			o.output = argv[++i];
		else if ((!strcmp(a, "--profile") || !strcmp(a, "-p")) &&
			 has_value)
			o.base = argv[++i];
		else if (!strcmp(a, "--merge") && has_value)
			o.merge = argv[++i];
		else if (!strcmp(a, "--collapse") && has_value) {
			if ((n = number(a, argv[++i])) < 0)
				return EXIT_USAGE;
			o.collapse = (unsigned)n;
		} else if (!strcmp(a, "--timeout") && has_value) {
			if ((n = number(a, argv[++i])) < 0)
				return EXIT_USAGE;
			o.timeout = (unsigned)n;
		} else if (a[0] != '-')
			return cli_usage_error("learn",
					       "'%s': the command goes after "
					       "'--'",
					       a);
		else
			return cli_usage_error("learn", "unknown option '%s'",
					       a);
	}
	if (i + 1 >= argc)
		return cli_usage_error("learn", "no command after '--'");
	if (o.json && o.merge && !o.output)
		return cli_usage_error("learn", "--json with --merge: where "
						"to? (-o FILE)");
	if (o.merge && o.base)
		return cli_usage_error("learn", "--merge FILE learns on top of "
						"FILE's profile: no --profile");
	o.argv = argv + i + 1;
	if (polc_learn(cli->ctx, &o, &status) != 0) {
		int diag_status = cli_finish(cli);

		return status >= 125 ? status : diag_status;
	}
	cli_finish(cli);
	return status;
}
