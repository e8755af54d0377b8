/*
 * trace.h - run a command under ptrace and record what it touched.
 *
 * The tracer loads a seccomp filter into the command that returns
 * SECCOMP_RET_TRACE only for the calls whose success needs a grant
 * (opens, execs, creations, deletions, renames, links, truncations,
 * connect/bind/sendto/sendmsg), so everything else runs at native speed.
 * It follows forks, vforks, clones and execs, resolves each path against
 * the calling process's cwd or dirfd, and records an access only when the
 * call succeeded: a failed probe is not a need.  Signals sent to polc are
 * passed on, and the command's exit status comes back.
 *
 * Calls Landlock does not mediate (stat, access, readlink, chdir) are not
 * traced: they never become a grant, and tracing them would cost a stop
 * each.  Knows nothing of policies; learn/lower.c turns observations into
 * rules.
 */
#ifndef POLC_LEARN_TRACE_H
#define POLC_LEARN_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* What a process did to a path (bits). */
enum trace_kind {
	TRACE_READ = 1u << 0,	/* opened for reading, listed */
	TRACE_WRITE = 1u << 1,	/* opened for writing, truncated */
	TRACE_EXEC = 1u << 2,	/* executed */
	TRACE_CREATE = 1u << 3, /* created (file, directory, link, node) */
	TRACE_DELETE = 1u << 4, /* removed, or renamed away */
	TRACE_NKINDS = 5,
};

/**
 * struct trace_path - one path and what was done to it
 * @path: absolute, with symbolic links of its directories resolved
 * @kinds: TRACE_* bits
 * @dir: it was opened and is a directory (reading it lists it)
 * @count: successful calls per kind, indexed by bit number
 */
struct trace_path {
	const char *path;
	unsigned kinds;
	bool dir;
	unsigned count[TRACE_NKINDS];
};

enum trace_net_kind {
	TRACE_CONNECT,
	TRACE_BIND,
	TRACE_SEND, /* sendto/sendmsg with an address */
};

/**
 * struct trace_net - one network endpoint
 * @proto: 6 (tcp) or 17 (udp)
 * @port: the port
 * @addr: the address, printed
 */
struct trace_net {
	enum trace_net_kind kind;
	unsigned proto;
	uint16_t port;
	const char *addr;
	unsigned count;
};

/**
 * struct trace_result - what a traced run saw
 * @paths: sorted by path, @npaths of them
 * @net: endpoints in the order first seen
 * @failed: traced calls that failed (not needs)
 * @covered: opens and execs that @covered of the options said need no
 *           grant (their result was not waited for)
 * @calls: traced calls in all
 * @syscalls: with all_syscalls, the names of the calls the command made
 *            from its exec on, sorted; @nsyscalls of them
 * @processes: processes the command started, itself included
 * @status: the command's exit status (128 + N after signal N)
 * @timed_out: the run was ended by the timeout
 */
struct trace_result {
	struct trace_path *paths;
	size_t npaths;
	struct trace_net *net;
	size_t nnet;
	unsigned long failed;
	unsigned long covered;
	unsigned long calls;
	const char **syscalls;
	size_t nsyscalls;
	unsigned long processes;
	int status;
	bool timed_out;
};

/**
 * struct trace_options - how to trace
 * @argv: the command, NULL-terminated (looked up in $PATH)
 * @envp: its environment, NULL-terminated
 * @timeout: seconds before the command is killed; 0 for none
 * @child_setup: called in the child after the tracing filter is loaded
 *               and no_new_privs set, just before exec (for more
 *               hardening); returns 0, or -1 with a message in @err
 * @arg: passed to @child_setup
 * @covered: whether reading, writing or executing (TRACE_* @kinds) the
 *           file at @path (absolute, links resolved) needs no grant; such
 *           an open or exec is not recorded, and its exit is not waited
 *           for, which saves half the stops; may be NULL
 * @covered_arg: passed to @covered
 * @all_syscalls: stop at every call to record the set of syscalls used
 *                (slow: a stop per call)
 */
struct trace_options {
	char *const *argv;
	char *const *envp;
	unsigned timeout;
	int (*child_setup)(void *arg, char *err, size_t errlen);
	void *arg;
	bool (*covered)(const char *path, unsigned kinds, void *arg);
	void *covered_arg;
	bool all_syscalls;
};

/*
 * Run and trace the command of @opts; the result is allocated in @arena.
 * Returns 0 when the command ran (whatever its status), or -1 with a
 * message in @err (the command could not be started: out->status is then
 * 125, 126 or 127 as for polc run, or -1 when nothing was started).
 */
int trace_run(struct arena *arena, const struct trace_options *opts,
	      struct trace_result *out, char *err, size_t errlen);

#endif
