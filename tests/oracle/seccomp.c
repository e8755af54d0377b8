/*
 * seccomp.c - the expected answer of a seccomp program (see seccomp.h).
 */
#include "tests/oracle/seccomp.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum {
	X32_FIRST = 0x40000000, /* spec/backends/seccomp.md §1 */
	ENOSYS_VALUE = 38,
	CACHED = 1024, /* numbers whose names are kept */
};

uint32_t oracle_sc_value(enum ir_sys_action action, unsigned err)
{
	switch (action) {
	case IR_SYS_ALLOW: return SECCOMP_RET_ALLOW;
	case IR_SYS_LOG: return SECCOMP_RET_LOG;
	case IR_SYS_NOTIFY: return SECCOMP_RET_USER_NOTIF;
	case IR_SYS_ERRNO: return SECCOMP_RET_ERRNO | err;
	case IR_SYS_TRAP: return SECCOMP_RET_TRAP;
	case IR_SYS_KILL_THREAD: return SECCOMP_RET_KILL_THREAD;
	case IR_SYS_KILL: return SECCOMP_RET_KILL_PROCESS;
	}
	abort(); /* not an action of the IR */
}

/*
 * libseccomp's name for each number below CACHED, asked once per
 * architecture: a test asks for the same numbers millions of times.
 */
struct names {
	bool ready;
	char *name[CACHED];
};

const char *oracle_sc_name(uint32_t arch, uint32_t nr)
{
	static struct names x86_64, aarch64;
	static char beyond[64];
	struct names *t = arch == AUDIT_ARCH_X86_64 ? &x86_64 : &aarch64;

	if (nr >= CACHED) { /* none today; asked, not assumed */
		char *s = seccomp_syscall_resolve_num_arch(arch, (int)nr);
		const char *found = NULL;

		if (s && strlen(s) < sizeof(beyond)) {
			strcpy(beyond, s);
			found = beyond;
		}
		free(s);
		return found;
	}
	if (!t->ready) {
		for (int i = 0; i < CACHED; i++)
			t->name[i] = seccomp_syscall_resolve_num_arch(arch, i);
		t->ready = true;
	}
	return t->name[nr];
}

uint32_t oracle_sc_expect(const struct ir_policy *p, uint32_t arch,
			  const struct seccomp_data *d)
{
	const struct ir_settings *st =
		&p->settings[ir_platform_index(IR_LINUX)];
	uint32_t deflt =
		oracle_sc_value(st->sys_default, st->sys_default_errno);
	bool refuses = st->sys_default >= IR_SYS_ERRNO;

	if (d->arch != arch)
		return SECCOMP_RET_KILL_PROCESS;
	if (arch == AUDIT_ARCH_X86_64 && (uint32_t)d->nr >= X32_FIRST)
		return refuses ? deflt : SECCOMP_RET_ERRNO | ENOSYS_VALUE;
	const char *name = oracle_sc_name(arch, (uint32_t)d->nr);
	if (!name)
		return deflt;
	/*
	 * ir_syscall_action() reads every rule; the ones of @name are a run
	 * of p->sys (ir.h: sorted by syscall), and only they can apply.
	 */
	struct ir_policy view = *p;
	size_t lo = 0, hi = p->nsys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(p->sys[mid].syscall, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	view.nsys = 0;
	while (lo + view.nsys < p->nsys &&
	       !strcmp(p->sys[lo + view.nsys].syscall, name))
		view.nsys++;
	view.sys = view.nsys ? p->sys + lo : NULL;
	unsigned err;
	const struct ir_sys_rule *why;
	enum ir_sys_action act = ir_syscall_action(
		&view, IR_LINUX, name, (const uint64_t *)d->args, &err, &why);
	return oracle_sc_value(act, err);
}

static void value_add(uint64_t *out, size_t max, size_t *n, uint64_t v)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i] == v)
			return;
	if (*n < max)
		out[(*n)++] = v;
}

size_t oracle_sc_boundaries(const struct ir_policy *p, const char *name,
			    unsigned arg, uint64_t *out, size_t max)
{
	size_t n = 0;

	value_add(out, max, &n, 0);
	for (size_t i = 0; name && i < p->nsys; i++) {
		const struct ir_sys_rule *r = &p->sys[i];

		if (strcmp(r->syscall, name))
			continue;
		for (size_t k = 0; k < r->nconds; k++) {
			const struct ir_sys_cond *c = &r->conds[k];
			uint64_t v = c->value;

			if (c->arg != arg)
				continue;
			value_add(out, max, &n, UINT64_MAX);
			value_add(out, max, &n, v);
			value_add(out, max, &n, v - 1);
			value_add(out, max, &n, v + 1);
			value_add(out, max, &n, v + (1ull << 32));
			value_add(out, max, &n, v - (1ull << 32));
			value_add(out, max, &n, v & UINT32_MAX);
			value_add(out, max, &n, v | ~(uint64_t)UINT32_MAX);
			value_add(out, max, &n, v | ~c->mask);
			value_add(out, max, &n, v ^ (1ull << 63));
			for (unsigned b = 0; b < 64; b += 7)
				value_add(out, max, &n, v ^ (1ull << b));
		}
	}
	return n;
}
