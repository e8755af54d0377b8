/*
 * misspell.c - optimal string alignment distance with an early cut-off.
 */
#include "misspell.h"

#include <string.h>

enum { MAX_WORD = 64 };

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* Distance between @a and @b; words longer than MAX_WORD are never close. */
static size_t osa_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[MAX_WORD + 1][MAX_WORD + 1];

	if (la > MAX_WORD || lb > MAX_WORD)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
				       d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

void misspell_init(struct misspell *m, const char *word)
{
	size_t len = strlen(word);

	m->word = word;
	m->best = NULL;
	/* One more than the largest distance accepted. */
	m->best_distance = (len / 3 > 1 ? len / 3 : 1) + 1;
}

void misspell_offer(struct misspell *m, const char *candidate)
{
	if (strcmp(m->word, candidate) == 0)
		return;
	size_t d = osa_distance(m->word, candidate);
	if (d < m->best_distance) {
		m->best = candidate;
		m->best_distance = d;
	}
}

const char *misspell_result(const struct misspell *m)
{
	return m->best;
}
