/*
 * vars.c - variable expansion and path normalisation (see vars.h).
 */
#include "ir/vars.h"

#include <string.h>

#include "common/ctx.h"
#include "common/diag.h"
#include "common/misspell.h"
#include "frontend/load.h"
#include "frontend/names.h"

enum { VARS_MAX_DEPTH = 16 };

/* The built-ins, in enum ir_builtin order. */
static const char *const builtin_names[IR_VAR_COUNT] = {
	"HOME",
	"TMPDIR",
	"UID",
	"USER",
	"WORKDIR",
	"XDG_CONFIG_HOME",
	"XDG_CACHE_HOME",
	"XDG_DATA_HOME",
	"XDG_STATE_HOME",
	"XDG_RUNTIME_DIR",
};

int ir_builtin_index(const char *name)
{
	for (int i = 0; i < IR_VAR_COUNT; i++)
		if (strcmp(builtin_names[i], name) == 0)
			return i;
	return -1;
}

const char *ir_builtin_name(enum ir_builtin var)
{
	return builtin_names[var];
}

/**
 * struct definition - what a name refers to
 * @name: the let's name word (NULL for a built-in)
 * @value: the let's value (NULL for a built-in)
 * @scope: where the value is expanded
 * @builtin: the built-in's value
 */
struct definition {
	const struct ast_word *name;
	const struct ast_word *value;
	struct var_scope scope;
	const char *builtin;
	int builtin_index;
};

/* One expansion in progress, for cycle detection. */
struct frame {
	const struct ast_word *name;
};

struct expansion {
	struct var_env *env;
	unsigned platform;
	bool report;
	bool by_platform; /* a let it read has a value per platform */
	struct frame stack[VARS_MAX_DEPTH + 1];
	size_t depth;
	bool failed;
};

void vars_env_init(struct var_env *env, struct polc_ctx *ctx,
		   const struct load_unit *unit, const struct ir_options *opts)
{
	env->ctx = ctx;
	env->opts = opts;
	env->globals = (struct ptrvec){ 0 };
	for (size_t i = 0; i < unit->files.len; i++) {
		const struct ast_file *f = unit->files.items[i];

		for (size_t j = 0; j < f->items.len; j++) {
			struct ast_item *it = f->items.items[j];

			if (it->kind == AST_ITEM_LET)
				ptrvec_push(&ctx->arena, &env->globals, it);
		}
	}
}

static unsigned block_platforms(const struct ast_stmt *block)
{
	unsigned mask = 0;

	for (size_t i = 0; i < block->u.platform.names.len; i++) {
		const struct ast_word *w = block->u.platform.names.items[i];

		mask |= strcmp(w->text, "linux") == 0	? IR_LINUX
			: strcmp(w->text, "macos") == 0 ? IR_MACOS
							: 0;
	}
	return mask;
}

static void index_lets(struct polc_ctx *ctx, struct var_scope *scope,
		       const struct ptrvec *body, unsigned platforms)
{
	for (size_t i = 0; body && i < body->len; i++) {
		const struct ast_stmt *s = body->items[i];

		if (s->kind == AST_PLATFORM) {
			index_lets(ctx, scope, &s->u.platform.body,
				   platforms & block_platforms(s));
		} else if (s->kind == AST_LET) {
			struct scope_let *l =
				arena_alloc(&ctx->arena, sizeof(*l));
			l->let = s;
			l->platforms = platforms;
			ptrvec_push(&ctx->arena, &scope->lets, l);
		}
	}
}

void vars_scope_init(struct polc_ctx *ctx, struct var_scope *scope,
		     const struct ptrvec *body)
{
	scope->lets = (struct ptrvec){ 0 };
	index_lets(ctx, scope, body, IR_ALL_PLATFORMS);
}

/*
 * The let named @name visible on @platform in @scope, or NULL; sets
 * *@by_platform when a let of that name lies in a platform block (the
 * other platform may see another value).
 */
static const struct ast_stmt *scope_let(const struct var_scope *scope,
					const char *name, unsigned platform,
					bool *by_platform)
{
	const struct ast_stmt *found = NULL;

	for (size_t i = 0; i < scope->lets.len; i++) {
		const struct scope_let *l = scope->lets.items[i];

		if (strcmp(l->let->u.let.name->text, name) != 0)
			continue;
		if (l->platforms != IR_ALL_PLATFORMS)
			*by_platform = true;
		if (!found && (l->platforms & platform))
			found = l->let;
	}
	return found;
}

