/*
 * mediate.h - connect(2) mediation for polc run on Linux.
 *
 * Landlock (up to ABI 7) does not check connect(2) to a unix socket with
 * a path, and seccomp cannot read the address: on their own they would let
 * the sandbox talk to any listening socket it can name, an ssh-agent in a
 * denied ~/.ssh or the session bus among them.  polc run closes the gap
 * with a seccomp user notification.  Every connect(2) of the sandbox waits
 * in the kernel while the supervisor, a process in the same Landlock
 * domain and mount namespace, answers it: it copies the address once,
 * refuses a socket path the policy does not let the sandbox write (the
 * permission connect(2) needs, unix(7)) and otherwise connects the
 * sandbox's own socket itself, with its copy, so that a thread changing
 * the address after the check changes nothing.  TCP ports and the
 * abstract-socket scope are checked by the kernel on the supervisor's
 * call, under the same domain, exactly as on the sandbox's.
 * spec/semantics.md §4.8 has the rule, spec/threat-model.md its limits.
 */
#ifndef POLC_LIB_MEDIATE_H
#define POLC_LIB_MEDIATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct polc_ctx;
struct ir_policy;
struct mediator;
struct sc_program;

/*
 * Prepare mediation for @p, whose seccomp program is @filter, before the
 * fork.  *out is NULL when there is nothing to mediate: the policy lets
 * the sandbox write everywhere and hides no socket.  When mediation is
 * needed but would be incomplete (the kernel lacks user notification, or
 * the policy allows io_uring, which connects without connect(2)), it is an
 * error, or with @best_effort a warning naming the protection lost and
 * *out NULL.  Returns 0, 1 when the kernel cannot mediate, or -1 for the
 * policy (or out of memory).
 */
int mediate_prepare(struct polc_ctx *ctx, const struct ir_policy *p,
		    const struct sc_program *filter, bool best_effort,
		    struct mediator **out);

/* What polc run --dry-run says of the mediation @m (NULL: none). */
void mediate_print(const struct mediator *m, FILE *out);

/* The program mediate_install() loads (what polc run --dry-run lists). */
const struct sc_program *mediate_program(const struct mediator *m);

/*
 * In the command's process, last before exec: load the policy's seccomp
 * program with every connect(2) it lets through sent to the supervisor
 * (sc_notify_calls()), in place of that program.  Returns the listener
 * descriptor, or -1 with errno set (EBUSY: a supervisor of an outer
 * sandbox already listens; nothing was loaded) and @err filled.
 */
int mediate_install(const struct mediator *m, char *err, size_t errlen);

/*
 * In the supervisor, when @listener is readable: take one connect(2) and
 * answer it.  A refusal is answered at once; an allowed call is connected
 * on a thread of its own, so a slow TCP handshake holds up no other call.
 */
void mediate_answer(struct mediator *m, int listener);

#endif
