/*
 * compare.c - polc's seccomp program against libseccomp's, on Docker's
 * default profile for x86_64.
 *
 *   polc-seccomp-compare DATA_DIR POLC.bpf
 *
 * DATA_DIR holds docker_allow_x86_64.txt and docker_cond_x86_64.txt (the
 * workload as flat lists); POLC.bpf is what `polc build docker.pol --target
 * seccomp --raw` wrote for the same workload.  libseccomp compiles the
 * lists twice (its default, and SCMP_FLTATR_CTL_OPTIMIZE=2).  For each
 * program: its length; the instructions executed (with the interpreter of
 * backends/seccomp/) for read, write, futex, epoll_wait, openat and a
 * denied mount; the worst case over the allowed syscalls whose action
 * ignores the arguments and over all such syscalls, the average over the
 * first, over all allowed ones and over every number 0-460; whether every
 * argument-independent syscall stays cache-eligible (never loads an argument);
 * and the nanoseconds a denied syscall costs with the program loaded.  Every
 * program must give the same action as the others for every number and boundary
 * argument: mismatches are counted and make the exit status 1.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backends/seccomp/seccomp.h"

enum { MAX_INSNS = 4096, NUMBERS = 461, MAX_COND = 64 };

struct program {
	const char *name;
	struct sock_filter insns[MAX_INSNS];
	size_t len;
};

/* One argument-conditional rule of the workload. */
struct cond_rule {
	char name[64];
	int nr;
	bool errno_action;
	unsigned errno_value;
	unsigned arg;
	enum scmp_compare op;
	uint64_t value, mask;
};

static struct cond_rule conds[MAX_COND];
static size_t nconds;
static bool conditional[1024]; /* numbers whose action reads arguments */
static bool named[1024];       /* numbers some x86_64 syscall has */

static FILE *open_data(const char *dir, const char *file)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "polc-seccomp-compare: %s: %s\n", path,
			strerror(errno));
		exit(2);
	}
	return f;
}

static void read_conds(const char *dir)
{
	FILE *f = open_data(dir, "docker_cond_x86_64.txt");
	char line[512];

	while (fgets(line, sizeof(line), f) && nconds < MAX_COND) {
		struct cond_rule *c = &conds[nconds];
		char action[32], op[32];
		unsigned long long value = 0, mask = 0;
		int n;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		n = sscanf(line, "%63s %d %31s %u %31s %lli %lli", c->name,
			   &c->nr, action, &c->arg, op, &value, &mask);
		if (n < 3)
			continue;
		if (!strcmp(action, "ERRNO")) {
			c->errno_action = true;
			c->errno_value = c->arg;
		} else {
			conditional[c->nr] = true;
			c->op = !strcmp(op, "EQ")   ? SCMP_CMP_EQ
				: !strcmp(op, "LT") ? SCMP_CMP_LT
				: !strcmp(op, "GT") ? SCMP_CMP_GT
						    : SCMP_CMP_MASKED_EQ;
			c->value = value;
			c->mask = mask;
		}
		nconds++;
	}
	fclose(f);
}

/* libseccomp's program for the workload at optimisation @level. */
static void libseccomp_program(const char *dir, int level, struct program *out)
{
	scmp_filter_ctx sc = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	FILE *f = open_data(dir, "docker_allow_x86_64.txt");
	char line[512], name[64];

	if (!sc || (level && seccomp_attr_set(sc, SCMP_FLTATR_CTL_OPTIMIZE,
					      (uint32_t)level) != 0)) {
		fprintf(stderr, "polc-seccomp-compare: libseccomp setup\n");
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || sscanf(line, "%63s", name) != 1)
			continue;
		int nr = seccomp_syscall_resolve_name(name);
		if (nr >= 0) /* the same names polc knows */
			seccomp_rule_add(sc, SCMP_ACT_ALLOW, nr, 0);
	}
	fclose(f);
	for (size_t i = 0; i < nconds; i++) {
		const struct cond_rule *c = &conds[i];

		if (c->errno_action) {
			seccomp_rule_add(sc, SCMP_ACT_ERRNO(c->errno_value),
					 c->nr, 0);
			continue;
		}
		struct scmp_arg_cmp cmp = {
			.arg = c->arg,
			.op = c->op,
			.datum_a = c->op == SCMP_CMP_MASKED_EQ ? c->mask
							       : c->value,
			.datum_b = c->op == SCMP_CMP_MASKED_EQ ? c->value : 0,
		};
		if (seccomp_rule_add_array(sc, SCMP_ACT_ALLOW, c->nr, 1,
					   &cmp) != 0) {
			fprintf(stderr, "polc-seccomp-compare: rule for %s\n",
				c->name);
			exit(2);
		}
	}
	int fd = memfd_create("bpf", 0);
	if (fd < 0 || seccomp_export_bpf(sc, fd) != 0) {
		fprintf(stderr, "polc-seccomp-compare: export\n");
		exit(2);
	}
	ssize_t n = pread(fd, out->insns, sizeof(out->insns), 0);
	out->len = n > 0 ? (size_t)n / sizeof(*out->insns) : 0;
	close(fd);
	seccomp_release(sc);
}

static void polc_program(const char *path, struct program *out)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "polc-seccomp-compare: %s: %s\n", path,
			strerror(errno));
		exit(2);
	}
	out->len = fread(out->insns, sizeof(*out->insns), MAX_INSNS, f);
	fclose(f);
}