static bool lookup(struct expansion *x, const struct var_scope *scope,
		   const char *name, struct definition *def)
{
	const struct ast_stmt *s =
		scope_let(scope, name, x->platform, &x->by_platform);

	*def = (struct definition){ .builtin_index = -1 };
	if (s) {
		def->name = s->u.let.name;
		def->value = s->u.let.value;
		def->scope = *scope;
		return true;
	}
	for (size_t i = 0; i < x->env->globals.len; i++) {
		const struct ast_item *it = x->env->globals.items[i];

		if (strcmp(it->name->text, name) == 0) {
			def->name = it->name;
			def->value = it->value;
			def->scope = (struct var_scope){ { 0 } };
			return true;
		}
	}
	for (int i = 0; i < IR_VAR_COUNT; i++) {
		if (strcmp(builtin_names[i], name) == 0) {
			def->builtin = x->env->opts->builtins[i];
			def->builtin_index = i;
			return true;
		}
	}
	return false;
}

static void suggest_lets(struct misspell *m, const struct var_scope *scope)
{
	for (size_t i = 0; i < scope->lets.len; i++) {
		const struct scope_let *l = scope->lets.items[i];

		misspell_offer(m, l->let->u.let.name->text);
	}
}

static void report_undefined(struct expansion *x, const struct var_scope *scope,
			     const struct ast_word *w, const char *name)
{
	struct misspell m;

	x->failed = true;
	if (!x->report)
		return;
	misspell_init(&m, name);
	suggest_lets(&m, scope);
	for (size_t i = 0; i < x->env->globals.len; i++)
		misspell_offer(
			&m, ((const struct ast_item *)x->env->globals.items[i])
				    ->name->text);
	for (int i = 0; i < IR_VAR_COUNT; i++)
		misspell_offer(&m, builtin_names[i]);
	struct expansion other = *x;
	struct definition def;

	other.platform = x->platform ^ IR_ALL_PLATFORMS;
	if (lookup(&other, scope, name, &def))
		diag_at(x->env->ctx, DIAG_ERROR, w->loc,
			"variable '$%s' is undefined on %s (it is defined "
			"only for %s)",
			name, x->platform == IR_LINUX ? "linux" : "macos",
			x->platform == IR_LINUX ? "macos" : "linux");
	else if (misspell_result(&m))
		diag_at(x->env->ctx, DIAG_ERROR, w->loc,
			"undefined variable '$%s'; did you mean '$%s'?", name,
			misspell_result(&m));
	else
		diag_at(x->env->ctx, DIAG_ERROR, w->loc,
			"undefined variable '$%s'", name);
}

static void report_cycle(struct expansion *x, const struct ast_word *w,
			 size_t from)
{
	x->failed = true;
	if (!x->report)
		return;
	struct diag *d = diag_at(x->env->ctx, DIAG_ERROR, w->loc,
				 "variable '$%s' is defined in terms of itself",
				 x->stack[from].name->text);
	for (size_t i = from; i < x->depth; i++)
		diag_note(x->env->ctx, d, x->stack[i].name->loc,
			  "'$%s' is defined here", x->stack[i].name->text);
}

