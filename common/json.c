/*
 * json.c - JSON string escaping (RFC 8259 §7): bytes that are not valid
 * UTF-8 are written as U+FFFD so the output always parses; and a reader
 * that keeps locations.
 */
#include "json.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "common/source.h"

/* Length of the valid UTF-8 sequence at @s (0 when invalid). */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n = (s[0] & 0xE0) == 0xC0   ? 2
		   : (s[0] & 0xF0) == 0xE0 ? 3
		   : (s[0] & 0xF8) == 0xF0 ? 4
					   : 0;
	if (n == 0 || (n == 2 && s[0] < 0xC2) || s[0] > 0xF4)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (n == 3 &&
	    ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F)))
		return 0;
	if (n == 4 &&
	    ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F)))
		return 0;
	return n;
}

void json_write_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':
			fputs("\\\"", out);
			s++;
			continue;
		case '\\':
			fputs("\\\\", out);
			s++;
			continue;
		case '\n':
			fputs("\\n", out);
			s++;
			continue;
		case '\t':
			fputs("\\t", out);
			s++;
			continue;
		case '\r':
			fputs("\\r", out);
			s++;
			continue;
		default: break;
		}
		if (*s < 0x20) {
			fprintf(out, "\\u%04x", *s);
			s++;
		} else if ((n = utf8_len(s)) == 0) {
			fputs("\\ufffd", out);
			s++;
		} else {
			fwrite(s, 1, n, out);
			s += n;
		}
	}
	fputc('"', out);
}

/* ---- reading ------------------------------------------------------------ */

enum { MAX_DEPTH = 256 };

struct reader {
	struct polc_ctx *ctx;
	uint32_t file;
	const char *text;
	size_t pos, len;
	bool failed;
};

static void fail(struct reader *r, size_t at, size_t width, const char *what)
{
	if (r->failed)
		return;
	r->failed = true;
	diag_at(r->ctx, DIAG_ERROR,
		(struct polc_loc){ r->file, (uint32_t)at,
				   (uint32_t)(at + width) },
		"%s", what);
}

static void skip_space(struct reader *r)
{
	while (r->pos < r->len && strchr(" \t\r\n", r->text[r->pos]) &&
	       r->text[r->pos])
		r->pos++;
}

static bool literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if (r->len - r->pos < n || memcmp(r->text + r->pos, word, n))
		return false;
	r->pos += n;
	return true;
}

static unsigned hex4(struct reader *r)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = r->pos < r->len ? r->text[r->pos] : 0;

		if (!isxdigit((unsigned char)c)) {
			fail(r, r->pos, 1, "expected 4 hex digits after \\u");
			return 0;
		}
		v = v * 16 + (unsigned)(isdigit((unsigned char)c)
						? c - '0'
						: (tolower((unsigned char)c) -
						   'a' + 10));
		r->pos++;
	}
	return v;
}

static void put_utf8(struct arena *a, char **buf, size_t *len, size_t *cap,
		     unsigned cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 63));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 63));
		b[2] = (char)(0x80 | (cp & 63));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 63));
		b[2] = (char)(0x80 | (cp >> 6 & 63));
		b[3] = (char)(0x80 | (cp & 63));
		n = 4;
	}
	for (size_t i = 0; i < n; i++)
		*(char *)arena_array_push(a, (void **)buf, len, cap, 1) = b[i];
}

