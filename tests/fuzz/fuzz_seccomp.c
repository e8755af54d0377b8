/*
 * fuzz_seccomp.c - libFuzzer harness that checks the seccomp backend's
 * programs against the IR: a differential test of backends/seccomp/lower.c.
 *
 * Each input becomes syscall policies, always as .pol text resolved
 * through the library:
 *  - an input that parses and checks as a .pol file is one: it joins the
 *    stdlib, as a file named to `polc validate` does, and every profile it
 *    defines is checked (the seeds: the stdlib's profiles, the golden
 *    seccomp inputs);
 *  - any other input drives a generator that writes syscall policies:
 *    every action and a few errno values, comparisons of every operator on
 *    every argument, masks, overlapping rules on neighbouring syscalls,
 *    long lists, sets, a group, platform blocks, profile `fuzz` that
 *    extends `base`, defaults, and the network closure; `fuzz` is checked.
 *    It writes only valid .pol, so a parse or check error is a crash too.
 * Each profile is lowered for x86_64 and aarch64, and the interpreter
 * (sc_interpret) runs each program over probe calls: every number 0-1023
 * and some beyond, each number a rule names and its neighbours with
 * argument vectors at every boundary of its conditions, x32 numbers,
 * foreign architectures, and calls made from the input's bytes.  Every
 * answer must be the oracle's (tests/oracle/seccomp.h, written from the
 * spec); numbers no rule names must not load an argument, and the
 * program's flags and skipped names must match the rules.  Anything else
 * aborts after printing the policy, the call and both answers.
 *
 * POLC_FUZZ_SHOW=1 prints each generated policy, and how many calls each
 * program was checked with, to stderr.
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/seccomp/seccomp.h"
#include "common/arena.h"
#include "common/ctx.h"
#include "common/source.h"
#include "frontend/ast.h"
#include "frontend/check.h"
#include "frontend/load.h"
#include "ir/ir.h"
#include "polc.h"
#include "tests/oracle/seccomp.h"
#include "tests/pinned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	NUMBERS = 1024,	  /* numbers the sweep covers */
	X32 = 0x40000000, /* spec/backends/seccomp.md §1 */
	MAX_BOUNDS = 48,  /* boundary values kept per argument */
	MAX_PRODUCT = 64, /* argument vectors tried as a full product */
};

static const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_AARCH64 };

/* ---- the input as a source of choices ---------------------------------- */

/* The bytes not yet used; once they run out every choice is 0. */
struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

/* A choice among @n (n > 0). */
static unsigned pick(struct input *in, unsigned n)
{
	return n <= 256 ? (unsigned)(take(in, 1) % n)
			: (unsigned)(take(in, 2) % n);
}

/* ---- syscall names, from libseccomp ------------------------------------ */

/* Each architecture's numbers that have a name, ascending. */
struct numbered {
	uint32_t nr[NUMBERS];
	size_t n;
};

static struct numbered existing[2];

static void learn_numbers(void)
{
	for (size_t a = 0; a < 2; a++)
		for (uint32_t nr = 0; nr < NUMBERS; nr++)
			if (oracle_sc_name(arches[a], nr))
				existing[a].nr[existing[a].n++] = nr;
}

/* The name of a syscall chosen by the input, on either architecture. */
static const char *any_name(struct input *in)
{
	size_t a = pick(in, 2);

	return oracle_sc_name(
		arches[a], existing[a].nr[pick(in, (unsigned)existing[a].n)]);
}

/* ---- the generator ------------------------------------------------------ */

static const struct {
	const char *name;
	uint64_t value;
} constants[] = {
	{ "AF_UNIX", 1 },
	{ "AF_INET", 2 },
	{ "AF_INET6", 10 },
	{ "AF_NETLINK", 16 },
	{ "AF_PACKET", 17 },
	{ "SOCK_STREAM", 1 },
	{ "SOCK_DGRAM", 2 },
	{ "SOCK_RAW", 3 },
	{ "TIOCSTI", 0x5412 },
	{ "TIOCLINUX", 0x541c },
	{ "UNAME26", 0x0020000 },
	{ "CLONE_NEWNS", 0x00020000 },
	{ "CLONE_NEWUSER", 0x10000000 },
	{ "CLONE_NEWNET", 0x40000000 },
	{ "CLONE_NEWTIME", 0x00000080 },
	{ "PER_LINUX", 0 },
	{ "PER_LINUX32", 8 },
	{ "PER_QUERY", 0xffffffff },
};

