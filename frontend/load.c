/*
 * load.c - imports, the search path and the library (see load.h).
 */
#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/ctx.h"
#include "../common/diag.h"
#include "../common/source.h"
#include "check.h"
#include "embedded.h"
#include "snapshot.h"

enum { WALK_MAX_DEPTH = 8 };

static const char embedded_root[] = "stdlib/";

/* Where a file to load lives: on disk, or in the embedded table. */
struct origin {
	const char *path; /* disk path, or the embedded name */
	const struct stdlib_file *embedded; /* NULL for disk files */
	dev_t dev;
	ino_t ino;
};

struct loader {
	struct polc_ctx *ctx;
	struct load_unit *unit;
	uint32_t stack[LOAD_MAX_DEPTH + 1];	 /* files being loaded */
	struct polc_loc via[LOAD_MAX_DEPTH + 1]; /* the import that led there */
	size_t depth;
	int rc;
};

static const struct stdlib_file *embedded_find(const char *name)
{
	for (unsigned i = 0; i < stdlib_file_count; i++)
		if (strcmp(stdlib_files[i].name, name) == 0)
			return &stdlib_files[i];
	return NULL;
}

static bool same_origin(const struct source *s, const struct origin *o)
{
	if (o->embedded)
		return s->embedded && strcmp(s->name, o->path) == 0;
	return !s->embedded && s->dev == o->dev && s->ino == o->ino;
}

static struct ast_file *already_parsed(struct polc_ctx *ctx,
				       const struct origin *o)
{
	for (size_t i = 0; i < ctx->parsed.len; i++) {
		struct ast_file *f = ctx->parsed.items[i];

		if (same_origin(source_get(ctx, f->file), o))
			return f;
	}
	return NULL;
}

static bool in_unit(const struct load_unit *unit, const struct ast_file *f)
{
	for (size_t i = 0; i < unit->files.len; i++)
		if (unit->files.items[i] == f)
			return true;
	return false;
}

/* The directory part of @path including its slash ("" when none). */
static char *dir_of(struct polc_ctx *ctx, const char *path)
{
	const char *slash = strrchr(path, '/');

	return arena_strndup(&ctx->arena, path,
			     slash ? (size_t)(slash - path) + 1 : 0);
}

static bool disk_origin(const char *path, struct origin *o)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return false;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return false;
	}
	*o = (struct origin){ .path = path,
			      .dev = st.st_dev,
			      .ino = st.st_ino };
	return true;
}

static bool embedded_origin(const char *name, struct origin *o)
{
	const struct stdlib_file *e = embedded_find(name);

	if (!e)
		return false;
	*o = (struct origin){ .path = e->name, .embedded = e };
	return true;
}

/*
 * Find the file an import names: next to the importing file, then in each
 * search directory, then in the embedded stdlib.
 */
static bool resolve_import(struct loader *l, const struct source *from,
			   const struct ast_word *what, struct origin *o)
{
	struct polc_ctx *ctx = l->ctx;
	const char *name = what->text;

	if (name[0] == '/')
		return disk_origin(name, o);
	const char *here = arena_printf(&ctx->arena, "%s%s",
					dir_of(ctx, from->name), name);
	if (from->embedded ? embedded_origin(here, o) : disk_origin(here, o))
		return true;
	for (size_t i = 0; i < ctx->search_dirs.len; i++) {
		const char *p =
			arena_printf(&ctx->arena, "%s/%s",
				     (char *)ctx->search_dirs.items[i], name);
		if (disk_origin(p, o))
			return true;
	}
	return embedded_origin(
		arena_printf(&ctx->arena, "%s%s", embedded_root, name), o);
}

static void load_origin(struct loader *l, const struct origin *o,
			struct polc_loc from);

