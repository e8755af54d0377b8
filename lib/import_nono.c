/*
 * import_nono.c - nono's profile JSON and its `learn --json` fragment to
 * .pol.  The mapping is spec/import.md's:
 *
 * - nono applies its base groups to every profile; polc's `default`
 *   profile holds their equivalents, so a profile without `extends`
 *   extends `default` (and uses `user_tools`, the one base group default
 *   leaves out).  `extends X` names polc's profile X.
 * - nono's read grants read and execute (Landlock's ReadFile, ReadDir,
 *   Execute), its write grants creating, changing and removing entries:
 *   read is `rx`, write `wd`, allow (read+write) `all`; on a single file
 *   `rx`, `write` and `rwx`.  `deny` is a deny of all access, and
 *   `bypass_protection` turns the grant of the same path into an override
 *   where the parent denies some of its access.
 * - nono's groups map to the library's groups of the same paths, or, for
 *   an agent's or editor's own paths, to their grants.
 * - A `when` predicate that names only linux or macos becomes a platform
 *   block; any other condition cannot be expressed.
 * - What polc cannot enforce is an error naming it; with --best-effort, a
 *   warning naming the protection lost.  What only grants, and what is not
 *   part of the sandbox (hooks, rollback, ...), is a warning when left out.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/ctx.h"
#include "common/diag.h"
#include "common/json.h"
#include "common/source.h"
#include "ir/ir.h"
#include "lib/import.h"
#include "lib/lib.h"
#include "polc.h"

enum plat { ALL, LINUX, MACOS, NPLAT, UNSAID = -1 };

static const char *const plat_names[NPLAT] = { NULL, "linux", "macos" };

/* One filesystem grant, kept until bypass_protection is known. */
struct grant {
	const char *path; /* .pol text */
	const char *raw;  /* the same, unquoted */
	const char *mode;
	unsigned modes; /* IR_READ… */
	bool file, override;
	enum plat plat;
};

struct nono {
	struct polc_ctx *ctx;
	const struct polc_import_options *opts;
	struct ptrvec lines[NPLAT]; /* statements, in the order made */
	struct ptrvec comments;	    /* lines of the header comment */
	struct grant *grants;
	size_t ngrants, capgrants;
	const char *parent; /* the profile the import extends */
	const struct ir_policy *parent_policy; /* resolved when needed */
	bool network_blocked;
	bool told_best_effort; /* the note on --best-effort, given once */
	int rc;
};

static void emit(struct nono *n, enum plat plat, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void emit(struct nono *n, enum plat plat, const char *fmt, ...)
{
	va_list ap, again;

	va_start(ap, fmt);
	va_copy(again, ap);
	int len = vsnprintf(NULL, 0, fmt, ap);
	char *line =
		len < 0 ? NULL : arena_alloc(&n->ctx->arena, (size_t)len + 1);
	if (line)
		vsnprintf(line, (size_t)len + 1, fmt, again);
	va_end(again);
	va_end(ap);
	if (!line) {
		n->rc = -1;
		return;
	}
	/* A statement said twice (two nono groups for one of polc's). */
	for (size_t i = 0; i < n->lines[plat].len; i++)
		if (!strcmp(n->lines[plat].items[i], line))
			return;
	ptrvec_push(&n->ctx->arena, &n->lines[plat], line);
}

static bool want(struct nono *n, const struct json_value *v,
		 enum json_kind kind, const char *what)
{
	if (v->kind == kind)
		return true;
	diag_at(n->ctx, DIAG_ERROR, v->loc, "%s must be %s, not %s", what,
		json_kind_name(kind), json_kind_name(v->kind));
	n->rc = -1;
	return false;
}

/* A key whose meaning is not part of the sandbox. */
static void not_sandbox(struct nono *n, const struct json_value *v,
			const char *key)
{
	diag_at(n->ctx, DIAG_WARNING, v->loc,
		"'%s' left out: it is not part of the sandbox", key);
}

/* A key that only grants something polc cannot grant. */
static void grant_lost(struct nono *n, const struct json_value *v,
		       const char *key, const char *why)
{
	diag_at(n->ctx, DIAG_WARNING, v->loc, "'%s' left out: %s", key, why);
}

/*
 * A protection polc cannot enforce: an error, or with --best-effort a
 * warning naming what is lost.  True when the import goes on without it.
 */
static bool protection(struct nono *n, const struct json_value *v,
		       const char *key, const char *why)
{
	if (n->opts->best_effort) {
		diag_at(n->ctx, DIAG_WARNING, v->loc,
			"'%s' left out, and with it a protection: %s", key,
			why);
		return true;
	}
	struct diag *d =
		diag_at(n->ctx, DIAG_ERROR, v->loc,
			"'%s' cannot be enforced by polc: %s", key, why);
	if (!n->told_best_effort)
		diag_note(n->ctx, d, v->loc,
			  "polc import --best-effort leaves it out with a "
			  "warning");
	n->told_best_effort = true;
	n->rc = -1;
	return false;
}

static bool is_empty(const struct json_value *v)
{
	return v->kind == JSON_NULL ||
	       ((v->kind == JSON_ARRAY || v->kind == JSON_OBJECT) && !v->n) ||
	       (v->kind == JSON_BOOL && !v->boolean);
}

/* ---- when predicates ----------------------------------------------------- */

static enum plat plat_of_word(const char *s)
{
	return !strcmp(s, "linux")   ? LINUX
	       : !strcmp(s, "macos") ? MACOS
				     : UNSAID;
}

/*
 * The platform predicate @when names (NULL: every platform).  UNSAID when
 * it cannot be said in polc: an error, or with --best-effort a warning
 * (the caller leaves a grant out and makes a deny hold everywhere).
 */
static enum plat plat_of(struct nono *n, const struct json_value *when)
{
	enum plat p = UNSAID;
	bool seen[NPLAT] = { false };

	if (!when)
		return ALL;
	if (when->kind == JSON_STRING)
		p = plat_of_word(when->text);
	else if (when->kind == JSON_ARRAY && when->n) {
		p = ALL;
		for (size_t i = 0; i < when->n && p != UNSAID; i++) {
			const struct json_value *w = when->items[i];
			enum plat q = w->kind == JSON_STRING
					      ? plat_of_word(w->text)
					      : UNSAID;

			if (q == UNSAID)
				p = UNSAID;
			else
				seen[q] = true;
		}
		if (p != UNSAID)
			p = seen[LINUX] && seen[MACOS] ? ALL
			    : seen[LINUX]	       ? LINUX
						       : MACOS;
	}
	if (p != UNSAID)
		return p;
	if (n->opts->best_effort) {
		diag_at(n->ctx, DIAG_WARNING, when->loc,
			"a condition polc cannot express (only 'linux' and "
			"'macos'): a grant under it is left out, a deny holds "
			"on every platform");
		return UNSAID;
	}
	struct diag *d = diag_at(n->ctx, DIAG_ERROR, when->loc,
				 "a condition polc cannot express: polc "
				 "blocks name only 'linux' and 'macos'");
	diag_note(n->ctx, d, when->loc,
		  "with --best-effort a grant under it is left out and a deny "
		  "holds on every platform");
	n->rc = -1;
	return UNSAID;
}

/*
 * A ConditionalPath or ConditionalName: "X" or {"KEY": "X", "when": ...}.
 * *@text and *@plat receive it; false after an error.
 */
static bool conditional(struct nono *n, const struct json_value *v,
			const char *key, const char **text,
			const struct json_value **at, enum plat *plat)
{
	*plat = ALL;
	*at = v;
	if (v->kind == JSON_STRING) {
		*text = v->text;
		return true;
	}
	if (!want(n, v, JSON_OBJECT, "an entry"))
		return false;
	const struct json_value *t = json_member(v, key);
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) && strcmp(v->keys[i], "when")) {
			diag_at(n->ctx, DIAG_ERROR, v->items[i]->loc,
				"unknown key '%s' in an entry", v->keys[i]);
			n->rc = -1;
			return false;
		}
	if (!t) {
		diag_at(n->ctx, DIAG_ERROR, v->loc, "the entry has no '%s'",
			key);
		n->rc = -1;
		return false;
	}
	if (!want(n, t, JSON_STRING, key))
		return false;
	*text = t->text;
	*at = t;
	*plat = plat_of(n, json_member(v, "when"));
	return true;
}