enum { NCONSTANTS = sizeof(constants) / sizeof(*constants) };

/**
 * struct gen - what the generator is writing
 * @hot: names most rules pick from, clusters of neighbouring numbers, so
 *       that rules overlap and blocks sit next to each other
 * @used: values already compared, so that later conditions meet them
 * @nsets: sets declared (@s0 …)
 * @long_lists: rules with many targets so far (they make planning slow)
 * @last_arg: the argument the last condition read
 * @last_mask: the last mask written, @nmasks how many were
 */
struct gen {
	struct input *in;
	FILE *out;
	const char *hot[24];
	size_t nhot;
	uint64_t used[32];
	size_t nused;
	unsigned nsets;
	unsigned long_lists;
	unsigned last_arg;
	uint64_t last_mask;
	unsigned nmasks;
};

static void choose_hot(struct gen *g)
{
	unsigned clusters = 1 + pick(g->in, 4);

	for (unsigned c = 0; c < clusters; c++) {
		size_t a = pick(g->in, 2);
		const struct numbered *e = &existing[a];
		size_t at = pick(g->in, (unsigned)e->n);
		unsigned len = 1 + pick(g->in, 6);

		for (unsigned k = 0; k < len && at + k < e->n &&
				     g->nhot < sizeof(g->hot) / sizeof(*g->hot);
		     k++)
			g->hot[g->nhot++] =
				oracle_sc_name(arches[a], e->nr[at + k]);
	}
}

static const char *name_of(struct gen *g)
{
	if (pick(g->in, 8) == 0)
		return any_name(g->in);
	return g->hot[pick(g->in, (unsigned)g->nhot)];
}

static uint64_t value_of(struct gen *g)
{
	uint64_t v;

	switch (pick(g->in, 14)) {
	case 0: v = 0; break;
	case 1: v = 1; break;
	case 2: v = pick(g->in, 64); break;
	case 3: v = UINT32_MAX; break;
	case 4: v = 1ull << 32; break;
	case 5: v = UINT64_MAX; break;
	case 6: v = 1ull << 63; break;
	case 7: v = take(g->in, 8); break;
	case 8: v = take(g->in, 4); break;
	case 9: v = take(g->in, 4) << 32; break;
	case 10: v = constants[pick(g->in, NCONSTANTS)].value; break;
	default: /* near one already compared */
		if (!g->nused) {
			v = take(g->in, 2);
			break;
		}
		v = g->used[pick(g->in, (unsigned)g->nused)];
		switch (pick(g->in, 5)) {
		case 0: v += 1; break;
		case 1: v -= 1; break;
		case 2: v ^= 1ull << 32; break;
		case 3: v ^= 1ull << pick(g->in, 64); break;
		default: break;
		}
	}
	if (g->nused < sizeof(g->used) / sizeof(*g->used))
		g->used[g->nused++] = v;
	return v;
}

static uint64_t mask_of(struct gen *g)
{
	uint64_t high = 0xffffffff00000000ull;

	/*
	 * After one mask, the same one, part of it, or the rest of its high
	 * word: whether a high word found 0 under one mask is known 0 under
	 * the next is a shortcut of the lowering (spec/backends/seccomp.md
	 * §3).
	 */
	if (g->nmasks && pick(g->in, 3) == 0) {
		uint64_t last = g->last_mask;

		switch (pick(g->in, 3)) {
		case 0: return last;
		case 1: return last & take(g->in, 8);
		default: return (~last & high) | (last & ~high);
		}
	}
	switch (pick(g->in, 11)) {
	case 0: return UINT32_MAX;
	case 1: return 0xffffffff00000000ull;
	case 2: return 1ull << pick(g->in, 64);
	case 3: return take(g->in, 8);
	case 4: return 0xffull << 8 * pick(g->in, 8); /* one byte */
	case 5: return take(g->in, 4) << 32;	      /* high word only */
	case 6: return UINT64_MAX;
	case 7: return 0;
	case 8: return 0xff;
	case 9: return 0xff00000000ull;
	default: return constants[pick(g->in, NCONSTANTS)].value;
	}
}

