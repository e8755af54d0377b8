/*
 * gen_snapshot.c - a build tool: the embedded stdlib, parsed and checked
 * once at build time and written out as C data (see snapshot.h).
 *
 *   polc-gen-snapshot OUT.c
 *
 * Every file of the embedded table is parsed and checked exactly as the
 * loader would at run time; a diagnostic of any kind fails the build.
 * Each node is written as a static object that points at its children,
 * which are written before it, so the output needs no fix-ups at load
 * time: `polc run` finds the library's syntax trees ready in its data
 * segment instead of scanning and parsing 40 KiB of text on every start.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ctx.h"
#include "common/source.h"
#include "frontend/ast.h"
#include "frontend/check.h"
#include "frontend/embedded.h"
#include "frontend/parse.h"

/* Every node written so far, so a node reached twice is written once. */
struct seen {
	const void **nodes;
	unsigned *ids;
	size_t len, cap;
};

struct writer {
	FILE *out;
	unsigned next_id;
	struct seen seen;
};

static unsigned seen_id(const struct writer *w, const void *node)
{
	for (size_t i = 0; i < w->seen.len; i++)
		if (w->seen.nodes[i] == node)
			return w->seen.ids[i];
	return 0;
}

static void *must(void *p)
{
	if (!p) {
		fprintf(stderr, "polc-gen-snapshot: out of memory\n");
		exit(1);
	}
	return p;
}

/* A fresh name for @node; exits when out of memory (a build tool). */
static unsigned name_node(struct writer *w, const void *node)
{
	struct seen *s = &w->seen;

	if (s->len == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->nodes = must(realloc(s->nodes, s->cap * sizeof(*s->nodes)));
		s->ids = must(realloc(s->ids, s->cap * sizeof(*s->ids)));
	}
	s->nodes[s->len] = node;
	s->ids[s->len++] = ++w->next_id;
	return w->next_id;
}

