/*
 * oci.c - the IR's syscall rules as OCI runtime-spec seccomp JSON.
 *
 * A runtime (runc, crun through libseccomp) reads each `syscalls[]` entry
 * as one rule: its conditions ANDed, at most one per argument (runc turns
 * two on one argument into two rules, an OR).  Where rules with different
 * actions overlap, libseccomp's answer is not the IR's most-restrictive
 * one, so every emitted rule covers exactly the calls that the IR gives
 * its action: the rules of a syscall are taken most restrictive first, as
 * lower.c tries them, and each keeps only the calls no earlier rule with
 * another action takes.  Rules with one action may overlap: they agree.
 * Calls the default decides get no rule.
 *
 * A set of values of one argument is kept as lo <= x <= hi and
 * (x & mask) == value, closed under intersection; a conjunction of
 * conditions is one such set per argument, a "term".  Writing a set as one
 * OCI condition takes ==, <=, >= or a masked ==; an interval that is none
 * of these is split into aligned blocks, each a masked ==, one rule each.
 */
#include "backends/seccomp/seccomp.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "common/json.h"
#include "ir/ir.h"

enum {
	NARGS = 6,
	MAX_TERMS = 4096, /* rules one syscall may need before polc refuses */
};

/* The values lo <= x <= hi with (x & mask) == value. */
struct argset {
	uint64_t lo, hi, mask, value;
};

static const struct argset ANY = { 0, UINT64_MAX, 0, 0 };

/* A conjunction: the values each argument may take. */
struct term {
	struct argset a[NARGS];
};

struct terms {
	struct term *t;
	size_t n, cap;
};

/* One OCI condition. */
enum oci_op { OP_EQ, OP_LE, OP_GE, OP_MASKED_EQ };

struct oci_cond {
	unsigned index;
	enum oci_op op;
	uint64_t value, value_two;
};

/* One `syscalls[]` entry before names are grouped. */
struct entry {
	const char *name;
	uint32_t action; /* SECCOMP_RET_* value, errno included */
	struct oci_cond conds[NARGS];
	size_t nconds;
};

struct exporter {
	struct polc_ctx *ctx;
	struct entry *e;
	size_t n, cap;
};

/* *x &= y; false when the intersection is empty (as far as cheaply seen). */
static bool meet(struct argset *x, const struct argset *y)
{
	uint64_t common = x->mask & y->mask;

	if ((x->value ^ y->value) & common)
		return false;
	x->lo = x->lo > y->lo ? x->lo : y->lo;
	x->hi = x->hi < y->hi ? x->hi : y->hi;
	x->mask |= y->mask;
	x->value |= y->value;
	return x->lo <= x->hi;
}

/*
 * The sets whose union is where @c holds (@negated: where it fails), into
 * @out (at most 64); -1 when no such sets can say it (an ordering under a
 * mask).
 */
static int alternatives(const struct ir_sys_cond *c, bool negated,
			struct argset *out, size_t *n)
{
	static const enum ir_cmp opposite[] = {
		[IR_CMP_EQ] = IR_CMP_NE, [IR_CMP_NE] = IR_CMP_EQ,
		[IR_CMP_LT] = IR_CMP_GE, [IR_CMP_LE] = IR_CMP_GT,
		[IR_CMP_GT] = IR_CMP_LE, [IR_CMP_GE] = IR_CMP_LT,
	};
	enum ir_cmp op = negated ? opposite[c->op] : c->op;
	uint64_t v = c->value;

	*n = 0;
	if (c->mask != UINT64_MAX) {
		bool never = v & ~c->mask; /* bits the mask clears */

		if (op == IR_CMP_EQ) {
			if (!never)
				out[(*n)++] = (struct argset){ 0, UINT64_MAX,
							       c->mask, v };
			return 0;
		}
		if (op != IR_CMP_NE)
			return -1;
		if (never) {
			out[(*n)++] = ANY;
			return 0;
		}
		/* Some bit of the mask differs. */
		for (unsigned b = 0; b < 64; b++) {
			uint64_t bit = (uint64_t)1 << b;

			if (c->mask & bit)
				out[(*n)++] = (struct argset){ 0, UINT64_MAX,
							       bit, ~v & bit };
		}
		return 0;
	}
	switch (op) {
	case IR_CMP_EQ: out[(*n)++] = (struct argset){ v, v, 0, 0 }; break;
	case IR_CMP_NE:
		if (v > 0)
			out[(*n)++] = (struct argset){ 0, v - 1, 0, 0 };
		if (v < UINT64_MAX)
			out[(*n)++] =
				(struct argset){ v + 1, UINT64_MAX, 0, 0 };
		break;
	case IR_CMP_LT:
		if (v > 0)
			out[(*n)++] = (struct argset){ 0, v - 1, 0, 0 };
		break;
	case IR_CMP_LE: out[(*n)++] = (struct argset){ 0, v, 0, 0 }; break;
	case IR_CMP_GT:
		if (v < UINT64_MAX)
			out[(*n)++] =
				(struct argset){ v + 1, UINT64_MAX, 0, 0 };
		break;
	case IR_CMP_GE:
		out[(*n)++] = (struct argset){ v, UINT64_MAX, 0, 0 };
		break;
	}
	return 0;
}

