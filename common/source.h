/*
 * source.h - the table of source files one compilation has read.
 *
 * Each file is read once, whole, into the arena and keeps its display name,
 * its identity (device and inode, or the embedded name for stdlib files), a
 * line map built on first use, and the location of the import that brought
 * it in, so diagnostics can say where a line lives and how the file was
 * reached.
 */
#ifndef POLC_COMMON_SOURCE_H
#define POLC_COMMON_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "loc.h"

struct polc_ctx;

/**
 * struct source - one source file held in memory
 * @name: the path as the user or the import named it (for messages)
 * @text: the contents, NUL-terminated
 * @len: length of @text without the terminator
 * @embedded: true for the stdlib compiled into the binary
 * @dev: device of the file (0 for embedded files)
 * @ino: inode of the file (0 for embedded files)
 * @included_from: the import statement that loaded it, if any
 * @line_starts: offsets where each line starts; built lazily
 * @nlines: entries in @line_starts
 */
struct source {
	const char *name;
	const char *text;
	size_t len;
	bool embedded;
	dev_t dev;
	ino_t ino;
	struct polc_loc included_from;
	uint32_t *line_starts;
	size_t nlines;
};

/*
 * The stdlib's files have fixed indexes, SOURCE_EMBEDDED_BASE + their
 * position in the embedded table, so the syntax trees compiled into the
 * binary (frontend/snapshot.h) can carry their locations.  Files read or
 * added at run time count up from 1 and never reach it.
 */
enum { SOURCE_EMBEDDED_BASE = 0x40000000u };

/* Returns the new file's index (> 0), or 0 when the table is full. */
uint32_t source_add(struct polc_ctx *ctx, const char *name, const char *text,
		    size_t len);

/*
 * Reads @path into a new source entry.  Returns its index, or 0 with a
 * diagnostic (located at @from when given) when it cannot be read.
 */
/*
 * Embedded stdlib file number @index, reached from @from: added on first
 * use; returns SOURCE_EMBEDDED_BASE + @index, or 0 when out of memory.
 */
uint32_t source_add_embedded(struct polc_ctx *ctx, unsigned index,
			     const char *name, const char *text, size_t len,
			     struct polc_loc from);

uint32_t source_read(struct polc_ctx *ctx, const char *path,
		     struct polc_loc from);

const struct source *source_get(const struct polc_ctx *ctx, uint32_t file);

/* 1-based line and column (in bytes) of @offset within @file. */
void source_line_col(struct polc_ctx *ctx, uint32_t file, uint32_t offset,
		     unsigned *line, unsigned *col);

/* The text of 1-based @line without its newline; *len receives its length. */
const char *source_line_text(struct polc_ctx *ctx, uint32_t file, unsigned line,
			     size_t *len);

#endif
