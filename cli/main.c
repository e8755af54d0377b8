/*
 * main.c - polc's entry point: global options, the search path, dispatch.
 *
 * Global options may stand before or after the command name; everything
 * after "--" belongs to the command.  The search path is, in order: each
 * -I DIR, each directory of $POLC_PATH (colon-separated), and
 * $XDG_CONFIG_HOME/polc (default ~/.config/polc); the embedded stdlib comes
 * last.  The built-in variables get their values here too (set_variables).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"usage: polc [OPTIONS] COMMAND [ARGS]\n"
	"\n"
	"Commands:\n"
	"  validate [--werror] [FILE|NAME...]  check policies\n"
	"                                      (no argument: the library)\n"
	"  validate --target seatbelt PROFILE|FILE.sb...\n"
	"                                      check the emitted SBPL\n"
	"  fmt [-w|--check] FILE...            print in canonical form\n"
	"  show PROFILE [--json] [--raw]       the resolved policy\n"
	"  explain PROFILE PATH [--access M]   a decision and its rules\n"
	"  build PROFILE --target landlock [--materialize] [--json]\n"
	"        [--abi N] [--best-effort]     what a target enforces\n"
	"  build PROFILE --target seccomp [--arch A] [--raw|--json]\n"
	"                                      the seccomp program\n"
	"  build PROFILE --target seatbelt [--sbpl-params] [--best-effort]\n"
	"        [-o DIR]                      the macOS Seatbelt profile\n"
	"  run -p PROFILE [--target landlock|seatbelt] [--abi N]\n"
	"        [--best-effort] [--dry-run] -- CMD...\n"
	"                                      run CMD in the sandbox\n"
	"  diff A B [--json]                   what changes from A to B\n"
	"  import FILE [-o OUT] [--format F] [--name N] [--arch A]\n"
	"        [--cap CAP]... [--best-effort]\n"
	"                                      another tool's policy as .pol\n"
	"  learn [-o FILE] [--profile BASE] [--merge FILE] [--json]\n"
	"        [--collapse N] [--timeout S] [--syscalls] -- CMD...\n"
	"                                      trace CMD, write its profile\n"
	"  profiles                            list the profiles\n"
	"  groups [NAME]                       list the groups, or show one\n"
	"\n"
	"Options:\n"
	"  -I DIR                       search DIR (before the stdlib)\n"
	"  --diagnostics-format=FORMAT  text (default) or json\n"
	"  --color=WHEN                 auto (default), always or never\n"
	"  --home DIR, --workdir DIR, --tmpdir DIR, --uid N, --user NAME\n"
	"                               values of $HOME … (default: this\n"
	"                               process's environment)\n"
	"  -h, --help                   this text\n"
	"  --version                    print the version\n"
	"\n"
	"Exit status: 0 success, 1 policy errors, 2 usage or input errors.\n";

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "polc%s%s: error: ", command ? " " : "",
		command ? command : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see 'polc --help')\n", stderr);
	return EXIT_USAGE;
}

int cli_finish(struct cli *cli)
{
	polc_diagnostics_print(cli->ctx, stderr, cli->format, cli->colour);
	return polc_exit_status(cli->ctx);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Directories from the environment; missing ones are simply skipped. */
static int add_env_dirs(polc_ctx *ctx)
{
	const char *path = getenv("POLC_PATH");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char buf[4096];

	while (path && *path) {
		size_t len = strcspn(path, ":");

		if (len && len < sizeof(buf)) {
			memcpy(buf, path, len);
			buf[len] = '\0';
			if (is_dir(buf) && polc_add_search_dir(ctx, buf) != 0)
				return -1;
		}
		path += len + (path[len] == ':');
	}
	if (xdg && *xdg)
		snprintf(buf, sizeof(buf), "%s/polc", xdg);
	else if (home && *home)
		snprintf(buf, sizeof(buf), "%s/.config/polc", home);
	else
		return 0;
	if (is_dir(buf))
		return polc_add_search_dir(ctx, buf);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
} commands[] = {
	{ "validate", cmd_validate }, { "fmt", cmd_fmt },
	{ "show", cmd_show },	      { "profiles", cmd_profiles },
	{ "groups", cmd_groups },     { "explain", cmd_explain },
	{ "build", cmd_build },	      { "run", cmd_run },
	{ "diff", cmd_diff },	      { "import", cmd_import },
	{ "learn", cmd_learn },
};

/* Options that give built-in variables their values, for reproducible
 * builds; indexed like struct cli.variables. */
static const struct {
	const char *option;
	const char *variable;
	bool path;
} variable_options[CLI_VARIABLES] = {
	{ "--home", "HOME", true },	{ "--workdir", "WORKDIR", true },
	{ "--tmpdir", "TMPDIR", true }, { "--uid", "UID", false },
	{ "--user", "USER", false },
};

/* Outcome of looking at one argument as a global option. */
enum option_result {
	OPTION_NONE,  /* not a global option: it belongs to the command */
	OPTION_TAKEN, /* consumed (maybe with the next argument) */
	OPTION_EXIT,  /* handled completely (help, version, error) */
};

