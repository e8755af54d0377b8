/*
 * trace.c - the tracer behind polc learn (see trace.h).
 *
 * The child asks to be traced, stops, sets no_new_privs and loads a
 * filter that traces only the calls listed in traced[]; the ret_data of
 * each SECCOMP_RET_TRACE is the call's index there, so the tracer needs no
 * syscall numbers of its own.  At the seccomp stop the tracer reads the
 * arguments (strings with process_vm_readv, a relative path's base from
 * /proc/PID/cwd or /proc/PID/fd/N) and resumes to the syscall-exit stop,
 * where the result decides whether the access is recorded.
 *
 * The parent blocks SIGCHLD and the signals it forwards and takes them
 * with sigtimedwait(), draining waitpid() after each SIGCHLD: no handler,
 * no global state, and the timeout is the wait's own.
 */
#include "trace.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "common/arena.h"

/* What a traced call does, which decides how its arguments are read. */
enum op {
	OP_OPEN,     /* flags in an argument */
	OP_OPEN_HOW, /* flags in a struct open_how (openat2) */
	OP_CREAT,
	OP_EXEC,
	OP_CREATE, /* mkdir, mknod, the new name of symlink */
	OP_LINK,   /* the new name, then the old one */
	OP_DELETE, /* unlink, rmdir */
	OP_RENAME, /* old and new name */
	OP_TRUNCATE,
	OP_CONNECT,
	OP_BIND,
	OP_SENDTO,
};

/*
 * One traced call: where its path arguments are (dirfd index or -1 for
 * the cwd, path index or -1 for none) and its flags argument (-1: none).
 */
struct traced_call {
	const char *name;
	enum op op;
	int dfd[2];
	int path[2];
	int flags;
};

static const struct traced_call traced[] = {
	{ "open", OP_OPEN, { -1, -1 }, { 0, -1 }, 1 },
	{ "openat", OP_OPEN, { 0, -1 }, { 1, -1 }, 2 },
	{ "openat2", OP_OPEN_HOW, { 0, -1 }, { 1, -1 }, 2 },
	{ "creat", OP_CREAT, { -1, -1 }, { 0, -1 }, -1 },
	{ "execve", OP_EXEC, { -1, -1 }, { 0, -1 }, -1 },
	{ "execveat", OP_EXEC, { 0, -1 }, { 1, -1 }, 4 },
	{ "mkdir", OP_CREATE, { -1, -1 }, { 0, -1 }, -1 },
	{ "mkdirat", OP_CREATE, { 0, -1 }, { 1, -1 }, -1 },
	{ "mknod", OP_CREATE, { -1, -1 }, { 0, -1 }, -1 },
	{ "mknodat", OP_CREATE, { 0, -1 }, { 1, -1 }, -1 },
	{ "link", OP_LINK, { -1, -1 }, { 1, 0 }, -1 },
	{ "linkat", OP_LINK, { 2, 0 }, { 3, 1 }, -1 },
	{ "symlink", OP_CREATE, { -1, -1 }, { 1, -1 }, -1 },
	{ "symlinkat", OP_CREATE, { 1, -1 }, { 2, -1 }, -1 },
	{ "unlink", OP_DELETE, { -1, -1 }, { 0, -1 }, -1 },
	{ "unlinkat", OP_DELETE, { 0, -1 }, { 1, -1 }, -1 },
	{ "rmdir", OP_DELETE, { -1, -1 }, { 0, -1 }, -1 },
	{ "rename", OP_RENAME, { -1, -1 }, { 0, 1 }, -1 },
	{ "renameat", OP_RENAME, { 0, 2 }, { 1, 3 }, -1 },
	{ "renameat2", OP_RENAME, { 0, 2 }, { 1, 3 }, 4 },
	{ "truncate", OP_TRUNCATE, { -1, -1 }, { 0, -1 }, -1 },
	{ "connect", OP_CONNECT, { -1, -1 }, { -1, -1 }, -1 },
	{ "bind", OP_BIND, { -1, -1 }, { -1, -1 }, -1 },
	/* Only with an address: sends on a connected socket are not stopped.
	 * sendmsg is not traced: its address sits behind a pointer no
	 * filter can test, and stopping every message would cost too much. */
	{ "sendto", OP_SENDTO, { -1, -1 }, { -1, -1 }, -1 },
};

