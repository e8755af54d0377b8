/*
 * misspell.h - "did you mean" suggestions.
 *
 * Picks the candidate closest to a misspelt word by optimal-string-alignment
 * distance (Levenshtein plus adjacent transpositions, so "defualt" is one
 * edit from "default"), accepting at most max(1, len/3) edits so that
 * unrelated words are never suggested.
 */
#ifndef POLC_COMMON_MISSPELL_H
#define POLC_COMMON_MISSPELL_H

#include <stddef.h>

struct misspell {
	const char *word; /* what the user wrote */
	const char *best; /* best candidate so far, or NULL */
	size_t best_distance;
};

void misspell_init(struct misspell *m, const char *word);
/* Offer one candidate; keeps the first of equally close ones. */
void misspell_offer(struct misspell *m, const char *candidate);
/* The suggestion, or NULL when nothing is close enough. */
const char *misspell_result(const struct misspell *m);

#endif