/* ---- filesystem ---------------------------------------------------------- */

enum {
	R = IR_READ,
	W = IR_WRITE,
	X = IR_EXEC,
	D = IR_DELETE,
};

static const struct fs_key {
	const char *key, *mode;
	unsigned modes;
	bool file;
} fs_grants[] = {
	{ "allow", "all", R | W | X | D, false },
	{ "read", "rx", R | X, false },
	{ "write", "wd", W | D, false },
	{ "allow_file", "rwx", R | W | X, true },
	{ "read_file", "rx", R | X, true },
	{ "write_file", "write", W, true },
};

static void add_grant(struct nono *n, const struct fs_key *k,
		      const struct json_value *list)
{
	if (!want(n, list, JSON_ARRAY, k->key))
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct json_value *at;
		const char *text, *path, *raw;
		enum plat plat;

		if (!conditional(n, list->items[i], "path", &text, &at, &plat))
			continue;
		path = import_path(n->ctx, at->loc, text, &raw);
		if (!path) {
			n->rc = -1;
			continue;
		}
		if (plat == UNSAID)
			continue;
		struct grant *g = arena_array_push(
			&n->ctx->arena, (void **)&n->grants, &n->ngrants,
			&n->capgrants, sizeof(*g));
		if (!g) {
			n->rc = -1;
			return;
		}
		*g = (struct grant){ path,    raw,   k->mode, k->modes,
				     k->file, false, plat };
	}
}

static void deny_paths(struct nono *n, const struct json_value *list)
{
	if (!want(n, list, JSON_ARRAY, "deny"))
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct json_value *at;
		const char *text, *path;
		enum plat plat;

		if (!conditional(n, list->items[i], "path", &text, &at, &plat))
			continue;
		path = import_path(n->ctx, at->loc, text, NULL);
		if (!path)
			n->rc = -1;
		else
			emit(n, plat == UNSAID ? ALL : plat, "deny %s;", path);
	}
}

/* bypass_protection: the grant of the same path becomes an override. */
static void bypass(struct nono *n, const struct json_value *list)
{
	if (!want(n, list, JSON_ARRAY, "bypass_protection"))
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct json_value *at;
		const char *text, *path;
		enum plat plat;
		bool hit = false;

		if (!conditional(n, list->items[i], "path", &text, &at, &plat))
			continue;
		path = import_path(n->ctx, at->loc, text, NULL);
		if (!path) {
			n->rc = -1;
			continue;
		}
		for (size_t g = 0; g < n->ngrants; g++)
			if (!strcmp(n->grants[g].path, path) &&
			    (plat == ALL || n->grants[g].plat == plat)) {
				n->grants[g].override = true;
				hit = true;
			}
		if (!hit && plat != UNSAID)
			grant_lost(n, at, "bypass_protection",
				   "nono lifts a deny only where the profile "
				   "also grants, and no grant of this profile "
				   "names the path");
	}
}