/* @v as a number, in decimal or hex, or as a constant's name. */
static void number(struct gen *g, uint64_t v)
{
	unsigned how = pick(g->in, 4);

	if (how == 0)
		for (size_t i = 0; i < NCONSTANTS; i++)
			if (constants[i].value == v) {
				fputs(constants[i].name, g->out);
				return;
			}
	if (how == 1)
		fprintf(g->out, "%llu", (unsigned long long)v);
	else
		fprintf(g->out, "0x%llx", (unsigned long long)v);
}

static void action(struct gen *g)
{
	static const char *const plain[] = { "allow",	    "deny", "kill",
					     "kill_thread", "trap", "log",
					     "notify" };
	static const char *const names[] = { "EPERM", "EACCES", "ENOSYS",
					     "EINVAL", "EIO" };
	static const unsigned numbers[] = { 1, 2, 5, 13, 22, 38, 4095 };
	unsigned k = pick(g->in, 10);

	if (k < 7)
		fputs(plain[k], g->out);
	else if (k == 7)
		fprintf(g->out, "errno %s", names[pick(g->in, 5)]);
	else if (k == 8)
		fprintf(g->out, "errno %u", numbers[pick(g->in, 7)]);
	else
		fprintf(g->out, "errno %u", 1 + pick(g->in, 4095));
}

static void conditions(struct gen *g)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };
	unsigned n = pick(g->in, 5);

	n = n > 3 ? 0 : n; /* none, more often */
	for (unsigned i = 0; i < n; i++) {
		unsigned arg = pick(g->in, 4) ? pick(g->in, 3) : pick(g->in, 6);

		/* Often the argument just compared: they share high words. */
		if (i && pick(g->in, 2))
			arg = g->last_arg;
		g->last_arg = arg;
		unsigned op = pick(g->in, 7);

		fputs(i ? " && " : " if ", g->out);
		fprintf(g->out, "arg%u ", arg);
		if (op < 6) {
			fprintf(g->out, "%s ", ops[op]);
			number(g, value_of(g));
			continue;
		}
		uint64_t mask = mask_of(g), v;
		g->last_mask = mask;
		g->nmasks++;
		switch (pick(g->in, 4)) {
		case 0: v = value_of(g); break; /* maybe outside the mask */
		case 1: v = value_of(g) & mask; break;
		case 2: v = take(g->in, 8) & mask; break;
		default: v = pick(g->in, 2) ? mask : 0; break;
		}
		fputs("& ", g->out);
		number(g, mask);
		fputs(" == ", g->out);
		number(g, v);
	}
}

/* Names of numbers at a stride on one architecture: many intervals. */
static void long_list(struct gen *g)
{
	size_t a = pick(g->in, 2);
	const struct numbered *e = &existing[a];
	size_t at = pick(g->in, (unsigned)e->n);
	unsigned stride = 1 + pick(g->in, 3);
	/*
	 * Mostly a few dozen intervals; now and then past the 255 that the
	 * planner's search takes (a balanced tree then): planning many
	 * intervals is what costs most time here.
	 */
	unsigned count =
		pick(g->in, 32) ? 4 + pick(g->in, 24) : 8 + pick(g->in, 240);

	for (unsigned k = 0; k < count && at < e->n; k++, at += stride)
		fprintf(g->out, " %s", oracle_sc_name(arches[a], e->nr[at]));
}

static void rule(struct gen *g, const char *indent)
{
	fprintf(g->out, "%ssyscall ", indent);
	action(g);
	if (g->long_lists < 2 && pick(g->in, 16) == 0) {
		g->long_lists++;
		long_list(g);
	} else {
		unsigned targets = 1 + pick(g->in, 3);

		for (unsigned t = 0; t < targets; t++) {
			if (g->nsets && pick(g->in, 8) == 0)
				fprintf(g->out, " @s%u", pick(g->in, g->nsets));
			else
				fprintf(g->out, " %s", name_of(g));
		}
	}
	conditions(g);
	fputs(";\n", g->out);
}

