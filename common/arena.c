/*
 * arena.c - bump allocator; see arena.h for the contract.
 *
 * Blocks are anonymous mappings of 1 MiB (or the size of a larger
 * request): zero when they come, and nothing is handed out twice, so
 * allocations need no memset.  A context left unfreed still shows as a
 * leak: the context itself comes from the heap.
 *
 * A block is populated ahead of the bump pointer, 64 KiB at a time
 * (MADV_POPULATE_WRITE): on a virtual machine a page faulted in one at a
 * time costs about twice what populating it does, and polc run pays this
 * at every start.  Populating a whole block when it is mapped would charge
 * a compilation for pages it never uses.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older C libraries lack it */
#endif

enum { BLOCK = 1024 * 1024, POPULATE_STEP = 64 * 1024, ALIGN = 16 };

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	size_t populated; /* bytes from the block's start */
	_Alignas(ALIGN) unsigned char data[];
};

/* Handed out after a failure so callers can keep writing harmlessly. */
static _Alignas(ALIGN) unsigned char scratch[4096];

void arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

void arena_destroy(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;

		munmap(b, sizeof(*b) + b->size);
		b = next;
	}
	a->head = NULL;
}

static void *fail(struct arena *a, size_t size)
{
	a->failed = true;
	if (size > sizeof(scratch))
		return NULL;
	memset(scratch, 0, size);
	return scratch;
}

/* A new block of at least @need bytes. */
static struct arena_block *new_block(size_t need)
{
	struct arena_block *b;
	/* A block of the usual size fills its pages exactly. */
	size_t cap = BLOCK - sizeof(*b);

	if (cap < need)
		cap = need;
	void *m = mmap(NULL, sizeof(*b) + cap, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	b = m;
	b->size = cap;
	return b;
}

/* Populate @b's pages up to @end bytes from its start, rounded up to a
 * step.  A kernel without MADV_POPULATE_WRITE faults them in as used. */
static void populate(struct arena_block *b, size_t end)
{
	size_t total = sizeof(*b) + b->size;

	end = (end + POPULATE_STEP - 1) / POPULATE_STEP * POPULATE_STEP;
	if (end > total)
		end = total;
	if (madvise((unsigned char *)b + b->populated, end - b->populated,
		    MADV_POPULATE_WRITE) != 0)
		end = total;
	b->populated = end;
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);

	a->count++;
	if (a->failed || (a->fail_after && a->count >= a->fail_after) ||
	    size > SIZE_MAX / 2)
		return fail(a, size);
	if (!b || b->size - b->used < need) {
		b = new_block(need);
		if (!b)
			return fail(a, size);
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	if (sizeof(*b) + b->used > b->populated)
		populate(b, sizeof(*b) + b->used);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (!p)
		return (char *)"";
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	char small[256], *p = NULL;
	va_list again;

	va_copy(again, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= 0 && (size_t)n < sizeof(small))
		p = arena_strndup(a, small, (size_t)n);
	else if (n >= 0 && (p = arena_alloc(a, (size_t)n + 1)))
		vsnprintf(p, (size_t)n + 1, fmt, again);
	va_end(again);
	return p ? p : (char *)"";
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void ptrvec_push(struct arena *a, struct ptrvec *v, void *item)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		void **items = arena_alloc(a, cap * sizeof(*items));

		if (!items || arena_failed(a))
			return;
		if (v->len)
			memcpy(items, v->items, v->len * sizeof(*items));
		v->items = items;
		v->cap = cap;
	}
	v->items[v->len++] = item;
}

void *arena_array_push(struct arena *a, void **items, size_t *len, size_t *cap,
		       size_t size)
{
	if (*len == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		unsigned char *grown = arena_alloc(a, ncap * size);

		if (!grown || arena_failed(a))
			return arena_alloc(a, size);
		if (*len)
			memcpy(grown, *items, *len * size);
		*items = grown;
		*cap = ncap;
	}
	unsigned char *slot = (unsigned char *)*items + *len * size;
	(*len)++;
	memset(slot, 0, size);
	return slot;
}
