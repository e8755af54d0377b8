/*
 * apply.c - install a seccomp program on the calling thread.
 *
 * Runs in polc run's child after Landlock, just before exec: only system
 * calls, no allocation, so it is safe after fork.
 */
#include "backends/seccomp/seccomp.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Load @prog with @flags; the seccomp(2) result, with @err filled on -1. */
static long load(const struct sc_program *prog, unsigned flags, char *err,
		 size_t errlen)
{
	struct sock_fprog fprog = {
		.len = (unsigned short)prog->len,
		.filter = (struct sock_filter *)prog->insns,
	};
	/* no_new_privs is the caller's (ll_apply() sets it in polc run). */
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);

	if (r < 0) {
		int saved = errno;

		snprintf(err, errlen, "cannot load the seccomp filter: %s",
			 strerror(saved));
		errno = saved;
	}
	return r;
}

int sc_apply(const struct sc_program *prog, char *err, size_t errlen)
{
	if (!prog->needed)
		return 0;
	return load(prog, 0, err, errlen) == 0 ? 0 : -1;
}

int sc_apply_listening(const struct sc_program *prog, char *err, size_t errlen)
{
	return (int)load(prog, SECCOMP_FILTER_FLAG_NEW_LISTENER, err, errlen);
}