/*
 * A bypassed grant becomes an override only where the parent denies some
 * of its access: elsewhere there is nothing to lift, and polc refuses an
 * override that lifts nothing, so it stays an allow, which means the same.
 */
static void lift_only_denies(struct nono *n)
{
	static const unsigned plats[NPLAT] = { IR_ALL_PLATFORMS, IR_LINUX,
					       IR_MACOS };
	for (size_t i = 0; i < n->ngrants; i++) {
		struct grant *g = &n->grants[i];
		bool ok;

		if (!g->override)
			continue;
		if (!n->parent_policy && !(n->parent_policy = lib_resolve(
						   n->ctx, n->parent, false))) {
			n->rc = -1;
			return;
		}
		if (!lib_denied_near(n->ctx, n->parent_policy, g->raw, g->file,
				     plats[g->plat], g->modes, &ok))
			g->override = false;
		if (!ok)
			n->rc = -1;
	}
}

static void filesystem(struct nono *n, const struct json_value *fs, bool learn)
{
	const struct json_value *bypasses = NULL;

	if (!want(n, fs, JSON_OBJECT, "filesystem"))
		return;
	for (size_t i = 0; i < fs->n; i++) {
		const char *k = fs->keys[i];
		const struct json_value *v = fs->items[i];
		bool done = false;

		for (size_t g = 0; g < sizeof(fs_grants) / sizeof(*fs_grants);
		     g++)
			if (!strcmp(k, fs_grants[g].key) &&
			    (!learn || !fs_grants[g].file)) {
				add_grant(n, &fs_grants[g], v);
				done = true;
			}
		if (done)
			continue;
		if (learn) {
			diag_at(n->ctx, DIAG_ERROR, v->loc,
				"unknown key '%s' in a learn fragment's "
				"filesystem",
				k);
			n->rc = -1;
		} else if (!strcmp(k, "deny"))
			deny_paths(n, v);
		else if (!strcmp(k, "bypass_protection"))
			bypasses = v;
		else if (!strcmp(k, "suppress_save_prompt") ||
			 !strcmp(k, "ignore"))
			not_sandbox(n, v, k);
		else {
			diag_at(n->ctx, DIAG_ERROR, v->loc,
				"unknown key '%s' in filesystem", k);
			n->rc = -1;
		}
	}
	if (bypasses)
		bypass(n, bypasses);
	lift_only_denies(n);
	for (size_t g = 0; g < n->ngrants; g++) {
		const struct grant *r = &n->grants[g];

		emit(n, r->plat, "%sallow %s %s%s;",
		     r->override ? "override " : "", r->mode,
		     r->file ? "file " : "", r->path);
	}
}

/* ---- network ------------------------------------------------------------- */

/* Port @v (1-65535) into *@port; false after an error. */
static bool port_of(struct nono *n, const struct json_value *v, const char *key,
		    bool localhost, uint64_t *port)
{
	if (!json_uint64(v, port) || *port > 65535 ||
	    (*port == 0 && !localhost)) {
		diag_at(n->ctx, DIAG_ERROR, v->loc,
			"'%s' holds ports: numbers from 1 to 65535", key);
		n->rc = -1;
		return false;
	}
	if (*port == 0) {
		diag_at(n->ctx, DIAG_ERROR, v->loc,
			"port 0 (nono: any localhost port, on macOS only) "
			"cannot be expressed in polc");
		n->rc = -1;
		return false;
	}
	return true;
}

static void ports(struct nono *n, const struct json_value *list,
		  const char *key, bool localhost)
{
	if (!want(n, list, JSON_ARRAY, key))
		return;
	for (size_t i = 0; i < list->n; i++) {
		uint64_t port;

		if (!port_of(n, list->items[i], key, localhost, &port))
			continue;
		if (!localhost) {
			emit(n, ALL, "network bind tcp %u;", (unsigned)port);
			continue;
		}
		/* Under an open network the port adds nothing, in both. */
		if (!n->network_blocked) {
			ptrvec_push(&n->ctx->arena, &n->comments,
				    arena_printf(&n->ctx->arena,
						 "nono %s %u: the network is "
						 "open",
						 key, (unsigned)port));
			continue;
		}
		if (!protection(n, list->items[i], key,
				"nono opens the port on localhost only; polc "
				"(Landlock) cannot restrict an address, so the "
				"port is opened to every address"))
			continue;
		emit(n, ALL, "network connect tcp %u;", (unsigned)port);
		emit(n, ALL, "network bind tcp %u;", (unsigned)port);
	}
}

/* A host name polc's `network host` accepts. */
static bool host_name(const char *s)
{
	if (!strncmp(s, "*.", 2))
		s += 2;
	if (!*s || *s == '.' || *s == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '-'))
			return false;
	return s[-1] != '.';
}

static void domains(struct nono *n, const struct json_value *list,
		    const char *key)
{
	if (!want(n, list, JSON_ARRAY, key) || !list->n)
		return;
	if (!protection(n, list, key,
			"nono lets outbound traffic through its filtering "
			"proxy only to these hosts; polc has no proxy, and "
			"its `network host` rules are recorded, not "
			"enforced"))
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct json_value *d = list->items[i];

		if (d->kind == JSON_OBJECT)
			d = json_member(d, "domain");
		if (d && d->kind == JSON_STRING && host_name(d->text))
			emit(n, ALL, "network host \"%s\";", d->text);
	}
}

