/*
 * hash.h - a fast hash of short byte strings (paths and names), for the
 * hash tables that materialising and rule lookup keep.  Not for anything
 * an adversary could choose to collide: the tables only get slower.
 */
#ifndef POLC_COMMON_HASH_H
#define POLC_COMMON_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The @n bytes at @s, a word at a time. */
static inline uint64_t polc_hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	for (; n >= sizeof(w); s += sizeof(w), n -= sizeof(w)) {
		memcpy(&w, s, sizeof(w));
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

#endif
