/*
 * json.h - the little JSON polc needs: correctly escaped strings for
 * output (shapes are written by their owners with fprintf around these),
 * and a reader for imported files that keeps every value's location, so
 * a message about a value points at it (file:line:col, with a caret).
 */
#ifndef POLC_COMMON_JSON_H
#define POLC_COMMON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "loc.h"

struct polc_ctx;

/* Write @s as a JSON string literal, quotes included (NULL as null). */
void json_write_string(FILE *out, const char *s);

enum json_kind {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

/**
 * struct json_value - one parsed value
 * @loc: where it is written
 * @boolean: its value (JSON_BOOL)
 * @text: the string, unescaped (JSON_STRING), or the number as written
 *        (JSON_NUMBER), NUL-terminated
 * @items: the elements (JSON_ARRAY) or member values (JSON_OBJECT), @n
 * @keys: the member names (JSON_OBJECT), in file order, all distinct
 */
struct json_value {
	enum json_kind kind;
	struct polc_loc loc;
	bool boolean;
	const char *text;
	const struct json_value **items;
	const char **keys;
	size_t n;
};

/*
 * Parse source @file (source.h) as one RFC 8259 JSON text, in ctx's arena.
 * Returns NULL with an error at the offending byte for malformed input,
 * a duplicate member name, a string holding U+0000, or nesting deeper
 * than 256.
 */
const struct json_value *json_parse(struct polc_ctx *ctx, uint32_t file);

/* Member @key of object @v; NULL when absent or @v is not an object. */
const struct json_value *json_member(const struct json_value *v,
				     const char *key);

/* The name of @kind for messages ("an object", "a string", ...). */
const char *json_kind_name(enum json_kind kind);

/* @v as an unsigned 64-bit integer; false for anything else. */
bool json_uint64(const struct json_value *v, uint64_t *out);

#endif
