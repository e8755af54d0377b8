/*
 * import_seccomp.c - OCI runtime-spec / Docker seccomp JSON to .pol.
 *
 * The translation means what runc and libseccomp make of the file, for one
 * architecture and one set of capabilities:
 *
 * - Docker's `includes` / `excludes` keep an entry for the architecture
 *   and capabilities given (a Docker container's default set, plus
 *   --cap); `minKernel` up to 5.13, the oldest kernel polc runs on, always
 *   holds.  Every entry left out, and every later `minKernel`, is a warning
 *   that names it.
 * - runc skips an entry whose action is the default's, and turns two
 *   conditions on one argument into one rule each; so does this.
 * - libseccomp decides overlapping rules with different actions otherwise
 *   than polc's most restrictive one: such a pair is an error unless some
 *   argument shows the two disjoint.
 * - A name libseccomp does not know cannot be written in .pol: dropped
 *   with a warning when its entry lets calls proceed (they stay at the
 *   default), an error when it refuses them.
 */
#include <linux/audit.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "backends/seccomp/seccomp.h"
#include "common/ctx.h"
#include "common/diag.h"
#include "common/json.h"
#include "common/source.h"
#include "lib/import.h"
#include "polc.h"

enum { NARGS = 6, MAX_CONDS = 6 };

/* The capabilities a Docker container has by default. */
static const char *const docker_caps[] = {
	"CAP_CHOWN",
	"CAP_DAC_OVERRIDE",
	"CAP_FSETID",
	"CAP_FOWNER",
	"CAP_MKNOD",
	"CAP_NET_RAW",
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETFCAP",
	"CAP_SETPCAP",
	"CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT",
	"CAP_KILL",
	"CAP_AUDIT_WRITE",
};

/* The oldest kernel polc supports (Landlock): 5.13. */
static const unsigned MIN_KERNEL[2] = { 5, 13 };

struct cond {
	unsigned arg;
	const char *op; /* as .pol writes it; "&" for a masked == */
	uint64_t value, value_two;
};

/* One rule as libseccomp will hold it. */
struct rule {
	const char *name;
	const char *action; /* as .pol writes it */
	enum ir_sys_action ir;
	uint32_t value; /* the SECCOMP_RET_* value, to compare */
	struct cond conds[MAX_CONDS];
	size_t nconds;
	struct polc_loc loc; /* the entry */
};

struct importer {
	struct polc_ctx *ctx;
	const struct polc_import_options *opts;
	uint32_t arch;
	const char *docker_arch; /* Docker's name of @arch: amd64, arm64 */
	struct rule *rules;
	size_t n, cap;
	enum ir_sys_action fallback_ir;
	uint32_t fallback;
};

bool import_oci_seccomp_detect(const struct source *src,
			       const struct json_value *doc)
{
	(void)src;
	return json_member(doc, "defaultAction") ||
	       json_member(doc, "syscalls");
}

static bool want(struct importer *im, const struct json_value *v,
		 enum json_kind kind, const char *what)
{
	if (v && v->kind == kind)
		return true;
	if (v)
		diag_at(im->ctx, DIAG_ERROR, v->loc, "%s must be %s, not %s",
			what, json_kind_name(kind), json_kind_name(v->kind));
	return false;
}

/* *action and *value of OCI action @v (with errnoRet @err); -1 on error. */
static int action_of(struct importer *im, const struct json_value *v,
		     const struct json_value *err, const char **action,
		     enum ir_sys_action *ir, uint32_t *value)
{
	static const struct {
		const char *oci, *pol;
		enum ir_sys_action ir;
	} table[] = {
		{ "SCMP_ACT_ALLOW", "allow", IR_SYS_ALLOW },
		{ "SCMP_ACT_LOG", "log", IR_SYS_LOG },
		{ "SCMP_ACT_NOTIFY", "notify", IR_SYS_NOTIFY },
		{ "SCMP_ACT_TRAP", "trap", IR_SYS_TRAP },
		{ "SCMP_ACT_KILL", "kill_thread", IR_SYS_KILL_THREAD },
		{ "SCMP_ACT_KILL_THREAD", "kill_thread", IR_SYS_KILL_THREAD },
		{ "SCMP_ACT_KILL_PROCESS", "kill", IR_SYS_KILL },
	};
	uint64_t e = 1; /* runc's errno when errnoRet is absent: EPERM */

