/*
 * print.c - the Landlock plan and ruleset as a listing and as JSON
 * (spec/backends/landlock.md, "Output").
 */
#include <string.h>

#include "backends/landlock/landlock.h"
#include "common/ctx.h"
#include "common/json.h"

static const char *const right_names[] = {
	"execute",    "write_file",  "read_file", "read_dir",
	"remove_dir", "remove_file", "make_char", "make_dir",
	"make_reg",   "make_sock",   "make_fifo", "make_block",
	"make_sym",   "refer",	     "truncate",  "ioctl_dev",
};

static const char *const report_kinds[] = {
	[LL_REPORT_LOST] = "lost",   [LL_REPORT_APPROX] = "approximated",
	[LL_REPORT_CARVE] = "carve", [LL_REPORT_SKIPPED] = "skipped",
	[LL_REPORT_NOTE] = "note",
};

const char *ll_rights_text(struct polc_ctx *ctx, uint64_t rights)
{
	const char *out = "";

	for (unsigned b = 0; b < 16; b++)
		if (rights & (1ull << b))
			out = arena_printf(&ctx->arena, "%s%s%s", out,
					   *out ? "," : "", right_names[b]);
	return *out ? out : "none";
}

static void json_rights(FILE *out, uint64_t rights)
{
	const char *sep = "";

	fputc('[', out);
	for (unsigned b = 0; b < 16; b++) {
		if (!(rights & (1ull << b)))
			continue;
		fputs(sep, out);
		json_write_string(out, right_names[b]);
		sep = ",";
	}
	fputc(']', out);
}

static void json_scopes(FILE *out, uint64_t scoped)
{
	fputc('[', out);
	if (scoped & LL_SCOPE_ABSTRACT_UNIX_SOCKET)
		fputs("\"abstract_unix_socket\"", out);
	if (scoped == (LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL))
		fputc(',', out);
	if (scoped & LL_SCOPE_SIGNAL)
		fputs("\"signal\"", out);
	fputc(']', out);
}

static void json_report(struct polc_ctx *ctx,
			const struct ll_report_item *items, size_t n, FILE *out)
{
	fputs("  \"report\": [", out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s\n    {\"kind\": ", i ? "," : "");
		json_write_string(out, report_kinds[items[i].kind]);
		fputs(", \"text\": ", out);
		json_write_string(out, items[i].text);
		fputs(", \"rule\": ", out);
		json_write_string(
			out, items[i].origin
				     ? ir_origin_where(ctx, items[i].origin)
				     : NULL);
		fputc('}', out);
	}
	fputs(n ? "\n  ]\n" : "]\n", out);
}

static void text_report(struct polc_ctx *ctx,
			const struct ll_report_item *items, size_t n, FILE *out)
{
	fprintf(out, "report:%s\n", n ? "" : " nothing lost");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "    %-12s %s", report_kinds[items[i].kind],
			items[i].text);
		if (items[i].origin)
			fprintf(out, "  # %s",
				ir_origin_where(ctx, items[i].origin));
		fputc('\n', out);
	}
}

static void text_header(struct polc_ctx *ctx, const struct ll_plan *plan,
			FILE *out)
{
	fprintf(out, "landlock ruleset for profile %s, ABI %u\n",
		plan->policy->profile, plan->abi);
	fprintf(out, "handled fs:   %s\n",
		ll_rights_text(ctx, plan->handled_fs));
	fprintf(out, "handled net:  %s\n",
		!plan->handled_net ? "none (the network is not limited)"
				   : "bind_tcp,connect_tcp");
	fprintf(out, "scoped:       %s%s%s\n",
		plan->scoped & LL_SCOPE_ABSTRACT_UNIX_SOCKET
			? "abstract_unix_socket"
			: "",
		plan->scoped == (LL_SCOPE_ABSTRACT_UNIX_SOCKET |
				 LL_SCOPE_SIGNAL)
			? ","
			: "",
		plan->scoped & LL_SCOPE_SIGNAL ? "signal"
		: !plan->scoped		       ? "none"
					       : "");
	fputs("ports:", out);
	if (!plan->nports)
		fputs(" none", out);
	for (size_t i = 0; i < plan->nports; i++)
		fprintf(out, " %u%s", plan->ports[i].port,
			plan->ports[i].rights == LL_NET_BIND_TCP ? "(bind)"
			: plan->ports[i].rights == LL_NET_CONNECT_TCP
				? ""
				: "(bind+connect)");
	fputc('\n', out);
}