enum {
	NTRACED = sizeof(traced) / sizeof(*traced),
	/* ret_data of the calls stopped only to be counted (all_syscalls) */
	COUNT_ONLY = 0xffff,
	/* syscall numbers recorded; above every number Linux has */
	MAX_SYSCALL = 1024,
};

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/**
 * struct tracee - one traced thread
 * @in_syscall: stopped at a traced call's entry; its exit is awaited
 * @started: its first stop (the SIGSTOP that attaching sends) was seen
 * @call: index into traced[] of the pending call
 * @kinds: what the pending call does to each path, when it succeeds
 * @path: the pending call's paths, absolute ("" where none)
 * @one_name: @path[0] is a name in a directory whose links are resolved
 * @net: the pending call's endpoint
 */
struct tracee {
	pid_t pid;
	bool in_syscall;
	bool started;
	int call;
	unsigned kinds[2];
	char path[2][PATH_MAX];
	bool one_name;
	struct trace_net net;
	char addr[INET6_ADDRSTRLEN];
};

/**
 * struct tracer - the state of one run
 * @table: open-addressing hash of paths, @cap slots (a power of two)
 */
struct tracer {
	struct arena *arena;
	struct tracee *tracees;
	size_t ntracees, tracees_cap;
	struct trace_path *table;
	size_t npaths, cap;
	struct trace_result *out;
	const struct trace_options *opts;
	size_t net_cap;
	pid_t main;
	bool oom;
	bool exec_seen;
	bool used[MAX_SYSCALL];
};

/* ---- recording -------------------------------------------------------------
 */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

static struct trace_path *path_slot(struct trace_path *table, size_t cap,
				    const char *path)
{
	size_t i = hash_str(path) & (cap - 1);

	while (table[i].path && strcmp(table[i].path, path) != 0)
		i = (i + 1) & (cap - 1);
	return &table[i];
}

static int grow_paths(struct tracer *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	struct trace_path *table = calloc(cap, sizeof(*table));

	if (!table)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->table[i].path)
			*path_slot(table, cap, t->table[i].path) = t->table[i];
	free(t->table);
	t->table = table;
	t->cap = cap;
	return 0;
}

static void record_path(struct tracer *t, const char *path, unsigned kinds,
			bool dir)
{
	if (!kinds || path[0] != '/')
		return;
	if (2 * (t->npaths + 1) > t->cap && grow_paths(t) != 0) {
		t->oom = true;
		return;
	}
	struct trace_path *p = path_slot(t->table, t->cap, path);
	if (!p->path) {
		p->path = arena_strdup(t->arena, path);
		t->npaths++;
	}
	p->kinds |= kinds;
	p->dir |= dir;
	for (unsigned b = 0; b < TRACE_NKINDS; b++)
		if (kinds & (1u << b))
			p->count[b]++;
}

static void record_net(struct tracer *t, const struct tracee *te)
{
	struct trace_result *out = t->out;

	for (size_t i = 0; i < out->nnet; i++) {
		struct trace_net *n = &out->net[i];

		if (n->kind == te->net.kind && n->proto == te->net.proto &&
		    n->port == te->net.port && !strcmp(n->addr, te->addr)) {
			n->count++;
			return;
		}
	}
	struct trace_net *n =
		arena_array_push(t->arena, (void **)&out->net, &out->nnet,
				 &t->net_cap, sizeof(*n));
	*n = te->net;
	n->addr = arena_strdup(t->arena, te->addr);
	n->count = 1;
}

/* ---- reading the tracee ----------------------------------------------------
 */

/* A NUL-terminated string at @addr in @pid; -1 when unreadable. */
static int read_string(pid_t pid, uint64_t addr, char *buf, size_t size)
{
	size_t got = 0;
	long page = sysconf(_SC_PAGESIZE);

	while (got + 1 < size) {
		/* Never read across a page that may not be mapped. */
		size_t chunk = (size_t)page - ((addr + got) % (size_t)page);
		if (chunk > size - 1 - got)
			chunk = size - 1 - got;
		struct iovec local = { buf + got, chunk };
		struct iovec remote = { (void *)(uintptr_t)(addr + got),
					chunk };
		ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return -1;
		if (memchr(buf + got, '\0', (size_t)n))
			return 0;
		got += (size_t)n;
	}
	return -1;
}

static int read_mem(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };

	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len
		       ? 0
		       : -1;
}