	if (!want(im, v, JSON_STRING, "an action"))
		return -1;
	if (!strcmp(v->text, "SCMP_ACT_ERRNO")) {
		if (err && (!json_uint64(err, &e) || e < 1 || e > 4095)) {
			diag_at(im->ctx, DIAG_ERROR, err->loc,
				"an errno must be a number from 1 to 4095");
			return -1;
		}
		*action = e == 1 ? "deny"
				 : arena_printf(&im->ctx->arena, "errno %u",
						(unsigned)e);
		*ir = IR_SYS_ERRNO;
		*value = sc_action_value(IR_SYS_ERRNO, (unsigned)e);
		return 0;
	}
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++)
		if (!strcmp(v->text, table[i].oci)) {
			*action = table[i].pol;
			*ir = table[i].ir;
			*value = sc_action_value(table[i].ir, 0);
			return 0;
		}
	diag_at(im->ctx, DIAG_ERROR, v->loc,
		"action '%s' has no equivalent in polc%s", v->text,
		strcmp(v->text, "SCMP_ACT_TRACE") ? ""
						  : " (there is no tracer)");
	return -1;
}

/* ---- includes and excludes ---------------------------------------------- */

static bool holds_cap(struct importer *im, const char *cap)
{
	for (size_t i = 0; i < sizeof(docker_caps) / sizeof(*docker_caps); i++)
		if (!strcmp(cap, docker_caps[i]))
			return true;
	for (const char *const *c = im->opts->caps; c && *c; c++)
		if (!strcmp(cap, *c))
			return true;
	return false;
}

/* Whether the strings of array @v include one that @match accepts. */
static int any_of(struct importer *im, const struct json_value *v,
		  const char *what,
		  bool (*match)(struct importer *, const char *))
{
	bool hit = false;

	if (!want(im, v, JSON_ARRAY, what))
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		if (!want(im, v->items[i], JSON_STRING, what))
			return -1;
		hit |= match(im, v->items[i]->text);
	}
	return hit;
}

static bool is_arch(struct importer *im, const char *name)
{
	return !strcmp(name, im->docker_arch);
}

/* "5.13" into major, minor; false when it is not a version. */
static bool kernel_version(const char *s, unsigned v[2])
{
	char *end;

	v[0] = (unsigned)strtoul(s, &end, 10);
	if (end == s || *end != '.')
		return false;
	s = end + 1;
	v[1] = (unsigned)strtoul(s, &end, 10);
	return end != s && (*end == 0 || *end == '.');
}

/*
 * Whether the entry applies for this architecture and these capabilities
 * (warning when not, naming it); -1 on error.
 */
static int applies(struct importer *im, const struct json_value *entry,
		   const char *names)
{
	static const char *const kinds[] = { "includes", "excludes" };

	for (int k = 0; k < 2; k++) {
		const struct json_value *f = json_member(entry, kinds[k]);
		bool include = k == 0;

		if (!f)
			continue;
		if (!want(im, f, JSON_OBJECT, kinds[k]))
			return -1;
		for (size_t i = 0; i < f->n; i++) {
			const char *key = f->keys[i];
			const struct json_value *v = f->items[i];
			int hit;

			if (!strcmp(key, "arches")) {
				hit = any_of(im, v, "an architecture", is_arch);
				if (hit < 0)
					return -1;
				if (hit != include) {
					diag_at(im->ctx, DIAG_WARNING, v->loc,
						"left out for %s: %s",
						im->docker_arch, names);
					return 0;
				}
			} else if (!strcmp(key, "caps")) {
				hit = any_of(im, v, "a capability", holds_cap);
				if (hit < 0)
					return -1;
				if (hit != include) {
					diag_at(im->ctx, DIAG_WARNING, v->loc,
						include ? "left out: %s (only "
							  "for "
							  "a process with one "
							  "of "
							  "these capabilities; "
							  "grant one with "
							  "--cap)"
							: "left out: %s (not "
							  "for "
							  "a process with one "
							  "of "
							  "these capabilities)",
						names);
					return 0;
				}
			} else if (!strcmp(key, "minKernel") && include) {
				unsigned ver[2];

				if (!want(im, v, JSON_STRING, "minKernel"))
					return -1;
				if (!kernel_version(v->text, ver)) {
					diag_at(im->ctx, DIAG_ERROR, v->loc,
						"not a kernel version");
					return -1;
				}
				if (ver[0] > MIN_KERNEL[0] ||
				    (ver[0] == MIN_KERNEL[0] &&
				     ver[1] > MIN_KERNEL[1]))
					diag_at(im->ctx, DIAG_WARNING, v->loc,
						"imported for every kernel: "
						"%s (runtimes apply it from "
						"Linux %s only)",
						names, v->text);
			} else {
				diag_at(im->ctx, DIAG_ERROR, v->loc,
					"unknown condition '%s' in %s (polc "
					"reads arches, caps%s)",
					key, kinds[k],
					include ? " and minKernel" : "");
				return -1;
			}
		}
	}
	return 1;
}

