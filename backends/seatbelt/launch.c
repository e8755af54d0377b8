/*
 * launch.c - the command line that runs a program under a Seatbelt
 * profile: /usr/bin/sandbox-exec -f FILE -D NAME=VALUE… -- CMD….
 *
 * sandbox-exec is named by its absolute path, never looked up in PATH,
 * which the sandboxed program's caller may control.  "--" ends
 * sandbox-exec's options, so a command whose name starts with '-' is still
 * the command.
 */
#include <string.h>

#include "backends/seatbelt/seatbelt.h"
#include "common/ctx.h"

char **sb_launch_argv(struct polc_ctx *ctx, const char *file,
		      const struct sb_param *params, size_t nparams,
		      char *const *cmd)
{
	size_t ncmd = 0, n = 0;

	while (cmd[ncmd])
		ncmd++;
	char **argv = arena_alloc(&ctx->arena,
				  (4 + 2 * nparams + ncmd + 1) * sizeof(*argv));
	if (!argv)
		return NULL;
	argv[n++] = "/usr/bin/sandbox-exec";
	argv[n++] = "-f";
	argv[n++] = (char *)file;
	for (size_t i = 0; i < nparams; i++) {
		argv[n++] = "-D";
		argv[n++] = arena_printf(&ctx->arena, "%s=%s", params[i].name,
					 params[i].value);
	}
	argv[n++] = "--";
	for (size_t i = 0; i < ncmd; i++)
		argv[n++] = cmd[i];
	argv[n] = NULL;
	return arena_failed(&ctx->arena) ? NULL : argv;
}

void sb_print_command(FILE *out, char *const *argv)
{
	static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				    "opqrstuvwxyz0123456789_-./=:@%+,";

	for (; *argv; argv++) {
		const char *s = *argv;

		putc(' ', out);
		if (*s && !s[strspn(s, plain)]) {
			fputs(s, out);
			continue;
		}
		putc('\'', out);
		for (; *s; s++)
			if (*s == '\'')
				fputs("'\\''", out);
			else
				putc(*s, out);
		putc('\'', out);
	}
}