/* The path @fd of @pid stands for (AT_FDCWD: its cwd); -1 if none. */
static int fd_path(pid_t pid, int fd, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	if (fd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", (int)pid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(link, buf, size - 1);
	if (n <= 0 || buf[0] != '/')
		return -1;
	buf[n] = '\0';
	return 0;
}

/* Remove "." and ".." components and repeated slashes, in place. */
static void normalise(char *path)
{
	char *out = path, *in = path;

	while (*in) {
		while (*in == '/')
			in++;
		char *end = strchrnul(in, '/');
		size_t len = (size_t)(end - in);
		if (len == 0 || (len == 1 && in[0] == '.')) {
			/* nothing */
		} else if (len == 2 && in[0] == '.' && in[1] == '.') {
			while (out > path && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, in, len);
			out += len;
		}
		in = end;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/*
 * The absolute path of argument @path_arg of the call at @args: -1 when it
 * cannot be read.  An empty path (AT_EMPTY_PATH) names the dirfd itself.
 * *@one_name tells whether it is one name in the directory of a
 * descriptor, whose path the kernel gave with links resolved.
 */
static int call_path(pid_t pid, const uint64_t *args, int dfd_arg, int path_arg,
		     char *out, bool *one_name)
{
	char rel[PATH_MAX];
	int dfd = dfd_arg >= 0 ? (int)args[dfd_arg] : AT_FDCWD;

	if (read_string(pid, args[path_arg], rel, sizeof(rel)) != 0)
		return -1;
	*one_name = rel[0] && !strchr(rel, '/') && strcmp(rel, ".") != 0 &&
		    strcmp(rel, "..") != 0;
	if (rel[0] == '/') {
		memcpy(out, rel, strlen(rel) + 1);
	} else {
		char base[PATH_MAX];
		size_t blen, rlen = strlen(rel);

		if (fd_path(pid, dfd, base, sizeof(base)) != 0 ||
		    (blen = strlen(base)) + rlen + 2 > PATH_MAX)
			return -1;
		memcpy(out, base, blen);
		out[blen] = '/';
		memcpy(out + blen + 1, rel, rlen + 1);
	}
	normalise(out);
	return 0;
}

/* @path with the symbolic links of its directory resolved, in place. */
static void resolve_parent(char *path)
{
	char *slash = strrchr(path, '/');
	char dir[PATH_MAX], real[PATH_MAX];

	if (!slash || slash == path)
		return;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if (!realpath(dir, real) || strlen(real) + strlen(slash) >= PATH_MAX)
		return;
	strcat(real, slash);
	memcpy(path, real, strlen(real) + 1);
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static bool same_directory(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');

	return sa - a == sb - b && !strncmp(a, b, (size_t)(sa - a));
}

/* The transport of socket @fd in @pid: 6, 17, or 0 when neither. */
static unsigned socket_proto(pid_t pid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	unsigned proto = 0;

	if (pidfd < 0)
		return 0;
	int sock = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (sock >= 0) {
		int type = 0;
		socklen_t len = sizeof(type);

		if (getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &len) == 0)
			proto = type == SOCK_STREAM  ? 6
				: type == SOCK_DGRAM ? 17
						     : 0;
		close(sock);
	}
	close(pidfd);
	return proto;
}

/*
 * A connect(2) to a unix socket with a path needs write on the socket under
 * polc run (spec/semantics.md §4.8): a path need, kept in te->path[0] as an
 * absolute path.  False for an abstract or unnamed address, which needs no
 * grant.
 */
static bool unix_socket_path(struct tracee *te, const struct sockaddr_un *un,
			     size_t len)
{
	size_t max = len - offsetof(struct sockaddr_un, sun_path);
	char rel[sizeof(un->sun_path) + 1];
	char *out = te->path[0];

	if (len <= offsetof(struct sockaddr_un, sun_path) || !un->sun_path[0])
		return false;
	memcpy(rel, un->sun_path, max);
	rel[max] = '\0';
	if (rel[0] == '/') {
		memcpy(out, rel, strlen(rel) + 1);
	} else {
		if (fd_path(te->pid, AT_FDCWD, out,
			    PATH_MAX - sizeof(rel) - 1) != 0)
			return false;
		strcat(strcat(out, "/"), rel);
	}
	normalise(out);
	te->kinds[0] = TRACE_WRITE;
	return true;
}

/* The endpoint of the call at @args into te->net; false if not IP (a socket
 * path goes to te->path[0]). */
static bool call_endpoint(struct tracee *te, const uint64_t *args, enum op op)
{
	struct sockaddr_storage sa = { 0 };
	uint64_t addr = op == OP_SENDTO ? args[4] : args[1];
	uint64_t len = op == OP_SENDTO ? args[5] : args[2];

	if (!addr || len < sizeof(sa_family_t))
		return false;
	if (len > sizeof(sa))
		len = sizeof(sa);
	if (read_mem(te->pid, addr, &sa, (size_t)len) != 0)
		return false;
	if (sa.ss_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const void *)&sa;

		te->net.port = ntohs(in->sin_port);
		inet_ntop(AF_INET, &in->sin_addr, te->addr, sizeof(te->addr));
	} else if (sa.ss_family == AF_INET6 &&
		   len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const void *)&sa;

		te->net.port = ntohs(in6->sin6_port);
		inet_ntop(AF_INET6, &in6->sin6_addr, te->addr,
			  sizeof(te->addr));
	} else if (sa.ss_family == AF_UNIX && op == OP_CONNECT) {
		return unix_socket_path(te, (const struct sockaddr_un *)&sa,
					(size_t)len);
	} else {
		return false;
	}
	te->net.kind = op == OP_CONNECT ? TRACE_CONNECT
		       : op == OP_BIND	? TRACE_BIND
					: TRACE_SEND;
	te->net.proto = socket_proto(te->pid, (int)args[0]);
	/* Port 0 asks the kernel to choose (bind) or is no endpoint. */
	return te->net.proto != 0 && te->net.port != 0;
}

/* ---- entry and exit of a traced call ---------------------------------------
 */

/* What an open with @flags does to its path; *create when it may create. */
static unsigned open_kinds(uint64_t flags, bool *create)
{
	unsigned kinds = 0;

	*create = false;
	if (flags & O_PATH)
		return 0; /* Landlock checks nothing on O_PATH */
	switch (flags & O_ACCMODE) {
	case O_RDONLY: kinds = TRACE_READ; break;
	case O_WRONLY: kinds = TRACE_WRITE; break;
	default: kinds = TRACE_READ | TRACE_WRITE;
	}
	if (flags & O_TRUNC)
		kinds |= TRACE_WRITE;
	*create = (flags & O_CREAT) != 0;
	return kinds;
}

/*
 * Whether the pending open or exec of @te needs no grant whatever its
 * result: then its exit need not be waited for.  Decided on the path with
 * its links resolved, which is what Landlock checks.
 */
static bool covered(struct tracer *t, enum op op, struct tracee *te)
{
	char real[PATH_MAX];

	if (!t->opts->covered || (te->kinds[0] & (TRACE_CREATE | TRACE_DELETE)))
		return false;
	if (op == OP_EXEC) {
		for (int i = 0; i < 2; i++)
			if (te->kinds[i] &&
			    !t->opts->covered(te->path[i], te->kinds[i],
					      t->opts->covered_arg))
				return false;
	} else if (op != OP_OPEN && op != OP_OPEN_HOW) {
		return false;
	} else {
		/* One name in a resolved directory: resolved unless a link. */
		struct stat st;
		const char *path = te->path[0];

		if (!te->one_name || lstat(path, &st) != 0 ||
		    S_ISLNK(st.st_mode))
			path = realpath(te->path[0], real);
		if (!path ||
		    !t->opts->covered(path, te->kinds[0], t->opts->covered_arg))
			return false;
	}
	t->out->covered++;
	return true;
}

/*
 * The interpreter a script at @path names with "#!", links resolved, into
 * @out: the kernel opens it to run the script, with the same checks as
 * the script.  An interpreter that is a script itself names the next, up
 * to the kernel's own limit of nesting.  Returns -1 when @path is no
 * script.
 */
static int interpreter(const char *path, char *out)
{
	char line[PATH_MAX + 2], real[PATH_MAX];
	const char *at = path;
	int found = -1;

	for (int depth = 0; depth < 4; depth++) {
		int fd = open(at, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, line, sizeof(line) - 1);

		if (fd >= 0)
			close(fd);
		if (n < 3 || line[0] != '#' || line[1] != '!')
			break;
		line[n] = '\0';
		char *name = line + 2 + strspn(line + 2, " \t");
		name[strcspn(name, " \t\n")] = '\0';
		if (name[0] != '/' || !realpath(name, real))
			break;
		memcpy(out, real, strlen(real) + 1);
		found = 0;
		at = out;
	}
	return found;
}

/* Decode the call at a seccomp stop; returns whether its exit matters. */
static bool on_syscall_entry(struct tracer *t, struct tracee *te,
			     const struct __ptrace_syscall_info *info)
{
	const uint64_t *args = info->seccomp.args;
	unsigned idx = info->seccomp.ret_data;

	if (idx >= NTRACED)
		return false;
	const struct traced_call *c = &traced[idx];
	t->out->calls++;
	te->call = (int)idx;
	te->kinds[0] = te->kinds[1] = 0;
	te->path[0][0] = te->path[1][0] = '\0';
	if (c->op == OP_CONNECT || c->op == OP_BIND || c->op == OP_SENDTO)
		return call_endpoint(te, args, c->op);
	for (int i = 0; i < 2 && c->path[i] >= 0; i++)
		if (call_path(te->pid, args, c->dfd[i], c->path[i], te->path[i],
			      &te->one_name) != 0)
			te->path[i][0] = '\0';
	if (!te->path[0][0])
		return false;

	uint64_t flags = c->flags >= 0 ? args[c->flags] : 0;
	bool create = false;
	switch (c->op) {
	case OP_OPEN_HOW: {
		struct open_how how;

		if (read_mem(te->pid, flags, &how, sizeof(how.flags)) != 0)
			return false;
		flags = how.flags;
	}
		/* fall through */
	case OP_OPEN:
		te->kinds[0] = open_kinds(flags, &create);
		/* A file opened O_RDWR as it is created is also read. */
		if (create && !exists(te->path[0]))
			te->kinds[0] =
				TRACE_CREATE | (te->kinds[0] & TRACE_READ);
		break;
	case OP_CREAT:
		te->kinds[0] = exists(te->path[0]) ? TRACE_WRITE : TRACE_CREATE;
		break;
	case OP_EXEC: {
		char real[PATH_MAX];

		/* execveat(fd, "", …, AT_EMPTY_PATH) runs the fd itself.  The
		 * kernel opens what it runs for reading as well. */
		if (realpath(te->path[0], real))
			memcpy(te->path[0], real, strlen(real) + 1);
		te->kinds[0] = TRACE_EXEC | TRACE_READ;
		if (interpreter(te->path[0], te->path[1]) == 0)
			te->kinds[1] = TRACE_EXEC | TRACE_READ;
		break;
	}
	case OP_CREATE: te->kinds[0] = TRACE_CREATE; break;
	case OP_LINK:
		te->kinds[0] = TRACE_CREATE;
		/* Across directories: 'refer' on both, as for a rename. */
		if (te->path[1][0] &&
		    !same_directory(te->path[0], te->path[1])) {
			te->kinds[0] |= TRACE_DELETE;
			te->kinds[1] = TRACE_CREATE | TRACE_DELETE;
		}
		break;
	case OP_DELETE: te->kinds[0] = TRACE_DELETE; break;
	case OP_RENAME:
		if (!te->path[1][0])
			return false;
		te->kinds[0] = TRACE_DELETE;
		te->kinds[1] = TRACE_CREATE;
		/* Replacing or exchanging removes what was at the new name. */
		if (exists(te->path[1]))
			te->kinds[1] |= TRACE_DELETE;
		/* Across directories Landlock also wants 'refer' on both,
		 * which only write and delete together give (spec/backends/
		 * landlock.md). */
		if ((flags & RENAME_EXCHANGE) ||
		    !same_directory(te->path[0], te->path[1])) {
			te->kinds[0] |= TRACE_CREATE;
			te->kinds[1] |= TRACE_DELETE;
		}
		break;
	case OP_TRUNCATE: {
		char real[PATH_MAX];

		if (realpath(te->path[0], real))
			memcpy(te->path[0], real, strlen(real) + 1);
		te->kinds[0] = TRACE_WRITE;
		break;
	}
	default: return false;
	}
	return te->kinds[0] != 0 && !covered(t, c->op, te);
}

/* Record the pending call of @te if it succeeded. */
static void on_syscall_exit(struct tracer *t, struct tracee *te,
			    const struct __ptrace_syscall_info *info)
{
	const struct traced_call *c = &traced[te->call];
	bool dir = false;

	if (info->exit.is_error &&
	    !(c->op == OP_CONNECT && info->exit.rval == -EINPROGRESS)) {
		t->out->failed++;
		return;
	}
	if (c->op == OP_CONNECT && te->path[0][0]) {
		/* The socket as the kernel found it: links resolved. */
		char real[PATH_MAX];

		if (realpath(te->path[0], real))
			record_path(t, real, te->kinds[0], false);
		return;
	}
	if (c->op == OP_CONNECT || c->op == OP_BIND || c->op == OP_SENDTO) {
		record_net(t, te);
		return;
	}
	if ((c->op == OP_OPEN || c->op == OP_OPEN_HOW || c->op == OP_CREAT) &&
	    !(te->kinds[0] & TRACE_CREATE)) {
		/* The descriptor names what was opened, links resolved. */
		char real[PATH_MAX], fd[64];
		struct stat st;

		if (fd_path(te->pid, (int)info->exit.rval, real,
			    sizeof(real)) == 0)
			memcpy(te->path[0], real, strlen(real) + 1);
		snprintf(fd, sizeof(fd), "/proc/%d/fd/%d", (int)te->pid,
			 (int)info->exit.rval);
		dir = stat(fd, &st) == 0 && S_ISDIR(st.st_mode);
	} else if (c->op != OP_EXEC && c->op != OP_TRUNCATE) {
		for (int i = 0; i < 2; i++)
			if (te->path[i][0])
				resolve_parent(te->path[i]);
	}
	for (int i = 0; i < 2; i++)
		if (te->path[i][0])
			record_path(t, te->path[i], te->kinds[i], dir);
}

/* ---- the tracees -----------------------------------------------------------
 */

static struct tracee *find_tracee(struct tracer *t, pid_t pid)
{
	for (size_t i = 0; i < t->ntracees; i++)
		if (t->tracees[i].pid == pid)
			return &t->tracees[i];
	return NULL;
}

static struct tracee *add_tracee(struct tracer *t, pid_t pid)
{
	if (t->ntracees == t->tracees_cap) {
		size_t cap = t->tracees_cap ? t->tracees_cap * 2 : 16;
		struct tracee *n = realloc(t->tracees, cap * sizeof(*n));

		if (!n)
			return NULL;
		t->tracees = n;
		t->tracees_cap = cap;
	}
	struct tracee *te = &t->tracees[t->ntracees++];
	memset(te, 0, sizeof(*te));
	te->pid = pid;
	t->out->processes++;
	return te;
}

static void drop_tracee(struct tracer *t, struct tracee *te)
{
	*te = t->tracees[--t->ntracees];
}

static void resume(const struct tracee *te, int sig)
{
	ptrace(te->in_syscall ? PTRACE_SYSCALL : PTRACE_CONT, te->pid, 0,
	       (void *)(uintptr_t)sig);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

/* One report of waitpid() about @pid. */
static void on_wait(struct tracer *t, pid_t pid, int status)
{
	struct tracee *te = find_tracee(t, pid);
	struct __ptrace_syscall_info info;

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (pid == t->main)
			t->out->status = WIFEXITED(status)
						 ? WEXITSTATUS(status)
						 : 128 + WTERMSIG(status);
		if (te)
			drop_tracee(t, te);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	if (!te && !(te = add_tracee(t, pid))) {
		t->oom = true;
		ptrace(PTRACE_CONT, pid, 0, 0);
		return;
	}
	int sig = WSTOPSIG(status), event = status >> 16;
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info) >
			    0 &&
		    info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
			/* What polc's child does before the exec is not the
			 * command's. */
			if (t->exec_seen && info.seccomp.nr < MAX_SYSCALL)
				t->used[info.seccomp.nr] = true;
			te->in_syscall = on_syscall_entry(t, te, &info);
		}
		resume(te, 0);
		return;
	case PTRACE_EVENT_EXEC: {
		unsigned long former = 0;

		t->exec_seen = true;
		/* A thread that execs takes over the leader's pid. */
		ptrace(PTRACE_GETEVENTMSG, pid, 0, &former);
		struct tracee *old = find_tracee(t, (pid_t)former);
		if ((pid_t)former != pid && old) {
			struct tracee moved = *old;

			moved.pid = pid;
			*te = moved;
			drop_tracee(t, old);
			te = find_tracee(t, pid);
		}
		resume(te, 0);
		return;
	}
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE: resume(te, 0); return;
	case 0: break;
	default: resume(te, 0); return;
	}
	if (sig == (SIGTRAP | 0x80)) {
		if (te->in_syscall &&
		    ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info) >
			    0 &&
		    info.op == PTRACE_SYSCALL_INFO_EXIT)
			on_syscall_exit(t, te, &info);
		te->in_syscall = false;
		resume(te, 0);
		return;
	}
	if (sig == SIGSTOP && !te->started) {
		/* The stop that attaching a new process sends: swallow it. */
		te->started = true;
		resume(te, 0);
		return;
	}
	te->started = true;
	siginfo_t si;
	if (is_stop_signal(sig) && ptrace(PTRACE_GETSIGINFO, pid, 0, &si) != 0)
		sig = 0; /* a group-stop, not a signal to deliver */
	resume(te, sig);
}