static void append(struct polc_ctx *ctx, char **buf, size_t *len, size_t *cap,
		   const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t ncap = (*len + n + 1) * 2;
		char *grown = arena_alloc(&ctx->arena, ncap);

		if (!grown)
			return;
		memcpy(grown, *buf, *len);
		*buf = grown;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static const char *expand(struct expansion *x, const struct var_scope *scope,
			  const struct ast_word *w);

/* The expanded value of $name, written at @w; NULL after an error. */
static const char *value_of(struct expansion *x, const struct var_scope *scope,
			    const struct ast_word *w, const char *name)
{
	struct definition def;

	if (!lookup(x, scope, name, &def)) {
		report_undefined(x, scope, w, name);
		return NULL;
	}
	if (def.builtin_index >= 0) {
		if (def.builtin)
			return def.builtin;
		static const char *const options[IR_VAR_COUNT] = {
			[IR_VAR_HOME] = "--home DIR",
			[IR_VAR_TMPDIR] = "--tmpdir DIR",
			[IR_VAR_UID] = "--uid N",
			[IR_VAR_USER] = "--user NAME",
			[IR_VAR_WORKDIR] = "--workdir DIR",
		};
		const char *how = options[def.builtin_index];

		x->failed = true;
		if (x->report && how)
			diag_at(x->env->ctx, DIAG_ERROR, w->loc,
				"'$%s' has no value here (give it one with "
				"%s)",
				name, how);
		else if (x->report)
			diag_at(x->env->ctx, DIAG_ERROR, w->loc,
				"'$%s' has no value here (set %s in the "
				"environment, or give --home DIR)",
				name, name);
		return NULL;
	}
	for (size_t i = 0; i < x->depth; i++) {
		if (x->stack[i].name == def.name) {
			report_cycle(x, w, i);
			return NULL;
		}
	}
	if (x->depth == VARS_MAX_DEPTH) {
		x->failed = true;
		if (x->report)
			diag_at(x->env->ctx, DIAG_ERROR, w->loc,
				"variables nest more than %d deep",
				VARS_MAX_DEPTH);
		return NULL;
	}
	x->stack[x->depth++].name = def.name;
	const char *v = expand(x, &def.scope, def.value);
	x->depth--;
	return v;
}

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

static const char *expand(struct expansion *x, const struct var_scope *scope,
			  const struct ast_word *w)
{
	struct polc_ctx *ctx = x->env->ctx;
	const char *s = w->text;
	/* Built here and copied to the arena at its length: every rule path
	 * is expanded, and a slack per path adds up. */
	char local[256];
	size_t len = 0, cap = sizeof(local);
	char *buf = local;

	/* Nothing to expand (/usr/bin/su): the text itself. */
	bool tilde = s[0] == '~' && (s[1] == '\0' || s[1] == '/');
	if (!tilde && !strchr(s, '$'))
		return s;
	/* A home and the rest ("~/.ssh", "$HOME/.aws"), as most paths are:
	 * no let can take a built-in's name (the checker refuses it), so
	 * $HOME is the built-in's value, joined at once. */
	const char *home = x->env->opts->builtins[IR_VAR_HOME];
	const char *rest = tilde ? s + 1
			   : !strncmp(s, "$HOME", 5) && !name_char(s[5], false)
				   ? s + 5
				   : NULL;
	if (home && rest && !strchr(rest, '$')) {
		size_t lh = strlen(home), lr = strlen(rest);
		char *out = arena_alloc(&ctx->arena, lh + lr + 1);

		if (!out)
			return NULL;
		memcpy(out, home, lh);
		memcpy(out + lh, rest, lr + 1);
		return out;
	}
	buf[0] = '\0';
	if (tilde) {
		const char *value = value_of(x, scope, w, "HOME");

		if (!value)
			return NULL;
		append(ctx, &buf, &len, &cap, value, strlen(value));
		s++;
	}
	while (*s) {
		const char *dollar = strchr(s, '$');
		size_t n;

		if (!dollar) {
			append(ctx, &buf, &len, &cap, s, strlen(s));
			break;
		}
		append(ctx, &buf, &len, &cap, s, (size_t)(dollar - s));
		s = dollar + 1;
		if (*s == '$') {
			append(ctx, &buf, &len, &cap, "$", 1);
			s++;
			continue;
		}
		bool brace = *s == '{';
		s += brace;
		for (n = 0; name_char(s[n], n == 0); n++)
			;
		/* The checker guarantees a well-formed reference. */
		char *name = arena_strndup(&ctx->arena, s, n);
		s += n + (brace && s[n] == '}');
		const char *v = value_of(x, scope, w, name);
		if (!v)
			return NULL;
		append(ctx, &buf, &len, &cap, v, strlen(v));
	}
	return buf == local ? arena_strndup(&ctx->arena, buf, len) : buf;
}

const char *vars_expand(struct var_env *env, const struct var_scope *scope,
			const struct ast_word *w, unsigned platform,
			bool report, bool *by_platform)
{
	struct expansion x = { .env = env,
			       .platform = platform,
			       .report = report };
	const char *v = expand(&x, scope, w);

	if (by_platform)
		*by_platform = x.by_platform;
	return x.failed ? NULL : v;
}

bool vars_let_at(struct var_env *env, const struct var_scope *scope,
		 const char *name, unsigned platform, struct polc_loc *loc)
{
	struct expansion x = { .env = env, .platform = platform };
	struct definition def;

	if (!lookup(&x, scope, name, &def) || !def.name)
		return false;
	*loc = def.name->loc;
	return true;
}

/* Whether @path is normal already: absolute, and no empty, "." or ".."
 * name, nor a final "/" (but "/" itself).  Every rule path is asked, so
 * the scan jumps from '/' to '/'. */
static bool is_normal(const char *path)
{
	if (path[0] != '/')
		return false;
	if (!path[1])
		return true;
	for (const char *slash = path; slash; slash = strchr(slash + 1, '/')) {
		const char *name = slash + 1;

		if (!name[0] || name[0] == '/' ||
		    (name[0] == '.' &&
		     (!name[1] || name[1] == '/' ||
		      (name[1] == '.' && (!name[2] || name[2] == '/')))))
			return false;
	}
	return true;
}

const char *vars_normalise(struct polc_ctx *ctx, const char *path)
{
	if (is_normal(path))
		return path;
	size_t n = strlen(path);
	char *out = arena_alloc(&ctx->arena, n + 2);
	size_t len = 0;

	if (!out)
		return path;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		const char *end = strchrnul(p, '/');
		size_t seg = (size_t)(end - p);

		if (seg == 0 || (seg == 1 && p[0] == '.')) {
			/* nothing */
		} else if (seg == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else {
			out[len++] = '/';
			memcpy(out + len, p, seg);
			len += seg;
		}
		p = end;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}
