/*
 * emit.c - a learned profile as .pol text, as JSON, and as a summary.
 *
 * The .pol text is canonical (spec/language.md §6: four spaces, access in
 * its canonical spelling, paths bare when they read back as one PATH
 * token), so 'polc fmt --check' accepts it as written.  Paths get their
 * variables back ($WORKDIR, $HOME, $TMPDIR: the longest prefix wins), so a
 * profile learned in one checkout works in another.
 */
#include "learn/learn.h"

#include <string.h>

#include "common/ctx.h"
#include "common/json.h"
#include "ir/ir.h"

static const char *const kind_words[TRACE_NKINDS] = {
	"read", "write", "exec", "create", "delete",
};

const char *learn_spell_path(struct polc_ctx *ctx, const struct learn_header *h,
			     const char *path)
{
	size_t best = 0, best_len = 0;
	bool found = false;

	for (size_t i = 0; i < h->nvars; i++) {
		const char *v = h->values[i];
		size_t n = v ? strlen(v) : 0;

		if (n < 2 || v[0] != '/' || strncmp(path, v, n) != 0 ||
		    (path[n] != '/' && path[n] != '\0'))
			continue;
		if (!found || n > best_len) {
			best = i;
			best_len = n;
			found = true;
		}
	}
	if (!found)
		return path;
	return arena_printf(&ctx->arena, "$%s%s", h->vars[best],
			    path + best_len);
}

/* Whether @c may stand in a bare path (spec/language.md §2.8, PCHAR). */
static bool path_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80 || strchr("_.+@%:~-/", c);
}

/*
 * Print @spelled (a leading "$VAR" from learn_spell_path, the rest
 * literal): bare when @bare and it reads back as one token, else as a
 * string; a literal '$' is written '$$'.
 */
static void print_path(FILE *out, const char *spelled, bool bare)
{
	size_t var = 0;

	if (spelled[0] == '$')
		var = strcspn(spelled, "/");
	for (const char *p = spelled + var; *p; p++)
		if (!path_char((unsigned char)*p) && *p != '$')
			bare = false;
	/* "~" leading the literal part would mean $HOME. */
	if (!var && spelled[0] == '~')
		bare = false;
	if (bare) {
		fwrite(spelled, 1, var, out);
		for (const char *p = spelled + var; *p; p++) {
			if (*p == '$')
				fputc('$', out);
			fputc(*p, out);
		}
		return;
	}
	fputc('"', out);
	fwrite(spelled, 1, var, out);
	for (const unsigned char *p = (const void *)(spelled + var); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '$')
			fputs("$$", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p == '\r')
			fputs("\\r", out);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02X", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

/* The canonical spelling of @modes: a word for one, letters, or all. */
static const char *access_spelling(unsigned modes, char buf[8])
{
	static const struct {
		unsigned bit;
		char letter;
		const char *word;
	} m[] = { { IR_READ, 'r', "read" },
		  { IR_WRITE, 'w', "write" },
		  { IR_EXEC, 'x', "exec" },
		  { IR_DELETE, 'd', "delete" } };
	size_t n = 0;

	if (modes == IR_ALL_ACCESS)
		return "all";
	for (size_t i = 0; i < 4; i++)
		if (modes & m[i].bit)
			buf[n++] = m[i].letter;
	buf[n] = '\0';
	if (n == 1)
		for (size_t i = 0; i < 4; i++)
			if (modes == m[i].bit)
				return m[i].word;
	return buf;
}

/* "read 3, create 1" */
static void print_counts(FILE *out, const unsigned count[TRACE_NKINDS])
{
	bool first = true;

	for (int k = 0; k < TRACE_NKINDS; k++) {
		if (!count[k])
			continue;
		fprintf(out, "%s%s %u", first ? "" : ", ", kind_words[k],
			count[k]);
		first = false;
	}
}

/* Comment text must stay on its line. */
static void print_comment_text(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 ? '?' : *s, out);
}

