/*
 * fuzz_import.c - libFuzzer harness for polc import: the JSON reader and
 * every importer (OCI seccomp, nono profile, nono learn fragment,
 * Agentfile).
 *
 * Each input goes through polc_import() as each format in turn (with
 * --best-effort for inputs of odd length): whatever imports without error
 * must pass `polc validate`, since an importer never writes a policy polc
 * refuses.  Malformed input must end in errors, never in a crash, a leak
 * or undefined behaviour.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "polc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Fixed values of the built-in variables, so that no run depends on the
 * fuzzer's environment (the importers resolve a parent profile too).
 */
static void pin(polc_ctx *ctx)
{
	polc_set_variable(ctx, "HOME", "/home/fuzz");
	polc_set_variable(ctx, "WORKDIR", "/home/fuzz/project");
	polc_set_variable(ctx, "TMPDIR", "/tmp");
	polc_set_variable(ctx, "UID", "1000");
	polc_set_variable(ctx, "USER", "fuzz");
}

/*
 * The imported text must be a policy `polc validate` accepts: it parses,
 * checks and resolves against the library (the nono and Agentfile profiles
 * extend its `default`).  Abort otherwise.
 */
static void accept_policy(const char *text, size_t len)
{
	char path[] = "/tmp/polc-fuzz-imported-XXXXXX.pol";
	const char *args[] = { path };
	int fd = mkstemps(path, 4);
	polc_ctx *ctx = polc_ctx_new();

	if (fd < 0 || !ctx || write(fd, text, len) != (ssize_t)len)
		abort();
	close(fd);
	pin(ctx);
	if (polc_validate(ctx, args, 1) != 0 || polc_error_count(ctx)) {
		polc_diagnostics_print(ctx, stderr, POLC_DIAG_TEXT, false);
		fwrite(text, 1, len, stderr);
		abort();
	}
	unlink(path);
	polc_ctx_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = { "oci-seccomp", "nono-profile",
					       "nono-learn", "agentfile" };
	char path[] = "/tmp/polc-fuzz-import-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	for (size_t f = 0; f < sizeof(formats) / sizeof(*formats); f++) {
		polc_ctx *ctx = polc_ctx_new();
		struct polc_import_options opts = { .format = formats[f],
						    .arch = "x86_64",
						    .name = "imported",
						    .best_effort = size & 1 };
		char *text = NULL;
		size_t len = 0;

		if (!ctx)
			break;
		pin(ctx);
		if (polc_import(ctx, path, &opts, &text, &len) == 0)
			accept_policy(text, len);
		free(text);
		polc_ctx_free(ctx);
	}
	unlink(path);
	return 0;
}
