/*
 * embedded.h - the stdlib .pol files compiled into the binary.
 *
 * The table is generated at build time by cmake/embed_stdlib.cmake from
 * stdlib/ (sorted by path), so a fresh build needs no install step.
 */
#ifndef POLC_FRONTEND_EMBEDDED_H
#define POLC_FRONTEND_EMBEDDED_H

/**
 * struct stdlib_file - one embedded file
 * @name: its path in the source tree, e.g. "stdlib/groups/credentials.pol"
 * @text: its contents, NUL-terminated
 * @len: length of @text
 */
struct stdlib_file {
	const char *name;
	const char *text;
	unsigned len;
};

extern const struct stdlib_file stdlib_files[];
extern const unsigned stdlib_file_count;

#endif
