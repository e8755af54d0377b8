/*
 * mediate.c - connect(2) mediation: the program that sends every connect(2)
 * to the supervisor, and the supervisor's answer.
 *
 * The supervisor never lets the kernel resume a call it looked at
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE): the kernel would read the address
 * and the descriptor table again, after the check, and another thread of
 * the sandbox could have changed either.  It takes the socket with
 * pidfd_getfd(), opens a socket path with O_PATH relative to the caller's
 * working directory, decides on the path that descriptor names (symbolic
 * links resolved) and connects through /proc/self/fd/N, so the inode
 * checked is the inode connected to.
 */
#include "lib/mediate.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "backends/seccomp/seccomp.h"
#include "common/arena.h"
#include "common/ctx.h"
#include "common/diag.h"
#include "ir/ir.h"

extern char **environ;

/* Room for the kernel's struct seccomp_notif_resp, which may outgrow ours. */
enum { RESP_ROOM = 256 };

/**
 * struct mediator - what the supervisor decides with
 * @ctx: the compilation, whose arena holds what mediate_prepare() makes
 * @policy: the resolved policy
 * @hidden: canonical paths of the sockets named by variables the policy
 *          keeps from the sandbox (SSH_AUTH_SOCK …), @nhidden of them
 * @hidden_by: the variable that named each
 * @program: the policy's seccomp program, sending connect(2) here
 * @notif_size: the kernel's size of struct seccomp_notif
 * @notif: a buffer of @notif_size bytes
 */
struct mediator {
	struct polc_ctx *ctx;
	const struct ir_policy *policy;
	const struct sc_program *program;
	const char **hidden;
	const char **hidden_by;
	size_t nhidden, chidden, chidden_by;
	size_t notif_size;
	struct seccomp_notif *notif;
};

/* Whether the sandbox may not write somewhere: a socket there is closed. */
static bool denies_writing(struct polc_ctx *ctx, const struct ir_policy *p)
{
	struct ir_decision root;

	for (size_t i = 0; i < p->npaths; i++) {
		const struct ir_path_rule *r = &p->paths[i];

		if ((r->platforms & IR_LINUX) && r->verdict == IR_DENY &&
		    (r->modes & IR_WRITE))
			return true;
	}
	/* No deny: allows cover what lies below them, so "/" says it all. */
	ir_decide_path(ctx, p, IR_LINUX, "/", IR_WRITE, &root);
	return root.verdict != IR_ALLOW;
}

/*
 * The sockets named by variables that the sandbox does not get: dropping
 * SSH_AUTH_SOCK says the agent is not the sandbox's to use, wherever it
 * listens (in /tmp, which most profiles let the sandbox write).
 */
static void collect_hidden(struct mediator *m)
{
	for (char **e = environ; *e && !arena_failed(&m->ctx->arena); e++) {
		const char *eq = strchr(*e, '=');
		struct stat st;
		char *real;

		if (!eq || eq[1] != '/')
			continue;
		const char *name =
			arena_strndup(&m->ctx->arena, *e, (size_t)(eq - *e));
		const struct ir_env_rule *why;

		if (arena_failed(&m->ctx->arena) ||
		    ir_decide_env(m->policy, IR_LINUX, name, &why) ==
			    IR_ALLOW ||
		    stat(eq + 1, &st) != 0 || !S_ISSOCK(st.st_mode) ||
		    !(real = realpath(eq + 1, NULL)))
			continue;
		const char *copy = arena_strdup(&m->ctx->arena, real);
		size_t nby = m->nhidden;
		const char **by = arena_array_push(
			&m->ctx->arena, (void **)&m->hidden_by, &nby,
			&m->chidden_by, sizeof(*m->hidden_by));
		const char **slot = arena_array_push(
			&m->ctx->arena, (void **)&m->hidden, &m->nhidden,
			&m->chidden, sizeof(*m->hidden));

		free(real);
		if (!arena_failed(&m->ctx->arena)) {
			*slot = copy;
			*by = name;
		}
	}
}

/*
 * An incomplete mediation, because of @why: an error, or a warning with
 * --best-effort.  Returns @refused, or 0 with --best-effort.
 */
static int incomplete(struct polc_ctx *ctx, bool best_effort, int refused,
		      const char *why)
{
	diag_subject(ctx, best_effort ? DIAG_WARNING : DIAG_ERROR, "connect",
		     "%s: connect(2) to unix sockets with a path cannot be "
		     "mediated%s",
		     why,
		     best_effort ? ", so the sandbox can talk to every "
				   "listening socket it can name, in denied "
				   "directories too"
				 : " (--best-effort runs without)");
	return best_effort ? 0 : refused;
}

/*
 * io_uring connects with IORING_OP_CONNECT, which no seccomp program
 * sees: a policy that lets the sandbox set up a ring cannot be mediated.
 * An error at the rule (or the profile, when the default allows it).
 */
