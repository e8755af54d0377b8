/*
 * arena.c - bump allocator; see arena.h for the contract.
 *
 * Blocks are at least 64 KiB; a request larger than that gets a block of
 * its own so big source files do not waste a block's tail.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK_MIN = 64 * 1024, ALIGN = 16 };

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
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

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);

	a->count++;
	if (a->failed || (a->fail_after && a->count >= a->fail_after) ||
	    size > SIZE_MAX / 2)
		return fail(a, size);
	if (!b || b->size - b->used < need) {
		size_t cap = need > BLOCK_MIN ? need : BLOCK_MIN;

		b = malloc(sizeof(*b) + cap);
		if (!b)
			return fail(a, size);
		b->used = 0;
		b->size = cap;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	memset(p, 0, size);
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
