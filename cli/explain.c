/*
 * explain.c - "polc explain PROFILE PATH [--access MODE]" and "polc explain
 * PROFILE --env NAME".
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* "read", "rw", "read,exec" → POLC_ACCESS_* bits; 0 when malformed. */
static unsigned parse_access(const char *s)
{
	static const char *const words[] = { "read", "write", "exec",
					     "delete" };
	static const char letters[] = "rwxd";
	unsigned bits = 0;

	while (*s) {
		size_t n = strcspn(s, ",");
		unsigned found = 0;

		for (unsigned b = 0; b < 4; b++)
			if (strlen(words[b]) == n && !strncmp(s, words[b], n))
				found = 1u << b;
		if (n == 3 && !strncmp(s, "all", 3))
			found = POLC_ACCESS_ALL;
		for (size_t k = 0; !found && k < n; k++) {
			const char *at = strchr(letters, s[k]);

			if (!at) {
				bits = 0;
				return 0;
			}
			bits |= 1u << (at - letters);
		}
		bits |= found;
		s += n + (s[n] == ',');
	}
	return bits;
}

int cmd_explain(struct cli *cli, int argc, char **argv)
{
	const char *args[2];
	const char *env = NULL;
	int nargs = 0;
	unsigned access = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--access") == 0 ||
		    strncmp(argv[i], "--access=", 9) == 0) {
			const char *v = argv[i][8]     ? argv[i] + 9
					: i + 1 < argc ? argv[++i]
						       : "";
			access = parse_access(v);
			if (!access)
				return cli_usage_error(
					"explain",
					"--access takes read, write, exec, "
					"delete, all or letters from 'rwxd'");
		} else if (strcmp(argv[i], "--env") == 0 ||
			   strncmp(argv[i], "--env=", 6) == 0) {
			env = argv[i][5]     ? argv[i] + 6
			      : i + 1 < argc ? argv[++i]
					     : "";
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error("explain", "unknown option '%s'",
					       argv[i]);
		} else if (nargs == 2) {
			return cli_usage_error("explain",
					       "expected PROFILE and PATH");
		} else {
			args[nargs++] = argv[i];
		}
	}
	if (env) {
		if (!*env)
			return cli_usage_error("explain",
					       "--env takes a variable name");
		if (nargs != 1 || access)
			return cli_usage_error(
				"explain", "expected PROFILE --env NAME (and "
					   "no PATH or --access)");
		polc_explain_env(cli->ctx, args[0], env, stdout);
		return cli_finish(cli);
	}
	if (nargs != 2)
		return cli_usage_error("explain", "expected PROFILE and PATH");
	polc_explain(cli->ctx, args[0], args[1], access, stdout);
	return cli_finish(cli);
}