static void rules(struct gen *g, const char *indent, unsigned max)
{
	for (unsigned n = pick(g->in, max + 1); n > 0; n--)
		rule(g, indent);
}

static void set_default(struct gen *g, const char *indent)
{
	fprintf(g->out, "%ssyscall default ", indent);
	action(g);
	fputs(";\n", g->out);
}

static void network(struct gen *g)
{
	static const char *const grants[] = { "network connect tcp 443;",
					      "network connect udp 53;",
					      "network loopback;",
					      "network bind tcp 8000-8100;" };
	unsigned mode = pick(g->in, 4);

	if (mode == 0)
		fputs("    network allow;\n", g->out);
	else if (mode == 1)
		fputs("    network deny;\n", g->out);
	for (size_t i = 0; i < 4; i++)
		if (pick(g->in, 3) == 0)
			fprintf(g->out, "    %s\n", grants[i]);
}

/*
 * A policy file from the input: sets, a group, profile `base` and
 * profile `fuzz` that extends it, each with a default, network settings,
 * rules, and platform blocks.
 */
static void generate(struct gen *g)
{
	choose_hot(g);
	for (unsigned n = pick(g->in, 3); g->nsets < n; g->nsets++) {
		fprintf(g->out, "set @s%u =", g->nsets);
		for (unsigned k = 1 + pick(g->in, 4); k > 0; k--)
			fprintf(g->out, " %s", name_of(g));
		if (g->nsets && pick(g->in, 2))
			fprintf(g->out, " @s%u", pick(g->in, g->nsets));
		fputs(";\n", g->out);
	}
	bool group = pick(g->in, 3) == 0;
	if (group) {
		fputs("group g {\n", g->out);
		rules(g, "    ", 6);
		fputs("}\n", g->out);
	}
	fputs("profile base {\n", g->out);
	if (pick(g->in, 4))
		set_default(g, "    ");
	network(g);
	rules(g, "    ", 8);
	fputs("}\nprofile fuzz extends base {\n", g->out);
	bool has_default = pick(g->in, 2);
	if (has_default)
		set_default(g, "    ");
	if (group)
		fputs("    use g;\n", g->out);
	rules(g, "    ", 24);
	if (pick(g->in, 4) == 0) {
		fputs("    platform linux {\n", g->out);
		if (!has_default && pick(g->in, 2))
			set_default(g, "        ");
		rules(g, "        ", 4);
		fputs("    }\n", g->out);
	}
	if (pick(g->in, 4) == 0) {
		fputs("    platform macos {\n", g->out);
		rules(g, "        ", 4);
		fputs("    }\n", g->out);
	}
	fputs("}\n", g->out);
}

/* ---- checking a program -------------------------------------------------- */

/**
 * struct probe - one program under test
 * @text: the policy's source, printed on a failure
 * @named: the numbers some Linux rule of @p names on @arch
 * @rng: a generator for argument vectors, seeded from the input
 * @calls: calls checked
 */
struct probe {
	const struct ir_policy *p;
	const struct sc_program *prog;
	uint32_t arch;
	const char *text;
	bool named[NUMBERS];
	uint64_t rng;
	size_t calls;
};

static const char *arch_name(uint32_t arch)
{
	return arch == AUDIT_ARCH_X86_64 ? "x86_64" : "aarch64";
}

static void __attribute__((noreturn))
fail(const struct probe *t, const struct seccomp_data *d, const char *what)
{
	fprintf(stderr, "fuzz-seccomp: %s\n  profile %s, %s\n", what,
		t->p->profile, arch_name(t->arch));
	if (d)
		fprintf(stderr,
			"  call: arch 0x%x nr %d (%s) args 0x%llx 0x%llx "
			"0x%llx 0x%llx 0x%llx 0x%llx\n",
			d->arch, d->nr,
			d->arch == t->arch && (uint32_t)d->nr < NUMBERS &&
					oracle_sc_name(t->arch, (uint32_t)d->nr)
				? oracle_sc_name(t->arch, (uint32_t)d->nr)
				: "-",
			(unsigned long long)d->args[0],
			(unsigned long long)d->args[1],
			(unsigned long long)d->args[2],
			(unsigned long long)d->args[3],
			(unsigned long long)d->args[4],
			(unsigned long long)d->args[5]);
	fprintf(stderr, "  policy:\n%s\n", t->text);
	sc_print_listing(t->prog, stderr);
	abort();
}

