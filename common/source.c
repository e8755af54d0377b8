/*
 * source.c - reading source files and mapping offsets to lines.
 *
 * Files are read whole with read(2) into the arena.  The line map is built
 * on the first position query, because most files never produce a message.
 */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "diag.h"

/* Offsets are 32-bit; a policy file this large is a mistake anyway. */
enum { SOURCE_MAX_BYTES = 64 * 1024 * 1024 };

uint32_t source_add(struct polc_ctx *ctx, const char *name, const char *text,
		    size_t len)
{
	struct source *s = arena_alloc(&ctx->arena, sizeof(*s));

	if (ctx->sources.len == 0)
		ptrvec_push(&ctx->arena, &ctx->sources, NULL);
	if (ctx->sources.len >= SOURCE_EMBEDDED_BASE ||
	    arena_failed(&ctx->arena))
		return 0;
	s->name = arena_strdup(&ctx->arena, name);
	s->text = text;
	s->len = len;
	ptrvec_push(&ctx->arena, &ctx->sources, s);
	return arena_failed(&ctx->arena) ? 0 : (uint32_t)(ctx->sources.len - 1);
}

uint32_t source_add_embedded(struct polc_ctx *ctx, unsigned index,
			     const char *name, const char *text, size_t len,
			     struct polc_loc from)
{
	struct ptrvec *table = &ctx->embedded_sources;

	while (table->len <= index && !arena_failed(&ctx->arena))
		ptrvec_push(&ctx->arena, table, NULL);
	if (arena_failed(&ctx->arena))
		return 0;
	if (!table->items[index]) {
		struct source *s = arena_alloc(&ctx->arena, sizeof(*s));

		s->name = name;
		s->text = text;
		s->len = len;
		s->embedded = true;
		s->included_from = from;
		table->items[index] = s;
	}
	return arena_failed(&ctx->arena) ? 0 : SOURCE_EMBEDDED_BASE + index;
}

uint32_t source_read(struct polc_ctx *ctx, const char *path,
		     struct polc_loc from)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	const char *why = NULL;
	char *buf = NULL;

	if (fd < 0)
		goto fail;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		why = "is a directory";
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		why = "not a regular file";
		goto fail;
	}
	if (st.st_size > SOURCE_MAX_BYTES) {
		why = "file too large (limit 64 MiB)";
		goto fail;
	}
	size_t cap = (size_t)st.st_size, len = 0;
	buf = arena_alloc(&ctx->arena, cap + 1);
	if (!buf) {
		errno = ENOMEM;
		goto fail;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0 || (len += (size_t)n) == cap)
			break;
	}
	close(fd);
	fd = -1;
	buf[len] = '\0';
	uint32_t id = source_add(ctx, path, buf, len);
	if (id) {
		struct source *s = ctx->sources.items[id];
		s->dev = st.st_dev;
		s->ino = st.st_ino;
		s->included_from = from;
	}
	return id;
fail:
	if (!why)
		why = strerror(errno);
	if (fd >= 0)
		close(fd);
	if (from.file)
		diag_at(ctx, DIAG_ERROR, from, "cannot read '%s': %s", path,
			why);
	else
		diag_subject(ctx, DIAG_ERROR, path, "cannot read file: %s",
			     why);
	return 0;
}

const struct source *source_get(const struct polc_ctx *ctx, uint32_t file)
{
	if (file >= SOURCE_EMBEDDED_BASE) {
		size_t index = file - SOURCE_EMBEDDED_BASE;

		return index < ctx->embedded_sources.len
			       ? ctx->embedded_sources.items[index]
			       : NULL;
	}
	if (file == 0 || file >= ctx->sources.len)
		return NULL;
	return ctx->sources.items[file];
}

static void build_line_map(struct polc_ctx *ctx, struct source *s)
{
	size_t n = 1;

	for (size_t i = 0; i < s->len; i++)
		n += s->text[i] == '\n';
	s->line_starts = arena_alloc(&ctx->arena, n * sizeof(uint32_t));
	if (!s->line_starts)
		return;
	s->line_starts[0] = 0;
	s->nlines = 1;
	for (size_t i = 0; i < s->len; i++)
		if (s->text[i] == '\n')
			s->line_starts[s->nlines++] = (uint32_t)(i + 1);
}

static struct source *mapped(struct polc_ctx *ctx, uint32_t file)
{
	struct source *s = (struct source *)source_get(ctx, file);

	if (s && !s->line_starts)
		build_line_map(ctx, s);
	return s && s->line_starts ? s : NULL;
}

void source_line_col(struct polc_ctx *ctx, uint32_t file, uint32_t offset,
		     unsigned *line, unsigned *col)
{
	struct source *s = mapped(ctx, file);
	size_t lo = 0, hi;

	*line = *col = 1;
	if (!s)
		return;
	hi = s->nlines;
	/* Last line start <= offset. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	*line = (unsigned)lo + 1;
	*col = offset - s->line_starts[lo] + 1;
}

const char *source_line_text(struct polc_ctx *ctx, uint32_t file, unsigned line,
			     size_t *len)
{
	struct source *s = mapped(ctx, file);

	*len = 0;
	if (!s || line == 0 || line > s->nlines)
		return "";
	const char *start = s->text + s->line_starts[line - 1];
	const char *nl =
		memchr(start, '\n', s->len - (size_t)(start - s->text));
	*len = nl ? (size_t)(nl - start) : s->len - (size_t)(start - s->text);
	if (*len && start[*len - 1] == '\r')
		(*len)--;
	return start;
}
