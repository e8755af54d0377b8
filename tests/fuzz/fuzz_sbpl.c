/*
 * fuzz_sbpl.c - libFuzzer harness for the SBPL reader and validator.
 *
 * Each input is read and checked as a Seatbelt profile, the text polc
 * validate --target seatbelt accepts from any file.  Errors are fine;
 * crashes, leaks, undefined behaviour and runaway time are what the
 * sanitizers and libFuzzer catch.
 */
#include <stdint.h>
#include <stdio.h>

#include "backends/seatbelt/seatbelt.h"
#include "polc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	polc_ctx *ctx = polc_ctx_new();

	if (ctx)
		sb_validate(ctx, "fuzz.sb", (const char *)data, size);
	polc_ctx_free(ctx);
	return 0;
}
