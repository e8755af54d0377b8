/*
 * build.c - "polc build PROFILE --target landlock [--materialize] [--json]
 * [--abi N] [--best-effort]", "polc build PROFILE --target seccomp
 * [--arch A] [--raw]" and "polc build PROFILE --target seatbelt
 * [--sbpl-params] [--best-effort] [-o DIR]"; also the target options polc
 * run shares.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_target_option(const char *command, int argc, char **argv, int *i,
		      struct polc_target_options *t, int *status)
{
	const char *a = argv[*i];

	if (strcmp(a, "--best-effort") == 0) {
		t->best_effort = true;
	} else if (strcmp(a, "--sbpl-params") == 0) {
		t->sbpl_params = true;
	} else if (strcmp(a, "--json") == 0) {
		t->json = true;
	} else if (strcmp(a, "--abi") == 0 || strncmp(a, "--abi=", 6) == 0) {
		const char *v = a[5] == '='	? a + 6
				: *i + 1 < argc ? argv[++*i]
						: "";
		char *end;
		long abi = strtol(v, &end, 10);

		if (!*v || *end || abi < 1 || abi > 99) {
			*status = cli_usage_error(command,
						  "--abi takes a Landlock ABI "
						  "number");
			return -1;
		}
		t->abi = (unsigned)abi;
	} else {
		return 0;
	}
	return 1;
}

/* The file -o DIR gets: DIR/NAME.sb, NAME the profile's file or name. */
static char *output_path(const char *dir, const char *profile)
{
	const char *base = strrchr(profile, '/');
	size_t n;
	char *path;

	base = base ? base + 1 : profile;
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".pol") == 0)
		n -= 4;
	size_t d = strlen(dir);
	while (d > 1 && dir[d - 1] == '/')
		d--;
	path = malloc(d + n + 8);
	if (path)
		sprintf(path, "%.*s/%.*s.sb", (int)d, dir, (int)n, base);
	return path;
}

/* Build into DIR/NAME.sb, written only when the build succeeds. */
static int build_to(struct cli *cli, const char *profile, const char *target,
		    const struct polc_target_options *t, const char *dir)
{
	char *text = NULL, *path = output_path(dir, profile);
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int status;

	if (!mem || !path) {
		if (mem)
			fclose(mem);
		free(text);
		free(path);
		return cli_usage_error("build", "out of memory");
	}
	int rc = polc_build(cli->ctx, profile, target, t, mem);
	fclose(mem);
	status = cli_finish(cli);
	/* DIR itself is made when missing (not its parents): the usual
	 * `-o out/` of a first build. */
	if (rc == 0 && status == EXIT_OK && mkdir(dir, 0777) != 0 &&
	    errno != EEXIST) {
		fprintf(stderr, "%s: error: cannot make the directory: %s\n",
			dir, strerror(errno));
		status = EXIT_USAGE;
	} else if (rc == 0 && status == EXIT_OK &&
		   cli_write_file(path, text, len)) {
		status = EXIT_USAGE;
	}
	free(text);
	free(path);
	return status;
}

int cmd_build(struct cli *cli, int argc, char **argv)
{
	struct polc_target_options t = { 0 };
	const char *profile = NULL, *target = NULL, *dir = NULL;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		int rc =
			cli_target_option("build", argc, argv, &i, &t, &status);

		if (rc < 0)
			return status;
		if (rc > 0)
			continue;
		if (strcmp(argv[i], "--materialize") == 0)
			t.materialize = true;
		else if (strcmp(argv[i], "--raw") == 0)
			t.raw = true;
		else if (strcmp(argv[i], "--arch") == 0 && i + 1 < argc)
			t.arch = argv[++i];
		else if (strncmp(argv[i], "--arch=", 7) == 0)
			t.arch = argv[i] + 7;
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--target") == 0 && i + 1 < argc)
			target = argv[++i];
		else if (strncmp(argv[i], "--target=", 9) == 0)
			target = argv[i] + 9;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("build", "unknown option '%s'",
					       argv[i]);
		else if (profile)
			return cli_usage_error("build",
					       "one profile at a time");
		else
			profile = argv[i];
	}
	if (!profile)
		return cli_usage_error("build", "which profile?");
	if (!target)
		return cli_usage_error("build",
				       "which target? (--target landlock, "
				       "seccomp or seatbelt)");
	if (dir && strcmp(target, "seatbelt") != 0)
		return cli_usage_error("build", "-o DIR is for --target "
						"seatbelt");
	if (dir)
		return build_to(cli, profile, target, &t, dir);
	if (t.raw && isatty(STDOUT_FILENO))
		return cli_usage_error("build", "--raw writes binary: redirect "
						"it to a file");
	polc_build(cli->ctx, profile, target, &t, stdout);
	return cli_finish(cli);
}
