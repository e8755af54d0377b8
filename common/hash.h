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

/*
 * The @n bytes at @s, a word at a time.  The last 1 to 7 bytes are read
 * as two overlapping 4-byte words, or as their first, middle and last
 * byte: every byte counts once the length is known, and no copy of a
 * variable size is made (memcpy() called for the tail cost as much as
 * hashing the rest of a path).
 */
static inline uint64_t polc_hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	for (; n >= sizeof(w); s += sizeof(w), n -= sizeof(w)) {
		memcpy(&w, s, sizeof(w));
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	if (n >= 4) {
		uint32_t lo, hi;

		memcpy(&lo, s, sizeof(lo));
		memcpy(&hi, s + n - 4, sizeof(hi));
		w = (uint64_t)hi << 32 | lo;
	} else if (n) {
		w = (uint64_t)(unsigned char)s[0] << 16 |
		    (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (unsigned char)s[n - 1];
	} else {
		w = 0;
	}
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

#endif