static void report_cycle(struct loader *l, size_t start, struct polc_loc at,
			 const char *name)
{
	struct diag *d = diag_at(l->ctx, DIAG_ERROR, at,
				 "import of '%s' forms a cycle", name);

	for (size_t i = start + 1; i < l->depth; i++)
		diag_note(l->ctx, d, l->via[i], "'%s' is imported here",
			  source_get(l->ctx, l->stack[i])->name);
	l->rc = -1;
}

static void load_imports(struct loader *l, const struct ast_file *f)
{
	const struct source *src = source_get(l->ctx, f->file);

	for (size_t i = 0; i < f->items.len; i++) {
		const struct ast_item *it = f->items.items[i];
		struct origin o;

		if (it->kind != AST_ITEM_IMPORT)
			continue;
		if (diag_cap_reached(l->ctx))
			return;
		if (!resolve_import(l, src, it->name, &o)) {
			struct diag *d = diag_at(
				l->ctx, DIAG_ERROR, it->name->loc,
				"cannot find import '%s'", it->name->text);
			diag_note(l->ctx, d, it->name->loc,
				  "searched next to '%s', %zu search "
				  "director%s and the stdlib",
				  src->name, l->ctx->search_dirs.len,
				  l->ctx->search_dirs.len == 1 ? "y" : "ies");
			l->rc = -1;
			continue;
		}
		load_origin(l, &o, it->loc);
	}
}

static void load_origin(struct loader *l, const struct origin *o,
			struct polc_loc from)
{
	struct polc_ctx *ctx = l->ctx;
	struct ast_file *f;
	uint32_t id;

	for (size_t i = 0; i < l->depth; i++) {
		if (same_origin(source_get(ctx, l->stack[i]), o)) {
			report_cycle(l, i, from,
				     source_get(ctx, l->stack[i])->name);
			return;
		}
	}
	f = already_parsed(ctx, o);
	if (f) {
		if (!in_unit(l->unit, f))
			ptrvec_push(&ctx->arena, &l->unit->files, f);
		if (f->syntax_errors)
			l->rc = -1;
		return;
	}
	if (l->depth > LOAD_MAX_DEPTH) {
		diag_at(ctx, DIAG_ERROR, from, "imports nest more than %d deep",
			LOAD_MAX_DEPTH);
		l->rc = -1;
		return;
	}
	if (o->embedded) {
		/* Parsed and checked when polc was built (snapshot.h). */
		unsigned index = (unsigned)(o->embedded - stdlib_files);

		id = source_add_embedded(ctx, index, o->embedded->name,
					 o->embedded->text, o->embedded->len,
					 from);
		if (!id) {
			l->rc = -1;
			return;
		}
		f = stdlib_snapshot[index];
	} else {
		id = source_read(ctx, o->path, from);
		if (!id) {
			l->rc = -1;
			return;
		}
		if (ast_parse(ctx, id, &f) != 0)
			l->rc = -1;
		/* Check what parsed even after syntax errors: report all. */
		if (ast_check(ctx, f) != 0)
			l->rc = -1;
	}
	ptrvec_push(&ctx->arena, &ctx->parsed, f);
	l->stack[l->depth] = id;
	l->via[l->depth] = from;
	l->depth++;
	load_imports(l, f);
	l->depth--;
	ptrvec_push(&ctx->arena, &l->unit->files, f);
}

int load_path(struct polc_ctx *ctx, const char *path, struct load_unit *unit)
{
	struct loader l = { .ctx = ctx, .unit = unit };
	struct origin o = { .path = path };

	if (!disk_origin(path, &o)) {
		diag_subject(ctx, DIAG_ERROR, path, "cannot read file: %s",
			     strerror(errno));
		return -1;
	}
	load_origin(&l, &o, (struct polc_loc){ 0, 0, 0 });
	return arena_failed(&ctx->arena) ? -1 : l.rc;
}