/*
 * Interpret argv[*i] as a global option.  *status receives the exit status
 * with OPTION_EXIT.
 */
static enum option_result global_option(struct cli *cli, const char **colour,
					int argc, char **argv, int *i,
					int *status)
{
	const char *a = argv[*i];

	*status = EXIT_OK;
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		fputs(usage, stdout);
		return OPTION_EXIT;
	}
	if (strcmp(a, "--version") == 0) {
		puts("polc " POLC_VERSION);
		return OPTION_EXIT;
	}
	if (strncmp(a, "-I", 2) == 0) {
		const char *dir = a[2]		  ? a + 2
				  : *i + 1 < argc ? argv[++*i]
						  : NULL;

		if (!dir)
			*status = cli_usage_error(NULL, "-I needs a directory");
		else if (!is_dir(dir))
			*status = cli_usage_error(
				NULL, "-I %s: not a directory", dir);
		else if (polc_add_search_dir(cli->ctx, dir) != 0)
			*status = cli_usage_error(NULL, "out of memory");
		return *status ? OPTION_EXIT : OPTION_TAKEN;
	}
	for (size_t v = 0;
	     v < sizeof(variable_options) / sizeof(*variable_options); v++) {
		const char *opt = variable_options[v].option;
		size_t n = strlen(opt);
		const char *value;

		if (strncmp(a, opt, n) != 0 || (a[n] != '=' && a[n] != '\0'))
			continue;
		value = a[n] == '='	? a + n + 1
			: *i + 1 < argc ? argv[++*i]
					: NULL;
		if (!value || !*value) {
			*status =
				cli_usage_error(NULL, "%s needs a value", opt);
			return OPTION_EXIT;
		}
		if (variable_options[v].path && value[0] != '/') {
			*status = cli_usage_error(
				NULL, "%s needs an absolute path", opt);
			return OPTION_EXIT;
		}
		cli->variables[v] = value;
		return OPTION_TAKEN;
	}
	if (strncmp(a, "--diagnostics-format=", 21) == 0) {
		if (strcmp(a + 21, "json") == 0)
			cli->format = POLC_DIAG_JSON;
		else if (strcmp(a + 21, "text") == 0)
			cli->format = POLC_DIAG_TEXT;
		else
			*status = cli_usage_error(NULL,
						  "unknown diagnostics format "
						  "'%s' (text or json)",
						  a + 21);
		return *status ? OPTION_EXIT : OPTION_TAKEN;
	}
	if (strncmp(a, "--color=", 8) == 0 || strncmp(a, "--colour=", 9) == 0) {
		*colour = strchr(a, '=') + 1;
		if (strcmp(*colour, "auto") && strcmp(*colour, "always") &&
		    strcmp(*colour, "never")) {
			*status = cli_usage_error(NULL, "--color takes auto, "
							"always or never");
			return OPTION_EXIT;
		}
		return OPTION_TAKEN;
	}
	return OPTION_NONE;
}

static bool want_colour(const char *when)
{
	const char *no_colour = getenv("NO_COLOR");

	if (strcmp(when, "auto") != 0)
		return strcmp(when, "always") == 0;
	return isatty(STDERR_FILENO) && !(no_colour && *no_colour);
}

/**
 * struct account - a user's entry in /etc/passwd
 * @name: the login name
 * @home: the home directory
 */
struct account {
	char name[256];
	char home[PATH_MAX];
};

/*
 * Whether the /etc/passwd line [@line, @end) is @uid's (name, password,
 * uid, gid, gecos, home and an optional shell, split at colons, after
 * leading blanks; '#' starts a comment), with its name and home in *@a.
 * A uid with a sign or blanks in it, which strtoul() would take, matches
 * nothing: no system writes one.
 */
static bool account_line(const char *line, const char *end, uid_t uid,
			 struct account *a)
{
	const char *field[6];
	size_t len[6], n = 0;
	unsigned long long id = 0;

	while (line < end && (*line == ' ' || *line == '\t'))
		line++;
	if (line == end || *line == '#')
		return false;
	for (const char *p = line; n < 6; n++) {
		const char *colon = memchr(p, ':', (size_t)(end - p));

		if (!colon && n < 5)
			return false;
		field[n] = p;
		len[n] = (size_t)((colon ? colon : end) - p);
		p = colon ? colon + 1 : end;
	}
	if (!len[2] || len[0] >= sizeof(a->name) || len[5] >= sizeof(a->home))
		return false;
	for (size_t i = 0; i < len[2]; i++) {
		if (field[2][i] < '0' || field[2][i] > '9' || id > UINT32_MAX)
			return false;
		id = id * 10 + (unsigned)(field[2][i] - '0');
	}
	if (id != uid)
		return false;
	memcpy(a->name, field[0], len[0]);
	a->name[len[0]] = '\0';
	memcpy(a->home, field[5], len[5]);
	a->home[len[5]] = '\0';
	return true;
}

