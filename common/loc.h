/*
 * loc.h - compact source locations.
 *
 * A location is a file index plus a byte range; line and column are only
 * computed when a diagnostic is printed.  File index 0 means "no location"
 * (command-line input, built-in defaults).
 */
#ifndef POLC_COMMON_LOC_H
#define POLC_COMMON_LOC_H

#include <stdint.h>

/**
 * struct polc_loc - a byte range in one source file
 * @file: index into the context's source table; 0 for none
 * @start: offset of the first byte
 * @end: offset one past the last byte (== @start for an empty range)
 */
struct polc_loc {
	uint32_t file;
	uint32_t start;
	uint32_t end;
};

static inline struct polc_loc loc_span(struct polc_loc a, struct polc_loc b)
{
	return (struct polc_loc){ a.file, a.start, b.end };
}

#endif