static struct sc_trace run(const struct program *p, int nr, uint64_t arg0)
{
	struct seccomp_data d = { .nr = nr, .arch = AUDIT_ARCH_X86_64 };
	struct sc_trace t;

	d.args[0] = arg0;
	if (sc_interpret(p->insns, p->len, &d, &t) != 0) {
		fprintf(stderr, "polc-seccomp-compare: %s: invalid: %s\n",
			p->name, t.error);
		exit(2);
	}
	return t;
}

/* ns per call of a syscall the program denies, in a child that loads it. */
static double denied_ns(const struct program *p)
{
	enum { CALLS = 200000 };
	int pipefd[2];
	double ns = -1;

	if (pipe(pipefd) != 0)
		return -1;
	pid_t child = fork();
	if (child == 0) {
		struct sock_fprog prog = {
			.len = (unsigned short)p->len,
			.filter = (struct sock_filter *)p->insns
		};
		struct timespec t0, t1;
		double r = -1;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) ==
			    0) {
			clock_gettime(CLOCK_MONOTONIC, &t0);
			for (int i = 0; i < CALLS; i++)
				syscall(SYS_mount, NULL, NULL, NULL, 0, NULL);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			r = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
			     (double)(t1.tv_nsec - t0.tv_nsec)) /
			    CALLS;
		}
		if (write(pipefd[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &ns, sizeof(ns)) != sizeof(ns))
		ns = -1;
	close(pipefd[0]);
	waitpid(child, NULL, 0);
	return ns;
}

/* Argument values at every boundary of the workload's conditions. */
static size_t boundaries(uint64_t *v)
{
	size_t n = 0;

	v[n++] = 0;
	v[n++] = UINT64_MAX;
	for (size_t i = 0; i < nconds; i++) {
		v[n++] = conds[i].value;
		v[n++] = conds[i].value - 1;
		v[n++] = conds[i].value + 1;
		v[n++] = conds[i].value | (1ull << 32);
		v[n++] = conds[i].mask;
		v[n++] = conds[i].mask | conds[i].value;
	}
	return n;
}

int main(int argc, char **argv)
{
	static struct program progs[3];
	static const struct {
		const char *name;
		int nr;
	} probes[] = { { "read", 0 },	  { "write", 1 },
		       { "futex", 202 },  { "epoll_wait", 232 },
		       { "openat", 257 }, { "mount (denied)", 165 } };
	uint64_t values[2 + 6 * MAX_COND];
	size_t nvalues, mismatches = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: polc-seccomp-compare DATA_DIR "
				"POLC.bpf\n");
		return 2;
	}
	read_conds(argv[1]);
	for (int nr = 0; nr < 1024; nr++) {
		char *name =
			seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);

		named[nr] = name != NULL;
		free(name);
	}
	progs[0].name = "polc";
	polc_program(argv[2], &progs[0]);
	progs[1].name = "libseccomp";
	libseccomp_program(argv[1], 0, &progs[1]);
	progs[2].name = "libseccomp -O2";
	libseccomp_program(argv[1], 2, &progs[2]);
	nvalues = boundaries(values);

	/* Every program gives every call the same action. */
	for (int nr = 0; nr < 1024; nr++)
		for (size_t v = 0; v < nvalues; v++)
			for (size_t p = 1; p < 3; p++)
				if (run(&progs[p], nr, values[v]).action !=
				    run(&progs[0], nr, values[v]).action)
					mismatches++;

	printf("%-16s %6s", "program", "insns");
	for (size_t i = 0; i < sizeof(probes) / sizeof(*probes); i++)
		printf(" %10.10s", probes[i].name);
	printf(" %6s %9s %9s %9s %9s %6s %8s\n", "worst", "worst-any",
	       "avg-fixed", "avg-allow", "avg-0-460", "cache", "ns/deny");
	for (size_t p = 0; p < 3; p++) {
		size_t worst = 0, worst_any = 0, fixed = 0, allowed = 0;
		bool cacheable = true;
		double sum_fixed = 0, sum_allowed = 0, sum_all = 0;

		printf("%-16s %6zu", progs[p].name, progs[p].len);
		for (size_t i = 0; i < sizeof(probes) / sizeof(*probes); i++)
			printf(" %10zu", run(&progs[p], probes[i].nr, 0).steps);
		for (int nr = 0; nr < NUMBERS; nr++) {
			struct sc_trace t = run(&progs[p], nr, 0);

			sum_all += (double)t.steps;
			if (!conditional[nr] && named[nr] &&
			    t.steps > worst_any)
				worst_any = t.steps;
			if (!conditional[nr] && t.loaded_argument)
				cacheable = false;
			if (t.action != SECCOMP_RET_ALLOW)
				continue;
			allowed++;
			sum_allowed += (double)t.steps;
			if (conditional[nr])
				continue;
			fixed++;
			sum_fixed += (double)t.steps;
			if (t.steps > worst)
				worst = t.steps;
		}
		printf(" %6zu %9zu %9.2f %9.2f %9.2f %6s %8.1f\n", worst,
		       worst_any, sum_fixed / (double)fixed,
		       sum_allowed / (double)allowed, sum_all / NUMBERS,
		       cacheable ? "yes" : "NO", denied_ns(&progs[p]));
	}
	printf("\nmismatches between the programs: %zu (over 1024 numbers x "
	       "%zu argument values)\n",
	       mismatches, nvalues);
	return mismatches ? 1 : 0;
}