static void json_header(const struct ll_plan *plan, FILE *out)
{
	fputs("{\n  \"polc_landlock_version\": 1,\n  \"profile\": ", out);
	json_write_string(out, plan->policy->profile);
	fprintf(out, ",\n  \"abi\": %u,\n  \"handled_fs\": ", plan->abi);
	json_rights(out, plan->handled_fs);
	fprintf(out, ",\n  \"handled_net\": %s,\n  \"scoped\": ",
		plan->handled_net ? "[\"bind_tcp\",\"connect_tcp\"]" : "[]");
	json_scopes(out, plan->scoped);
	fputs(",\n  \"ports\": [", out);
	for (size_t i = 0; i < plan->nports; i++)
		fprintf(out, "%s{\"port\": %u, \"bind\": %s, \"connect\": %s}",
			i ? ", " : "", plan->ports[i].port,
			plan->ports[i].rights & LL_NET_BIND_TCP ? "true"
								: "false",
			plan->ports[i].rights & LL_NET_CONNECT_TCP ? "true"
								   : "false");
	fputs("],\n", out);
}

void ll_print_plan(struct polc_ctx *ctx, const struct ll_plan *plan, bool json,
		   FILE *out)
{
	const struct ir_policy *p = plan->policy;

	if (json) {
		json_header(plan, out);
		fputs("  \"rules\": [", out);
	} else {
		text_header(ctx, plan, out);
		fputs("rules (carved against the filesystem when applied):\n",
		      out);
	}
	size_t n = 0;
	for (size_t i = 0; i < p->npaths; i++) {
		const struct ir_path_rule *r = &p->paths[i];
		uint64_t rights =
			r->verdict == IR_DENY
				? ll_deny_rights(r->modes)
				: ll_allow_rights(r->modes, r->rights);

		if (!(r->platforms & IR_LINUX))
			continue;
		rights &= plan->handled_fs;
		if (r->file)
			rights &= LL_FILE_RIGHTS;
		const char *verdict = r->override	      ? "override"
				      : r->verdict == IR_DENY ? "deny"
							      : "allow";
		if (json) {
			fprintf(out, "%s\n    {\"verdict\": \"%s\", \"path\": ",
				n++ ? "," : "", verdict);
			json_write_string(out, r->path);
			fprintf(out, ", \"file\": %s, \"rights\": ",
				r->file ? "true" : "false");
			json_rights(out, rights);
			fputs(", \"rule\": ", out);
			json_write_string(out,
					  ir_origin_where(ctx, &r->origin));
			fputc('}', out);
			continue;
		}
		fprintf(out, "    %-8s %s%s\n             %s\n", verdict,
			r->file ? "file " : "", r->path,
			ll_rights_text(ctx, rights));
	}
	if (json) {
		fputs(n ? "\n  ],\n" : "],\n", out);
		json_report(ctx, plan->report, plan->nreport, out);
		fputs("}\n", out);
		return;
	}
	text_report(ctx, plan->report, plan->nreport, out);
}

void ll_print_ruleset(struct polc_ctx *ctx, const struct ll_ruleset *rs,
		      bool json, FILE *out)
{
	if (json) {
		json_header(rs->plan, out);
		fputs("  \"materialized\": [", out);
	} else {
		text_header(ctx, rs->plan, out);
		fprintf(out, "rules (%zu, materialised on this host):\n",
			rs->nrules);
	}
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct ll_fs_rule *r = &rs->rules[i];

		if (json) {
			fprintf(out, "%s\n    {\"path\": ", i ? "," : "");
			json_write_string(out, r->path);
			fprintf(out, ", \"directory\": %s, \"rights\": ",
				r->dir ? "true" : "false");
			json_rights(out, r->rights);
			fputc('}', out);
			continue;
		}
		fprintf(out, "    %s%s\n             %s\n", r->path,
			r->dir ? "/" : "", ll_rights_text(ctx, r->rights));
	}
	if (json) {
		fputs(rs->nrules ? "\n  ],\n" : "],\n", out);
		json_report(ctx, rs->report, rs->nreport, out);
		fputs("}\n", out);
		return;
	}
	text_report(ctx, rs->report, rs->nreport, out);
}