/* ---- rules -------------------------------------------------------------- */

static int cond_of(struct importer *im, const struct json_value *a,
		   struct cond *c)
{
	static const struct {
		const char *oci, *pol;
	} ops[] = {
		{ "SCMP_CMP_NE", "!=" },       { "SCMP_CMP_LT", "<" },
		{ "SCMP_CMP_LE", "<=" },       { "SCMP_CMP_EQ", "==" },
		{ "SCMP_CMP_GE", ">=" },       { "SCMP_CMP_GT", ">" },
		{ "SCMP_CMP_MASKED_EQ", "&" },
	};
	const struct json_value *index = json_member(a, "index");
	const struct json_value *value = json_member(a, "value");
	const struct json_value *two = json_member(a, "valueTwo");
	const struct json_value *op = json_member(a, "op");
	uint64_t i;

	if (!want(im, a, JSON_OBJECT, "an argument condition"))
		return -1;
	if (!json_uint64(index, &i) || i >= NARGS) {
		diag_at(im->ctx, DIAG_ERROR, index ? index->loc : a->loc,
			"an argument index must be a number from 0 to 5");
		return -1;
	}
	c->arg = (unsigned)i;
	if (!json_uint64(value, &c->value)) {
		diag_at(im->ctx, DIAG_ERROR, value ? value->loc : a->loc,
			"a value must be an unsigned 64-bit number");
		return -1;
	}
	c->value_two = 0;
	if (two && !json_uint64(two, &c->value_two)) {
		diag_at(im->ctx, DIAG_ERROR, two->loc,
			"valueTwo must be an unsigned 64-bit number");
		return -1;
	}
	if (!want(im, op, JSON_STRING, "op")) {
		if (!op)
			diag_at(im->ctx, DIAG_ERROR, a->loc,
				"the condition has no op");
		return -1;
	}
	for (size_t k = 0; k < sizeof(ops) / sizeof(*ops); k++)
		if (!strcmp(op->text, ops[k].oci)) {
			c->op = ops[k].pol;
			return 0;
		}
	diag_at(im->ctx, DIAG_ERROR, op->loc, "unknown comparison '%s'",
		op->text);
	return -1;
}

static void add_rule(struct importer *im, const struct rule *r)
{
	*(struct rule *)arena_array_push(&im->ctx->arena, (void **)&im->rules,
					 &im->n, &im->cap, sizeof(*r)) = *r;
}

/* Whether libseccomp knows @name on some architecture polc builds for. */
static bool known(const char *name)
{
	return sc_syscall_number(AUDIT_ARCH_X86_64, name) != __NR_SCMP_ERROR ||
	       sc_syscall_number(AUDIT_ARCH_AARCH64, name) != __NR_SCMP_ERROR;
}

