/*
 * import.h - the importers polc import chooses from (not installed).
 *
 * Each importer recognises its format and writes .pol text for it.  A new
 * format is one more row in import.c's table.
 */
#ifndef POLC_LIB_IMPORT_H
#define POLC_LIB_IMPORT_H

#include <stdbool.h>
#include <stdio.h>

struct polc_ctx;
struct source;
struct json_value;
struct polc_import_options;

/*
 * OCI runtime-spec / Docker seccomp JSON: whether @doc looks like one,
 * and its translation into @out.
 */
bool import_oci_seccomp_detect(const struct source *src,
			       const struct json_value *doc);
int import_oci_seccomp(struct polc_ctx *ctx, const struct source *src,
		       const struct json_value *doc,
		       const struct polc_import_options *opts, FILE *out);

#endif