static int io_uring_allowed(struct polc_ctx *ctx, const struct ir_policy *p,
			    const struct ir_sys_rule *why, bool best_effort)
{
	struct diag *d = diag_at(
		ctx, best_effort ? DIAG_WARNING : DIAG_ERROR,
		why ? why->origin.loc : p->loc,
		"io_uring_setup is allowed%s, and io_uring connects sockets "
		"without connect(2): polc run cannot mediate connect(2) to "
		"unix sockets with a path%s",
		why ? "" : " (by the syscall default)",
		best_effort ? ", so the sandbox can talk to every listening "
			      "socket it can name, in denied directories too"
			    : "");
	if (!best_effort)
		diag_note(ctx, d, why ? why->origin.loc : p->loc,
			  "deny @io_uring (syscall_hardening does), or accept "
			  "the loss with --best-effort");
	return best_effort ? 0 : -1;
}

int mediate_prepare(struct polc_ctx *ctx, const struct ir_policy *p,
		    const struct sc_program *filter, bool best_effort,
		    struct mediator **out)
{
	struct mediator *m = arena_alloc(&ctx->arena, sizeof(*m));
	struct seccomp_notif_sizes sizes;
	const struct ir_sys_rule *why;

	*out = NULL;
	if (arena_failed(&ctx->arena))
		return -1;
	*m = (struct mediator){ .ctx = ctx, .policy = p };
	collect_hidden(m);
	if (arena_failed(&ctx->arena))
		return -1;
	if (!m->nhidden && !denies_writing(ctx, p))
		return arena_failed(&ctx->arena) ? -1 : 0;
	enum ir_sys_outcome ring =
		ir_decide_syscall(ctx, p, IR_LINUX, "io_uring_setup", &why);
	if (arena_failed(&ctx->arena))
		return -1;
	if (ring != IR_SYS_BLOCKS)
		return io_uring_allowed(ctx, p, why, best_effort);
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0)
		return incomplete(ctx, best_effort, 1,
				  arena_printf(&ctx->arena,
					       "the kernel has no seccomp user "
					       "notification: %s",
					       strerror(errno)));
	if (sizes.seccomp_notif_resp > RESP_ROOM)
		return incomplete(ctx, best_effort, 1,
				  "the kernel's seccomp notification answer "
				  "is larger than polc knows");
	m->notif_size = sizes.seccomp_notif > sizeof(struct seccomp_notif)
				? sizes.seccomp_notif
				: sizeof(struct seccomp_notif);
	m->notif = arena_alloc(&ctx->arena, m->notif_size);
	if (arena_failed(&ctx->arena) ||
	    sc_notify_calls(ctx, filter, SYS_connect, &m->program) != 0)
		return -1;
	*out = m;
	return 0;
}

void mediate_print(const struct mediator *m, FILE *out)
{
	if (!m) {
		fprintf(out, "connect(2): not mediated (the sandbox may write "
			     "everywhere)\n");
		return;
	}
	fprintf(out, "connect(2): answered by polc's supervisor; a unix socket "
		     "path needs write (spec/semantics.md §4.8)\n");
	for (size_t i = 0; i < m->nhidden; i++)
		fprintf(out,
			"    refused  %s  (named by %s, which is dropped)\n",
			m->hidden[i], m->hidden_by[i]);
}

const struct sc_program *mediate_program(const struct mediator *m)
{
	return m->program;
}

/* ---- in the command's process ---------------------------------------------
 */

int mediate_install(const struct mediator *m, char *err, size_t errlen)
{
	int fd = sc_apply_listening(m->program, err, errlen);

	if (fd < 0 && errno == EBUSY) {
		snprintf(err, errlen,
			 "cannot mediate connect(2): the seccomp supervisor "
			 "of an outer sandbox already listens");
		errno = EBUSY;
	}
	return fd;
}

/* ---- in the supervisor ----------------------------------------------------
 */

/**
 * struct call - one allowed connect(2), made by the supervisor
 * @listener: where the answer goes
 * @id: the notification answered
 * @sock: the caller's socket (pidfd_getfd)
 * @target: the socket path opened with O_PATH, or -1
 * @addr: the address to connect to (through @target for a socket path)
 * @len: its length
 */
struct call {
	int listener;
	uint64_t id;
	int sock, target;
	struct sockaddr_storage addr;
	socklen_t len;
};

static void answer(int listener, uint64_t id, int error)
{
	union {
		struct seccomp_notif_resp resp;
		char room[RESP_ROOM];
	} buf = { 0 };

	buf.resp.id = id;
	buf.resp.error = error ? -error : 0;
	/* ENOENT: the caller is gone (killed, or interrupted by a signal). */
	(void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &buf.resp);
}

static void finish(struct call *c)
{
	int error = connect(c->sock, (struct sockaddr *)&c->addr, c->len) == 0
			    ? 0
			    : errno;

	answer(c->listener, c->id, error);
	close(c->sock);
	if (c->target >= 0)
		close(c->target);
	free(c);
}

static void *finish_on_thread(void *arg)
{
	finish(arg);
	return NULL;
}

