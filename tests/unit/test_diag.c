/*
 * test_diag.c - diagnostics (common/diag.c): the text and JSON renderers,
 * ordering, the error cap; "did you mean" (common/misspell.c); and the
 * offset-to-line mapping they rely on (common/source.c).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/misspell.h"
#include "common/source.h"
#include "helpers.h"
#include "suites.h"

static struct polc_ctx *ctx;

static void setup(void)
{
	ctx = polc_ctx_new();
	ck_assert_ptr_nonnull(ctx);
}

static void teardown(void)
{
	polc_ctx_free(ctx);
	ctx = NULL;
}

static uint32_t add(const char *name, const char *text)
{
	uint32_t id = source_add(ctx, name, text, strlen(text));

	ck_assert_uint_gt(id, 0);
	return id;
}

static struct polc_loc at(uint32_t file, uint32_t start, uint32_t end)
{
	return (struct polc_loc){ file, start, end };
}

static void assert_text(const char *want)
{
	const char *got = diags_text(ctx);

	ck_assert_msg(strcmp(got, want) == 0, "rendered:\n%s\nwanted:\n%s", got,
		      want);
}

/* ---- text -------------------------------------------------------------------
 */

START_TEST(text_caret_and_tildes)
{
	uint32_t f = add("t.pol", "profile p {\n    allow wirte ~/x;\n}\n");

	/* "wirte" is bytes 22-26. */
	diag_at(ctx, DIAG_ERROR, at(f, 22, 27),
		"unknown access mode '%s'; did you mean '%s'?", "wirte",
		"write");
	assert_text("t.pol:2:11: error: unknown access mode 'wirte'; did you "
		    "mean 'write'?\n"
		    "    2 |     allow wirte ~/x;\n"
		    "      |           ^~~~~\n");
}
END_TEST

START_TEST(text_tabs_copied_to_caret_line)
{
	uint32_t f = add("t.pol", "profile p {\n\tallow\twirte ~/x;\n}\n");

	diag_at(ctx, DIAG_ERROR, at(f, 19, 24), "bad");
	assert_text("t.pol:2:8: error: bad\n"
		    "    2 | \tallow\twirte ~/x;\n"
		    "      | \t     \t^~~~~\n");
}
END_TEST

START_TEST(text_empty_range_is_one_caret)
{
	uint32_t f = add("t.pol", "let X = /a\n");

	diag_at(ctx, DIAG_ERROR, at(f, 10, 10), "expected ';'");
	assert_text("t.pol:1:11: error: expected ';'\n"
		    "    1 | let X = /a\n"
		    "      |           ^\n");
}
END_TEST

START_TEST(text_range_stops_at_line_end)
{
	uint32_t f = add("t.pol", "abc def\nghi\n");

	diag_at(ctx, DIAG_WARNING, at(f, 4, 11), "spans lines");
	assert_text("t.pol:1:5: warning: spans lines\n"
		    "    1 | abc def\n"
		    "      |     ^~~\n");
	ck_assert_uint_eq(ctx->nwarnings, 1);
	ck_assert_uint_eq(ctx->nerrors, 0);
}
END_TEST

START_TEST(text_crlf_line)
{
	uint32_t f = add("t.pol", "a\r\nbb cc\r\n");

	diag_at(ctx, DIAG_ERROR, at(f, 6, 8), "x");
	assert_text("t.pol:2:4: error: x\n"
		    "    2 | bb cc\n"
		    "      |    ^~\n");
}
END_TEST

START_TEST(text_notes_follow_their_error)
{
	uint32_t f = add("t.pol", "profile p {\n}\nprofile p {\n}\n");
	struct diag *d = diag_at(ctx, DIAG_ERROR, at(f, 22, 23),
				 "redefinition of profile 'p'");

	diag_note(ctx, d, at(f, 8, 9), "first defined here");
	diag_note(ctx, d, at(0, 0, 0), "unlocated note");
	assert_text("t.pol:3:9: error: redefinition of profile 'p'\n"
		    "    3 | profile p {\n"
		    "      |         ^\n"
		    "t.pol:1:9: note: first defined here\n"
		    "    1 | profile p {\n"
		    "      |         ^\n"
		    "polc: note: unlocated note\n");
}
END_TEST