static void refuse(struct polc_ctx *ctx, const struct ir_sys_rule *r,
		   const char *why)
{
	diag_at(ctx, DIAG_ERROR, r->origin.loc,
		"this rule on '%s' cannot be written exactly as OCI seccomp "
		"JSON: %s",
		r->syscall, why);
}

static struct term *push_term(struct polc_ctx *ctx, struct terms *ts)
{
	return arena_array_push(&ctx->arena, (void **)&ts->t, &ts->n, &ts->cap,
				sizeof(*ts->t));
}

/*
 * @in with each term met with one of the alternatives of @c (negated or
 * not), into @out: a conjunction with a disjunction.
 */
static int conjoin(struct polc_ctx *ctx, const struct ir_sys_rule *r,
		   const struct ir_sys_cond *c, bool negated,
		   const struct terms *in, struct terms *out)
{
	struct argset alt[64];
	size_t nalt;

	if (alternatives(c, negated, alt, &nalt) != 0) {
		refuse(ctx, r, "OCI has no ordering comparison under a mask");
		return -1;
	}
	out->n = 0;
	for (size_t i = 0; i < in->n; i++)
		for (size_t k = 0; k < nalt; k++) {
			struct term t = in->t[i];

			if (!meet(&t.a[c->arg], &alt[k]))
				continue;
			if (out->n >= MAX_TERMS) {
				refuse(ctx, r, "it needs more than 4096 rules");
				return -1;
			}
			*push_term(ctx, out) = t;
		}
	return 0;
}

/* ---- writing a term as OCI rules ---------------------------------------- */

/*
 * The OCI conditions whose union is @s on argument @arg, into @out (at
 * most 128); 0 of them with *any set when @s holds every value.
 */
static size_t write_set(unsigned arg, const struct argset *s,
			struct oci_cond *out, bool *any)
{
	size_t n = 0;

	*any = false;
	if (s->lo == 0 && s->hi == UINT64_MAX) {
		if (!s->mask)
			*any = true;
		else if (s->mask == UINT64_MAX)
			out[n++] = (struct oci_cond){ arg, OP_EQ, s->value, 0 };
		else
			out[n++] = (struct oci_cond){ arg, OP_MASKED_EQ,
						      s->mask, s->value };
		return n;
	}
	if (!s->mask) {
		if (s->lo == s->hi)
			out[n++] = (struct oci_cond){ arg, OP_EQ, s->lo, 0 };
		else if (s->lo == 0)
			out[n++] = (struct oci_cond){ arg, OP_LE, s->hi, 0 };
		else if (s->hi == UINT64_MAX)
			out[n++] = (struct oci_cond){ arg, OP_GE, s->lo, 0 };
		if (n)
			return n;
	}
	/* Aligned blocks [x, x + 2^k), each a masked == on its high bits. */
	for (uint64_t x = s->lo;;) {
		unsigned k = 0;

		while (k < 64 && !(x & ((uint64_t)1 << k)) &&
		       x + ((uint64_t)2 << k) - 1 <= s->hi &&
		       x + ((uint64_t)2 << k) - 1 >= x)
			k++;
		uint64_t size_less_one =
			k == 64 ? UINT64_MAX : ((uint64_t)1 << k) - 1;
		uint64_t mask = ~size_less_one;

		if (!((x ^ s->value) & mask & s->mask)) {
			uint64_t m = mask | s->mask;
			uint64_t v = (x & mask) | s->value;

			out[n++] =
				m == UINT64_MAX
					? (struct oci_cond){ arg, OP_EQ, v, 0 }
					: (struct oci_cond){ arg, OP_MASKED_EQ,
							     m, v };
		}
		if (x + size_less_one >= s->hi)
			break;
		x += size_less_one + 1;
	}
	return n;
}

/* The entries of @t, argument @arg onwards, after @partial's conditions. */
static int add_entries(struct exporter *ex, const struct ir_sys_rule *r,
		       const struct term *t, unsigned arg,
		       struct entry *partial)
{
	struct oci_cond alt[130];
	size_t nalt;
	bool any;