static bool still_waiting(int listener, uint64_t id)
{
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/* Whether the sandbox may connect to the socket that @fd names. */
static bool may_connect(struct mediator *m, int fd)
{
	char link[64], path[4096];
	struct ir_decision d;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0 || path[0] != '/')
		return false;
	path[n] = '\0';
	for (size_t i = 0; i < m->nhidden; i++)
		if (!strcmp(m->hidden[i], path))
			return false;
	/* A context of its own, dropped after the answer: the supervisor
	 * lives as long as the command, and its arena never shrinks. */
	struct polc_ctx scratch = { 0 };

	arena_init(&scratch.arena);
	ir_decide_path(&scratch, m->policy, IR_LINUX, path, IR_WRITE, &d);
	bool allowed = d.verdict == IR_ALLOW && !arena_failed(&scratch.arena);
	arena_destroy(&scratch.arena);
	return allowed;
}

/*
 * For a socket path: open it from the caller's working directory, decide,
 * and point @c->addr at the descriptor.  Returns 0 or the errno to answer.
 */
static int check_path(struct mediator *m, struct call *c, pid_t pid,
		      const struct seccomp_notif *req)
{
	struct sockaddr_un *un = (struct sockaddr_un *)&c->addr;
	size_t max = c->len - offsetof(struct sockaddr_un, sun_path);
	char path[sizeof(un->sun_path) + 1];
	int dir = AT_FDCWD;

	memcpy(path, un->sun_path, max);
	path[max] = '\0';
	if (path[0] != '/') {
		char cwd[64];

		snprintf(cwd, sizeof(cwd), "/proc/%d/cwd", (int)pid);
		dir = open(cwd, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0)
			return errno == ENOENT ? ESRCH : errno;
	}
	c->target = openat(dir, path, O_PATH | O_CLOEXEC);
	int error = c->target < 0 ? errno : 0;
	if (dir != AT_FDCWD)
		close(dir);
	if (error)
		return error;
	/* The working directory was read through a pid: still the caller's? */
	if (!still_waiting(c->listener, req->id))
		return ESRCH;
	if (!may_connect(m, c->target))
		return EACCES;
	int n = snprintf(un->sun_path, sizeof(un->sun_path), "/proc/self/fd/%d",
			 c->target);
	c->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			     (size_t)n + 1);
	return 0;
}

/* Copy the call's address and take its socket.  Returns 0 or an errno. */
static int take_call(struct mediator *m, struct call *c,
		     const struct seccomp_notif *req)
{
	pid_t pid = (pid_t)req->pid;
	int len = (int)req->data.args[2];
	struct iovec local = { &c->addr, (size_t)len };
	struct iovec remote = { (void *)(uintptr_t)req->data.args[1],
				(size_t)len };

	if (!pid) /* a caller outside the supervisor's pid namespace */
		return EPERM;
	if (len < 0 || (size_t)len > sizeof(c->addr))
		return EINVAL;
	c->len = (socklen_t)len;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return ESRCH;
	if (len && process_vm_readv(pid, &local, 1, &remote, 1, 0) != len) {
		close(pidfd);
		return EFAULT;
	}
	/* The pid could have been reused before pidfd_open(): the call still
	 * waiting proves the pidfd and the copy are the caller's. */
	if (!still_waiting(c->listener, req->id)) {
		close(pidfd);
		return ESRCH;
	}
	c->sock =
		(int)syscall(SYS_pidfd_getfd, pidfd, (int)req->data.args[0], 0);
	int error = c->sock < 0 ? errno : 0;
	close(pidfd);
	if (error)
		return error;
	if (c->addr.ss_family != AF_UNIX)
		return 0;
	/* The kernel's own limit, before any byte of the path is read. */
	if (c->len > sizeof(struct sockaddr_un))
		return EINVAL;
	if (c->len > offsetof(struct sockaddr_un, sun_path) &&
	    ((struct sockaddr_un *)&c->addr)->sun_path[0])
		return check_path(m, c, pid, req);
	return 0;
}

void mediate_answer(struct mediator *m, int listener)
{
	struct seccomp_notif *req = m->notif;
	struct call *c;
	pthread_t thread;
	pthread_attr_t attr;

	memset(req, 0, m->notif_size);
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) != 0)
		return; /* the caller is gone already */
	c = calloc(1, sizeof(*c));
	if (!c) {
		answer(listener, req->id, ENOMEM);
		return;
	}
	*c = (struct call){
		.listener = listener, .id = req->id, .sock = -1, .target = -1
	};
	int error = req->data.nr == SYS_connect ? take_call(m, c, req) : ENOSYS;
	if (error) {
		answer(listener, c->id, error);
		if (c->sock >= 0)
			close(c->sock);
		if (c->target >= 0)
			close(c->target);
		free(c);
		return;
	}
	/* A small stack: the thread only connects and answers. */
	if (pthread_attr_init(&attr) == 0) {
		bool started =
			pthread_attr_setstacksize(&attr, 64 * 1024) == 0 &&
			pthread_attr_setdetachstate(
				&attr, PTHREAD_CREATE_DETACHED) == 0 &&
			pthread_create(&thread, &attr, finish_on_thread, c) ==
				0;
		pthread_attr_destroy(&attr);
		if (started)
			return;
	}
	finish(c); /* no thread: answer in turn */
}
