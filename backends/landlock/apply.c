/*
 * apply.c - the Landlock system calls: probing the ABI and restricting the
 * calling process with a materialised ruleset.
 *
 * ll_apply() runs in polc run's supervisor (polc itself), before it
 * starts the command, and ll_apply_nested() in the command, before it
 * executes.  ll_apply() first makes the ruleset's read-only mounts, then
 * opens each path once (O_PATH, so no read permission is needed, and never
 * following a link for entries a carve listed) and adds the rule on that
 * descriptor (a file gets file rights only); the descriptors are closed
 * in batches.  Any failure aborts before landlock_restrict_self(): the
 * caller then runs nothing, so there is never a partial sandbox.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backends/landlock/landlock.h"

static long create_ruleset(const struct ll_ruleset_attr *attr, size_t size,
			   uint32_t flags)
{
	return syscall(LL_SYS_CREATE_RULESET, attr, size, flags);
}

static long add_rule(int fd, int type, const void *attr)
{
	return syscall(LL_SYS_ADD_RULE, fd, type, attr, 0);
}

static long restrict_self(int fd)
{
	return syscall(LL_SYS_RESTRICT_SELF, fd, 0);
}

unsigned ll_probe_abi(void)
{
	long abi = create_ruleset(NULL, 0, LL_CREATE_RULESET_VERSION);

	return abi > 0 ? (unsigned)abi : 0;
}

/* The size of struct landlock_ruleset_attr for @abi. */
static size_t attr_size(unsigned abi)
{
	if (abi >= 6)
		return sizeof(struct ll_ruleset_attr);
	if (abi >= 4)
		return offsetof(struct ll_ruleset_attr, scoped);
	return offsetof(struct ll_ruleset_attr, handled_access_net);
}

static int fail(char *err, size_t errlen, const char *what, const char *path)
{
	snprintf(err, errlen, "%s%s%s: %s", what, path ? " " : "",
		 path ? path : "", strerror(errno));
	return -1;
}

/*
 * Add the rule @attr for @fd, classified with fstat first: a link gets no
 * rule, a file file rights only.  Returns 0 or -1 with errno set.
 */
static long add_classified(int ruleset, int fd,
			   struct ll_path_beneath_attr *attr)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		attr->allowed_access &= LL_FILE_RIGHTS;
	if (S_ISLNK(st.st_mode) || !attr->allowed_access)
		return 0;
	return add_rule(ruleset, LL_RULE_PATH_BENEATH, attr);
}

/*
 * The rules' descriptors, closed together: a rule's descriptor is needed
 * only until its rule is added, and one close per rule was a third of the
 * system calls of applying.  Held in batches of BATCH, far below
 * RLIMIT_NOFILE; open() hands them out in increasing order, so a batch
 * closes with one close_range() per stretch of consecutive numbers.
 */
enum { BATCH = 64 };

struct fd_batch {
	int fd[BATCH];
	size_t n;
};

static void batch_close(struct fd_batch *b)
{
	for (size_t i = 0, j; i < b->n; i = j + 1) {
		for (j = i; j + 1 < b->n && b->fd[j + 1] == b->fd[j] + 1; j++)
			;
		close_range((unsigned)b->fd[i], (unsigned)b->fd[j], 0);
	}
	b->n = 0;
}

static void batch_add(struct fd_batch *b, int fd)
{
	if (b->n == BATCH)
		batch_close(b);
	b->fd[b->n++] = fd;
}

/*
 * Add @r's rule.  An entry a carve listed is opened without following a
 * link and classified before its rule is added.  A rule path (made
 * canonical, so never a link) is classified only when the kernel refuses
 * its directory rights (EINVAL): it became a file since it was read.  That
 * saves a system call per rule.  Its descriptor goes into @opened.
 */
static int add_path(int ruleset, const struct ll_fs_rule *r, uint64_t handled,
		    struct fd_batch *opened, char *err, size_t errlen)
{
	int fd = open(r->path,
		      O_PATH | O_CLOEXEC | (r->nofollow ? O_NOFOLLOW : 0));
	struct ll_path_beneath_attr attr = {
		.allowed_access = r->rights & handled,
		.parent_fd = fd,
	};

	if (fd < 0) {
		/* Gone since it was listed: nothing to grant on. */
		if (errno == ENOENT || errno == ELOOP)
			return 0;
		return fail(err, errlen, "cannot open", r->path);
	}
	batch_add(opened, fd);
	long rc = 0;
	if (attr.allowed_access && r->nofollow)
		rc = add_classified(ruleset, fd, &attr);
	else if (attr.allowed_access) {
		rc = add_rule(ruleset, LL_RULE_PATH_BENEATH, &attr);
		if (rc != 0 && errno == EINVAL)
			rc = add_classified(ruleset, fd, &attr);
	}
	return rc == 0 ? 0
		       : fail(err, errlen, "cannot add a rule for", r->path);
}