static int import_entry(struct importer *im, const struct json_value *e)
{
	const struct json_value *names = json_member(e, "names");
	const struct json_value *name = json_member(e, "name");
	const struct json_value *args = json_member(e, "args");
	struct rule base = { .loc = e->loc };
	struct cond conds[MAX_CONDS];
	size_t nconds = 0;
	unsigned seen = 0;
	bool split = false;

	if (!want(im, e, JSON_OBJECT, "a syscalls entry"))
		return -1;
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->keys[i], "names") && strcmp(e->keys[i], "name") &&
		    strcmp(e->keys[i], "action") &&
		    strcmp(e->keys[i], "errnoRet") &&
		    strcmp(e->keys[i], "args") &&
		    strcmp(e->keys[i], "includes") &&
		    strcmp(e->keys[i], "excludes") &&
		    strcmp(e->keys[i], "comment")) {
			diag_at(im->ctx, DIAG_ERROR, e->items[i]->loc,
				"unknown member '%s' of a syscalls entry",
				e->keys[i]);
			return -1;
		}
	if (names && !want(im, names, JSON_ARRAY, "names"))
		return -1;
	if (name && !want(im, name, JSON_STRING, "name"))
		return -1;
	if (!names && !name) {
		diag_at(im->ctx, DIAG_ERROR, e->loc,
			"the entry names no "
			"syscall");
		return -1;
	}
	/* The names, for messages. */
	char *list = arena_strdup(&im->ctx->arena, name ? name->text : "");
	for (size_t i = 0; names && i < names->n; i++) {
		if (!want(im, names->items[i], JSON_STRING, "a syscall name"))
			return -1;
		list = arena_printf(&im->ctx->arena, "%s%s%s", list,
				    *list ? " " : "", names->items[i]->text);
	}
	int rc = applies(im, e, list);
	if (rc <= 0)
		return rc;
	if (!json_member(e, "action")) {
		diag_at(im->ctx, DIAG_ERROR, e->loc, "the entry has no action");
		return -1;
	}
	if (action_of(im, json_member(e, "action"), json_member(e, "errnoRet"),
		      &base.action, &base.ir, &base.value) != 0)
		return -1;
	if (base.value == im->fallback) {
		diag_at(im->ctx, DIAG_WARNING, json_member(e, "action")->loc,
			"left out: %s (the action is the default's, and "
			"runtimes skip such rules)",
			list);
		return 0;
	}
	if (args && !want(im, args, JSON_ARRAY, "args"))
		return -1;
	if (args && args->n > MAX_CONDS) {
		diag_at(im->ctx, DIAG_ERROR, args->loc,
			"at most 6 argument conditions");
		return -1;
	}
	for (size_t i = 0; args && i < args->n; i++) {
		if (cond_of(im, args->items[i], &conds[nconds]) != 0)
			return -1;
		split |= (seen >> conds[nconds].arg) & 1;
		seen |= 1u << conds[nconds++].arg;
	}
	for (size_t i = 0; i < (names ? names->n : 0) + (name != NULL); i++) {
		const struct json_value *n =
			names && i < names->n ? names->items[i] : name;

		base.name = n->text;
		base.loc = n->loc;
		if (!known(n->text)) {
			/* Safe when the default refuses at least as much. */
			if (im->fallback_ir >= base.ir) {
				diag_at(im->ctx, DIAG_WARNING, n->loc,
					"left out: '%s' is unknown to this "
					"libseccomp, so its calls get the "
					"default",
					n->text);
				continue;
			}
			diag_at(im->ctx, DIAG_ERROR, n->loc,
				"'%s' is unknown to this libseccomp, and "
				"leaving it out would lose its '%s'",
				n->text, base.action);
			return -1;
		}
		/* runc: two conditions on one argument make a rule each. */
		if (split) {
			for (size_t k = 0; k < nconds; k++) {
				struct rule r = base;

				r.conds[0] = conds[k];
				r.nconds = 1;
				add_rule(im, &r);
			}
			continue;
		}
		memcpy(base.conds, conds, sizeof(conds));
		base.nconds = nconds;
		add_rule(im, &base);
	}
	return 0;
}

/* ---- overlaps ----------------------------------------------------------- */

/* The values lo <= x <= hi with (x & mask) == value; or all but @ne. */
struct valueset {
	uint64_t lo, hi, mask, value;
	bool is_ne;
};

static struct valueset values_of(const struct cond *c)
{
	struct valueset s = { 0, UINT64_MAX, 0, 0, false };
	uint64_t v = c->value;

	if (!strcmp(c->op, "==")) {
		s.lo = s.hi = v;
	} else if (!strcmp(c->op, "!=")) {
		s.is_ne = true, s.lo = v;
	} else if (!strcmp(c->op, "<")) {
		if (!v)
			s.lo = 1, s.hi = 0; /* empty */
		else
			s.hi = v - 1;
	} else if (!strcmp(c->op, "<=")) {
		s.hi = v;
	} else if (!strcmp(c->op, ">")) {
		if (v == UINT64_MAX)
			s.lo = 1, s.hi = 0;
		else
			s.lo = v + 1;
	} else if (!strcmp(c->op, ">=")) {
		s.lo = v;
	} else { /* masked == */
		s.mask = v, s.value = c->value_two;
	}
	return s;
}