/* ---- the library --------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.pol below @dir, sorted, so load order never depends on readdir. */
static void walk(struct polc_ctx *ctx, const char *dir, unsigned depth,
		 struct ptrvec *out)
{
	struct ptrvec here = { 0 };
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		char *p = arena_printf(&ctx->arena, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < WALK_MAX_DEPTH)
			ptrvec_push(&ctx->arena, &here,
				    arena_printf(&ctx->arena, "%s/", p));
		else if (S_ISREG(st.st_mode) && len > 4 &&
			 strcmp(e->d_name + len - 4, ".pol") == 0)
			ptrvec_push(&ctx->arena, &here, p);
	}
	closedir(d);
	if (here.len)
		qsort(here.items, here.len, sizeof(void *), cmp_str);
	for (size_t i = 0; i < here.len; i++) {
		char *p = here.items[i];
		size_t len = strlen(p);

		if (p[len - 1] == '/') {
			p[len - 1] = '\0';
			walk(ctx, p, depth + 1, out);
		} else {
			ptrvec_push(&ctx->arena, out, p);
		}
	}
}

/*
 * Whether library name @rel (the path below its search directory) was
 * already provided by an earlier directory; records it otherwise.
 */
static bool hidden(struct polc_ctx *ctx, struct ptrvec *seen, const char *rel)
{
	for (size_t i = 0; i < seen->len; i++)
		if (strcmp(seen->items[i], rel) == 0)
			return true;
	ptrvec_push(&ctx->arena, seen, (void *)rel);
	return false;
}

int load_library(struct polc_ctx *ctx, struct load_unit *unit)
{
	struct loader l = { .ctx = ctx, .unit = unit };
	struct ptrvec seen = { 0 };
	size_t before = unit->files.len, from_disk = 0;

	for (size_t i = 0; i < ctx->search_dirs.len; i++) {
		const char *dir = ctx->search_dirs.items[i];
		struct ptrvec paths = { 0 };

		walk(ctx, dir, 0, &paths);
		for (size_t j = 0; j < paths.len; j++) {
			const char *path = paths.items[j];
			struct origin o;

			if (hidden(ctx, &seen, path + strlen(dir) + 1))
				continue;
			if (disk_origin(path, &o)) {
				load_origin(&l, &o, (struct polc_loc){ 0 });
				from_disk++;
			}
		}
	}
	for (unsigned i = 0; i < stdlib_file_count; i++) {
		const struct stdlib_file *e = &stdlib_files[i];
		struct origin o = { .path = e->name, .embedded = e };

		if (!hidden(ctx, &seen, e->name + strlen(embedded_root)))
			load_origin(&l, &o, (struct polc_loc){ 0 });
	}
	/*
	 * Names are global: one definition each across the whole library.
	 * Files loaded before it (named on the command line) may redefine
	 * library names: they come first, so their definitions are found.
	 * (Out of memory, the list of files may be empty storage.)
	 */
	if (arena_failed(&ctx->arena))
		return -1;
	struct ptrvec added = { unit->files.items + before,
				unit->files.len - before,
				unit->files.len - before };
	/* The embedded library alone was checked when polc was built
	 * (gen_snapshot.c). */
	bool library_alone = !from_disk && added.len == stdlib_file_count;
	if (!library_alone && ast_check_duplicates(ctx, &added) != 0)
		l.rc = -1;
	return arena_failed(&ctx->arena) ? -1 : l.rc;
}

const struct ast_item *load_find(const struct load_unit *unit,
				 enum ast_item_kind kind, const char *name)
{
	for (size_t i = 0; i < unit->files.len; i++) {
		const struct ast_file *f = unit->files.items[i];

		for (size_t j = 0; j < f->items.len; j++) {
			const struct ast_item *it = f->items.items[j];

			if (it->kind == kind &&
			    strcmp(it->name->text, name) == 0)
				return it;
		}
	}
	return NULL;
}

const struct ast_file *load_file_of(const struct load_unit *unit,
				    const struct ast_item *item)
{
	for (size_t i = 0; i < unit->files.len; i++) {
		const struct ast_file *f = unit->files.items[i];

		if (f->file == item->loc.file)
			return f;
	}
	return NULL;
}
