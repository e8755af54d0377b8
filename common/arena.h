/*
 * arena.h - bump allocation for one compilation.
 *
 * Everything a compilation produces (source buffers, tokens' text, the AST,
 * diagnostics) lives in one arena and is released at once when the context
 * is destroyed, so no stage frees anything and no stage can leak.  Out of
 * memory is not recoverable mid-stage: arena_alloc() sets the arena's
 * failure flag and, for requests up to 4 KiB, returns a static scratch block
 * so small writers need no NULL checks (larger requests get NULL and their
 * callers check); every stage checks arena_failed() before returning success.
 */
#ifndef POLC_COMMON_ARENA_H
#define POLC_COMMON_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct arena_block;

/**
 * struct arena - a chain of blocks served by bumping a pointer
 * @head: block being filled; older blocks follow through their link
 * @failed: set once an allocation could not be served
 * @fail_after: test hook; when non-zero, the allocation with this ordinal
 *              (1-based) and every later one fails
 * @count: allocations served so far (drives @fail_after)
 */
struct arena {
	struct arena_block *head;
	bool failed;
	size_t fail_after;
	size_t count;
};

void arena_init(struct arena *a);
void arena_destroy(struct arena *a);

/* Zeroed, 16-byte aligned memory; NULL only as the file comment says. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static inline bool arena_failed(const struct arena *a)
{
	return a->failed;
}

/*
 * A growable array of pointers whose storage lives in the arena.  Growth
 * abandons the old storage to the arena, which is cheap because arrays
 * double; an AST holds few long lists.
 */
struct ptrvec {
	void **items;
	size_t len;
	size_t cap;
};

void ptrvec_push(struct arena *a, struct ptrvec *v, void *item);

/*
 * A growable array of @size-byte elements in the arena: appends a zeroed
 * element to *items (with *len used and *cap allocated) and returns it.
 * After a failure it returns scratch memory (see the file comment).
 */
void *arena_array_push(struct arena *a, void **items, size_t *len, size_t *cap,
		       size_t size);

#endif