/* "syscall allow a b …;" wrapped greedily at 80 columns (§6). */
static void print_syscalls(const struct learn_result *r, FILE *out)
{
	size_t col = 0;

	if (r->sys_default_errno)
		fputs("    # Syscalls the command never made fail with "
		      "EPERM.\n"
		      "    syscall default errno EPERM;\n",
		      out);
	if (!r->nsyscalls)
		return;
	fprintf(out, "    # %zu syscall%s recorded by --syscalls\n",
		r->nsyscalls, r->nsyscalls == 1 ? "" : "s");
	col = (size_t)fprintf(out, "    syscall allow");
	for (size_t i = 0; i < r->nsyscalls; i++) {
		size_t len =
			strlen(r->syscalls[i]) + 1 + (i + 1 == r->nsyscalls);

		if (col + len > 80) {
			fputs("\n       ", out);
			col = 7;
		}
		fprintf(out, " %s", r->syscalls[i]);
		col += len;
	}
	fputs(";\n", out);
}

void learn_print_rules(struct polc_ctx *ctx, const struct learn_header *h,
		       const struct learn_result *r, FILE *out)
{
	char buf[8];

	for (size_t i = 0; i < r->nrules; i++) {
		const struct learn_rule *rule = &r->rules[i];

		fputs("    # ", out);
		print_counts(out, rule->count);
		if (!rule->file || strcmp(rule->examples[0], rule->path)) {
			fputs(": ", out);
			for (size_t e = 0; e < rule->nexamples; e++) {
				if (e)
					fputs(", ", out);
				print_comment_text(
					out,
					learn_spell_path(ctx, h,
							 rule->examples[e]));
			}
			if (rule->paths > rule->nexamples)
				fprintf(out, " and %zu more",
					rule->paths - rule->nexamples);
		}
		fprintf(out, "\n    %sallow %s%s ",
			rule->override ? "override " : "",
			access_spelling(rule->modes, buf),
			rule->file ? " file" : "");
		print_path(out, learn_spell_path(ctx, h, rule->path), true);
		fputs(";\n", out);
	}
	for (size_t i = 0; i < r->nnet; i++) {
		const struct learn_net *n = &r->net[i];

		fprintf(out, "    # %u time%s, to %s\n", n->count,
			n->count == 1 ? "" : "s", n->addr);
		fprintf(out, "    network %s %s %u;\n",
			n->kind == IR_NET_BIND ? "bind" : "connect",
			n->proto == 6 ? "tcp" : "udp", n->port);
	}
	print_syscalls(r, out);
}

void learn_print_profile(struct polc_ctx *ctx, const struct learn_header *h,
			 const struct trace_result *obs,
			 const struct learn_result *r, FILE *out)
{
	fputs("# Learned by polc learn from:", out);
	for (char *const *a = h->argv; *a; a++) {
		fputc(' ', out);
		print_comment_text(out, *a);
	}
	fprintf(out, "\n# Kernel: %s; date: %s.\n", h->kernel, h->date);
	fprintf(out,
		"# %lu traced calls in %lu processes and threads; %lu "
		"accesses already allowed by '%s'.\n",
		obs->calls, obs->processes, r->covered, h->base);
	if (obs->timed_out)
		fputs("# The run was ended by the timeout: it may need "
		      "more.\n",
		      out);
	if (h->import) {
		fputs("\nimport ", out);
		/* import takes a string, not a path */
		print_path(out, h->import, false);
		fputs(";\n", out);
	}
	fprintf(out, "\nprofile %s extends %s {\n", h->name, h->base);
	learn_print_rules(ctx, h, r, out);
	fputs("}\n", out);
}

static void json_counts(FILE *out, const unsigned count[TRACE_NKINDS])
{
	fputc('{', out);
	for (int k = 0; k < TRACE_NKINDS; k++)
		fprintf(out, "%s\"%s\":%u", k ? "," : "", kind_words[k],
			count[k]);
	fputc('}', out);
}

