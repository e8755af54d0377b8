/*
 * json.h - the little JSON writing polc needs: correctly escaped strings.
 * Output shapes are written by their owners with fprintf around these.
 */
#ifndef POLC_COMMON_JSON_H
#define POLC_COMMON_JSON_H

#include <stdio.h>

/* Write @s as a JSON string literal, quotes included (NULL as null). */
void json_write_string(FILE *out, const char *s);

#endif