	if (arg == NARGS) {
		if (ex->n >= MAX_TERMS * 4) {
			refuse(ex->ctx, r, "it needs more than 16384 rules");
			return -1;
		}
		*(struct entry *)arena_array_push(
			&ex->ctx->arena, (void **)&ex->e, &ex->n, &ex->cap,
			sizeof(*ex->e)) = *partial;
		return 0;
	}
	nalt = write_set(arg, &t->a[arg], alt, &any);
	if (any)
		return add_entries(ex, r, t, arg + 1, partial);
	for (size_t k = 0; k < nalt; k++) {
		partial->conds[partial->nconds++] = alt[k];
		int rc = add_entries(ex, r, t, arg + 1, partial);
		partial->nconds--;
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- per syscall -------------------------------------------------------- */

/*
 * The entries for the rules @rules[0..n) of one syscall, sorted most
 * restrictive first, under default @fallback.
 */
static int export_syscall(struct exporter *ex, const struct ir_sys_rule **rules,
			  size_t n, uint32_t fallback)
{
	struct polc_ctx *ctx = ex->ctx;

	for (size_t i = 0; i < n; i++) {
		const struct ir_sys_rule *r = rules[i];
		uint32_t value = sc_rule_value(r);
		struct terms a = { 0 }, b = { 0 };

		*push_term(ctx, &a) =
			(struct term){ { ANY, ANY, ANY, ANY, ANY, ANY } };
		for (size_t k = 0; k < r->nconds; k++) {
			if (conjoin(ctx, r, &r->conds[k], false, &a, &b) != 0)
				return -1;
			struct terms swap = a;
			a = b, b = swap;
		}
		/* Not where an earlier rule with another action decides. */
		for (size_t j = 0; j < i && a.n; j++) {
			const struct ir_sys_rule *e = rules[j];
			struct terms part = { 0 };

			if (sc_rule_value(e) == value)
				continue;
			b.n = 0;
			for (size_t k = 0; k < e->nconds; k++) {
				if (conjoin(ctx, r, &e->conds[k], true, &a,
					    &part) != 0)
					return -1;
				if (b.n + part.n > MAX_TERMS) {
					refuse(ctx, r,
					       "it needs more than 4096 rules");
					return -1;
				}
				for (size_t m = 0; m < part.n; m++)
					*push_term(ctx, &b) = part.t[m];
			}
			struct terms swap = a;
			a = b, b = swap;
		}
		if (value != fallback)
			for (size_t t = 0; t < a.n; t++) {
				struct entry partial = { .name = r->syscall,
							 .action = value };

				if (add_entries(ex, r, &a.t[t], 0, &partial) !=
				    0)
					return -1;
			}
		if (!r->nconds)
			break; /* it decides every call the earlier ones leave
				*/
	}
	return 0;
}

/* ---- the document ------------------------------------------------------- */

static int cond_compare(const struct oci_cond *x, const struct oci_cond *y)
{
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	if (x->value_two != y->value_two)
		return x->value_two < y->value_two ? -1 : 1;
	return 0;
}

/* Entries with one action and one argument list are one `syscalls[]`. */
static int same_rule(const struct entry *x, const struct entry *y)
{
	if (x->nconds != y->nconds)
		return x->nconds < y->nconds ? -1 : 1;
	if (x->action != y->action)
		return x->action < y->action ? -1 : 1;
	for (size_t k = 0; k < x->nconds; k++) {
		int c = cond_compare(&x->conds[k], &y->conds[k]);

		if (c)
			return c;
	}
	return 0;
}

/*
 * Unconditional rules first, grouped by action; then each syscall's
 * rules together.
 */
static int entry_order(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if (!x->nconds != !y->nconds)
		return x->nconds ? 1 : -1;
	if (x->nconds && (c = strcmp(x->name, y->name)))
		return c;
	c = same_rule(x, y);
	return c ? c : strcmp(x->name, y->name);
}

static const char *action_name(uint32_t action)
{
	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW: return "SCMP_ACT_ALLOW";
	case SECCOMP_RET_LOG: return "SCMP_ACT_LOG";
	case SECCOMP_RET_ERRNO: return "SCMP_ACT_ERRNO";
	case SECCOMP_RET_TRAP: return "SCMP_ACT_TRAP";
	case SECCOMP_RET_KILL_THREAD: return "SCMP_ACT_KILL_THREAD";
	default: return "SCMP_ACT_KILL_PROCESS";
	}
}

static void write_action(uint32_t action, const char *errno_key,
			 const char *indent, FILE *out)
{
	json_write_string(out, action_name(action));
	if ((action & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
		fprintf(out, ",\n%s\"%s\": %u", indent, errno_key,
			(unsigned)(action & SECCOMP_RET_DATA));
}

static void write_document(const struct entry *e, size_t n, uint32_t fallback,
			   uint32_t arch, FILE *out)
{
	static const char *const ops[] = {
		[OP_EQ] = "SCMP_CMP_EQ",
		[OP_LE] = "SCMP_CMP_LE",
		[OP_GE] = "SCMP_CMP_GE",
		[OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
	};

	fputs("{\n  \"defaultAction\": ", out);
	write_action(fallback, "defaultErrnoRet", "  ", out);
	fprintf(out, ",\n  \"architectures\": [\"%s\"],\n  \"syscalls\": [",
		arch == AUDIT_ARCH_X86_64 ? "SCMP_ARCH_X86_64"
					  : "SCMP_ARCH_AARCH64");
	for (size_t i = 0; i < n;) {
		size_t j = i;

		fputs(i ? ",\n    {\n      \"names\": ["
			: "\n    {\n"
			  "      \"names\": [",
		      out);
		for (; j < n && !same_rule(&e[i], &e[j]); j++) {
			if (j > i && !strcmp(e[j].name, e[j - 1].name))
				continue;
			fputs(j > i ? ", " : "", out);
			json_write_string(out, e[j].name);
		}
		fputs("],\n      \"action\": ", out);
		write_action(e[i].action, "errnoRet", "      ", out);
		if (e[i].nconds)
			fputs(",\n      \"args\": [", out);
		for (size_t k = 0; k < e[i].nconds; k++) {
			const struct oci_cond *c = &e[i].conds[k];

			fprintf(out,
				"%s\n        {\"index\": %u, \"value\": %llu, "
				"\"valueTwo\": %llu, \"op\": \"%s\"}",
				k ? "," : "", c->index,
				(unsigned long long)c->value,
				(unsigned long long)c->value_two, ops[c->op]);
		}
		if (e[i].nconds)
			fputs("\n      ]", out);
		fputs("\n    }", out);
		i = j;
	}
	fputs(n ? "\n  ]\n}\n" : "]\n}\n", out);
}

static const struct ir_sys_rule *notify_rule(const struct ir_policy *p)
{
	for (size_t i = 0; i < p->nsys; i++)
		if ((p->sys[i].platforms & IR_LINUX) &&
		    p->sys[i].action == IR_SYS_NOTIFY)
			return &p->sys[i];
	return NULL;
}

int sc_export_oci(struct polc_ctx *ctx, const struct ir_policy *p,
		  uint32_t arch, FILE *out)
{
	const struct ir_settings *st =
		&p->settings[ir_platform_index(IR_LINUX)];
	uint32_t fallback =
		sc_action_value(st->sys_default, st->sys_default_errno);
	const struct ir_sys_rule *notify = notify_rule(p);
	struct exporter ex = { .ctx = ctx };
	int rc = 0;

	if (arch != AUDIT_ARCH_X86_64 && arch != AUDIT_ARCH_AARCH64) {
		diag_subject(ctx, DIAG_ERROR, "seccomp",
			     "unsupported architecture 0x%x", (unsigned)arch);
		return -1;
	}
	if (notify || st->sys_default == IR_SYS_NOTIFY) {
		/* OCI's notify needs the runtime's listenerPath. */
		if (notify)
			diag_at(ctx, DIAG_ERROR, notify->origin.loc,
				"'notify' cannot be exported as OCI seccomp "
				"JSON: it needs a listener socket that only "
				"the runtime's configuration can name");
		else
			diag_subject(ctx, DIAG_ERROR, "seccomp",
				     "a 'notify' default cannot be exported "
				     "as OCI seccomp JSON");
		return -1;
	}
	/* p->sys is sorted by syscall: one run per name. */
	for (size_t i = 0, j; i < p->nsys; i = j) {
		const struct ir_sys_rule **rules = NULL;
		size_t n = 0, cap = 0;

		for (j = i; j < p->nsys &&
			    !strcmp(p->sys[j].syscall, p->sys[i].syscall);
		     j++)
			if (p->sys[j].platforms & IR_LINUX)
				*(const struct ir_sys_rule **)arena_array_push(
					&ctx->arena, (void **)&rules, &n, &cap,
					sizeof(*rules)) = &p->sys[j];
		if (!n)
			continue;
		int nr = sc_syscall_number(arch, p->sys[i].syscall);
		if (nr == __NR_SCMP_ERROR) {
			diag_at(ctx, DIAG_ERROR, rules[0]->origin.loc,
				"syscall '%s' is unknown to libseccomp",
				rules[0]->syscall);
			rc = -1;
			continue;
		}
		if (nr < 0)
			continue; /* not on this architecture: vacuous */
		qsort(rules, n, sizeof(*rules), sc_rule_order);
		if (export_syscall(&ex, rules, n, fallback) != 0)
			rc = -1;
	}
	if (arena_failed(&ctx->arena)) {
		diag_subject(ctx, DIAG_ERROR, "seccomp", "out of memory");
		return -1;
	}
	if (rc)
		return -1;
	qsort(ex.e, ex.n, sizeof(*ex.e), entry_order);
	write_document(ex.e, ex.n, fallback, arch, out);
	return 0;
}
