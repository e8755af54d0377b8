/*
 * fmt.c - "polc fmt [-w|--check] FILE...".
 *
 * Without options the canonical text goes to stdout.  -w rewrites each file
 * that is not canonical, atomically: the new text goes to a temporary file
 * in the same directory, is flushed to disk, takes the old file's mode and
 * is renamed over it, so a crash leaves either the old file or the new one.
 * --check rewrites nothing and lists the files that are not canonical.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static bool same_contents(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "rb");
	bool same = false;

	if (!f)
		return false;
	char *buf = malloc(len + 1);
	if (buf) {
		size_t n = fread(buf, 1, len + 1, f);
		same = n == len && memcmp(buf, text, len) == 0;
	}
	free(buf);
	fclose(f);
	return same;
}

int cli_write_file(const char *path, const char *text, size_t len)
{
	if (polc_write_file(path, text, len) == 0)
		return 0;
	if (errno == EINVAL)
		fprintf(stderr,
			"%s: error: not a regular file; polc replaces only "
			"those\n",
			path);
	else
		fprintf(stderr, "%s: error: cannot write: %s\n", path,
			strerror(errno));
	return -1;
}

int cmd_fmt(struct cli *cli, int argc, char **argv)
{
	bool write_back = false, check = false;
	int status = EXIT_OK, nfiles = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-w") == 0)
			write_back = true;
		else if (strcmp(argv[i], "--check") == 0)
			check = true;
		else if (argv[i][0] == '-' && argv[i][1] &&
			 strcmp(argv[i], "--"))
			return cli_usage_error("fmt", "unknown option '%s'",
					       argv[i]);
		else if (strcmp(argv[i], "--"))
			nfiles++;
	}
	if (nfiles == 0)
		return cli_usage_error("fmt", "no files given");
	if (write_back && check)
		return cli_usage_error("fmt",
				       "-w and --check exclude each other");
	for (int i = 1; i < argc; i++) {
		char *text;
		size_t len;

		if (argv[i][0] == '-' && argv[i][1])
			continue;
		if (polc_format_file(cli->ctx, argv[i], &text, &len) != 0)
			continue;
		if (check) {
			if (!same_contents(argv[i], text, len)) {
				printf("%s\n", argv[i]);
				status = EXIT_POLICY;
			}
		} else if (write_back) {
			if (!same_contents(argv[i], text, len) &&
			    cli_write_file(argv[i], text, len) != 0)
				status = EXIT_USAGE;
		} else {
			fwrite(text, 1, len, stdout);
		}
		free(text);
	}
	int diag_status = cli_finish(cli);
	return diag_status > status ? diag_status : status;
}