START_TEST(text_wide_gutter)
{
	enum { LINES = 12345 };
	char *text = malloc(LINES * 2 + 8);

	ck_assert_ptr_nonnull(text);
	memset(text, '\n', LINES - 1);
	strcpy(text + LINES - 1, "oops\n");
	uint32_t f = add("t.pol", text);

	diag_at(ctx, DIAG_ERROR, at(f, LINES - 1, LINES + 3), "here");
	assert_text("t.pol:12345:1: error: here\n"
		    " 12345 | oops\n"
		    "       | ^~~~\n");
	free(text);
}
END_TEST

START_TEST(text_unlocated)
{
	diag_subject(ctx, DIAG_ERROR, "missing.pol", "cannot read file: %s",
		     "No such file or directory");
	diag_subject(ctx, DIAG_WARNING, NULL, "something general");
	assert_text("missing.pol: error: cannot read file: No such file or "
		    "directory\n"
		    "polc: warning: something general\n");
	ck_assert_uint_eq(ctx->nerrors_unlocated, 1);
	ck_assert_int_eq(polc_exit_status(ctx), 2);
}
END_TEST

START_TEST(text_imported_from)
{
	uint32_t top = add("top.pol", "\nimport \"lib.pol\";\n");
	uint32_t lib = add("lib.pol", "let X = bad;\n");
	struct source *s = ctx->sources.items[lib];

	s->included_from = at(top, 1, 18);
	diag_at(ctx, DIAG_ERROR, at(lib, 8, 11), "bad value");
	assert_text("In file imported from top.pol:2:1:\n"
		    "lib.pol:1:9: error: bad value\n"
		    "    1 | let X = bad;\n"
		    "      |         ^~~\n");
}
END_TEST

START_TEST(text_colour)
{
	uint32_t f = add("t.pol", "ab\n");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	diag_at(ctx, DIAG_ERROR, at(f, 0, 2), "m");
	diag_render(ctx, out, DIAG_FORMAT_TEXT, true);
	fclose(out);
	ck_assert_str_eq(buf,
			 "\033[1mt.pol:1:1:\033[m \033[1;31merror:\033[m m\n"
			 "    1 | ab\n"
			 "      | \033[1;32m^~\033[m\n");
	free(buf);
}
END_TEST

START_TEST(text_from_parser_end_to_end)
{
	parse_str(ctx, "profile p {\n    allow r /x\n    deny /y;\n}\n", NULL);
	assert_text("t.pol:2:15: error: expected ';' before 'deny'\n"
		    "    2 |     allow r /x\n"
		    "      |               ^\n");
}
END_TEST

/* ---- order and queue
 * ----------------------------------------------------------- */

START_TEST(sorted_by_file_and_offset)
{
	uint32_t a = add("a.pol", "one two three\n");
	uint32_t b = add("b.pol", "four five\n");

	diag_subject(ctx, DIAG_ERROR, NULL, "unlocated");
	diag_at(ctx, DIAG_ERROR, at(b, 5, 9), "b2");
	diag_at(ctx, DIAG_ERROR, at(a, 8, 13), "a3");
	diag_at(ctx, DIAG_ERROR, at(b, 0, 4), "b1");
	diag_at(ctx, DIAG_ERROR, at(a, 0, 3), "a1");
	diag_at(ctx, DIAG_WARNING, at(a, 8, 13), "a3 again");
	diag_at(ctx, DIAG_ERROR, at(a, 4, 7), "a2");
	const char *out = diags_text(ctx);
	static const char *const order[] = {
		"a.pol:1:1: error: a1\n",   "a.pol:1:5: error: a2\n",
		"a.pol:1:9: error: a3\n",   "a.pol:1:9: warning: a3 again\n",
		"b.pol:1:1: error: b1\n",   "b.pol:1:6: error: b2\n",
		"polc: error: unlocated\n",
	};
	const char *prev = out;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *here = strstr(out, order[i]);

		ck_assert_msg(here != NULL, "'%s' missing from:\n%s", order[i],
			      out);
		ck_assert_msg(here >= prev, "'%s' out of order in:\n%s",
			      order[i], out);
		prev = here;
	}
}
END_TEST