/* The smallest x >= @lo with (x & @m) == @v (@v within @m), if any. */
static bool first_match(uint64_t lo, uint64_t m, uint64_t v, uint64_t *out)
{
	uint64_t x = (lo & ~m) | v, diff = x ^ lo;

	if (!diff) {
		*out = lo;
		return true;
	}
	/* The highest bit where x and lo differ is one the mask fixes. */
	unsigned b = 63 - (unsigned)__builtin_clzll(diff);
	uint64_t below = b == 63 ? UINT64_MAX : ((uint64_t)2 << b) - 1;
	if (x >> b & 1) { /* x is above lo: lower its bits below b */
		*out = (lo & ~below) | (v & below);
		return true;
	}
	/* x is below lo: carry into the next free bit above b that is 0. */
	for (unsigned c = b + 1; c < 64; c++) {
		uint64_t bit = (uint64_t)1 << c;

		if (!(m & bit) && !(lo & bit)) {
			*out = (lo & ~((bit << 1) - 1)) | bit | (v & (bit - 1));
			return true;
		}
	}
	return false;
}

/* Whether no value is in both (false when that cannot be shown simply). */
static bool disjoint(const struct valueset *a, const struct valueset *b)
{
	if (a->lo > a->hi || b->lo > b->hi)
		return true;
	if (a->is_ne || b->is_ne) {
		const struct valueset *ne = a->is_ne ? a : b;
		const struct valueset *o = a->is_ne ? b : a;

		return !o->is_ne && !o->mask && o->lo == o->hi &&
		       o->lo == ne->lo;
	}
	if ((a->value & ~a->mask) || (b->value & ~b->mask))
		return true; /* a masked == that never holds */
	if (a->hi < b->lo || b->hi < a->lo)
		return true;
	if ((a->value ^ b->value) & a->mask & b->mask)
		return true;
	/* An interval against a mask: no value of the one in the other. */
	if (!a->mask != !b->mask) {
		const struct valueset *iv = a->mask ? b : a;
		const struct valueset *m = a->mask ? a : b;
		uint64_t x;

		return !first_match(iv->lo, m->mask, m->value, &x) ||
		       x > iv->hi;
	}
	return false;
}

static bool rules_disjoint(const struct rule *x, const struct rule *y)
{
	for (size_t i = 0; i < x->nconds; i++)
		for (size_t k = 0; k < y->nconds; k++) {
			struct valueset a = values_of(&x->conds[i]);
			struct valueset b = values_of(&y->conds[k]);

			if (x->conds[i].arg == y->conds[k].arg &&
			    disjoint(&a, &b))
				return true;
		}
	return false;
}

static int check_overlaps(struct importer *im)
{
	int rc = 0;

	for (size_t i = 0; i < im->n; i++)
		for (size_t j = i + 1; j < im->n; j++) {
			const struct rule *x = &im->rules[i],
					  *y = &im->rules[j];

			if (strcmp(x->name, y->name) || x->value == y->value ||
			    rules_disjoint(x, y))
				continue;
			struct diag *d = diag_at(
				im->ctx, DIAG_ERROR, y->loc,
				"rules on '%s' with different actions may "
				"apply to the same call, where libseccomp and "
				"polc decide differently",
				y->name);
			diag_note(im->ctx, d, x->loc, "the other rule");
			rc = -1;
		}
	return rc;
}

/* ---- writing ------------------------------------------------------------ */

/* A value as .pol writes it: small ones in decimal, others in hex. */
static void write_value(uint64_t v, FILE *out)
{
	fprintf(out, v < 10 ? "%llu" : "0x%llx", (unsigned long long)v);
}

static void write_cond(const struct cond *c, FILE *out)
{
	fprintf(out, "arg%u ", c->arg);
	if (!strcmp(c->op, "&")) {
		fprintf(out, "& 0x%llx == ", (unsigned long long)c->value);
		write_value(c->value_two, out);
		return;
	}
	fprintf(out, "%s ", c->op);
	write_value(c->value, out);
}