/* The string at r->pos (its opening quote), unescaped. */
static const char *string(struct reader *r)
{
	struct arena *a = &r->ctx->arena;
	size_t start = r->pos++, len = 0, cap = 0;
	char *buf = NULL;

	for (;;) {
		if (r->pos >= r->len) {
			fail(r, start, 1, "unterminated string");
			return NULL;
		}
		unsigned char c = (unsigned char)r->text[r->pos];
		if (c == '"')
			break;
		if (c < 0x20) {
			fail(r, r->pos, 1,
			     "control character in a string (write it "
			     "escaped)");
			return NULL;
		}
		r->pos++;
		if (c != '\\') {
			*(char *)arena_array_push(a, (void **)&buf, &len, &cap,
						  1) = (char)c;
			continue;
		}
		size_t esc = r->pos - 1;
		char e = r->pos < r->len ? r->text[r->pos++] : 0;
		const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
		const char *hit = e ? strchr(from, e) : NULL;
		if (hit) {
			*(char *)arena_array_push(a, (void **)&buf, &len, &cap,
						  1) = to[hit - from];
			continue;
		}
		if (e != 'u') {
			fail(r, esc, 2, "unknown escape in a string");
			return NULL;
		}
		unsigned cp = hex4(r);
		if (cp >= 0xD800 && cp < 0xDC00 && literal(r, "\\u")) {
			unsigned lo = hex4(r);

			if (lo >= 0xDC00 && lo < 0xE000)
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				     (lo - 0xDC00);
			else
				cp = 0xFFFD;
		} else if (cp >= 0xD800 && cp < 0xE000) {
			cp = 0xFFFD; /* a lone surrogate */
		}
		if (!cp) {
			fail(r, esc, r->pos - esc,
			     "\\u0000 in a string is not supported");
			return NULL;
		}
		if (r->failed)
			return NULL;
		put_utf8(a, &buf, &len, &cap, cp);
	}
	r->pos++;
	*(char *)arena_array_push(a, (void **)&buf, &len, &cap, 1) = 0;
	return buf;
}

static bool number(struct reader *r, struct json_value *v)
{
	size_t start = r->pos;
	const char *t = r->text;

	if (r->pos < r->len && t[r->pos] == '-')
		r->pos++;
	if (r->pos < r->len && t[r->pos] == '0') {
		r->pos++;
	} else if (r->pos < r->len && isdigit((unsigned char)t[r->pos])) {
		while (r->pos < r->len && isdigit((unsigned char)t[r->pos]))
			r->pos++;
	} else {
		fail(r, start, 1, "expected a value");
		return false;
	}
	if (r->pos < r->len && t[r->pos] == '.') {
		r->pos++;
		if (r->pos >= r->len || !isdigit((unsigned char)t[r->pos])) {
			fail(r, r->pos, 1, "expected a digit after '.'");
			return false;
		}
		while (r->pos < r->len && isdigit((unsigned char)t[r->pos]))
			r->pos++;
	}
	if (r->pos < r->len && (t[r->pos] == 'e' || t[r->pos] == 'E')) {
		r->pos++;
		if (r->pos < r->len && (t[r->pos] == '+' || t[r->pos] == '-'))
			r->pos++;
		if (r->pos >= r->len || !isdigit((unsigned char)t[r->pos])) {
			fail(r, r->pos, 1, "expected a digit in the exponent");
			return false;
		}
		while (r->pos < r->len && isdigit((unsigned char)t[r->pos]))
			r->pos++;
	}
	v->kind = JSON_NUMBER;
	v->text = arena_strndup(&r->ctx->arena, t + start, r->pos - start);
	return true;
}

static const struct json_value *value(struct reader *r, unsigned depth);