static void network(struct nono *n, const struct json_value *net)
{
	const struct json_value *block = json_member(net, "block");

	if (!want(n, net, JSON_OBJECT, "network"))
		return;
	if (block && want(n, block, JSON_BOOL, "block")) {
		n->network_blocked = block->boolean;
		emit(n, ALL, "network %s;", block->boolean ? "deny" : "allow");
	}
	for (size_t i = 0; i < net->n; i++) {
		const char *k = net->keys[i];
		const struct json_value *v = net->items[i];

		if (!strcmp(k, "block"))
			continue;
		if (!strcmp(k, "open_port") || !strcmp(k, "port_allow") ||
		    !strcmp(k, "allow_port"))
			ports(n, v, k, true);
		else if (!strcmp(k, "listen_port"))
			ports(n, v, k, false);
		else if (!strcmp(k, "allow_domain") ||
			 !strcmp(k, "proxy_allow") || !strcmp(k, "allow_proxy"))
			domains(n, v, k);
		else if (!strcmp(k, "network_profile")) {
			if (v->kind != JSON_NULL)
				protection(n, v, k,
					   "nono filters outbound traffic "
					   "through its proxy with this "
					   "profile; polc has no proxy");
		} else if (!strcmp(k, "credentials") ||
			   !strcmp(k, "proxy_credentials") ||
			   !strcmp(k, "custom_credentials")) {
			if (!is_empty(v))
				grant_lost(n, v, k,
					   "polc has no proxy to inject "
					   "credentials");
		} else if (!strcmp(k, "upstream_proxy") ||
			   !strcmp(k, "external_proxy") ||
			   !strcmp(k, "upstream_bypass") ||
			   !strcmp(k, "external_proxy_bypass") ||
			   !strcmp(k, "tls_intercept")) {
			if (!is_empty(v))
				not_sandbox(n, v, k);
		} else {
			diag_at(n->ctx, DIAG_ERROR, v->loc,
				"unknown key '%s' in network", k);
			n->rc = -1;
		}
	}
}

/* ---- groups -------------------------------------------------------------- */

/*
 * nono's groups (policy.json) and polc's library groups that hold the same
 * paths; @in_default: `default` uses it; @denies: it is a deny group
 * (@required: polc's is required).
 */
static const struct group_map {
	const char *nono, *pol;
	bool in_default, denies, required;
} group_map[] = {
	{ "deny_credentials", "deny_credentials", true, true, true },
	{ "deny_keychains_macos", "deny_keychains", true, true, true },
	{ "deny_keychains_linux", "deny_keychains", true, true, true },
	{ "deny_browser_data_macos", "deny_browser_data", true, true, true },
	{ "deny_browser_data_linux", "deny_browser_data", true, true, true },
	{ "deny_macos_private", "deny_private_data", true, true, true },
	{ "deny_shell_history", "deny_shell_history", true, true, true },
	{ "deny_shell_configs", "deny_shell_config", true, true, true },
	{ "system_read_macos", "system_read_macos", true, false, false },
	{ "system_read_linux", "system_read_linux", true, false, false },
	{ "system_write_macos", "system_write", true, false, false },
	{ "system_write_linux", "system_write", true, false, false },
	{ "homebrew", "homebrew_runtime", true, false, false },
	{ "nix_runtime", "nix_runtime", true, false, false },
	{ "dangerous_commands", "exec_deny_destructive", true, true, false },
	{ "dangerous_commands_macos", "exec_deny_destructive", true, true,
	  false },
	{ "dangerous_commands_linux", "exec_deny_destructive", true, true,
	  false },
	{ "user_tools", "user_tools", false, false, false },
	{ "user_caches_macos", "user_caches", false, false, false },
	{ "user_caches_linux", "user_caches", false, false, false },
	{ "node_runtime", "node_runtime", false, false, false },
	{ "python_runtime", "python_runtime", false, false, false },
	{ "rust_runtime", "rust_runtime", false, false, false },
	{ "go_runtime", "go_runtime", false, false, false },
};

/*
 * nono's groups that only grant a few paths of one agent or editor, which
 * polc's library has no group for: their grants, written out.
 */
static const struct group_grant {
	const char *nono;
	enum plat plat;
	const char *rule;
} group_grants[] = {
	{ "claude_code_linux", LINUX, "allow rx $HOME/.local/share/claude;" },
	{ "claude_cache_linux", LINUX,
	  "allow all $HOME/.cache/claude-cli-nodejs;" },
	{ "vscode_linux", LINUX, "allow all $HOME/.vscode;" },
	{ "vscode_linux", LINUX, "allow all $HOME/.config/Code;" },
	{ "vscode_macos", MACOS, "allow all $HOME/.vscode;" },
	{ "vscode_macos", MACOS,
	  "allow all \"$HOME/Library/Application Support/Code\";" },
	{ "opencode_linux", LINUX, "allow rx $HOME/.opencode/bin;" },
};

static const struct group_map *group_named(const char *name)
{
	for (size_t i = 0; i < sizeof(group_map) / sizeof(*group_map); i++)
		if (!strcmp(name, group_map[i].nono))
			return &group_map[i];
	return NULL;
}

/* Write the grants of @name (group_grants) on @plat; false if it has none. */
static bool group_grants_of(struct nono *n, const char *name, enum plat plat,
			    bool use)
{
	bool found = false;

	for (size_t i = 0; i < sizeof(group_grants) / sizeof(*group_grants);
	     i++) {
		const struct group_grant *g = &group_grants[i];

		if (strcmp(name, g->nono))
			continue;
		found = true;
		/* A group of one platform, under a condition on the other. */
		if (use && plat != UNSAID && (plat == ALL || plat == g->plat))
			emit(n, g->plat, "%s", g->rule);
	}
	return found;
}

