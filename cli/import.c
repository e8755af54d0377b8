/*
 * import.c - "polc import FILE [-o OUT] [--format F] [--name N] [--arch A]
 * [--cap CAP]... [--best-effort]": another tool's policy as .pol text, on
 * stdout or written atomically to OUT (a temporary file in OUT's directory,
 * flushed to disk, renamed over it; never over anything but a regular file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

enum { MAX_CAPS = 64 };

/* The value of option @name at argv[*i] ("--x V" or "--x=V"), or NULL. */
static const char *value_of(const char *name, int argc, char **argv, int *i)
{
	size_t n = strlen(name);

	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (!strcmp(argv[*i], name) && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
	struct polc_import_options opts = { 0 };
	const char *caps[MAX_CAPS + 1] = { 0 };
	const char *file = NULL, *output = NULL, *v;
	size_t ncaps = 0;

	for (int i = 1; i < argc; i++) {
		if ((v = value_of("-o", argc, argv, &i)))
			output = v;
		else if ((v = value_of("--format", argc, argv, &i)))
			opts.format = v;
		else if ((v = value_of("--name", argc, argv, &i)))
			opts.name = v;
		else if ((v = value_of("--arch", argc, argv, &i)))
			opts.arch = v;
		else if (!strcmp(argv[i], "--best-effort"))
			opts.best_effort = true;
		else if ((v = value_of("--cap", argc, argv, &i))) {
			if (ncaps == MAX_CAPS)
				return cli_usage_error("import",
						       "too many --cap");
			caps[ncaps++] = v;
		} else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("import", "unknown option '%s'",
					       argv[i]);
		else if (file)
			return cli_usage_error("import", "one file at a time");
		else
			file = argv[i];
	}
	if (!file)
		return cli_usage_error("import", "which file?");
	opts.caps = caps;

	char *text;
	size_t len;
	int rc = polc_import(cli->ctx, file, &opts, &text, &len);
	int status = cli_finish(cli);

	if (rc != 0)
		return status ? status : EXIT_POLICY;
	if (output)
		rc = cli_write_file(output, text, len);
	else
		fwrite(text, 1, len, stdout);
	free(text);
	return rc ? EXIT_USAGE : status;
}