/* An array or an object at r->pos, its opening bracket. */
static bool container(struct reader *r, struct json_value *v, unsigned depth)
{
	bool object = r->text[r->pos] == '{';
	char close = object ? '}' : ']';
	size_t cap = 0, kcap = 0, kn = 0;

	if (depth >= MAX_DEPTH) {
		fail(r, r->pos, 1, "nested more than 256 deep");
		return false;
	}
	v->kind = object ? JSON_OBJECT : JSON_ARRAY;
	r->pos++;
	skip_space(r);
	if (r->pos < r->len && r->text[r->pos] == close) {
		r->pos++;
		return true;
	}
	for (;;) {
		skip_space(r);
		if (object) {
			size_t at = r->pos;

			if (r->pos >= r->len || r->text[r->pos] != '"') {
				fail(r, r->pos, 1, "expected a member name");
				return false;
			}
			const char *key = string(r);
			if (!key)
				return false;
			for (size_t i = 0; i < kn; i++)
				if (!strcmp(v->keys[i], key)) {
					fail(r, at, r->pos - at,
					     "duplicate member name");
					return false;
				}
			*(const char **)arena_array_push(
				&r->ctx->arena, (void **)&v->keys, &kn, &kcap,
				sizeof(*v->keys)) = key;
			skip_space(r);
			if (r->pos >= r->len || r->text[r->pos] != ':') {
				fail(r, r->pos, 1,
				     "expected ':' after the member name");
				return false;
			}
			r->pos++;
		}
		const struct json_value *item = value(r, depth + 1);
		if (!item)
			return false;
		*(const struct json_value **)arena_array_push(
			&r->ctx->arena, (void **)&v->items, &v->n, &cap,
			sizeof(*v->items)) = item;
		skip_space(r);
		if (r->pos < r->len && r->text[r->pos] == ',') {
			r->pos++;
			continue;
		}
		if (r->pos < r->len && r->text[r->pos] == close) {
			r->pos++;
			return true;
		}
		fail(r, r->pos, 1,
		     object ? "expected ',' or '}'" : "expected ',' or ']'");
		return false;
	}
}

static const struct json_value *value(struct reader *r, unsigned depth)
{
	struct json_value *v = arena_alloc(&r->ctx->arena, sizeof(*v));
	bool ok = true;

	skip_space(r);
	v->loc = (struct polc_loc){ r->file, (uint32_t)r->pos,
				    (uint32_t)r->pos };
	if (r->pos >= r->len) {
		fail(r, r->pos, 0, "unexpected end of file, expected a value");
		return NULL;
	}
	switch (r->text[r->pos]) {
	case '{':
	case '[': ok = container(r, v, depth); break;
	case '"':
		v->kind = JSON_STRING;
		ok = (v->text = string(r)) != NULL;
		break;
	default:
		if (literal(r, "true"))
			v->kind = JSON_BOOL, v->boolean = true;
		else if (literal(r, "false"))
			v->kind = JSON_BOOL;
		else if (literal(r, "null"))
			v->kind = JSON_NULL;
		else
			ok = number(r, v);
	}
	v->loc.end = (uint32_t)r->pos;
	return ok && !arena_failed(&r->ctx->arena) ? v : NULL;
}

const struct json_value *json_parse(struct polc_ctx *ctx, uint32_t file)
{
	const struct source *src = source_get(ctx, file);
	struct reader r = { ctx, file, src->text, 0, src->len, false };
	const struct json_value *v = value(&r, 0);

	skip_space(&r);
	if (v && r.pos < r.len)
		fail(&r, r.pos, 1, "text after the end of the JSON value");
	return r.failed || arena_failed(&ctx->arena) ? NULL : v;
}

const struct json_value *json_member(const struct json_value *v,
				     const char *key)
{
	if (!v || v->kind != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return v->items[i];
	return NULL;
}

const char *json_kind_name(enum json_kind kind)
{
	static const char *const names[] = {
		[JSON_NULL] = "null",	    [JSON_BOOL] = "a boolean",
		[JSON_NUMBER] = "a number", [JSON_STRING] = "a string",
		[JSON_ARRAY] = "an array",  [JSON_OBJECT] = "an object",
	};

	return names[kind];
}

bool json_uint64(const struct json_value *v, uint64_t *out)
{
	uint64_t x = 0;

	if (!v || v->kind != JSON_NUMBER || !v->text[0])
		return false;
	for (const char *p = v->text; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return false; /* a sign, a fraction, an exponent */
		if (x > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*p - '0');
	}
	*out = x;
	return true;
}
