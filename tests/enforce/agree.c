/*
 * agree.c - the kernel against decide(): for every stdlib profile and every
 * (file, access) pair of a fixture tree, the answer Landlock gives a
 * sandboxed child must be the one ir_decide_path() gives.
 *
 *   polc-agree
 *
 * The fixture is a fake HOME (with secrets, shell configs, agent state and
 * tools) and a workdir under a fresh directory in $TMPDIR, an allowed
 * directory, so every deny has to hold inside an allow.  Files get the
 * four accesses: read (open O_RDONLY), write (open O_WRONLY, no
 * truncation), exec (execve of a copy of /bin/true, in a grandchild) and
 * delete (unlink; the parent puts the file back).
 *
 * Deleting is an operation on the directory: Landlock checks remove_file
 * on the file's parent.  Where carving had to withhold it from that
 * directory (spec/backends/landlock.md §2), the kernel is stricter than
 * decide() by design; such a pair counts as a disagreement unless the
 * backend's report names that cost for that directory.  Any other
 * difference, and above all the kernel allowing what decide() denies, is
 * a failure.  Prints the number of pairs, the reported costs met and every
 * disagreement; exits 1 if there is any.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/landlock/landlock.h"
#include "common/ctx.h"
#include "frontend/ast.h"
#include "frontend/load.h"
#include "ir/ir.h"
#include "polc.h"

static const char *const fixture_files[] = {
	"home/.ssh/id_rsa",
	"home/.ssh/known_hosts",
	"home/.aws/credentials",
	"home/.bash_history",
	"home/.bashrc",
	"home/.gitconfig",
	"home/.claude/settings.json",
	"home/.claude.json",
	"home/.codex/config.toml",
	"home/.cache/tool/blob",
	"home/.local/bin/tool",
	"home/.config/gh/hosts.yml",
	"home/notes.txt",
	"work/src/main.c",
	"work/run.sh",
	"work/.git/config",
	"work/.git/hooks/pre-commit",
	"work/.git/HEAD",
	"work/.git/modules/sub/config",
	"work/.git/modules/sub/hooks/post-checkout",
};

static const char *const mode_names[] = { "read", "write", "exec", "delete" };

static char root[256];

/* Whether @rs reports that @path's parent itself lacks remove_file. */
static bool reported_cost(const struct ll_ruleset *rs, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	for (size_t i = 0; i < rs->nreport; i++) {
		const struct ll_report_item *it = &rs->report[i];

		if (it->kind == LL_REPORT_CARVE && it->path &&
		    strlen(it->path) == n && !strncmp(it->path, path, n) &&
		    (it->rights & LL_FS_REMOVE_FILE))
			return true;
	}
	return false;
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	ssize_t n;
	int rc = in >= 0 && out >= 0 ? 0 : -1;

	while (rc == 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			rc = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

static void mkdirs(const char *path)
{
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(tmp, 0755);
		*p = '/';
	}
}

/* Every fixture file is a copy of /bin/true: readable and executable. */
static void make_fixture(void)
{
	for (size_t i = 0; i < sizeof(fixture_files) / sizeof(*fixture_files);
	     i++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", root, fixture_files[i]);
		mkdirs(path);
		if (copy_file("/bin/true", path) != 0) {
			perror(path);
			exit(2);
		}
	}
}

/*
 * One access by the sandboxed child: 1 allowed, 0 refused (EACCES from
 * Landlock, EROFS from a read-only mount, EBUSY from unlinking a file that
 * is a mount point), -1 failed some other way.
 */
static int try_access(const char *path, unsigned mode)
{
	int fd;

	switch (mode) {
	case 0: fd = open(path, O_RDONLY | O_CLOEXEC); break;
	case 1: fd = open(path, O_WRONLY | O_CLOEXEC); break;
	case 2: {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			char *argv[] = { (char *)path, NULL };
			execv(path, argv);
			_exit(errno == EACCES || errno == EROFS ? 126 : 125);
		}
		waitpid(pid, &st, 0);
		return WIFEXITED(st) && WEXITSTATUS(st) == 0	 ? 1
		       : WIFEXITED(st) && WEXITSTATUS(st) == 126 ? 0
								 : -1;
	}
	default:
		if (unlink(path) == 0)
			return 1;
		return errno == EACCES || errno == EROFS || errno == EBUSY ? 0
									   : -1;
	}
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return errno == EACCES || errno == EROFS ? 0 : -1;
}

