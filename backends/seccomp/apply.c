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

int sc_apply(const struct sc_program *prog, char *err, size_t errlen)
{
	struct sock_fprog fprog = {
		.len = (unsigned short)prog->len,
		.filter = (struct sock_filter *)prog->insns,
	};

	if (!prog->needed)
		return 0;
	/* no_new_privs is the caller's (ll_apply() sets it in polc run). */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0) {
		snprintf(err, errlen, "cannot load the seccomp filter: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}