void learn_print_json(struct polc_ctx *ctx, const struct learn_header *h,
		      const struct trace_result *obs,
		      const struct learn_result *r, FILE *out)
{
	char buf[8];

	fputs("{\"version\":1,\"command\":[", out);
	for (char *const *a = h->argv; *a; a++) {
		if (a != h->argv)
			fputc(',', out);
		json_write_string(out, *a);
	}
	fputs("],\"base\":", out);
	json_write_string(out, h->base);
	fputs(",\"kernel\":", out);
	json_write_string(out, h->kernel);
	fputs(",\"date\":", out);
	json_write_string(out, h->date);
	fprintf(out,
		",\"status\":%d,\"timed_out\":%s,\"calls\":%lu,"
		"\"failed_calls\":%lu,\"processes\":%lu,\"covered\":%lu,"
		"\"refused\":%lu,\"denied\":%lu,\"rules\":[",
		obs->status, obs->timed_out ? "true" : "false", obs->calls,
		obs->failed, obs->processes, r->covered, r->refused, r->denied);
	for (size_t i = 0; i < r->nrules; i++) {
		const struct learn_rule *rule = &r->rules[i];

		fputs(i ? ",{\"path\":" : "{\"path\":", out);
		json_write_string(out, rule->path);
		fputs(",\"spelled\":", out);
		json_write_string(out, learn_spell_path(ctx, h, rule->path));
		fputs(",\"access\":", out);
		json_write_string(out, access_spelling(rule->modes, buf));
		fprintf(out, ",\"file\":%s,\"override\":%s,\"paths\":%zu,",
			rule->file ? "true" : "false",
			rule->override ? "true" : "false", rule->paths);
		fputs("\"counts\":", out);
		json_counts(out, rule->count);
		fputs(",\"examples\":[", out);
		for (size_t e = 0; e < rule->nexamples; e++) {
			if (e)
				fputc(',', out);
			json_write_string(out, rule->examples[e]);
		}
		fputs("]}", out);
	}
	fputs("],\"network\":[", out);
	for (size_t i = 0; i < r->nnet; i++) {
		const struct learn_net *n = &r->net[i];

		fprintf(out, "%s{\"kind\":\"%s\",\"proto\":\"%s\",\"port\":%u,",
			i ? "," : "",
			n->kind == IR_NET_BIND ? "bind" : "connect",
			n->proto == 6 ? "tcp" : "udp", n->port);
		fputs("\"address\":", out);
		json_write_string(out, n->addr);
		fprintf(out, ",\"count\":%u}", n->count);
	}
	fputs("],\"syscalls\":", out);
	if (!obs->nsyscalls) {
		fputs("null}\n", out);
		return;
	}
	fputc('[', out);
	for (size_t i = 0; i < r->nsyscalls; i++) {
		if (i)
			fputc(',', out);
		json_write_string(out, r->syscalls[i]);
	}
	fprintf(out, "],\"syscall_default_errno\":%s}\n",
		r->sys_default_errno ? "true" : "false");
}

void learn_print_summary(struct polc_ctx *ctx, const struct learn_header *h,
			 const struct trace_result *obs,
			 const struct learn_result *r, FILE *out)
{
	static const struct {
		const char *title;
		unsigned modes;
	} sections[] = {
		{ "READ", IR_READ },
		{ "WRITE", IR_WRITE | IR_DELETE },
		{ "EXEC", IR_EXEC },
	};
	char buf[8];

	fprintf(out,
		"polc learn: %lu traced calls (%lu failed, not needs) in %lu "
		"processes and threads; exit status %d%s\n",
		obs->calls, obs->failed, obs->processes, obs->status,
		obs->timed_out ? " (ended by the timeout)" : "");
	for (size_t s = 0; s < sizeof(sections) / sizeof(*sections); s++) {
		size_t n = 0;

		for (size_t i = 0; i < r->nrules; i++)
			n += (r->rules[i].modes & sections[s].modes) != 0;
		fprintf(out, "%-8s %zu rule%s\n", sections[s].title, n,
			n == 1 ? "" : "s");
		for (size_t i = 0; i < r->nrules; i++)
			if (r->rules[i].modes & sections[s].modes)
				fprintf(out, "         %s %s%s\n",
					access_spelling(r->rules[i].modes, buf),
					learn_spell_path(ctx, h,
							 r->rules[i].path),
					r->rules[i].file ? "" : "/");
	}
	fprintf(out, "NETWORK  %zu rule%s\n", r->nnet, r->nnet == 1 ? "" : "s");
	for (size_t i = 0; i < r->nnet; i++)
		fprintf(out, "         %s %s %u (%s)\n",
			r->net[i].kind == IR_NET_BIND ? "bind" : "connect",
			r->net[i].proto == 6 ? "tcp" : "udp", r->net[i].port,
			r->net[i].addr);
	if (obs->nsyscalls)
		fprintf(out, "SYSCALLS %zu used, %zu to allow\n",
			obs->nsyscalls, r->nsyscalls);
	else
		fputs("SYSCALLS not recorded (--syscalls records them)\n", out);
	fprintf(out, "%lu accesses already covered by %s", r->covered, h->base);
	if (r->refused)
		fprintf(out, "; %lu refused by required denies", r->refused);
	if (r->denied)
		fprintf(out, "; %lu denied by the base", r->denied);
	fputs("\n", out);
}