/* Write @text to the /proc file @path (uid_map and its kin). */
static int write_proc(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * A private mount namespace where each of @rs's mount paths is a bind
 * mount of itself, read-only and/or noexec.  Unprivileged, a user namespace
 * that maps only the caller's own ids makes this possible; the process keeps
 * its uid and gid.  Landlock then forbids the sandboxed process to change the
 * mount topology, so it cannot undo the mounts.
 */
static int mount_readonly(const struct ll_ruleset *rs, char *err, size_t errlen)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	char map[64], cwd[PATH_MAX];

	if (!rs->nmounts)
		return 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return fail(err, errlen, "cannot name the current directory",
			    NULL);
	if (geteuid() == 0) {
		if (unshare(CLONE_NEWNS) != 0)
			return fail(err, errlen,
				    "cannot make a mount namespace", NULL);
	} else {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
			return fail(err, errlen,
				    "cannot make a user and mount namespace "
				    "(are unprivileged user namespaces "
				    "disabled?)",
				    NULL);
		snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid,
			 (unsigned)uid);
		if (write_proc("/proc/self/setgroups", "deny") != 0 ||
		    write_proc("/proc/self/uid_map", map) != 0)
			return fail(err, errlen, "cannot map the user id",
				    NULL);
		snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid,
			 (unsigned)gid);
		if (write_proc("/proc/self/gid_map", map) != 0)
			return fail(err, errlen, "cannot map the group id",
				    NULL);
	}
	/* Nothing done here may reach the host's mount table. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return fail(err, errlen, "cannot make the mounts private",
			    NULL);
	for (size_t i = 0; i < rs->nmounts; i++) {
		const char *path = rs->mounts[i].path;
		/* mount_setattr() (Linux 5.12, before Landlock) sets these
		 * and keeps every other flag, the locked ones included. */
		struct mount_attr attr = {
			.attr_set =
				(rs->mounts[i].read_only ? MOUNT_ATTR_RDONLY
							 : 0) |
				(rs->mounts[i].noexec ? MOUNT_ATTR_NOEXEC : 0),
		};

		/* MS_REC keeps a directory's submounts; a file has none, and
		 * binding one alone is a fifth cheaper. */
		unsigned long bind = MS_BIND | (rs->mounts[i].dir ? MS_REC : 0);

		if (mount(path, path, NULL, bind, NULL) != 0)
			return fail(err, errlen, "cannot bind-mount", path);
		if (attr.attr_set &&
		    mount_setattr(AT_FDCWD, path, 0, &attr, sizeof(attr)) != 0)
			return fail(err, errlen, "cannot remount", path);
	}
	/* The current directory still lies in the mounts as they were:
	 * below a pin, relative names would miss every mount made on top of
	 * it (and renames between the two views fail with EXDEV). */
	if (chdir(cwd) != 0)
		return fail(err, errlen,
			    "cannot re-enter the current directory", cwd);
	return 0;
}

int ll_apply(const struct ll_ruleset *rs, char *err, size_t errlen)
{
	const struct ll_plan *plan = rs->plan;
	struct ll_ruleset_attr attr = {
		.handled_access_fs = plan->handled_fs,
		.handled_access_net = plan->handled_net,
		.scoped = plan->scoped,
	};
	if (mount_readonly(rs, err, errlen) != 0)
		return -1;
	int ruleset = (int)create_ruleset(&attr, attr_size(plan->abi), 0);

	if (ruleset < 0)
		return fail(err, errlen,
			    "cannot create a Landlock ruleset (is Landlock "
			    "enabled in this kernel?)",
			    NULL);
	struct fd_batch opened = { .n = 0 };
	for (size_t i = 0; i < rs->nrules; i++) {
		if (add_path(ruleset, &rs->rules[i], plan->handled_fs, &opened,
			     err, errlen) != 0) {
			int saved = errno;
			batch_close(&opened);
			close(ruleset);
			errno = saved;
			return -1;
		}
	}
	batch_close(&opened);
	for (size_t i = 0; i < plan->nports && plan->handled_net; i++) {
		struct ll_net_port_attr net = {
			.allowed_access = plan->ports[i].rights,
			.port = plan->ports[i].port,
		};

		if (add_rule(ruleset, LL_RULE_NET_PORT, &net) != 0) {
			close(ruleset);
			return fail(err, errlen, "cannot add a port rule",
				    NULL);
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    restrict_self(ruleset) != 0) {
		int saved = errno;
		close(ruleset);
		errno = saved;
		return fail(err, errlen, "cannot enforce the ruleset", NULL);
	}
	close(ruleset);
	return 0;
}

int ll_apply_nested(const struct ll_ruleset *rs, char *err, size_t errlen)
{
	const struct ll_plan *plan = rs->plan;
	/* Every layer refuses linking and renaming across directories unless
	 * it grants refer (ABI 2): this one grants it everywhere. */
	uint64_t everything =
		LL_FS_EXECUTE | (plan->abi >= 2 ? LL_FS_REFER : 0);
	struct ll_ruleset_attr attr = {
		.handled_access_fs = everything,
		.scoped = plan->scoped,
	};
	int ruleset = (int)create_ruleset(&attr, attr_size(plan->abi), 0);

	if (ruleset < 0)
		return fail(err, errlen, "cannot create the nested ruleset",
			    NULL);
	int root = open("/", O_PATH | O_CLOEXEC);
	struct ll_path_beneath_attr everywhere = {
		.allowed_access = everything,
		.parent_fd = root,
	};
	long rc =
		root < 0 ? -1
			 : add_rule(ruleset, LL_RULE_PATH_BENEATH, &everywhere);
	if (rc == 0)
		rc = restrict_self(ruleset);
	int saved = errno;
	if (root >= 0)
		close(root);
	close(ruleset);
	errno = saved;
	return rc == 0 ? 0
		       : fail(err, errlen, "cannot enforce the nested ruleset",
			      NULL);
}