/* The unconditional rules with @r's action, from @r on, wrapped. */
static void write_names(struct importer *im, size_t from, bool *done, FILE *out)
{
	const struct rule *r = &im->rules[from];
	size_t col = (size_t)fprintf(out, "    syscall %s", r->action);

	for (size_t i = from; i < im->n; i++) {
		const struct rule *s = &im->rules[i];

		if (done[i] || s->nconds || s->value != r->value)
			continue;
		done[i] = true;
		if (col + 1 + strlen(s->name) > 80)
			col = (size_t)fprintf(out, "\n       ") - 1;
		col += (size_t)fprintf(out, " %s", s->name);
	}
	fputs(";\n", out);
}

int import_oci_seccomp(struct polc_ctx *ctx, uint32_t file,
		       const struct json_value *doc,
		       const struct polc_import_options *opts, FILE *out)
{
	const struct source *src = source_get(ctx, file);
	struct importer im = { .ctx = ctx, .opts = opts };
	const char *default_action;
	const struct json_value *syscalls = json_member(doc, "syscalls");
	int rc = 0;

	im.arch = sc_native_arch();
	if (opts->arch && sc_arch_named(opts->arch, &im.arch) != 0) {
		diag_subject(ctx, DIAG_ERROR, opts->arch,
			     "unknown architecture (this version builds "
			     "'x86_64' and 'aarch64')");
		return -1;
	}
	im.docker_arch = im.arch == AUDIT_ARCH_X86_64 ? "amd64" : "arm64";
	if (!want(&im, doc, JSON_OBJECT, "an OCI seccomp profile"))
		return -1;
	for (size_t i = 0; i < doc->n; i++) {
		const char *k = doc->keys[i];

		if (!strcmp(k, "defaultAction") ||
		    !strcmp(k, "defaultErrnoRet") || !strcmp(k, "syscalls"))
			continue;
		if (!strcmp(k, "architectures") || !strcmp(k, "archMap"))
			diag_at(ctx, DIAG_WARNING, doc->items[i]->loc,
				"'%s' is not imported: polc's program takes "
				"calls from %s only and kills the others",
				k,
				opts->arch ? opts->arch
					   : "the native "
					     "architecture");
		else
			diag_at(ctx, DIAG_WARNING, doc->items[i]->loc,
				"'%s' is not imported", k);
	}
	if (!json_member(doc, "defaultAction")) {
		diag_at(ctx, DIAG_ERROR, doc->loc,
			"an OCI seccomp profile needs a defaultAction");
		return -1;
	}
	if (action_of(&im, json_member(doc, "defaultAction"),
		      json_member(doc, "defaultErrnoRet"), &default_action,
		      &im.fallback_ir, &im.fallback) != 0)
		return -1;
	if (syscalls && !want(&im, syscalls, JSON_ARRAY, "syscalls"))
		return -1;
	for (size_t i = 0; syscalls && i < syscalls->n; i++)
		if (import_entry(&im, syscalls->items[i]) != 0)
			rc = -1;
	if (rc || check_overlaps(&im) != 0 || arena_failed(&ctx->arena))
		return -1;

	fprintf(out,
		"# Imported by polc import from %s (OCI seccomp JSON) "
		"for %s.\n\nprofile %s",
		import_comment(ctx, src->name),
		im.arch == AUDIT_ARCH_X86_64 ? "x86_64" : "aarch64",
		import_profile_name(ctx, src, opts));
	/* The file says nothing of the network: leave it as it was. */
	fprintf(out, " {\n    network allow;\n    syscall default %s;\n",
		default_action);
	bool *done = arena_alloc(&ctx->arena, im.n + 1);
	for (size_t i = 0; i < im.n; i++)
		if (!done[i] && !im.rules[i].nconds)
			write_names(&im, i, done, out);
	for (size_t i = 0; i < im.n; i++) {
		const struct rule *r = &im.rules[i];

		if (!r->nconds)
			continue;
		fprintf(out, "    syscall %s %s if ", r->action, r->name);
		for (size_t k = 0; k < r->nconds; k++) {
			fputs(k ? " && " : "", out);
			write_cond(&r->conds[k], out);
		}
		fputs(";\n", out);
	}
	fputs("}\n", out);
	return 0;
}