static void groups(struct nono *n, const struct json_value *list, bool use)
{
	const char *key = use ? "include" : "exclude";

	if (!want(n, list, JSON_ARRAY, key))
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct json_value *at;
		const char *name;
		enum plat plat;

		if (!conditional(n, list->items[i], "name", &name, &at, &plat))
			continue;
		/* Excluding a group that is not there removes nothing. */
		if (group_grants_of(n, name, plat, use))
			continue;
		if (!strcmp(name, "claude_code_macos")) {
			if (use)
				grant_lost(n, at, "group claude_code_macos",
					   "it grants reading the login "
					   "keychain, which polc's required "
					   "deny_keychains forbids");
			continue;
		}
		const struct group_map *g = group_named(name);
		if (!g) {
			const char *what =
				arena_printf(&n->ctx->arena, "group %s", name);
			protection(n, at, what,
				   "polc's library has no group of the same "
				   "paths, so whatever it grants or denies is "
				   "lost");
			continue;
		}
		/*
		 * Under a condition polc cannot say (--best-effort): a deny
		 * group is kept and a grant group dropped, everywhere.
		 */
		if (plat == UNSAID) {
			if (use != g->denies)
				continue;
			plat = ALL;
		}
		if (use && g->in_default)
			ptrvec_push(&n->ctx->arena, &n->comments,
				    arena_printf(&n->ctx->arena,
						 "nono group %s: default's %s",
						 name, g->pol));
		else if (use)
			emit(n, plat, "use %s;", g->pol);
		else if (g->required) {
			diag_at(n->ctx, DIAG_ERROR, at->loc,
				"group '%s' is required: polc's '%s' cannot be "
				"excluded",
				name, g->pol);
			n->rc = -1;
		} else if (g->in_default)
			emit(n, plat, "exclude %s;", g->pol);
	}
}

/* ---- the rest of a profile ----------------------------------------------- */

/*
 * The values of the security modes, and what each is in .pol: a statement,
 * "" for what polc run holds anyway, or NULL for a grant polc leaves out
 * (@why says why).
 */
static const struct mode_value {
	const char *key, *value, *pol, *why;
} mode_values[] = {
	/* Landlock's signal scope: the sandbox's own processes. */
	{ "signal_mode", "isolated", "ipc deny signal;", NULL },
	{ "signal_mode", "allow_same_sandbox", "ipc deny signal;", NULL },
	{ "signal_mode", "allow_all", "ipc allow signal;", NULL },
	{ "process_info_mode", "isolated", "", NULL },
	{ "process_info_mode", "allow_same_sandbox", "", NULL },
	{ "process_info_mode", "allow_all", NULL,
	  "under polc run, Landlock keeps the sandbox from inspecting "
	  "processes outside it" },
	{ "ipc_mode", "shared_memory_only", "seatbelt deny ipc-posix-sem;",
	  NULL },
	{ "ipc_mode", "full", "seatbelt allow ipc-posix-sem;", NULL },
	{ "wsl2_proxy_policy", "error", "", NULL },
	{ "wsl2_proxy_policy", "insecure_proxy", NULL,
	  "polc has no proxy to fall back from" },
};

static void security_mode(struct nono *n, const char *k,
			  const struct json_value *v)
{
	for (size_t i = 0; i < sizeof(mode_values) / sizeof(*mode_values);
	     i++) {
		const struct mode_value *m = &mode_values[i];

		if (strcmp(k, m->key) || v->kind != JSON_STRING ||
		    strcmp(v->text, m->value))
			continue;
		if (!m->pol)
			grant_lost(n, v, k, m->why);
		else if (*m->pol)
			emit(n, ALL, "%s", m->pol);
		return;
	}
	diag_at(n->ctx, DIAG_ERROR, v->loc, "unknown %s value", k);
	n->rc = -1;
}

static void security(struct nono *n, const struct json_value *sec)
{
	if (!want(n, sec, JSON_OBJECT, "security"))
		return;
	for (size_t i = 0; i < sec->n; i++) {
		const char *k = sec->keys[i];
		const struct json_value *v = sec->items[i];

		if (v->kind == JSON_NULL)
			continue;
		if (!strcmp(k, "groups"))
			groups(n, v, true);
		else if (!strcmp(k, "capability_elevation")) {
			if (want(n, v, JSON_BOOL, k) && v->boolean)
				grant_lost(n, v, k,
					   "polc's supervisor does not grant "
					   "access at run time; what the "
					   "profile does not grant is refused");
		} else if (!strcmp(k, "signal_mode") ||
			   !strcmp(k, "process_info_mode") ||
			   !strcmp(k, "ipc_mode") ||
			   !strcmp(k, "wsl2_proxy_policy"))
			security_mode(n, k, v);
		else {
			diag_at(n->ctx, DIAG_ERROR, v->loc,
				"unknown key '%s' in security", k);
			n->rc = -1;
		}
	}
}

static void workdir(struct nono *n, const struct json_value *w)
{
	static const char *const modes[][2] = {
		{ "none", "none" },
		{ "read", "rx" },
		{ "write", "wd" },
		{ "readwrite", "all" },
	};
	const struct json_value *a = json_member(w, "access");

	if (!want(n, w, JSON_OBJECT, "workdir"))
		return;
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->keys[i], "access")) {
			diag_at(n->ctx, DIAG_ERROR, w->items[i]->loc,
				"unknown key '%s' in workdir", w->keys[i]);
			n->rc = -1;
		}
	if (!a || !want(n, a, JSON_STRING, "access"))
		return;
	for (size_t i = 0; i < sizeof(modes) / sizeof(*modes); i++)
		if (!strcmp(a->text, modes[i][0])) {
			emit(n, ALL, "workdir %s;", modes[i][1]);
			return;
		}
	diag_at(n->ctx, DIAG_ERROR, a->loc,
		"unknown workdir access (nono's are none, read, write and "
		"readwrite)");
	n->rc = -1;
}

