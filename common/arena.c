/*
 * arena.c - bump allocator; see arena.h for the contract.
 *
 * Block sizes double from 64 KiB to 1 MiB, and a request larger than the
 * next size gets a block of its own.  Every block is zero when it comes
 * (calloc for the first, anonymous mappings for the rest), and nothing is
 * handed out twice, so allocations need no memset.  Blocks after the
 * first are populated when mapped: a compilation that outgrows one block
 * uses most of the next, and on a virtual machine a page faulted in one
 * at a time costs about twice what populating it does (polc run pays
 * this at every start).  The first block comes from the heap so that a
 * context left unfreed still shows as a leak.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { BLOCK_MIN = 64 * 1024, BLOCK_MAX = 1024 * 1024, ALIGN = 16 };

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	bool mapped; /* by mmap(), else by calloc() */
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

		if (b->mapped)
			munmap(b, sizeof(*b) + b->size);
		else
			free(b);
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

/* A new block of at least @need bytes after @prev (NULL: the first). */
static struct arena_block *new_block(const struct arena_block *prev,
				     size_t need)
{
	struct arena_block *b;
	size_t cap = !prev			  ? BLOCK_MIN
		     : prev->size < BLOCK_MAX / 2 ? 2 * prev->size
						  : BLOCK_MAX;

	if (cap < need)
		cap = need;
	if (!prev) {
		b = calloc(1, sizeof(*b) + cap);
		if (!b)
			return NULL;
	} else {
		void *m =
			mmap(NULL, sizeof(*b) + cap, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (m == MAP_FAILED)
			return NULL;
		b = m;
		b->mapped = true;
	}
	b->size = cap;
	return b;
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
		b = new_block(b, need);
		if (!b)
			return fail(a, size);
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
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

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char small[256];

	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return (char *)"";
	if ((size_t)n < sizeof(small))
		return arena_strndup(a, small, (size_t)n);
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return (char *)"";
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
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