START_TEST(render_drops_queue)
{
	uint32_t f = add("t.pol", "x\n");

	diag_at(ctx, DIAG_ERROR, at(f, 0, 1), "once");
	ck_assert_ptr_nonnull(strstr(diags_text(ctx), "once"));
	ck_assert_ptr_null(ctx->diags);
	ck_assert_str_eq(diags_text(ctx), "");
	ck_assert_str_eq(diags_json(ctx),
			 "{\"version\":1,\"diagnostics\":[]}\n");
	/* The counts survive rendering. */
	ck_assert_uint_eq(polc_error_count(ctx), 1);
	ck_assert_int_eq(polc_exit_status(ctx), 1);
}
END_TEST

START_TEST(error_cap)
{
	uint32_t f = add("t.pol", "x\n");

	polc_set_max_errors(ctx, 2);
	ck_assert_ptr_nonnull(diag_at(ctx, DIAG_ERROR, at(f, 0, 1), "e1"));
	ck_assert_ptr_nonnull(diag_at(ctx, DIAG_ERROR, at(f, 0, 1), "e2"));
	ck_assert(!diag_cap_reached(ctx));
	ck_assert_ptr_null(diag_at(ctx, DIAG_ERROR, at(f, 0, 1), "e3"));
	ck_assert(diag_cap_reached(ctx));
	ck_assert_ptr_null(diag_at(ctx, DIAG_ERROR, at(f, 0, 1), "e4"));
	diag_note(ctx, NULL, at(f, 0, 1), "a note on a dropped error");
	/* Warnings are not capped. */
	ck_assert_ptr_nonnull(diag_at(ctx, DIAG_WARNING, at(f, 0, 1), "w"));
	ck_assert_uint_eq(diag_count(ctx), 4);
	ck_assert_str_eq(diag_nth(ctx, 2)->message,
			 "too many errors, stopping now (limit 2)");
	ck_assert_uint_eq(diag_nth(ctx, 2)->loc.file, 0);
	ck_assert_str_eq(diag_nth(ctx, 3)->message, "w");
	ck_assert_uint_eq(ctx->nerrors, 4);
	/* Rendered last, with no location. */
	const char *out = diags_text(ctx);
	const char *tail = "polc: error: too many errors, stopping now "
			   "(limit 2)\n";
	size_t n = strlen(out), m = strlen(tail);
	ck_assert_uint_ge(n, m);
	ck_assert_str_eq(out + n - m, tail);
}
END_TEST

