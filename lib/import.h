/*
 * import.h - the importers polc import chooses from (not installed).
 *
 * Each importer recognises its format and writes .pol text for it.  A new
 * format is one more row in import.c's table.
 */
#ifndef POLC_LIB_IMPORT_H
#define POLC_LIB_IMPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/loc.h"

struct polc_ctx;
struct source;
struct json_value;
struct polc_import_options;

/*
 * Each format has a detect() (does @doc, or @src's text for a format that
 * is not JSON, look like one?) and an import() that writes .pol for
 * source @file to @out; @doc is NULL for a format that is not JSON.
 */

/* OCI runtime-spec / Docker seccomp JSON. */
bool import_oci_seccomp_detect(const struct source *src,
			       const struct json_value *doc);
int import_oci_seccomp(struct polc_ctx *ctx, uint32_t file,
		       const struct json_value *doc,
		       const struct polc_import_options *opts, FILE *out);

/* A nono profile (nono-profile.schema.json). */
bool import_nono_profile_detect(const struct source *src,
				const struct json_value *doc);
int import_nono_profile(struct polc_ctx *ctx, uint32_t file,
			const struct json_value *doc,
			const struct polc_import_options *opts, FILE *out);

/* The fragment `nono learn --json` prints. */
bool import_nono_learn_detect(const struct source *src,
			      const struct json_value *doc);
int import_nono_learn(struct polc_ctx *ctx, uint32_t file,
		      const struct json_value *doc,
		      const struct polc_import_options *opts, FILE *out);

/* The sandbox limits of an ostk Agentfile. */
bool import_agentfile_detect(const struct source *src,
			     const struct json_value *doc);
int import_agentfile(struct polc_ctx *ctx, uint32_t file,
		     const struct json_value *doc,
		     const struct polc_import_options *opts, FILE *out);

/* ---- shared by the importers ------------------------------------------- */

/*
 * The profile name polc import gives: --name, else the file's name without
 * its extension, made a valid name.
 */
const char *import_profile_name(struct polc_ctx *ctx, const struct source *src,
				const struct polc_import_options *opts);

/*
 * Path @path of another tool as .pol path text, bare or quoted: `~`,
 * `~/…` and the variables polc has ($HOME, $WORKDIR, $TMPDIR, $UID, $USER,
 * $XDG_*, as $NAME or ${NAME}) are kept, and a relative path is taken
 * against $WORKDIR.  *@raw (when not NULL) receives the text unquoted.
 * NULL after an error at @loc (`~user`, an empty path, a glob, a control
 * character, a variable polc does not have).
 */
const char *import_path(struct polc_ctx *ctx, struct polc_loc loc,
			const char *path, const char **raw);

/*
 * Whether @s is a name polc accepts: a letter or '_', then letters, digits,
 * '_' (and '-' with @dash), and no reserved word.
 */
bool import_is_name(const char *s, bool dash);

/* @s for one line of a comment: control characters made spaces. */
const char *import_comment(struct polc_ctx *ctx, const char *s);

/* Write @s as a .pol string literal, quotes included. */
void import_write_string(FILE *out, const char *s);

#endif