/* A nono variable pattern ("NAME", "PREFIX*", "*") polc can match. */
static bool env_pattern(const char *s)
{
	size_t len = strlen(s);
	char *name = len ? strndup(s, len - (s[len - 1] == '*')) : NULL;
	bool ok = name && (!*name || import_is_name(name, false));

	free(name);
	return ok && !strchr(s, '?') && !memchr(s, '*', len ? len - 1 : 0);
}

static void env_list(struct nono *n, const struct json_value *list,
		     const char *key, const char *action)
{
	if (!want(n, list, JSON_ARRAY, key) || !list->n)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct json_value *v = list->items[i];

		if (!want(n, v, JSON_STRING, key))
			continue;
		if (!env_pattern(v->text)) {
			diag_at(n->ctx, DIAG_ERROR, v->loc,
				"'%s' is not a variable name or pattern polc "
				"can match",
				v->text);
			n->rc = -1;
		} else if (action)
			emit(n, ALL, "env %s %s;", action, v->text);
	}
}

static void environment(struct nono *n, const struct json_value *env)
{
	if (env->kind == JSON_NULL || !want(n, env, JSON_OBJECT, "environment"))
		return;
	for (size_t i = 0; i < env->n; i++) {
		const char *k = env->keys[i];
		const struct json_value *v = env->items[i];

		if (!strcmp(k, "deny_vars"))
			env_list(n, v, k, "drop");
		else if (!strcmp(k, "allow_vars")) {
			bool all = false;

			for (size_t j = 0; v->kind == JSON_ARRAY && j < v->n;
			     j++)
				all |= v->items[j]->kind == JSON_STRING &&
				       !strcmp(v->items[j]->text, "*");
			/* `default` passes every variable already. */
			env_list(n, v, k, NULL);
			if (v->kind == JSON_ARRAY && v->n && !all)
				protection(n, v, k,
					   "the profile extends one that "
					   "passes every variable, and polc "
					   "cannot narrow an inherited `env "
					   "pass`; only the drops hold");
		} else if (!strcmp(k, "set_vars")) {
			if (!want(n, v, JSON_OBJECT, k))
				continue;
			for (size_t j = 0; j < v->n; j++) {
				const struct json_value *val = v->items[j];

				if (!want(n, val, JSON_STRING, "a value"))
					continue;
				if (!import_is_name(v->keys[j], false)) {
					diag_at(n->ctx, DIAG_ERROR, val->loc,
						"'%s' is not a variable name "
						"polc can set",
						v->keys[j]);
					n->rc = -1;
				} else if (strchr(val->text, '$')) {
					diag_at(n->ctx, DIAG_ERROR, val->loc,
						"the value of '%s' uses a "
						"variable: nono expands it, "
						"polc sets values literally",
						v->keys[j]);
					n->rc = -1;
				} else {
					char *s = NULL;
					size_t len = 0;
					FILE *o = open_memstream(&s, &len);

					if (!o) {
						n->rc = -1;
						continue;
					}
					import_write_string(o, val->text);
					if (fclose(o) == 0)
						emit(n, ALL, "env set %s = %s;",
						     v->keys[j], s);
					free(s);
				}
			}
		} else {
			diag_at(n->ctx, DIAG_ERROR, v->loc,
				"unknown key '%s' in environment", k);
			n->rc = -1;
		}
	}
}

static void meta(struct nono *n, const struct json_value *m)
{
	if (!want(n, m, JSON_OBJECT, "meta"))
		return;
	for (size_t i = 0; i < m->n; i++) {
		const char *k = m->keys[i];
		const struct json_value *v = m->items[i];

		if (v->kind == JSON_NULL)
			continue;
		if (strcmp(k, "name") && strcmp(k, "version") &&
		    strcmp(k, "description") && strcmp(k, "author")) {
			diag_at(n->ctx, DIAG_ERROR, v->loc,
				"unknown key '%s' in meta", k);
			n->rc = -1;
		} else if (want(n, v, JSON_STRING, k) &&
			   strcmp(k, "description"))
			ptrvec_push(
				&n->ctx->arena, &n->comments,
				arena_printf(&n->ctx->arena, "nono %s: %s", k,
					     import_comment(n->ctx, v->text)));
	}
}

/* The parent: `extends` names polc's profile of that name. */
static const char *parent_of(struct nono *n, const struct json_value *v)
{
	const struct json_value *first = v;

	if (v->kind == JSON_ARRAY && v->n) {
		first = v->items[0];
		if (v->n > 1 &&
		    !protection(n, v->items[1], "extends",
				"a polc profile extends one parent, so what "
				"the others grant or deny is lost (the first "
				"is kept)"))
			return NULL;
	}
	if (!want(n, first, JSON_STRING, "extends"))
		return NULL;
	if (!import_is_name(first->text, true)) {
		diag_at(n->ctx, DIAG_ERROR, first->loc,
			"'%s' is not a polc profile name", first->text);
		n->rc = -1;
		return NULL;
	}
	return first->text;
}

/* Keys of a profile that carry no sandbox rule, or only grant. */
static const char *const outside_sandbox[] = {
	"hooks", "session_hooks", "rollback",
	"undo",	 "diagnostics",	  "interactive",
	"packs", "command_args",  "trust_groups",
};