/* The program's answer to @d against the oracle's. */
static void call(struct probe *t, const struct seccomp_data *d)
{
	struct sc_trace trace;
	uint32_t want = oracle_sc_expect(t->p, t->arch, d);
	bool native = d->arch == t->arch &&
		      !(t->arch == AUDIT_ARCH_X86_64 && (uint32_t)d->nr >= X32);
	char what[160];

	if (sc_interpret(t->prog->insns, t->prog->len, d, &trace) != 0) {
		snprintf(what, sizeof(what), "invalid program: %s",
			 trace.error);
		fail(t, d, what);
	}
	if (trace.action != want) {
		snprintf(what, sizeof(what),
			 "the program returns 0x%08x, the IR decides 0x%08x",
			 trace.action, want);
		fail(t, d, what);
	}
	/* A number no rule names has a constant leaf (spec §2). */
	if (native && (uint32_t)d->nr < NUMBERS && !t->named[d->nr] &&
	    trace.loaded_argument)
		fail(t, d, "a number no rule names loads an argument");
	/* No program is loaded: every native call must be allowed. */
	if (native && !t->prog->needed && want != SECCOMP_RET_ALLOW)
		fail(t, d, "marked not needed, but the IR refuses this call");
	t->calls++;
}

static uint64_t next_random(struct probe *t)
{
	/* xorshift64*: any fixed sequence would do, seeded by the input */
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545f4914f6cdd1dull;
}

/*
 * Number @nr with argument vectors at the boundaries of @name's conditions
 * (@name may be another number's: its neighbours are tried with its
 * vectors): each argument's values alone, and when @thorough the full
 * product when it is small, else random combinations.
 */
static void boundaries(struct probe *t, uint32_t nr, const char *name,
		       bool thorough)
{
	uint64_t v[6][MAX_BOUNDS];
	size_t n[6], product = 1;

	for (unsigned a = 0; a < 6; a++) {
		n[a] = oracle_sc_boundaries(t->p, name, a, v[a], MAX_BOUNDS);
		product = product <= MAX_PRODUCT ? product * n[a] : product;
	}
	struct seccomp_data d = { .nr = (int)nr, .arch = t->arch };
	if (thorough && product <= MAX_PRODUCT) {
		for (size_t i = 0; i < product; i++) {
			size_t rest = i;

			for (unsigned a = 0; a < 6; a++) {
				d.args[a] = v[a][rest % n[a]];
				rest /= n[a];
			}
			call(t, &d);
		}
		return;
	}
	for (unsigned a = 0; a < 6; a++)
		for (size_t i = 0; i < n[a]; i++) {
			memset(d.args, 0, sizeof(d.args));
			d.args[a] = v[a][i];
			call(t, &d);
		}
	for (size_t i = 0; thorough && i < MAX_PRODUCT; i++) {
		for (unsigned a = 0; a < 6; a++)
			d.args[a] = v[a][next_random(t) % n[a]];
		call(t, &d);
	}
}