static void put_string(FILE *out, const char *s)
{
	if (!s) {
		fputs("NULL", out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		/* '?' escaped: no trigraph can form in ISO C mode. */
		if (*p == '"' || *p == '\\' || *p == '?')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\%03o", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void put_loc(FILE *out, struct polc_loc loc)
{
	fprintf(out, "{ %uu, %uu, %uu }", (unsigned)loc.file,
		(unsigned)loc.start, (unsigned)loc.end);
}

/* ---- nodes: each returns the id of its object, 0 for NULL --------------- */

static unsigned word(struct writer *w, const struct ast_word *x)
{
	unsigned id;

	if (!x)
		return 0;
	if ((id = seen_id(w, x)))
		return id;
	id = name_node(w, x);
	fprintf(w->out, "static struct ast_word n%u = { ", id);
	put_string(w->out, x->text);
	fputs(", ", w->out);
	put_loc(w->out, x->loc);
	fprintf(w->out, ", %d };\n", x->quoted);
	return id;
}

static void put_ref(FILE *out, unsigned id)
{
	if (id)
		fprintf(out, "&n%u", id);
	else
		fputs("NULL", out);
}

typedef unsigned node_fn(struct writer *w, const void *x);

/* The items of @v written, then an array of them; returns its id. */
static unsigned vector(struct writer *w, const struct ptrvec *v, node_fn *fn)
{
	if (!v->len)
		return 0;
	unsigned *ids = must(malloc(v->len * sizeof(*ids)));
	for (size_t i = 0; i < v->len; i++)
		ids[i] = fn(w, v->items[i]);
	unsigned id = ++w->next_id;
	fprintf(w->out, "static void *n%u[] = {", id);
	for (size_t i = 0; i < v->len; i++) {
		fputs(i ? ", " : " ", w->out);
		put_ref(w->out, ids[i]);
	}
	fputs(" };\n", w->out);
	free(ids);
	return id;
}

/* A vector's initializer, once vector() wrote its array. */
static void put_vector(FILE *out, unsigned id, size_t len)
{
	if (id)
		fprintf(out, "{ n%u, %zu, %zu }", id, len, len);
	else
		fputs("{ NULL, 0, 0 }", out);
}

static unsigned word_node(struct writer *w, const void *x)
{
	return word(w, x);
}

struct access_ids {
	unsigned words, landlock;
};

static struct access_ids access_parts(struct writer *w,
				      const struct ast_access *a)
{
	return (struct access_ids){ vector(w, &a->words, word_node),
				    vector(w, &a->landlock, word_node) };
}

static void put_access(FILE *out, const struct ast_access *a,
		       struct access_ids ids)
{
	fprintf(out, "{ %d, ", a->present);
	put_vector(out, ids.words, a->words.len);
	fputs(", ", out);
	put_vector(out, ids.landlock, a->landlock.len);
	fputs(", ", out);
	put_loc(out, a->loc);
	fprintf(out, ", %uu, %d, UINT64_C(%llu) }", a->modes, a->none,
		(unsigned long long)a->rights);
}

static unsigned port(struct writer *w, const void *p)
{
	const struct ast_port *x = p;
	unsigned lo = word(w, x->lo), hi = word(w, x->hi);
	unsigned id = name_node(w, x);

	fprintf(w->out, "static struct ast_port n%u = { ", id);
	put_ref(w->out, lo);
	fputs(", ", w->out);
	put_ref(w->out, hi);
	fputs(", ", w->out);
	put_loc(w->out, x->loc);
	fputs(" };\n", w->out);
	return id;
}

static unsigned cond(struct writer *w, const void *p)
{
	const struct ast_cond *x = p;
	unsigned arg = word(w, x->arg), mask = word(w, x->mask);
	unsigned value = word(w, x->value), id = name_node(w, x);

	fprintf(w->out, "static struct ast_cond n%u = { ", id);
	put_ref(w->out, arg);
	fputs(", ", w->out);
	put_string(w->out, x->op);
	fputs(", ", w->out);
	put_ref(w->out, mask);
	fputs(", ", w->out);
	put_ref(w->out, value);
	fputs(", ", w->out);
	put_loc(w->out, x->loc);
	fputs(" };\n", w->out);
	return id;
}

struct network_ids {
	unsigned op, proto, ports, hosts;
};

static struct network_ids network_parts(struct writer *w,
					const struct ast_network *n)
{
	return (struct network_ids){ word(w, n->op), word(w, n->proto),
				     vector(w, &n->ports, port),
				     vector(w, &n->hosts, word_node) };
}

static void put_network(FILE *out, const struct ast_network *n,
			struct network_ids ids)
{
	fprintf(out, "{ %d, %d, ", n->form, n->mode);
	put_ref(out, ids.op);
	fputs(", ", out);
	put_ref(out, ids.proto);
	fputs(", ", out);
	put_vector(out, ids.ports, n->ports.len);
	fputs(", ", out);
	put_vector(out, ids.hosts, n->hosts.len);
	fputs(" }", out);
}

static unsigned stmt(struct writer *w, const void *p);

/* The union member of @x, its children written first. */
static void put_stmt_body(struct writer *w, const struct ast_stmt *x,
			  FILE *body)
{
	switch (x->kind) {
	case AST_DESCRIPTION: {
		unsigned text = word(w, x->u.text);
		fputs(", .u.text = ", body);
		put_ref(body, text);
		break;
	}
	case AST_META: {
		unsigned key = word(w, x->u.meta.key);
		unsigned value = word(w, x->u.meta.value);
		fputs(", .u.meta = { ", body);
		put_ref(body, key);
		fputs(", ", body);
		put_ref(body, value);
		fputs(" }", body);
		break;
	}
	case AST_REQUIRED: fputs(", .u.text = NULL", body); break;
	case AST_USE:
	case AST_EXCLUDE: {
		unsigned names = vector(w, &x->u.names, word_node);
		fputs(", .u.names = ", body);
		put_vector(body, names, x->u.names.len);
		break;
	}
	case AST_RULE: {
		struct access_ids a = access_parts(w, &x->u.rule.access);
		unsigned paths = vector(w, &x->u.rule.paths, word_node);
		fprintf(body, ", .u.rule = { %d, ", x->u.rule.verdict);
		put_access(body, &x->u.rule.access, a);
		fprintf(body, ", %d, ", x->u.rule.file);
		put_vector(body, paths, x->u.rule.paths.len);
		fprintf(body, ", %d, %d }", x->u.rule.create,
			x->u.rule.existing);
		break;
	}
	case AST_WORKDIR: {
		struct access_ids a = access_parts(w, &x->u.workdir);
		fputs(", .u.workdir = ", body);
		put_access(body, &x->u.workdir, a);
		break;
	}
	case AST_LET: {
		unsigned name = word(w, x->u.let.name);
		unsigned value = word(w, x->u.let.value);
		fputs(", .u.let = { ", body);
		put_ref(body, name);
		fputs(", ", body);
		put_ref(body, value);
		fputs(" }", body);
		break;
	}
	case AST_PLATFORM: {
		unsigned names = vector(w, &x->u.platform.names, word_node);
		unsigned stmts = vector(w, &x->u.platform.body, stmt);
		fputs(", .u.platform = { ", body);
		put_vector(body, names, x->u.platform.names.len);
		fputs(", ", body);
		put_vector(body, stmts, x->u.platform.body.len);
		fputs(", ", body);
		put_loc(body, x->u.platform.close);
		fputs(" }", body);
		break;
	}
	case AST_NETWORK: {
		struct network_ids n = network_parts(w, &x->u.network);
		fputs(", .u.network = ", body);
		put_network(body, &x->u.network, n);
		break;
	}
	case AST_SYSCALL: {
		unsigned words = vector(w, &x->u.syscall.words, word_node);
		unsigned conds = vector(w, &x->u.syscall.conds, cond);
		fputs(", .u.syscall = { ", body);
		put_vector(body, words, x->u.syscall.words.len);
		fputs(", ", body);
		put_vector(body, conds, x->u.syscall.conds.len);
		fputs(" }", body);
		break;
	}
	case AST_IPC: {
		unsigned kinds = vector(w, &x->u.ipc.kinds, word_node);
		fprintf(body, ", .u.ipc = { %d, ", x->u.ipc.verdict);
		put_vector(body, kinds, x->u.ipc.kinds.len);
		fputs(" }", body);
		break;
	}
	case AST_ENV: {
		unsigned action = word(w, x->u.env.action);
		unsigned patterns = vector(w, &x->u.env.patterns, word_node);
		unsigned name = word(w, x->u.env.name);
		unsigned value = word(w, x->u.env.value);
		fputs(", .u.env = { ", body);
		put_ref(body, action);
		fputs(", ", body);
		put_vector(body, patterns, x->u.env.patterns.len);
		fputs(", ", body);
		put_ref(body, name);
		fputs(", ", body);
		put_ref(body, value);
		fputs(" }", body);
		break;
	}
	case AST_SEATBELT: {
		unsigned op = word(w, x->u.seatbelt.op);
		unsigned names = vector(w, &x->u.seatbelt.names, word_node);
		fprintf(body, ", .u.seatbelt = { %d, ", x->u.seatbelt.verdict);
		put_ref(body, op);
		fputs(", ", body);
		put_vector(body, names, x->u.seatbelt.names.len);
		fputs(" }", body);
		break;
	}
	case AST_EXPECT: {
		struct access_ids a = access_parts(w, &x->u.expect.access);
		unsigned subjects = vector(w, &x->u.expect.subjects, word_node);
		struct network_ids n = network_parts(w, &x->u.expect.network);
		fprintf(body, ", .u.expect = { %d, %d, ", x->u.expect.form,
			x->u.expect.verdict);
		put_access(body, &x->u.expect.access, a);
		fputs(", ", body);
		put_vector(body, subjects, x->u.expect.subjects.len);
		fputs(", ", body);
		put_network(body, &x->u.expect.network, n);
		fputs(" }", body);
		break;
	}
	}
}

static unsigned stmt(struct writer *w, const void *p)
{
	const struct ast_stmt *x = p;
	char *text = NULL;
	size_t size = 0;
	FILE *body = must(open_memstream(&text, &size));

	put_stmt_body(w, x, body);
	fclose(body);
	unsigned id = name_node(w, x);
	fprintf(w->out, "static struct ast_stmt n%u = { %d, ", id, x->kind);
	put_loc(w->out, x->loc);
	fprintf(w->out, ", %d%s };\n", x->override, text);
	free(text);
	return id;
}

static unsigned item(struct writer *w, const void *p)
{
	const struct ast_item *x = p;
	unsigned name = word(w, x->name), parent = word(w, x->parent);
	unsigned platforms = vector(w, &x->platforms, word_node);
	unsigned body = vector(w, &x->body, stmt);
	unsigned value = word(w, x->value);
	unsigned members = vector(w, &x->members, word_node);
	unsigned id = name_node(w, x);

	fprintf(w->out, "static struct ast_item n%u = { %d, ", id, x->kind);
	put_loc(w->out, x->loc);
	fputs(", ", w->out);
	put_ref(w->out, name);
	fputs(", ", w->out);
	put_ref(w->out, parent);
	fputs(", ", w->out);
	put_vector(w->out, platforms, x->platforms.len);
	fputs(", ", w->out);
	put_vector(w->out, body, x->body.len);
	fputs(", ", w->out);
	put_ref(w->out, value);
	fputs(", ", w->out);
	put_vector(w->out, members, x->members.len);
	fputs(", ", w->out);
	put_loc(w->out, x->close);
	fputs(" };\n", w->out);
	return id;
}

static unsigned comment(struct writer *w, const void *p)
{
	const struct ast_comment *x = p;
	unsigned id = name_node(w, x);

	fprintf(w->out, "static struct ast_comment n%u = { ", id);
	put_loc(w->out, x->loc);
	fputs(", ", w->out);
	put_string(w->out, x->text);
	fputs(" };\n", w->out);
	return id;
}

static unsigned file(struct writer *w, const struct ast_file *x)
{
	unsigned items = vector(w, &x->items, item);
	unsigned comments = vector(w, &x->comments, comment);
	unsigned id = name_node(w, x);

	fprintf(w->out, "static struct ast_file n%u = { %uu, ", id,
		(unsigned)x->file);
	put_vector(w->out, items, x->items.len);
	fputs(", ", w->out);
	put_vector(w->out, comments, x->comments.len);
	fprintf(w->out, ", %u };\n", x->syntax_errors);
	return id;
}

int main(int argc, char **argv)
{
	struct polc_ctx ctx = { .max_errors = CTX_DEFAULT_MAX_ERRORS };
	struct writer w = { 0 };
	struct ptrvec all = { 0 };
	if (argc != 2) {
		fprintf(stderr, "usage: polc-gen-snapshot OUT.c\n");
		return 2;
	}
	unsigned *files = must(calloc(stdlib_file_count + 1, sizeof(*files)));
	char *tmp = must(malloc(strlen(argv[1]) + 5));
	sprintf(tmp, "%s.tmp", argv[1]);
	w.out = fopen(tmp, "w");
	if (!w.out) {
		perror(tmp);
		return 1;
	}
	arena_init(&ctx.arena);
	fputs("/* Generated by polc-gen-snapshot; do not edit. */\n"
	      "#include <stddef.h>\n#include <stdint.h>\n\n"
	      "#include \"frontend/snapshot.h\"\n\n",
	      w.out);
	for (unsigned i = 0; i < stdlib_file_count; i++) {
		const struct stdlib_file *e = &stdlib_files[i];
		uint32_t id =
			source_add_embedded(&ctx, i, e->name, e->text, e->len,
					    (struct polc_loc){ 0 });
		struct ast_file *f = NULL;

		if (!id || ast_parse(&ctx, id, &f) != 0 ||
		    ast_check(&ctx, f) != 0 || ctx.diags) {
			diag_render(&ctx, stderr, DIAG_FORMAT_TEXT, false);
			fprintf(stderr,
				"polc-gen-snapshot: %s does not "
				"compile cleanly\n",
				e->name);
			return 1;
		}
		files[i] = file(&w, f);
		ptrvec_push(&ctx.arena, &all, f);
	}
	/* The loader skips this check when it loads the library alone. */
	if (ast_check_duplicates(&ctx, &all) != 0 || ctx.diags) {
		diag_render(&ctx, stderr, DIAG_FORMAT_TEXT, false);
		fprintf(stderr, "polc-gen-snapshot: the library defines a name "
				"twice\n");
		return 1;
	}
	fputs("\nstruct ast_file *const stdlib_snapshot[] = {\n", w.out);
	for (unsigned i = 0; i < stdlib_file_count; i++)
		fprintf(w.out, "\t&n%u,\n", files[i]);
	fprintf(w.out,
		"\tNULL,\n};\nconst unsigned stdlib_snapshot_count = "
		"%u;\n",
		stdlib_file_count);
	if (fclose(w.out) != 0 || rename(tmp, argv[1]) != 0) {
		perror(argv[1]);
		return 1;
	}
	free(tmp);
	free(files);
	free(w.seen.nodes);
	free(w.seen.ids);
	arena_destroy(&ctx.arena);
	return 0;
}