static const char *const grants_only[][2] = {
	{ "env_credentials", "polc does not read nono's keystore; the "
			     "variables are not set" },
	{ "secrets", "polc does not read nono's keystore; the variables "
		     "are not set" },
	{ "credential_capture", "polc's supervisor does not run it" },
	{ "open_urls", "polc's supervisor does not open URLs" },
	{ "allow_launch_services", "polc's supervisor does not open URLs" },
	{ "allow_gpu", "polc grants no GPU devices of its own; grant their "
		       "paths" },
};

static void other_key(struct nono *n, const char *k, const struct json_value *v)
{
	for (size_t i = 0; i < sizeof(outside_sandbox) / sizeof(char *); i++)
		if (!strcmp(k, outside_sandbox[i])) {
			if (!is_empty(v))
				not_sandbox(n, v, k);
			return;
		}
	for (size_t i = 0; i < sizeof(grants_only) / sizeof(*grants_only); i++)
		if (!strcmp(k, grants_only[i][0])) {
			if (!is_empty(v))
				grant_lost(n, v, k, grants_only[i][1]);
			return;
		}
	if (!strcmp(k, "linux")) {
		const struct json_value *m =
			json_member(v, "af_unix_mediation");

		if (want(n, v, JSON_OBJECT, k) && m && m->kind == JSON_STRING &&
		    !strcmp(m->text, "pathname"))
			protection(n, m, "af_unix_mediation",
				   "polc run refuses connect(2) to unix "
				   "sockets the sandbox may not write, but "
				   "does not limit it to listed sockets");
	} else if (!strcmp(k, "commands")) {
		const struct json_value *d = json_member(v, "deny");
		const struct json_value *a = json_member(v, "allow");

		if (d && !is_empty(d))
			protection(n, d, "commands.deny",
				   "nono refuses to start these commands by "
				   "name; polc decides on the executable's "
				   "path (`deny exec file PATH`)");
		if (a && !is_empty(a))
			grant_lost(
				n, a, "commands.allow",
				"it lifts nono's dangerous commands by name; "
				"polc's are paths (`override allow exec "
				"file PATH`)");
	} else if (!strcmp(k, "command_policies")) {
		if (!is_empty(v))
			protection(n, v, k,
				   "polc has no broker for nono's per-command "
				   "sandboxes");
	} else if (!strcmp(k, "unsafe_macos_seatbelt_rules")) {
		if (!is_empty(v))
			protection(n, v, k,
				   "raw Seatbelt rules are not translated");
	} else {
		diag_at(n->ctx, DIAG_ERROR, v->loc,
			"unknown key '%s' in a nono profile", k);
		n->rc = -1;
	}
}

/* ---- output -------------------------------------------------------------- */

static int write_profile(struct nono *n, const struct source *src,
			 const char *format, const char *parent,
			 const char *description, FILE *out)
{
	if (n->rc || n->ctx->nerrors || arena_failed(&n->ctx->arena))
		return -1;
	fprintf(out, "# Imported by polc import from %s (%s).\n",
		import_comment(n->ctx, src->name), format);
	for (size_t i = 0; i < n->comments.len; i++)
		fprintf(out, "# %s\n", (const char *)n->comments.items[i]);
	fprintf(out, "\nprofile %s extends %s {\n",
		import_profile_name(n->ctx, src, n->opts),
		parent ? parent : "default");
	if (description) {
		fputs("    description ", out);
		import_write_string(out, description);
		fputs(";\n", out);
	}
	for (size_t i = 0; i < n->lines[ALL].len; i++)
		fprintf(out, "    %s\n", (const char *)n->lines[ALL].items[i]);
	for (int p = LINUX; p < NPLAT; p++) {
		if (!n->lines[p].len)
			continue;
		fprintf(out, "    platform %s {\n", plat_names[p]);
		for (size_t i = 0; i < n->lines[p].len; i++)
			fprintf(out, "        %s\n",
				(const char *)n->lines[p].items[i]);
		fputs("    }\n", out);
	}
	fputs("}\n", out);
	return 0;
}

/* ---- nono profile -------------------------------------------------------- */

static const char *const profile_keys[] = {
	"meta",	   "extends", "filesystem", "network",
	"workdir", "groups",  "security",   "environment",
};

bool import_nono_profile_detect(const struct source *src,
				const struct json_value *doc)
{
	(void)src;
	if (!doc || doc->kind != JSON_OBJECT)
		return false;
	for (size_t i = 0; i < sizeof(profile_keys) / sizeof(char *); i++)
		if (json_member(doc, profile_keys[i]))
			return true;
	return false;
}