/* The flags and the skipped names against the rules. */
static void check_flags(struct probe *t)
{
	const struct ir_settings *st =
		&t->p->settings[ir_platform_index(IR_LINUX)];
	bool notifies = st->sys_default == IR_SYS_NOTIFY;

	for (size_t i = 0; i < t->p->nsys; i++) {
		const struct ir_sys_rule *r = &t->p->sys[i];
		int nr;

		if (!(r->platforms & IR_LINUX))
			continue;
		nr = seccomp_syscall_resolve_name_arch(t->arch, r->syscall);
		bool skipped = false;
		for (size_t k = 0; k < t->prog->nskipped; k++)
			skipped |= !strcmp(t->prog->skipped[k], r->syscall);
		if (nr < 0 && !skipped)
			fail(t, NULL,
			     "a syscall the architecture lacks is "
			     "not listed as skipped");
		if (nr >= 0 && skipped)
			fail(t, NULL,
			     "a syscall the architecture has is "
			     "listed as skipped");
		if (nr >= 0 && nr < NUMBERS)
			t->named[nr] = true;
		notifies |= nr >= 0 && r->action == IR_SYS_NOTIFY;
	}
	if (t->prog->notifies != notifies)
		fail(t, NULL, "the notify flag is wrong");
	if (t->prog->arch != t->arch || t->prog->len > BPF_MAXINSNS)
		fail(t, NULL, "the program's architecture or length is wrong");
}

static void probe_program(struct probe *t, struct input *in)
{
	static const uint32_t foreign[] = { AUDIT_ARCH_I386,
					    AUDIT_ARCH_ARM,
					    AUDIT_ARCH_X86_64,
					    AUDIT_ARCH_AARCH64,
					    0,
					    UINT32_MAX };
	static const uint32_t beyond[] = {
		NUMBERS,    NUMBERS + 1, 4095,	     X32 - 1,	 X32,
		X32 + 1,    X32 + 59,	 X32 + 512,  0x7fffffff, 0x80000000,
		0xbfffffff, 0xfffffffe,	 UINT32_MAX,
	};
	struct seccomp_data d = { .arch = t->arch };

	check_flags(t);
	for (size_t i = 0; i < sizeof(foreign) / sizeof(*foreign); i++) {
		struct seccomp_data f = { .arch = foreign[i], .nr = 0 };

		if (foreign[i] == t->arch)
			continue;
		call(t, &f);
		f.nr = (int)(take(in, 4) | X32 * (i & 1));
		call(t, &f);
	}
	/* Every number once, with arguments from the input. */
	for (unsigned a = 0; a < 6; a++)
		d.args[a] = take(in, 8);
	for (uint32_t nr = 0; nr < NUMBERS; nr++) {
		d.nr = (int)nr;
		call(t, &d);
	}
	for (size_t i = 0; i < sizeof(beyond) / sizeof(*beyond); i++) {
		d.nr = (int)beyond[i];
		call(t, &d);
	}
	/* x32 numbers of every named number, and the boundaries. */
	for (uint32_t nr = 0; nr < NUMBERS; nr++) {
		if (!t->named[nr])
			continue;
		const char *name = oracle_sc_name(t->arch, nr);

		d.nr = (int)(nr | X32);
		call(t, &d);
		boundaries(t, nr, name, true);
		if (nr > 0 && !t->named[nr - 1])
			boundaries(t, nr - 1, name, false);
		if (nr + 1 < NUMBERS && !t->named[nr + 1])
			boundaries(t, nr + 1, name, false);
	}
	/* Calls from the input's last bytes. */
	for (unsigned k = 0; k < 16 && in->n; k++) {
		d.nr = (int)take(in, 2) % (NUMBERS + 64);
		for (unsigned a = 0; a < 6; a++)
			d.args[a] = take(in, 8);
		call(t, &d);
	}
}

/* Lower @p for both architectures and probe each program. */
static void check_policy(polc_ctx *ctx, const struct ir_policy *p,
			 const char *text, struct input *in, uint64_t seed)
{
	for (size_t a = 0; a < 2; a++) {
		struct probe *t = calloc(1, sizeof(*t));
		struct input mine = *in;

		if (!t)
			abort();
		*t = (struct probe){
			.p = p, .arch = arches[a], .text = text, .rng = seed | 1
		};
		if (sc_lower(ctx, p, arches[a], &t->prog) != 0) {
			/* A program over the kernel's limit is an error. */
			bool too_long = false;
			for (const struct diag *dg = ctx->diags; dg;
			     dg = dg->next)
				too_long |=
					strstr(dg->message,
					       "the kernel takes at most") !=
					NULL;
			if (!too_long) {
				polc_diagnostics_print(ctx, stderr,
						       POLC_DIAG_TEXT, false);
				fprintf(stderr, "policy:\n%s\n", text);
				abort();
			}
			free(t);
			continue;
		}
		probe_program(t, &mine);
		if (getenv("POLC_FUZZ_SHOW"))
			fprintf(stderr,
				"fuzz-seccomp: %s, %s: %zu instructions, "
				"%zu calls agree\n",
				p->profile, arch_name(t->arch), t->prog->len,
				t->calls);
		free(t);
	}
}