START_TEST(long_message_kept_whole)
{
	char word[2000];

	memset(word, 'w', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	diag_subject(ctx, DIAG_ERROR, NULL, "<%s>", word);
	ck_assert_uint_eq(strlen(ctx->diags->message), sizeof(word) + 1);
	ck_assert_int_eq(ctx->diags->message[sizeof(word)], '>');
}
END_TEST

/* ---- json -------------------------------------------------------------------
 */

START_TEST(json_shape)
{
	uint32_t f = add("t.pol", "profile p {\n    allow wirte ~/x;\n}\n");
	struct diag *d = diag_at(ctx, DIAG_ERROR, at(f, 22, 27),
				 "unknown access mode 'wirte'");

	diag_note(ctx, d, at(f, 0, 7), "in \"this\" profile");
	ck_assert_str_eq(
		diags_json(ctx),
		"{\"version\":1,\"diagnostics\":[{\"severity\":\"error\","
		"\"message\":\"unknown access mode "
		"'wirte'\",\"file\":\"t.pol\","
		"\"line\":2,\"column\":11,\"end_line\":2,\"end_column\":16,"
		"\"notes\":[{\"severity\":\"note\",\"message\":\"in "
		"\\\"this\\\" profile\",\"file\":\"t.pol\",\"line\":1,"
		"\"column\":1,\"end_line\":1,\"end_column\":8,\"notes\":[]}]}]}"
		"\n");
}
END_TEST

START_TEST(json_several_and_unlocated)
{
	uint32_t f = add("a\"b.pol", "x\ny\n");

	diag_subject(ctx, DIAG_ERROR, NULL, "general");
	diag_subject(ctx, DIAG_ERROR, "c.pol", "unreadable");
	diag_at(ctx, DIAG_WARNING, at(f, 2, 3), "tab\there");
	ck_assert_str_eq(
		diags_json(ctx),
		"{\"version\":1,\"diagnostics\":["
		"{\"severity\":\"warning\",\"message\":\"tab\\there\","
		"\"file\":\"a\\\"b.pol\",\"line\":2,\"column\":1,\"end_line\":"
		"2,"
		"\"end_column\":2,\"notes\":[]},"
		"{\"severity\":\"error\",\"message\":\"general\",\"file\":null,"
		"\"notes\":[]},"
		"{\"severity\":\"error\",\"message\":\"unreadable\","
		"\"file\":\"c.pol\",\"notes\":[]}]}\n");
}
END_TEST

START_TEST(json_invalid_utf8_replaced)
{
	/* A lone UTF-8 lead byte: the scanner's message holds it raw. */
	parse_str(ctx, "\xc3 let X = /a;\n", NULL);
	const char *out = diags_json(ctx);

	ck_assert_msg(strstr(out, "\"message\":\"unexpected character "
				  "'\\ufffd'\"") != NULL,
		      "%s", out);
	ck_assert_ptr_null(strchr(out, '\xc3'));
}
END_TEST

START_TEST(json_control_characters_escaped)
{
	diag_subject(ctx, DIAG_ERROR, NULL, "a\x01z\n\r\\\xc3\xa9");
	ck_assert_str_eq(
		diags_json(ctx),
		"{\"version\":1,\"diagnostics\":[{\"severity\":\"error\","
		"\"message\":\"a\\u0001z\\n\\r\\\\\xc3\xa9\",\"file\":null,"
		"\"notes\":[]}]}\n");
}
END_TEST

/* ---- misspell
 * ---------------------------------------------------------------- */

static const char *suggest(const char *word, const char *const *cands)
{
	struct misspell m;

	misspell_init(&m, word);
	for (; *cands; cands++)
		misspell_offer(&m, *cands);
	return misspell_result(&m);
}

START_TEST(misspell_transposition)
{
	static const char *const c[] = { "allow", "deny", "default", "kill",
					 NULL };

	ck_assert_str_eq(suggest("defualt", c), "default");
	ck_assert_str_eq(suggest("dney", c), "deny");
	ck_assert_str_eq(suggest("alow", c), "allow");
	ck_assert_str_eq(suggest("kil", c), "kill");
}
END_TEST

START_TEST(misspell_rejects_unrelated)
{
	static const char *const c[] = { "read", "write", "exec", "delete",
					 "all",	 "none",  NULL };

	ck_assert_ptr_null(suggest("banana", c));
	ck_assert_ptr_null(suggest("xy", c));
	ck_assert_ptr_null(suggest("", c));
	/* Two edits on a 5-letter word are too many (max(1, 5/3) = 1). */
	ck_assert_ptr_null(suggest("wrjtt", c));
	/* An exact match is not a suggestion. */
	ck_assert_ptr_null(suggest("read", c));
}
END_TEST

START_TEST(misspell_threshold_scales)
{
	static const char *const c[] = { "abstract_unix", NULL };
	static const char *const d[] = { "wxyz", NULL };

	/* 13 letters: up to 4 edits. */
	ck_assert_str_eq(suggest("abstrct_unx", c), "abstract_unix");
	ck_assert_str_eq(suggest("abstactunx", c), "abstract_unix");
	ck_assert_ptr_null(suggest("abstrunx", c));
	/* 4 letters: one edit, not two. */
	ck_assert_ptr_null(suggest("wxab", d));
	ck_assert_str_eq(suggest("wxya", d), "wxyz");
}
END_TEST

START_TEST(misspell_best_and_first)
{
	static const char *const c[] = { "make_reg", "make_dir", "make_sym",
					 NULL };
	static const char *const tie[] = { "bat", "cat", NULL };

	ck_assert_str_eq(suggest("make_di", c), "make_dir");
	/* Equally close candidates: the first one offered wins. */
	ck_assert_str_eq(suggest("hat", tie), "bat");
}
END_TEST

START_TEST(misspell_long_words_never_close)
{
	char a[80], b[80];
	const char *const c[] = { b, NULL };

	memset(a, 'q', 70);
	a[70] = '\0';
	strcpy(b, a);
	b[69] = 'r';
	ck_assert_ptr_null(suggest(a, c));
}
END_TEST

/* ---- source positions
 * ---------------------------------------------------------- */

START_TEST(source_line_col_mapping)
{
	uint32_t f = add("t.pol", "ab\n\ncde\r\nf");
	static const struct {
		uint32_t offset;
		unsigned line, col;
	} cases[] = {
		{ 0, 1, 1 }, { 1, 1, 2 }, { 2, 1, 3 },
		{ 3, 2, 1 }, { 4, 3, 1 }, { 6, 3, 3 },
		{ 7, 3, 4 }, { 9, 4, 1 }, { 10, 4, 2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned line, col;

		source_line_col(ctx, f, cases[i].offset, &line, &col);
		ck_assert_msg(line == cases[i].line && col == cases[i].col,
			      "offset %u: %u:%u, wanted %u:%u", cases[i].offset,
			      line, col, cases[i].line, cases[i].col);
	}
	size_t len;
	const char *text = source_line_text(ctx, f, 3, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(strncmp(text, "cde", 3), 0);
	source_line_text(ctx, f, 2, &len);
	ck_assert_uint_eq(len, 0);
	source_line_text(ctx, f, 4, &len);
	ck_assert_uint_eq(len, 1);
	ck_assert_str_eq(source_line_text(ctx, f, 5, &len), "");
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(source_unknown_file)
{
	unsigned line = 0, col = 0;

	source_line_col(ctx, 99, 5, &line, &col);
	ck_assert_uint_eq(line, 1);
	ck_assert_uint_eq(col, 1);
	ck_assert_ptr_null(source_get(ctx, 0));
	ck_assert_ptr_null(source_get(ctx, 99));
}
END_TEST

Suite *suite_diag(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("text");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_caret_and_tildes);
	tcase_add_test(tc, text_tabs_copied_to_caret_line);
	tcase_add_test(tc, text_empty_range_is_one_caret);
	tcase_add_test(tc, text_range_stops_at_line_end);
	tcase_add_test(tc, text_crlf_line);
	tcase_add_test(tc, text_notes_follow_their_error);
	tcase_add_test(tc, text_wide_gutter);
	tcase_add_test(tc, text_unlocated);
	tcase_add_test(tc, text_imported_from);
	tcase_add_test(tc, text_colour);
	tcase_add_test(tc, text_from_parser_end_to_end);
	suite_add_tcase(s, tc);

	tc = tcase_create("queue");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sorted_by_file_and_offset);
	tcase_add_test(tc, render_drops_queue);
	tcase_add_test(tc, error_cap);
	tcase_add_test(tc, long_message_kept_whole);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_shape);
	tcase_add_test(tc, json_several_and_unlocated);
	tcase_add_test(tc, json_invalid_utf8_replaced);
	tcase_add_test(tc, json_control_characters_escaped);
	suite_add_tcase(s, tc);

	tc = tcase_create("misspell and source");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, misspell_transposition);
	tcase_add_test(tc, misspell_rejects_unrelated);
	tcase_add_test(tc, misspell_threshold_scales);
	tcase_add_test(tc, misspell_best_and_first);
	tcase_add_test(tc, misspell_long_words_never_close);
	tcase_add_test(tc, source_line_col_mapping);
	tcase_add_test(tc, source_unknown_file);
	suite_add_tcase(s, tc);
	return s;
}