int import_nono_profile(struct polc_ctx *ctx, uint32_t file,
			const struct json_value *doc,
			const struct polc_import_options *opts, FILE *out)
{
	struct nono n = { .ctx = ctx, .opts = opts };
	const char *parent = NULL, *description = NULL;
	const struct json_value *v;

	if (!want(&n, doc, JSON_OBJECT, "a nono profile"))
		return -1;
	if (json_member(doc, "profiles")) {
		diag_at(ctx, DIAG_ERROR, json_member(doc, "profiles")->loc,
			"this is nono's policy file (its groups and built-in "
			"profiles), not a profile; polc's library has its own "
			"(polc profiles)");
		return -1;
	}
	if ((v = json_member(doc, "meta"))) {
		const struct json_value *d = json_member(v, "description");

		meta(&n, v);
		if (d && d->kind == JSON_STRING)
			description = d->text;
	}
	if ((v = json_member(doc, "extends")))
		parent = parent_of(&n, v);
	n.parent = parent ? parent : "default";
	/* The parent must exist where the profile will be resolved. */
	if (parent && !(n.parent_policy = lib_resolve(ctx, parent, false)))
		n.rc = -1;
	/* nono's base groups: default's, and user_tools. */
	if (!parent)
		emit(&n, ALL, "use user_tools;");
	if ((v = json_member(doc, "groups")) &&
	    want(&n, v, JSON_OBJECT, "groups"))
		for (size_t i = 0; i < v->n; i++) {
			if (!strcmp(v->keys[i], "include") ||
			    !strcmp(v->keys[i], "exclude"))
				groups(&n, v->items[i],
				       !strcmp(v->keys[i], "include"));
			else {
				diag_at(ctx, DIAG_ERROR, v->items[i]->loc,
					"unknown key '%s' in groups",
					v->keys[i]);
				n.rc = -1;
			}
		}
	if ((v = json_member(doc, "security")))
		security(&n, v);
	if ((v = json_member(doc, "workdir")))
		workdir(&n, v);
	if ((v = json_member(doc, "network")))
		network(&n, v);
	if ((v = json_member(doc, "filesystem")))
		filesystem(&n, v, false);
	if ((v = json_member(doc, "environment")))
		environment(&n, v);
	for (size_t i = 0; i < doc->n; i++) {
		const char *k = doc->keys[i];
		bool known = !strcmp(k, "$schema");

		for (size_t j = 0; j < sizeof(profile_keys) / sizeof(char *);
		     j++)
			known |= !strcmp(k, profile_keys[j]);
		if (!known)
			other_key(&n, k, doc->items[i]);
	}
	return write_profile(&n, source_get(ctx, file), "nono profile", parent,
			     description, out);
}

/* ---- nono learn --json --------------------------------------------------- */

bool import_nono_learn_detect(const struct source *src,
			      const struct json_value *doc)
{
	const struct json_value *net = json_member(doc, "network");

	(void)src;
	if (!net ||
	    (!json_member(net, "outbound") && !json_member(net, "listening")))
		return false;
	for (size_t i = 0; i < doc->n; i++)
		if (strcmp(doc->keys[i], "filesystem") &&
		    strcmp(doc->keys[i], "network"))
			return false;
	return true;
}

/* The observed endpoints of @list as connect (or bind) rules. */
static void endpoints(struct nono *n, const struct json_value *list,
		      const char *key, const char *verb)
{
	if (!want(n, list, JSON_ARRAY, key))
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct json_value *e = list->items[i];
		const struct json_value *port, *addr, *host;
		uint64_t p;

		if (!want(n, e, JSON_OBJECT, "an endpoint"))
			continue;
		for (size_t k = 0; k < e->n; k++)
			if (strcmp(e->keys[k], "addr") &&
			    strcmp(e->keys[k], "port") &&
			    strcmp(e->keys[k], "count") &&
			    strcmp(e->keys[k], "hostname")) {
				diag_at(n->ctx, DIAG_ERROR, e->items[k]->loc,
					"unknown key '%s' in an endpoint",
					e->keys[k]);
				n->rc = -1;
			}
		port = json_member(e, "port");
		addr = json_member(e, "addr");
		host = json_member(e, "hostname");
		if (!port) {
			diag_at(n->ctx, DIAG_ERROR, e->loc,
				"the endpoint has no port");
			n->rc = -1;
			continue;
		}
		if (!port_of(n, port, key, false, &p))
			continue;
		if (addr && want(n, addr, JSON_STRING, "addr"))
			ptrvec_push(&n->ctx->arena, &n->comments,
				    arena_printf(
					    &n->ctx->arena,
					    "nono learn %s: %s port %u%s%s%s",
					    key,
					    import_comment(n->ctx, addr->text),
					    (unsigned)p, host ? " (" : "",
					    host && host->kind == JSON_STRING
						    ? import_comment(n->ctx,
								     host->text)
						    : "",
					    host ? ")" : ""));
		/* One rule a port: Landlock cannot tell addresses apart. */
		emit(n, ALL, "network %s tcp %u;", verb, (unsigned)p);
	}
}

int import_nono_learn(struct polc_ctx *ctx, uint32_t file,
		      const struct json_value *doc,
		      const struct polc_import_options *opts, FILE *out)
{
	struct nono n = { .ctx = ctx, .opts = opts, .parent = "default" };
	const struct json_value *fs, *net;

	if (!want(&n, doc, JSON_OBJECT, "a nono learn fragment"))
		return -1;
	for (size_t i = 0; i < doc->n; i++)
		if (strcmp(doc->keys[i], "filesystem") &&
		    strcmp(doc->keys[i], "network")) {
			diag_at(ctx, DIAG_ERROR, doc->items[i]->loc,
				"unknown key '%s' in a learn fragment",
				doc->keys[i]);
			n.rc = -1;
		}
	if ((fs = json_member(doc, "filesystem")))
		filesystem(&n, fs, true);
	if ((net = json_member(doc, "network")) &&
	    want(&n, net, JSON_OBJECT, "network"))
		for (size_t i = 0; i < net->n; i++) {
			const char *k = net->keys[i];

			if (!strcmp(k, "outbound") || !strcmp(k, "listening"))
				endpoints(&n, net->items[i], k,
					  !strcmp(k, "outbound") ? "connect"
								 : "bind");
			else {
				diag_at(ctx, DIAG_ERROR, net->items[i]->loc,
					"unknown key '%s' in a learn "
					"fragment's network",
					k);
				n.rc = -1;
			}
		}
	return write_profile(&n, source_get(ctx, file), "nono learn --json",
			     NULL, NULL, out);
}