int main(void)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	size_t pairs = 0, disagreements = 0, costs = 0;

	snprintf(root, sizeof(root), "%s/polc-agree.XXXXXX", tmp);
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	make_fixture();

	polc_ctx *ctx = polc_ctx_new();
	struct load_unit unit = { 0 };
	struct ir_options opts = { 0 };
	char home[512], work[512];

	snprintf(home, sizeof(home), "%s/home", root);
	snprintf(work, sizeof(work), "%s/work", root);
	opts.builtins[IR_VAR_HOME] = home;
	opts.builtins[IR_VAR_WORKDIR] = work;
	opts.builtins[IR_VAR_TMPDIR] = tmp;
	opts.builtins[IR_VAR_UID] = "1000";
	opts.builtins[IR_VAR_USER] = "user";
	opts.builtins[IR_VAR_XDG_CONFIG_HOME] =
		arena_printf(&ctx->arena, "%s/.config", home);
	opts.builtins[IR_VAR_XDG_CACHE_HOME] =
		arena_printf(&ctx->arena, "%s/.cache", home);
	opts.builtins[IR_VAR_XDG_DATA_HOME] =
		arena_printf(&ctx->arena, "%s/.local/share", home);
	opts.builtins[IR_VAR_XDG_STATE_HOME] =
		arena_printf(&ctx->arena, "%s/.local/state", home);
	opts.builtins[IR_VAR_XDG_RUNTIME_DIR] = "/run/user/1000";
	if (load_library(ctx, &unit) != 0 || !ll_probe_abi()) {
		polc_diagnostics_print(ctx, stderr, POLC_DIAG_TEXT, false);
		fprintf(stderr, "no library, or no Landlock\n");
		return 2;
	}
	for (size_t f = 0; f < unit.files.len; f++) {
		const struct ast_file *file = unit.files.items[f];

		for (size_t k = 0; k < file->items.len; k++) {
			const struct ast_item *it = file->items.items[k];
			const struct ir_policy *p;
			const struct ll_plan *plan;
			const struct ll_ruleset *rs;

			if (it->kind != AST_ITEM_PROFILE)
				continue;
			p = ir_resolve(ctx, &unit, it->name->text, &opts);
			if (!p ||
			    ll_lower(ctx, p,
				     ll_probe_abi() > LL_ABI_MAX
					     ? LL_ABI_MAX
					     : ll_probe_abi(),
				     false, &plan) != 0 ||
			    ll_materialize(ctx, plan, true, &rs) != 0) {
				polc_diagnostics_print(ctx, stderr,
						       POLC_DIAG_TEXT, false);
				return 2;
			}
			for (size_t i = 0;
			     i < sizeof(fixture_files) / sizeof(*fixture_files);
			     i++) {
				char path[512];

				snprintf(path, sizeof(path), "%s/%s", root,
					 fixture_files[i]);
				for (unsigned m = 0; m < 4; m++) {
					struct ir_decision d;
					int pipefd[2], answer = -1, st;
					char err[256];

					ir_decide_path(ctx, p, IR_LINUX, path,
						       1u << m, &d);
					if (pipe(pipefd) != 0)
						return 2;
					pid_t pid = fork();
					if (pid == 0) {
						close(pipefd[0]);
						int r = ll_apply(rs, err,
								 sizeof(err))
								? -2
								: try_access(
									  path,
									  m);
						if (write(pipefd[1], &r,
							  sizeof(r)) < 0)
							_exit(1);
						_exit(0);
					}
					close(pipefd[1]);
					if (read(pipefd[0], &answer,
						 sizeof(answer)) !=
					    sizeof(answer))
						answer = -3;
					close(pipefd[0]);
					waitpid(pid, &st, 0);
					/* Put back what a delete removed. */
					if (m == 3 && access(path, F_OK) != 0)
						copy_file("/bin/true", path);
					pairs++;
					int want = d.verdict == IR_ALLOW;
					if (answer == 0 && want && m == 3 &&
					    reported_cost(rs, path)) {
						costs++;
						continue;
					}
					if (answer != want) {
						disagreements++;
						printf("DISAGREE %s: %s %s: "
						       "decide says %s, the "
						       "kernel %s\n",
						       p->profile,
						       mode_names[m],
						       fixture_files[i],
						       want ? "allow" : "deny",
						       answer == 1   ? "allows"
						       : answer == 0 ? "denies"
								     : "errs");
					}
				}
			}
		}
	}
	polc_ctx_free(ctx);
	/* The fixture goes: everything polc-agree made is under root. */
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	printf("%zu pairs checked: %zu agree, %zu are carve costs the backend "
	       "reports, %zu disagreements\n",
	       pairs, pairs - costs - disagreements, costs, disagreements);
	printf("%zu passed, %zu failed\n", pairs - disagreements,
	       disagreements);
	return disagreements ? 1 : 0;
}