/* ---- the filter and the child ----------------------------------------------
 */

/* The tracing filter as classic BPF, in malloc'd memory. */
static int build_filter(struct sock_fprog *prog, bool all, char *err,
			size_t errlen)
{
	scmp_filter_ctx sc =
		seccomp_init(all ? SCMP_ACT_TRACE(COUNT_ONLY) : SCMP_ACT_ALLOW);
	int fd = -1, rc = -1;
	struct stat st;

	prog->filter = NULL;
	if (!sc) {
		snprintf(err, errlen, "libseccomp: out of memory");
		return -1;
	}
	/* sendto stops only when it names an address (arg4 != 0). */
	const struct scmp_arg_cmp with_address = {
		.arg = 4, .op = SCMP_CMP_NE, .datum_a = 0, .datum_b = 0
	};

	for (unsigned i = 0; i < NTRACED; i++) {
		int nr = seccomp_syscall_resolve_name(traced[i].name);

		if (nr == __NR_SCMP_ERROR || nr < 0)
			continue; /* not on this architecture (open on arm64) */
		int r = traced[i].op == OP_SENDTO
				? seccomp_rule_add(sc, SCMP_ACT_TRACE(i), nr, 1,
						   with_address)
				: seccomp_rule_add(sc, SCMP_ACT_TRACE(i), nr,
						   0);
		if (r != 0) {
			snprintf(err, errlen, "libseccomp: cannot trace %s: %s",
				 traced[i].name, strerror(-r));
			goto out;
		}
	}
	fd = memfd_create("polc-learn-filter", MFD_CLOEXEC);
	if (fd < 0 || seccomp_export_bpf(sc, fd) != 0 || fstat(fd, &st) != 0 ||
	    st.st_size <= 0 || st.st_size % sizeof(struct sock_filter)) {
		snprintf(err, errlen, "cannot build the tracing filter");
		goto out;
	}
	prog->filter = malloc((size_t)st.st_size);
	prog->len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	if (!prog->filter ||
	    pread(fd, prog->filter, (size_t)st.st_size, 0) != st.st_size) {
		snprintf(err, errlen, "cannot read the tracing filter");
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	seccomp_release(sc);
	return rc;
}

/* What the child writes on the report pipe when it cannot exec. */
static void child_fail(int fd, int status, int err, const char *msg)
{
	char buf[600];
	int n = snprintf(buf, sizeof(buf), "%d:%d:%s", status, err, msg);

	if (n > 0 && write(fd, buf, (size_t)n) < 0)
		_exit(125);
	_exit(status);
}

static void run_child(const struct trace_options *opts,
		      const struct sock_fprog *prog, int report,
		      const sigset_t *saved)
{
	char err[512];

	sigprocmask(SIG_SETMASK, saved, NULL);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
		child_fail(report, 125, errno, "cannot be traced");
	raise(SIGSTOP); /* the parent sets its options meanwhile */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) != 0)
		child_fail(report, 125, errno,
			   "cannot load the tracing filter");
	if (opts->child_setup &&
	    opts->child_setup(opts->arg, err, sizeof(err)) != 0)
		child_fail(report, 125, errno, err);
	execvpe(opts->argv[0], opts->argv, opts->envp);
	child_fail(report, errno == ENOENT ? 127 : 126, errno, opts->argv[0]);
}

