/*
 * test_import.c - polc import of nono profiles, nono learn fragments and
 * Agentfiles: the mapping of each construct to .pol, the messages (exact
 * text) for what polc cannot express, format detection, and that what is
 * written validates and decides as the input meant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ctx.h"
#include "helpers.h"
#include "ir/ir.h"
#include "lib/lib.h"
#include "polc.h"
#include "suites.h"

static char dir[] = "/tmp/polc-test-import-XXXXXX";

static void setup(void)
{
	strcpy(dir, "/tmp/polc-test-import-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static polc_ctx *new_ctx(void)
{
	polc_ctx *c = polc_ctx_new();

	ck_assert_ptr_nonnull(c);
	polc_set_variable(c, "HOME", "/home/u");
	polc_set_variable(c, "WORKDIR", "/w");
	polc_set_variable(c, "TMPDIR", "/tmp");
	polc_set_variable(c, "UID", "1000");
	polc_set_variable(c, "USER", "u");
	return c;
}

/* @text as file @name in the test directory; its path. */
static const char *put(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* The result of one import: the .pol text (or NULL) and the diagnostics. */
struct result {
	char *pol;
	char *diags;
	const char *format; /* what it was read as */
};

static struct result import_as(const char *name, const char *input,
			       const char *format, bool best_effort)
{
	polc_ctx *c = new_ctx();
	struct polc_import_options o = { .format = format,
					 .name = "p",
					 .best_effort = best_effort };
	struct result r = { 0 };
	size_t len;
	const char *path = put(name, input);

	if (polc_import(c, path, &o, &r.pol, &len) != 0)
		ck_assert_ptr_null(r.pol);
	r.diags = strdup(diags_brief(c));
	polc_ctx_free(c);
	return r;
}

static struct result nono(const char *json)
{
	return import_as("p.json", json, NULL, false);
}

static void done(struct result *r)
{
	free(r->pol);
	free(r->diags);
}

/* The profile's body: the lines between "profile … {" and the last "}". */
static const char *body(const struct result *r)
{
	static char buf[8192];
	const char *open, *close;

	ck_assert_msg(r->pol != NULL, "import failed:\n%s", r->diags);
	open = strstr(r->pol, " {\n");
	close = strrchr(r->pol, '}');
	ck_assert_ptr_nonnull(open);
	snprintf(buf, sizeof(buf), "%.*s", (int)(close - open - 3), open + 3);
	return buf;
}

/* The diagnostics with the test directory's name taken out. */
static const char *diags(const struct result *r)
{
	static char buf[8192];
	size_t n = strlen(dir), o = 0;

	for (const char *p = r->diags; *p && o + 1 < sizeof(buf);)
		if (!strncmp(p, dir, n) && p[n] == '/')
			p += n + 1;
		else
			buf[o++] = *p++;
	buf[o] = 0;
	return buf;
}

/* @r's profile passes `polc validate` (with --werror); it is resolved. */
static const struct ir_policy *validated(polc_ctx *c, const struct result *r)
{
	const char *path = put("imported.pol", r->pol);
	const char *args[] = { path };

	ck_assert_msg(r->pol != NULL, "import failed:\n%s", r->diags);
	ck_assert_msg(polc_validate(c, args, 1) == 0 && !c->nerrors &&
			      !c->nwarnings,
		      "%s\ndoes not validate:\n%s", r->pol, diags_brief(c));
	return lib_resolve(c, path, false);
}

/* ---- nono profiles ------------------------------------------------------- */

START_TEST(test_nono_access_modes)
{
	struct result r =
		nono("{\"filesystem\": {"
		     "\"allow\": [\"/a\"], \"read\": [\"/b\"],"
		     "\"write\": [\"/c\"], \"allow_file\": [\"/d\"],"
		     "\"read_file\": [\"/e\"], \"write_file\": [\"/f\"],"
		     "\"deny\": [\"/a/secret\"]}}");

	ck_assert_str_eq(body(&r), "    use user_tools;\n"
				   "    deny /a/secret;\n"
				   "    allow all /a;\n"
				   "    allow rx /b;\n"
				   "    allow wd /c;\n"
				   "    allow rwx file /d;\n"
				   "    allow rx file /e;\n"
				   "    allow write file /f;\n");
	ck_assert_str_eq(r.diags, "");
	done(&r);
}
END_TEST

START_TEST(test_nono_paths_and_variables)
{
	struct result r =
		nono("{\"filesystem\": {\"read\": [\"~\", \"~/a\", \"$HOME/b\","
		     "\"${HOME}c\", \"${TMPDIR}/d\", \"$XDG_CONFIG_HOME/e\","
		     "\"./f\", \"g/h\", \"/with space\", \"/q\\\"uote\","
		     "\"/x/~y\"]}}");

	ck_assert_str_eq(body(&r), "    use user_tools;\n"
				   "    allow rx ~;\n"
				   "    allow rx ~/a;\n"
				   "    allow rx $HOME/b;\n"
				   "    allow rx ${HOME}c;\n"
				   "    allow rx $TMPDIR/d;\n"
				   "    allow rx $XDG_CONFIG_HOME/e;\n"
				   "    allow rx $WORKDIR/f;\n"
				   "    allow rx $WORKDIR/g/h;\n"
				   "    allow rx \"/with space\";\n"
				   "    allow rx \"/q\\\"uote\";\n"
				   "    allow rx /x/~y;\n");
	done(&r);
}
END_TEST

START_TEST(test_nono_path_errors)
{
	struct result r = nono("{\"filesystem\": {\"read\": [\"~bob/x\","
			       "\"/a/*.txt\", \"$NONO_CONFIG/x\", \"\","
			       "\"/a/$\", \"/b?\", \"/c[1]\", \"/d\\t\"]}}");

	ck_assert_ptr_null(r.pol);
	ck_assert_str_eq(
		diags(&r),
		"p.json:1:26: error: '~bob/x': other users' home directories "
		"are not supported\n"
		"p.json:1:35: error: '/a/*.txt': a pattern; polc paths have no "
		"globs (Landlock has none)\n"
		"p.json:1:47: error: variable '$NONO_CONFIG' has no polc "
		"equivalent (polc has $HOME, $WORKDIR, $TMPDIR, $UID, $USER "
		"and "
		"the $XDG_* directories)\n"
		"p.json:1:65: error: an empty path\n"
		"p.json:1:68: error: '$' in a path starts no variable name\n"
		"p.json:1:76: error: '/b?': a pattern; polc paths have no "
		"globs (Landlock has none)\n"
		"p.json:1:83: error: '/c[1]': a pattern; polc paths have no "
		"globs (Landlock has none)\n"
		"p.json:1:92: error: a path with a control character\n");
	done(&r);
}
END_TEST

START_TEST(test_nono_when_becomes_platform_blocks)
{
	struct result r =
		nono("{\"filesystem\": {\"read\": ["
		     "{\"path\": \"/l\", \"when\": \"linux\"},"
		     "{\"path\": \"/m\", \"when\": [\"macos\"]},"
		     "{\"path\": \"/both\", \"when\": [\"linux\", \"macos\"]}],"
		     "\"deny\": [{\"path\": \"/s\", \"when\": \"macos\"}]}}");

	ck_assert_str_eq(body(&r), "    use user_tools;\n"
				   "    allow rx /both;\n"
				   "    platform linux {\n"
				   "        allow rx /l;\n"
				   "    }\n"
				   "    platform macos {\n"
				   "        deny /s;\n"
				   "        allow rx /m;\n"
				   "    }\n");
	done(&r);
}
END_TEST

START_TEST(test_nono_when_polc_cannot_express)
{
	const char *in =
		"{\"filesystem\": {"
		"\"read\": [{\"path\": \"/r\", \"when\": \"linux:>=6\"}],"
		"\"deny\": [{\"path\": \"/s\", \"when\": \"!macos\"}]}}";
	struct result r = nono(in);

	ck_assert_ptr_null(r.pol);
	ck_assert_str_eq(diags(&r),
			 "p.json:1:49: error: a condition polc cannot express: "
			 "polc blocks name only 'linux' and 'macos'\n"
			 "p.json:1:49: note: with --best-effort a grant under "
			 "it is left out and a deny holds on every platform\n"
			 "p.json:1:95: error: a condition polc cannot express: "
			 "polc blocks name only 'linux' and 'macos'\n"
			 "p.json:1:95: note: with --best-effort a grant under "
			 "it is left out and a deny holds on every platform\n");
	done(&r);
	/* Best effort: the grant goes, the deny holds everywhere. */
	r = import_as("p.json", in, NULL, true);
	ck_assert_str_eq(body(&r), "    use user_tools;\n"
				   "    deny /s;\n");
	ck_assert_str_eq(
		diags(&r),
		"p.json:1:49: warning: a condition polc cannot express "
		"(only 'linux' and 'macos'): a grant under it is left "
		"out, a deny holds on every platform\n"
		"p.json:1:95: warning: a condition polc cannot express "
		"(only 'linux' and 'macos'): a grant under it is left "
		"out, a deny holds on every platform\n");
	done(&r);
}
END_TEST

START_TEST(test_nono_network)
{
	struct result r = nono("{\"network\": {\"block\": true,"
			       "\"listen_port\": [3000]}}");

	ck_assert_str_eq(body(&r), "    use user_tools;\n"
				   "    network deny;\n"
				   "    network bind tcp 3000;\n");
	done(&r);
	/* Under an open network a localhost port adds nothing, in both. */
	r = nono("{\"network\": {\"block\": false, \"open_port\": [8080]}}");
	ck_assert_str_eq(body(&r), "    use user_tools;\n"
				   "    network allow;\n");
	ck_assert_ptr_nonnull(strstr(r.pol, "# nono open_port 8080: the "
					    "network is open\n"));
	done(&r);
}
END_TEST

START_TEST(test_nono_localhost_port_is_not_an_address_rule)
{
	const char *in =
		"{\"network\": {\"block\": true, \"open_port\": [8080]}}";
	struct result r = nono(in);

	ck_assert_ptr_null(r.pol);
	ck_assert_str_eq(
		diags(&r),
		"p.json:1:43: error: 'open_port' cannot be enforced by polc: "
		"nono opens the port on localhost only; polc (Landlock) cannot "
		"restrict an address, so the port is opened to every address\n"
		"p.json:1:43: note: polc import --best-effort leaves it out "
		"with a warning\n");
	done(&r);
	r = import_as("p.json", in, NULL, true);
	ck_assert_str_eq(body(&r), "    use user_tools;\n"
				   "    network deny;\n"
				   "    network connect tcp 8080;\n"
				   "    network bind tcp 8080;\n");
	ck_assert_str_eq(
		diags(&r),
		"p.json:1:43: warning: 'open_port' left out, and with it a "
		"protection: nono opens the port on localhost only; polc "
		"(Landlock) cannot restrict an address, so the port is opened "
		"to every address\n");
	done(&r);
}
END_TEST

START_TEST(test_nono_groups)
{
	struct result r = nono("{\"groups\": {\"include\": [\"node_runtime\", "
			       "\"deny_credentials\", \"user_caches_linux\", "
			       "\"user_caches_macos\", \"user_tools\"], "
			       "\"exclude\": [\"dangerous_commands\"]}}");

	/* Two of nono's groups for one of polc's: one use. */
	ck_assert_str_eq(body(&r), "    use user_tools;\n"
				   "    use node_runtime;\n"
				   "    use user_caches;\n"
				   "    exclude exec_deny_destructive;\n");
	ck_assert_ptr_nonnull(strstr(r.pol, "# nono group deny_credentials: "
					    "default's deny_credentials\n"));
	done(&r);
	/* A group of an agent's own paths: its grants, on its platform. */
	r = nono("{\"groups\": {\"include\": [\"vscode_linux\", "
		 "{\"name\": \"opencode_linux\", \"when\": \"macos\"}]}}");
	ck_assert_str_eq(body(&r), "    use user_tools;\n"
				   "    platform linux {\n"
				   "        allow all $HOME/.vscode;\n"
				   "        allow all $HOME/.config/Code;\n"
				   "    }\n");
	done(&r);
	r = nono("{\"groups\": {\"include\": [\"unlink_protection\"], "
		 "\"exclude\": [\"deny_shell_history\"]}}");
	ck_assert_ptr_null(r.pol);
	ck_assert_str_eq(
		diags(&r),
		"p.json:1:25: error: 'group unlink_protection' cannot be "
		"enforced by polc: polc's library has no group of the same "
		"paths, so whatever it grants or denies is lost\n"
		"p.json:1:25: note: polc import --best-effort leaves it out "
		"with a warning\n"
		"p.json:1:59: error: group 'deny_shell_history' is required: "
		"polc's 'deny_shell_history' cannot be excluded\n");
	done(&r);
}
END_TEST

/*
 * Under a condition polc cannot say, with --best-effort, the stricter
 * reading holds everywhere: a grant group is excluded, a deny group kept,
 * a grant group not used.
 */
START_TEST(test_nono_groups_under_conditions)
{
	struct result r = import_as(
		"p.json",
		"{\"groups\": {\"exclude\": ["
		"{\"name\": \"system_write_linux\", \"when\": \"linux:>=6\"},"
		"{\"name\": \"dangerous_commands\", \"when\": \"!linux\"}],"
		"\"include\": [{\"name\": \"node_runtime\", \"when\": "
		"\"!macos\"}]}}",
		NULL, true);

	ck_assert_str_eq(body(&r), "    use user_tools;\n"
				   "    exclude system_write;\n");
	done(&r);
}
END_TEST

START_TEST(test_nono_environment)
{
	struct result r = nono("{\"environment\": {\"allow_vars\": [\"*\"],"
			       "\"deny_vars\": [\"GH_TOKEN\", \"AWS_*\"],"
			       "\"set_vars\": {\"MODE\": \"a \\\"b\\\"\"}}}");

	ck_assert_str_eq(body(&r), "    use user_tools;\n"
				   "    env drop GH_TOKEN;\n"
				   "    env drop AWS_*;\n"
				   "    env set MODE = \"a \\\"b\\\"\";\n");
	done(&r);
	r = nono(
		"{\"environment\": {\"allow_vars\": [\"PATH\"],"
		"\"deny_vars\": [\"A-B\"], \"set_vars\": {\"X\": \"$HOME\"}}}");
	ck_assert_ptr_null(r.pol);
	ck_assert_str_eq(
		diags(&r),
		"p.json:1:32: error: 'allow_vars' cannot be enforced by polc: "
		"the profile extends one that passes every variable, and polc "
		"cannot narrow an inherited `env pass`; only the drops hold\n"
		"p.json:1:32: note: polc import --best-effort leaves it out "
		"with a warning\n"
		"p.json:1:55: error: 'A-B' is not a variable name or pattern "
		"polc can match\n"
		"p.json:1:81: error: the value of 'X' uses a variable: nono "
		"expands it, polc sets values literally\n");
	done(&r);
}
END_TEST

START_TEST(test_nono_extends)
{
	struct result r = nono("{\"extends\": \"claude-code\","
			       "\"workdir\": {\"access\": \"read\"}}");

	ck_assert_ptr_nonnull(strstr(r.pol, "profile p extends claude-code {\n"
					    "    workdir rx;\n}\n"));
	done(&r);
	r = nono("{\"extends\": [\"a\", \"b\"]}");
	ck_assert_ptr_null(r.pol);
	ck_assert_str_eq(diags(&r),
			 "p.json:1:19: error: 'extends' cannot be enforced by "
			 "polc: a polc profile extends one parent, so what the "
			 "others grant or deny is lost (the first is kept)\n"
			 "p.json:1:19: note: polc import --best-effort leaves "
			 "it out with a warning\n");
	done(&r);
	r = nono("{\"extends\": \"claud-code\"}");
	ck_assert_ptr_null(r.pol);
	ck_assert_str_eq(diags(&r), "claud-code: error: no profile named "
				    "'claud-code'; did you mean "
				    "'claude-code'?\n");
	done(&r);
	r = nono("{\"extends\": \"profile\"}");
	ck_assert_str_eq(diags(&r), "p.json:1:13: error: 'profile' is not a "
				    "polc profile name\n");
	done(&r);
}
END_TEST

/*
 * bypass_protection makes the grant of the same path an override where
 * default denies some of its access, a plain allow elsewhere (an override
 * that lifts nothing is an error in polc), and what it lifts is granted.
 */
START_TEST(test_nono_bypass_protection)
{
	polc_ctx *c = new_ctx();
	struct result r =
		nono("{\"filesystem\": {\"read_file\": [\"~/.ssh/known_hosts\","
		     "\"~/.gitconfig\"], \"bypass_protection\": "
		     "[\"~/.ssh/known_hosts\", \"~/.gitconfig\"]}}");

	ck_assert_str_eq(body(&r),
			 "    use user_tools;\n"
			 "    override allow rx file ~/.ssh/known_hosts;\n"
			 "    allow rx file ~/.gitconfig;\n");
	const struct ir_policy *p = validated(c, &r);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(
		decide(c, p, IR_LINUX, "/home/u/.ssh/known_hosts", IR_READ),
		IR_ALLOW);
	ck_assert_int_eq(decide(c, p, IR_LINUX, "/home/u/.ssh/id_rsa", IR_READ),
			 IR_DENY);
	ck_assert_int_eq(decide(c, p, IR_LINUX, "/home/u/.gitconfig", IR_READ),
			 IR_ALLOW);
	ck_assert_int_eq(decide(c, p, IR_LINUX, "/home/u/.gitconfig", IR_WRITE),
			 IR_DENY);
	polc_ctx_free(c);
	done(&r);
}
END_TEST

/* A deny in the profile beats its own broader grant, as in nono. */
START_TEST(test_nono_deny_beats_grant)
{
	polc_ctx *c = new_ctx();
	struct result r = nono("{\"filesystem\": {\"allow\": [\"~/work\"],"
			       "\"deny\": [\"~/work/secrets\"]},"
			       "\"workdir\": {\"access\": \"readwrite\"}}");
	const struct ir_policy *p = validated(c, &r);

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(decide(c, p, IR_LINUX, "/home/u/work/a", IR_WRITE),
			 IR_ALLOW);
	ck_assert_int_eq(
		decide(c, p, IR_LINUX, "/home/u/work/secrets/k", IR_READ),
		IR_DENY);
	ck_assert_int_eq(decide(c, p, IR_LINUX, "/w/x", IR_DELETE), IR_ALLOW);
	ck_assert_int_eq(decide(c, p, IR_LINUX, "/home/u/.ssh/id_rsa", IR_READ),
			 IR_DENY);
	polc_ctx_free(c);
	done(&r);
}
END_TEST

START_TEST(test_nono_keys_left_out)
{
	struct result r =
		nono("{\"hooks\": {\"a\": {}}, \"secrets\": "
		     "{\"k\": \"K\"}, \"interactive\": false,"
		     "\"security\": {\"capability_elevation\": true}}");

	ck_assert_str_eq(body(&r), "    use user_tools;\n");
	ck_assert_str_eq(
		diags(&r),
		"p.json:1:11: warning: 'hooks' left out: it is not part of the "
		"sandbox\n"
		"p.json:1:33: warning: 'secrets' left out: polc does not read "
		"nono's keystore; the variables are not set\n"
		"p.json:1:103: warning: 'capability_elevation' left out: "
		"polc's supervisor does not grant access at run time; what "
		"the "
		"profile does not grant is refused\n");
	done(&r);
	r = nono("{\"meta\": {\"name\": \"x\"}, \"colour\": 1}");
	ck_assert_str_eq(diags(&r), "p.json:1:35: error: unknown key 'colour' "
				    "in a nono profile\n");
	done(&r);
}
END_TEST

START_TEST(test_nono_policy_file)
{
	struct result r = nono("{\"groups\": {}, \"profiles\": {}}");

	ck_assert_ptr_null(r.pol);
	ck_assert_str_eq(diags(&r),
			 "p.json:1:28: error: this is nono's policy file (its "
			 "groups and built-in profiles), not a profile; polc's "
			 "library has its own (polc profiles)\n");
	done(&r);
}
END_TEST

/* ---- nono learn --json --------------------------------------------------- */

START_TEST(test_nono_learn_fragment)
{
	polc_ctx *c = new_ctx();
	struct result r =
		nono("{\"filesystem\": {\"allow\": [\"/w/out\"], \"read\": "
		     "[\"/etc/x\"],"
		     "\"write\": []}, \"network\": {\"outbound\": ["
		     "{\"addr\": \"1.2.3.4\", \"port\": 443, \"count\": 2,"
		     "\"hostname\": \"example.org\"},"
		     "{\"addr\": \"5.6.7.8\", \"port\": 443, \"count\": 1}],"
		     "\"listening\": [{\"addr\": \"127.0.0.1\", \"port\": 8000,"
		     "\"count\": 1}]}}");

	ck_assert_ptr_nonnull(strstr(r.pol, "(nono learn --json).\n"
					    "# nono learn outbound: 1.2.3.4 "
					    "port 443 (example.org)\n"));
	ck_assert_str_eq(body(&r), "    allow all /w/out;\n"
				   "    allow rx /etc/x;\n"
				   "    network connect tcp 443;\n"
				   "    network bind tcp 8000;\n");
	ck_assert_ptr_nonnull(validated(c, &r));
	polc_ctx_free(c);
	done(&r);
}
END_TEST

/* ---- Agentfile ----------------------------------------------------------- */

START_TEST(test_agentfile_limits)
{
	struct result r =
		import_as("Agentfile",
			  "# an agent\nFROM auto\nLIMIT tokens 10\n"
			  "LIMIT sandbox.read /data \"~/My Docs\"  # shared\n"
			  "  LIMIT sandbox.readwrite ./out $HOME/.cache/a\n",
			  NULL, false);

	ck_assert_str_eq(body(&r), "    allow read /data;\n"
				   "    allow read \"~/My Docs\";\n"
				   "    allow rwd $WORKDIR/out;\n"
				   "    allow rwd $HOME/.cache/a;\n");
	ck_assert_str_eq(diags(&r),
			 "Agentfile:2:1: note: 'FROM' is not a sandbox limit; "
			 "ignored\n"
			 "Agentfile:3:1: note: 'LIMIT tokens' is not a sandbox "
			 "limit; ignored\n");
	done(&r);
}
END_TEST

START_TEST(test_agentfile_errors)
{
	struct result r = import_as("agent.txt",
				    "LIMIT sandbox.write /x\n"
				    "LIMIT sandbox.readwrite\n"
				    "LIMIT sandbox.read /a/*\n",
				    "agentfile", false);

	ck_assert_ptr_null(r.pol);
	ck_assert_str_eq(
		diags(&r),
		"agent.txt:1:7: error: unknown sandbox limit 'sandbox.write' "
		"(an Agentfile's are sandbox.read and sandbox.readwrite)\n"
		"agent.txt:2:7: error: 'LIMIT sandbox.readwrite' needs a path\n"
		"agent.txt:3:20: error: '/a/*': a pattern; polc paths have no "
		"globs (Landlock has none)\n");
	done(&r);
}
END_TEST

/* ---- detection ----------------------------------------------------------- */

START_TEST(test_detection)
{
	struct result r;

	r = import_as("x.txt", "# none\nLIMIT sandbox.read /a\n", NULL, false);
	ck_assert_ptr_nonnull(strstr(r.pol, "(Agentfile)"));
	done(&r);
	r = import_as("x.json", "{\"network\": {\"outbound\": []}}", NULL,
		      false);
	ck_assert_ptr_nonnull(strstr(r.pol, "(nono learn --json)"));
	done(&r);
	r = import_as("x.json", "{\"filesystem\": {\"read\": [\"/a\"]}}", NULL,
		      false);
	ck_assert_ptr_nonnull(strstr(r.pol, "(nono profile)"));
	done(&r);
	r = import_as("x.json", "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", NULL,
		      false);
	ck_assert_ptr_nonnull(strstr(r.pol, "(OCI seccomp JSON)"));
	done(&r);
	r = import_as("x.txt", "FROM auto\n", NULL, false);
	ck_assert_ptr_null(r.pol);
	ck_assert_str_eq(
		diags(&r),
		"x.txt: error: not a format polc imports (this "
		"version reads OCI/Docker seccomp JSON, nono profiles, "
		"nono learn --json fragments and Agentfiles; name one "
		"with --format: 'oci-seccomp', 'nono-profile', "
		"'nono-learn' and 'agentfile')\n");
	done(&r);
	r = import_as("x.json", "{}", "nono", false);
	ck_assert_str_eq(diags(&r),
			 "nono: error: unknown import format (this version "
			 "reads 'oci-seccomp', 'nono-profile', 'nono-learn' "
			 "and 'agentfile')\n");
	done(&r);
}
END_TEST

Suite *suite_import(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("import");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_nono_access_modes);
	tcase_add_test(tc, test_nono_paths_and_variables);
	tcase_add_test(tc, test_nono_path_errors);
	tcase_add_test(tc, test_nono_when_becomes_platform_blocks);
	tcase_add_test(tc, test_nono_when_polc_cannot_express);
	tcase_add_test(tc, test_nono_network);
	tcase_add_test(tc, test_nono_localhost_port_is_not_an_address_rule);
	tcase_add_test(tc, test_nono_groups);
	tcase_add_test(tc, test_nono_groups_under_conditions);
	tcase_add_test(tc, test_nono_environment);
	tcase_add_test(tc, test_nono_extends);
	tcase_add_test(tc, test_nono_bypass_protection);
	tcase_add_test(tc, test_nono_deny_beats_grant);
	tcase_add_test(tc, test_nono_keys_left_out);
	tcase_add_test(tc, test_nono_policy_file);
	tcase_add_test(tc, test_nono_learn_fragment);
	tcase_add_test(tc, test_agentfile_limits);
	tcase_add_test(tc, test_agentfile_errors);
	tcase_add_test(tc, test_detection);
	suite_add_tcase(s, tc);
	return s;
}