/* ---- the two kinds of input ---------------------------------------------- */

static uint64_t hash(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ull;
	return h;
}

/* The file @text parsed and checked into @unit; -1 when it is not clean. */
static int parse(polc_ctx *ctx, const char *text, size_t len,
		 struct load_unit *unit, struct ast_file **file)
{
	char *copy = arena_strndup(&ctx->arena, text, len);
	uint32_t id = copy ? source_add(ctx, "fuzz.pol", copy, len) : 0;

	if (!id || ast_parse(ctx, id, file) != 0 || ast_check(ctx, *file) != 0)
		return -1;
	ptrvec_push(&ctx->arena, &unit->files, *file);
	return ast_check_duplicates(ctx, &unit->files);
}

/* Resolve and check every profile @file defines, or just @only. */
static void check_profiles(polc_ctx *ctx, struct load_unit *unit,
			   const struct ast_file *file, const char *only,
			   const char *text, struct input *in, uint64_t seed)
{
	struct ir_options opts = { 0 };

	memcpy(opts.builtins, pinned_builtins, sizeof(pinned_builtins));
	for (size_t i = 0; i < file->items.len; i++) {
		const struct ast_item *it = file->items.items[i];
		const struct ir_policy *p;

		if (it->kind != AST_ITEM_PROFILE ||
		    (only && strcmp(it->name->text, only)))
			continue;
		p = ir_resolve(ctx, unit, it->name->text, &opts);
		if (p)
			check_policy(ctx, p, text, in, seed);
	}
}

/* A .pol input, joining the stdlib; false when it is not one. */
static bool run_text(const uint8_t *data, size_t size, uint64_t seed)
{
	polc_ctx *ctx = polc_ctx_new();
	struct load_unit unit = { 0 };
	struct ast_file *file;
	struct input in = { data, size };
	bool clean;

	if (!ctx)
		abort();
	clean = memchr(data, 0, size) == NULL &&
		parse(ctx, (const char *)data, size, &unit, &file) == 0;
	if (clean && load_library(ctx, &unit) == 0) {
		char *text =
			arena_strndup(&ctx->arena, (const char *)data, size);

		check_profiles(ctx, &unit, file, NULL, text, &in, seed);
	}
	polc_ctx_free(ctx);
	return clean;
}

/* A generated policy; its parse or check failing is a crash. */
static void run_generated(const uint8_t *data, size_t size, uint64_t seed)
{
	struct input in = { data, size };
	struct gen g = { .in = &in };
	char *text = NULL;
	size_t len = 0;

	g.out = open_memstream(&text, &len);
	if (!g.out)
		abort();
	generate(&g);
	if (fclose(g.out) != 0)
		abort();
	if (getenv("POLC_FUZZ_SHOW"))
		fprintf(stderr, "%s\n", text);

	polc_ctx *ctx = polc_ctx_new();
	struct load_unit unit = { 0 };
	struct ast_file *file;

	if (!ctx)
		abort();
	if (parse(ctx, text, len, &unit, &file) != 0) {
		polc_diagnostics_print(ctx, stderr, POLC_DIAG_TEXT, false);
		fprintf(stderr,
			"fuzz-seccomp: the generated policy does not "
			"parse and check:\n%s\n",
			text);
		abort();
	}
	/* base's rules are fuzz's too: planning it again is time lost. */
	check_profiles(ctx, &unit, file, "fuzz", text, &in, seed);
	polc_ctx_free(ctx);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	uint64_t seed = hash(data, size);

	if (!ready) {
		/* The stdlib only: never the user's configuration. */
		setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
		unsetenv("POLC_PATH");
		learn_numbers();
		ready = true;
	}
	if (!run_text(data, size, seed))
		run_generated(data, size, seed);
	return 0;
}