/* ---- the parent ------------------------------------------------------------
 */

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static int cmp_paths(const void *a, const void *b)
{
	const struct trace_path *x = a, *y = b;

	return strcmp(x->path, y->path);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of the syscalls used, sorted, into t->out. */
static void collect_syscalls(struct tracer *t)
{
	size_t n = 0, cap = 0;
	int execve = seccomp_syscall_resolve_name("execve");

	/* The exec that started the command came before recording did. */
	if (execve >= 0 && execve < MAX_SYSCALL)
		t->used[execve] = true;
	for (int nr = 0; nr < MAX_SYSCALL; nr++) {
		if (!t->used[nr])
			continue;
		char *name =
			seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (!name)
			continue;
		const char **slot =
			arena_array_push(t->arena, (void **)&t->out->syscalls,
					 &n, &cap, sizeof(*slot));
		*slot = arena_strdup(t->arena, name);
		free(name);
	}
	t->out->nsyscalls = n;
	if (n)
		qsort(t->out->syscalls, n, sizeof(*t->out->syscalls),
		      cmp_names);
}

/* Wait for every tracee to end, handling stops, signals and the timeout. */
static void trace_loop(struct tracer *t, const sigset_t *waited,
		       unsigned timeout)
{
	struct timespec deadline, now;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout;
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, __WALL | WNOHANG);

		if (pid > 0) {
			on_wait(t, pid, status);
			continue;
		}
		if (pid < 0 && errno == ECHILD)
			return;
		if (pid < 0 && errno != EINTR)
			return;
		if (pid < 0)
			continue;

		struct timespec left = { 3600, 0 };
		if (timeout && !t->out->timed_out) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			left.tv_sec = deadline.tv_sec - now.tv_sec;
			left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
			if (left.tv_nsec < 0) {
				left.tv_nsec += 1000000000L;
				left.tv_sec--;
			}
			if (left.tv_sec < 0) {
				t->out->timed_out = true;
				for (size_t i = 0; i < t->ntracees; i++)
					kill(t->tracees[i].pid, SIGKILL);
				kill(t->main, SIGKILL);
				continue;
			}
		}
		siginfo_t si;
		int sig = sigtimedwait(waited, &si, &left);
		if (sig > 0 && sig != SIGCHLD)
			kill(t->main, sig);
	}
}

