/*
 * validate.c - structural checks of SBPL text, for profiles no Mac will
 * read before a user does.
 *
 * The tables name the operations and filters of public SBPL references
 * (Apple's sandbox profiles in /System/Library/Sandbox/Profiles, the
 * reverse-engineered "Apple Sandbox Guide"); an unknown name makes
 * sandbox-exec refuse the whole profile, so it is an error here.  A rule
 * whose every operation a later rule on the same filter decides again can
 * never decide anything: with last-match-wins that is a rule written in
 * the wrong place, so it is an error too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/seatbelt/seatbelt.h"
#include "backends/seatbelt/sexp.h"
#include "common/ctx.h"
#include "common/diag.h"

static const char *const operations[] = {
	"default",
	"file*",
	"file-chroot",
	"file-clone",
	"file-ioctl",
	"file-issue-extension",
	"file-link",
	"file-map-executable",
	"file-mknod",
	"file-mount",
	"file-read*",
	"file-read-data",
	"file-read-metadata",
	"file-read-xattr",
	"file-revoke",
	"file-search",
	"file-unmount",
	"file-write*",
	"file-write-create",
	"file-write-data",
	"file-write-flags",
	"file-write-mode",
	"file-write-owner",
	"file-write-setugid",
	"file-write-times",
	"file-write-unlink",
	"file-write-xattr",
	"iokit-open",
	"ipc-posix*",
	"ipc-posix-sem",
	"ipc-posix-shm*",
	"ipc-posix-shm-read-data",
	"ipc-posix-shm-write-data",
	"mach*",
	"mach-lookup",
	"mach-register",
	"network*",
	"network-bind",
	"network-inbound",
	"network-outbound",
	"process*",
	"process-exec",
	"process-exec-interpreter",
	"process-fork",
	"process-info*",
	"pseudo-tty",
	"signal",
	"sysctl*",
	"sysctl-read",
	"sysctl-write",
	"system*",
	"system-socket",
};

/* Filters: the name, and how many arguments (max 0: any number). */
static const struct {
	const char *name;
	unsigned min, max;
} filters[] = {
	{ "literal", 1, 1 },
	{ "subpath", 1, 1 },
	{ "prefix", 1, 1 },
	{ "regex", 1, 1 },
	{ "global-name", 1, 1 },
	{ "local", 1, 2 },
	{ "remote", 1, 2 },
	{ "target", 1, 1 },
	{ "vnode-type", 1, 1 },
	{ "require-all", 1, 0 },
	{ "require-any", 1, 0 },
	{ "require-not", 1, 1 },
	{ "iokit-user-client-class", 1, 1 },
	{ "sysctl-name", 1, 1 },
};

struct checker {
	struct polc_ctx *ctx;
	const char *name;
	bool failed;
};

/* An error at @at; @msg is built with arena_printf() where needed. */
static void bad(struct checker *c, const struct sx *at, const char *msg)
{
	c->failed = true;
	diag_subject(c->ctx, DIAG_ERROR,
		     arena_printf(&c->ctx->arena, "%s:%u:%u", c->name, at->line,
				  at->col),
		     "%s", msg);
}

#define BADF(c, at, ...) bad(c, at, arena_printf(&(c)->ctx->arena, __VA_ARGS__))

static bool known_operation(const char *op)
{
	for (size_t i = 0; i < sizeof(operations) / sizeof(*operations); i++)
		if (strcmp(operations[i], op) == 0)
			return true;
	return false;
}

/* A string expression: "…", (param "…") or (string-append …). */
static void check_string(struct checker *c, const struct sx *x)
{
	if (x->kind == SX_STRING) {
		for (size_t i = 0; i < x->len; i++)
			if ((unsigned char)x->text[i] < 0x20 ||
			    x->text[i] == 0x7f) {
				bad(c, x, "control character in a string");
				return;
			}
		return;
	}
	if (x->kind == SX_LIST && x->n == 2 && sx_is(x->items[0], "param") &&
	    x->items[1]->kind == SX_STRING)
		return;
	if (x->kind == SX_LIST && x->n >= 2 &&
	    sx_is(x->items[0], "string-append")) {
		for (size_t i = 1; i < x->n; i++)
			check_string(c, x->items[i]);
		return;
	}
	bad(c, x, "expected a string, (param \"NAME\") or (string-append …)");
}

static void check_filter(struct checker *c, const struct sx *f)
{
	const char *name;
	size_t i = 0;

	if (f->kind != SX_LIST || !f->n || f->items[0]->kind != SX_SYMBOL) {
		bad(c, f,
		    "expected an operation or a filter such as "
		    "(subpath \"/path\")");
		return;
	}
	name = f->items[0]->text;
	while (i < sizeof(filters) / sizeof(*filters) &&
	       strcmp(filters[i].name, name))
		i++;
	if (i == sizeof(filters) / sizeof(*filters)) {
		BADF(c, f, "unknown filter '%s'", name);
		return;
	}
	if (f->n - 1 < filters[i].min ||
	    (filters[i].max && f->n - 1 > filters[i].max)) {
		BADF(c, f, "wrong number of arguments to '%s'", name);
		return;
	}
	if (!strncmp(name, "require-", 8)) {
		for (size_t k = 1; k < f->n; k++)
			check_filter(c, f->items[k]);
	} else if (!strcmp(name, "target") || !strcmp(name, "vnode-type")) {
		if (f->items[1]->kind != SX_SYMBOL)
			BADF(c, f->items[1], "'%s' takes a symbol", name);
	} else if (!strcmp(name, "local") || !strcmp(name, "remote")) {
		const struct sx *proto = f->items[1];

		if (!sx_is(proto, "ip") && !sx_is(proto, "tcp") &&
		    !sx_is(proto, "udp") && !sx_is(proto, "unix-socket"))
			BADF(c, proto, "'%s' takes ip, tcp, udp or unix-socket",
			     name);
		if (f->n == 3)
			check_string(c, f->items[2]);
	} else {
		check_string(c, f->items[1]);
	}
}