/*
 * The account of @uid in /etc/passwd into *@a; false when there is none.
 * polc is linked statically (CMakeLists.txt), and a static glibc could
 * load the modules getpwuid() would ask (LDAP, systemd-homed) only from
 * the glibc it was built with; $HOME and $USER, which a login sets, cover
 * such accounts.  Read with read(2), not stdio: polc run pays this at
 * every start, and fgetpwent() took four times as long.  A line longer
 * than 8 KiB is skipped.
 */
static bool local_account(uid_t uid, struct account *a)
{
	char buf[8192];
	size_t have = 0; /* bytes of a line begun, at the start of buf */
	bool found = false, overlong = false;
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);

	while (fd >= 0 && !found) {
		ssize_t got = read(fd, buf + have, sizeof(buf) - have);

		if (got < 0 && errno == EINTR)
			continue;
		bool end = got <= 0;
		const char *line = buf, *stop = buf + have + (end ? 0 : got);
		const char *nl;

		/* Whole lines; at the end, the last one without its newline. */
		while (!found && line < stop &&
		       ((nl = memchr(line, '\n', (size_t)(stop - line))) ||
			end)) {
			found = !overlong &&
				account_line(line, nl ? nl : stop, uid, a);
			overlong = false;
			line = nl ? nl + 1 : stop;
		}
		if (end)
			break;
		/* Keep the line begun; one longer than buf is skipped. */
		have = (size_t)(stop - line);
		overlong |= have == sizeof(buf);
		if (have == sizeof(buf))
			have = 0;
		memmove(buf, line, have);
	}
	if (fd >= 0)
		close(fd);
	return found;
}

/*
 * Values of the built-in variables: the options, else this process's
 * environment (HOME, WORKDIR, USER, TMPDIR and the XDG directories when
 * absolute; the current directory when WORKDIR is not set).  With --home, the
 * XDG directories follow the given home rather than the environment's.
 */
static int set_variables(struct cli *cli)
{
	static const char *const xdg[] = { "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
					   "XDG_DATA_HOME", "XDG_STATE_HOME",
					   "XDG_RUNTIME_DIR" };
	struct account account;
	const struct account *pw =
		local_account(getuid(), &account) ? &account : NULL;
	char uid[24], cwd[4096];
	const char *env[CLI_VARIABLES];
	int rc = 0;

	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	env[0] = getenv("HOME") && getenv("HOME")[0] == '/' ? getenv("HOME")
		 : pw					    ? pw->home
							    : NULL;
	/* $WORKDIR from the environment when a shell has it, as for HOME. */
	env[1] = getenv("WORKDIR") && getenv("WORKDIR")[0] == '/'
			 ? getenv("WORKDIR")
			 : getcwd(cwd, sizeof(cwd));
	env[2] = getenv("TMPDIR") && getenv("TMPDIR")[0] == '/'
			 ? getenv("TMPDIR")
			 : NULL;
	env[3] = uid;
	env[4] = pw ? pw->name : getenv("USER");
	for (size_t v = 0; v < CLI_VARIABLES; v++) {
		const char *value =
			cli->variables[v] ? cli->variables[v] : env[v];

		if (value &&
		    polc_set_variable(cli->ctx, variable_options[v].variable,
				      value) != 0)
			rc = -1;
	}
	for (size_t x = 0; x < sizeof(xdg) / sizeof(*xdg) && !cli->variables[0];
	     x++) {
		const char *value = getenv(xdg[x]);

		if (value && value[0] == '/' &&
		    polc_set_variable(cli->ctx, xdg[x], value) != 0)
			rc = -1;
	}
	return rc;
}

static int run(struct cli *cli, int argc, char **argv, char **rest)
{
	const char *colour = "auto";
	int nrest = 0, status;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				rest[nrest++] = argv[i++];
			break;
		}
		switch (global_option(cli, &colour, argc, argv, &i, &status)) {
		case OPTION_EXIT: return status;
		case OPTION_TAKEN: break;
		case OPTION_NONE: rest[nrest++] = argv[i]; break;
		}
	}
	if (nrest == 0) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	cli->colour = want_colour(colour);
	if (add_env_dirs(cli->ctx) != 0 || set_variables(cli) != 0)
		return cli_usage_error(NULL, "out of memory");
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (strcmp(rest[0], commands[c].name) == 0)
			return commands[c].run(cli, nrest, rest);
	return cli_usage_error(NULL, "unknown command '%s'", rest[0]);
}

int main(int argc, char **argv)
{
	struct cli cli = { .format = POLC_DIAG_TEXT };
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	int status;

	cli.ctx = polc_ctx_new();
	if (!cli.ctx || !rest) {
		fputs("polc: error: out of memory\n", stderr);
		status = EXIT_USAGE;
	} else {
		status = run(&cli, argc, argv, rest);
	}
	polc_ctx_free(cli.ctx);
	free(rest);
	return status;
}