/* Read what the child said before exec, if anything; -1 when it did. */
static int read_failure(int fd, struct trace_result *out, char *err,
			size_t errlen)
{
	char buf[640];
	ssize_t n;
	int status, code;
	char *msg;

	do
		n = read(fd, buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	status = (int)strtol(buf, &msg, 10);
	code = (int)strtol(msg + (*msg == ':'), &msg, 10);
	msg += *msg == ':';
	out->status = status;
	if (status == 125)
		snprintf(err, errlen, "%s: %s", msg, strerror(code));
	else
		snprintf(err, errlen, "cannot run '%s': %s", msg,
			 strerror(code));
	return -1;
}

int trace_run(struct arena *arena, const struct trace_options *opts,
	      struct trace_result *out, char *err, size_t errlen)
{
	struct tracer t = { .arena = arena, .out = out, .opts = opts };
	struct sock_fprog prog;
	sigset_t waited, saved;
	int report[2], status, rc = -1;

	memset(out, 0, sizeof(*out));
	out->status = -1;
	if (build_filter(&prog, opts->all_syscalls, err, errlen) != 0) {
		free(prog.filter);
		return -1;
	}
	if (pipe2(report, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot make a pipe: %s",
			 strerror(errno));
		free(prog.filter);
		return -1;
	}
	sigemptyset(&waited);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(*forwarded); i++)
		sigaddset(&waited, forwarded[i]);
	sigaddset(&waited, SIGCHLD);
	sigprocmask(SIG_BLOCK, &waited, &saved);
	fflush(NULL);
	t.main = fork();
	if (t.main == 0)
		run_child(opts, &prog, report[1], &saved);
	close(report[1]);
	free(prog.filter);
	if (t.main < 0) {
		snprintf(err, errlen, "cannot fork: %s", strerror(errno));
		goto out;
	}
	/* The child stops itself once traced; set the options then. */
	if (waitpid(t.main, &status, __WALL) != t.main || !WIFSTOPPED(status)) {
		out->status = WIFEXITED(status) ? WEXITSTATUS(status) : 125;
		if (read_failure(report[0], out, err, errlen) == 0)
			snprintf(err, errlen,
				 "the command could not be traced");
		goto out;
	}
	if (ptrace(PTRACE_SETOPTIONS, t.main, 0,
		   PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
			   PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
			   PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP |
			   PTRACE_O_EXITKILL) != 0) {
		snprintf(err, errlen, "cannot trace: %s", strerror(errno));
		kill(t.main, SIGKILL);
		waitpid(t.main, &status, __WALL);
		goto out;
	}
	struct tracee *first = add_tracee(&t, t.main);
	if (!first) {
		snprintf(err, errlen, "out of memory");
		kill(t.main, SIGKILL);
		waitpid(t.main, &status, __WALL);
		goto out;
	}
	first->started = true;
	ptrace(PTRACE_CONT, t.main, 0, 0);
	trace_loop(&t, &waited, opts->timeout);
	if (read_failure(report[0], out, err, errlen) != 0)
		goto out;
	if (t.oom || arena_failed(arena)) {
		snprintf(err, errlen, "out of memory while tracing");
		goto out;
	}
	out->paths = arena_alloc(arena, (t.npaths + 1) * sizeof(*out->paths));
	for (size_t i = 0; i < t.cap; i++)
		if (t.table[i].path)
			out->paths[out->npaths++] = t.table[i];
	qsort(out->paths, out->npaths, sizeof(*out->paths), cmp_paths);
	if (opts->all_syscalls)
		collect_syscalls(&t);
	rc = 0;
out:
	sigprocmask(SIG_SETMASK, &saved, NULL);
	close(report[0]);
	free(t.table);
	free(t.tracees);
	return rc;
}