/* The filters of a rule as text, to compare rules: "" for none. */
static void print_form(FILE *out, const struct sx *x)
{
	if (x->kind == SX_LIST) {
		putc('(', out);
		for (size_t i = 0; i < x->n; i++) {
			if (i)
				putc(' ', out);
			print_form(out, x->items[i]);
		}
		putc(')', out);
	} else if (x->kind == SX_STRING) {
		putc('"', out);
		fwrite(x->text, 1, x->len, out);
		putc('"', out);
	} else {
		fputs(x->text, out);
	}
}

struct rule {
	const struct sx *form;
	size_t nops; /* form->items[1, 1 + nops) */
	char *filter;
};

static bool names(const struct rule *r, const char *op)
{
	for (size_t k = 1; k <= r->nops; k++)
		if (!strcmp(r->form->items[k]->text, op))
			return true;
	return false;
}

static int by_filter(const void *a, const void *b)
{
	const struct rule *x = *(const struct rule *const *)a;
	const struct rule *y = *(const struct rule *const *)b;
	int c = strcmp(x->filter, y->filter);

	return c ? c : (x > y) - (x < y);
}

/*
 * Rules every operation of which a later rule on the same filter decides.
 * Sorted by filter (then position), the rules a rule can be shadowed by
 * are the rest of its run, so the check is linear but for the sort.
 */
static void check_shadowing(struct checker *c, struct rule *rules, size_t n)
{
	const struct rule **sorted =
		arena_alloc(&c->ctx->arena, (n + 1) * sizeof(*sorted));
	const struct sx **by =
		arena_alloc(&c->ctx->arena, (n + 1) * sizeof(*by));

	if (!sorted || !by)
		return;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &rules[i];
	qsort(sorted, n, sizeof(*sorted), by_filter);
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = sorted[i];
		size_t decided = 0;

		for (size_t k = 1; k <= r->nops; k++) {
			const char *op = r->form->items[k]->text;

			for (size_t j = i + 1;
			     j < n && !strcmp(sorted[j]->filter, r->filter);
			     j++)
				if (names(sorted[j], op)) {
					decided++;
					by[r - rules] = sorted[j]->form;
					break;
				}
		}
		if (decided < r->nops)
			by[r - rules] = NULL;
	}
	/* Reported in the order of the text. */
	for (size_t i = 0; i < n; i++)
		if (by[i])
			BADF(c, rules[i].form,
			     "this rule never decides: later rules on the "
			     "same filter (one at line %u) decide each of its "
			     "operations",
			     by[i]->line);
}

int sb_validate(struct polc_ctx *ctx, const char *name, const char *text,
		size_t len)
{
	struct checker c = { .ctx = ctx, .name = name };
	struct sx **forms;
	size_t n, nrules = 0;

	if (sx_read(ctx, name, text, len, &forms, &n) != 0)
		return -1;
	if (!n || forms[0]->kind != SX_LIST || forms[0]->n != 2 ||
	    !sx_is(forms[0]->items[0], "version") ||
	    !sx_is(forms[0]->items[1], "1")) {
		if (n)
			bad(&c, forms[0], "a profile starts with (version 1)");
		else
			diag_subject(ctx, DIAG_ERROR, name,
				     "a profile starts with (version 1)");
		return -1;
	}
	struct rule *rules = arena_alloc(&ctx->arena, n * sizeof(*rules));
	if (!rules)
		return -1;
	for (size_t i = 1; i < n; i++) {
		const struct sx *f = forms[i];
		size_t k = 1;

		if (f->kind != SX_LIST || !f->n ||
		    !(sx_is(f->items[0], "allow") ||
		      sx_is(f->items[0], "deny"))) {
			bad(&c, f, "expected (allow …) or (deny …)");
			continue;
		}
		for (; k < f->n && f->items[k]->kind == SX_SYMBOL; k++)
			if (!known_operation(f->items[k]->text))
				BADF(&c, f->items[k], "unknown operation '%s'",
				     f->items[k]->text);
		if (k == 1) {
			bad(&c, f, "a rule names at least one operation");
			continue;
		}
		char *filter = NULL;
		size_t flen = 0;
		FILE *out = open_memstream(&filter, &flen);
		if (!out)
			return -1;
		for (size_t j = k; j < f->n; j++) {
			check_filter(&c, f->items[j]);
			print_form(out, f->items[j]);
			putc(' ', out);
		}
		fclose(out);
		rules[nrules++] = (struct rule){
			.form = f,
			.nops = k - 1,
			.filter =
				arena_strdup(&ctx->arena, filter ? filter : ""),
		};
		free(filter);
	}
	check_shadowing(&c, rules, nrules);
	return c.failed || arena_failed(&ctx->arena) ? -1 : 0;
}
