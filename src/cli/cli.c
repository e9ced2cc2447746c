/*
 * cli.c - option parsing, the dispatcher and help. Commands live in
 * cmd_*.c; the table that names them all is here.
 */
#include "cli/cli.h"

#include "core/rec.h"

#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#define OPTS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define DIR_OPTS "dir", "as"

const cli_cmd cli_cmds[] = {
	{ "calendar days-off", cmd_calendar_days_off, CLI_OPTDB, "YEAR [--dir DIR]",
	  "Every non-working date of YEAR, one ISO date a line", OPTS("dir") },
	{ "calendar due", cmd_calendar_due, CLI_OPTDB,
	  "--at \"YYYY-MM-DD HH:MM\" --time N --unit UNIT [--dir DIR]",
	  "Due time of a processing time (units: working_days, working_hours, calendar_days, same_day)",
	  OPTS("dir", "at", "time", "unit") },
	{ "calendar import", cmd_calendar_import, CLI_DB, "FILE [--add] --dir DIR",
	  "Replace years' days-off schedules from a CSV file (a whole government schedule), or "
	  "with --add lay new days over the current calendar",
	  OPTS(DIR_OPTS, "add") },
	{ "calendar lunar", cmd_calendar_lunar, CLI_NODB, "YYYY-MM-DD",
	  "Vietnamese lunar date of a solar date, as JSON", OPTS("x") },
	{ "calendar solar", cmd_calendar_solar, CLI_NODB,
	  "--lunar-year Y --lunar-month M --lunar-day D [--leap]",
	  "Solar date (YYYY-MM-DD) of a Vietnamese lunar date",
	  OPTS("lunar-year", "lunar-month", "lunar-day", "leap") },
	{ "catalog convert", cmd_catalog_convert, CLI_NODB, "FILE",
	  "Print a crawl-format catalog in the clean format (JSON lines)", OPTS("x") },
	{ "catalog import", cmd_catalog_import, CLI_DB, "FILE... --dir DIR",
	  "Import procedures (crawl or clean format, JSON lines); re-import updates",
	  OPTS(DIR_OPTS) },
	{ "catalog list", cmd_catalog_list, CLI_DB, "[--field F] [--q TEXT] [--json]",
	  "List procedures; TEXT ignores diacritics", OPTS("dir", "field", "q", "json") },
	{ "catalog show", cmd_catalog_show, CLI_DB, "CODE [--json]", "Show one procedure",
	  OPTS("dir", "json") },
	{ "check", cmd_check, CLI_DB, "--dir DIR",
	  "Verify the event hash chain and the database; exit 1 on any failure", OPTS("dir") },
	{ "documents export", cmd_documents_export, CLI_DB,
	  "in|out [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format xlsx|pdf] --out FILE [--as LOGIN]",
	  "Write the incoming (in) or outgoing (out) document register of a period (default: this "
	  "year) as an Excel workbook or a PDF book with Decree 30's columns; FILE - for standard "
	  "output",
	  OPTS(DIR_OPTS, "from", "to", "format", "out") },
	{ "dossier act", cmd_dossier_act, CLI_DB,
	  "CODE ACTION [--to LOGIN] [--agency CODE] [--new-due \"YYYY-MM-DD HH:MM\"] [--comment TEXT] [--as LOGIN]",
	  "Move a dossier: accept, assign, request_supplement, supplement_received, approve, ...",
	  OPTS(DIR_OPTS, "to", "agency", "new-due", "comment", "json") },
	{ "dossier list", cmd_dossier_list, CLI_DB,
	  "[--status S] [--overdue] [--q TEXT] [--assignee LOGIN] [--limit N] [--json]",
	  "List dossiers, newest first", OPTS("dir", "status", "overdue", "q", "assignee", "limit", "json", "channel") },
	{ "dossier receive", cmd_dossier_receive, CLI_DB,
	  "--procedure CODE --channel direct|online|postal --name NAME [--id-type cccd|cmnd|passport|none] "
	  "[--id-number N] --phone P [--kind person|organisation --org-name NAME --tax-code CODE "
	  "--representative NAME] [--email E] [--address A] [--summary S] [--at \"YYYY-MM-DD HH:MM\"] [--pending] [--json] [--as LOGIN]",
	  "Receive a dossier; prints its code and due time",
	  OPTS(DIR_OPTS, "procedure", "channel", "name", "id-number", "phone", "email", "address",
	       "summary", "at", "pending", "json", "components", "id-type", "kind", "org-name",
	       "tax-code", "representative") },
	{ "dossier show", cmd_dossier_show, CLI_DB, "CODE",
	  "A dossier as JSON: fields, state, due time, history", OPTS("dir") },
	{ "enrol", cmd_enrol, CLI_DB, "--hub URL --dir DIR",
	  "Enrol this node with the province's hub (its administrator then approves it)",
	  OPTS("dir", "hub") },
	{ "errors-markdown", cmd_errors_markdown, CLI_NODB | CLI_HIDDEN, "",
	  "The error code table as Markdown (the generated part of docs/api.md)", OPTS("x") },
	{ "form", cmd_form, CLI_DB, "N CODE --out FILE [--origin URL] [--as LOGIN]",
	  "Print form N of a dossier as PDF (1 receipt, 2 supplement request, 3 refusal, 4 apology, 5 stop notice, 6 process-control sheet, fee: the fee slip); FILE - for standard output",
	  OPTS(DIR_OPTS, "out", "origin") },
	{ "help", cmd_help, CLI_NODB, "[COMMAND]", "List commands, or explain one", OPTS("x") },
	{ "help-markdown", cmd_help_markdown, CLI_NODB | CLI_HIDDEN, "",
	  "The command reference as Markdown (docs/cli.md)", OPTS("x") },
	{ "hub approve", cmd_hub_approve, CLI_DB, "KEY --dir DIR",
	  "Approve a commune node's key on this hub", OPTS(DIR_OPTS) },
	{ "hub dump", cmd_hub_dump, CLI_DB | CLI_HIDDEN, "AGENCY CHAIN --dir DIR",
	  "Print one node chain's seqs and hashes as the hub holds them (tests)", OPTS("dir") },
	{ "hub nodes", cmd_hub_nodes, CLI_DB, "[--json] --dir DIR",
	  "List the commune nodes enrolled with this hub and how far each has synced",
	  OPTS(DIR_OPTS, "json") },
	{ "hub publish", cmd_hub_publish, CLI_DB,
	  "calendar|catalog FILE [--to AGENCY,...] [--add] [--source TEXT] --dir DIR",
	  "Send a government days-off schedule, or a commune procedure list (CSV, as Danh mục TTHC "
	  "của xã imports it), to every commune or to those named: each node applies it in its next "
	  "sync round",
	  OPTS(DIR_OPTS, "to", "add", "source", "json") },
	{ "hub revoke", cmd_hub_revoke, CLI_DB, "KEY --dir DIR",
	  "Revoke a commune node's key on this hub", OPTS(DIR_OPTS) },
	{ "init", cmd_init, CLI_NODB,
	  "--dir DIR [--agency CODE] [--name NAME] [--demo [--office]] [--hub]",
	  "Create a data directory (database, keys, settings); --demo adds a demo commune "
	  "(--office also its documents, tasks and recommendations: make run's); "
	  "--hub makes a provincial hub (--agency: the province's code)",
	  OPTS("dir", "agency", "name", "demo", "office", "hub") },
	{ "jobs", cmd_jobs, CLI_DB, "[--state STATE] [--json] --dir DIR",
	  "List the background jobs (text recognition of stored files) with their progress; "
	  "--state queued|running|done|failed",
	  OPTS(DIR_OPTS, "state", "json") },
	{ "notify-sweep", cmd_notify_sweep, CLI_DB | CLI_HIDDEN, "--dir DIR",
	  "One sweep of the notifications and the daily digest at now (tests; serve sweeps each minute)",
	  OPTS("dir") },
	{ "ocr", cmd_ocr, CLI_NODB, "FILE [--lang vie+eng] [--json] [--pdf OUT]",
	  "Read the text of a scan (PDF, JPEG, PNG, TIFF) as the OCR workers of serve do, and print "
	  "it (pages separated by form feeds); --pdf writes the searchable PDF of an image scan",
	  OPTS("lang", "json", "pdf") },
	{ "openapi", cmd_openapi, CLI_NODB, "[--check]",
	  "Print the API's OpenAPI 3.1 document (as /api/v1/openapi.json serves it); --check "
	  "lists every route whose contract is incomplete and fails if there is one",
	  OPTS("check") },
	{ "permissions-markdown", cmd_permissions_markdown, CLI_NODB | CLI_HIDDEN, "",
	  "The permission table as Markdown (docs/permissions.md)", OPTS("x") },
	{ "register", cmd_register, CLI_DB, "[--from YYYY-MM-DD] [--to YYYY-MM-DD] --out FILE",
	  "Print the tracking register (Sổ theo dõi hồ sơ, form 7) of the dossiers received in a period as PDF (default: this month)",
	  OPTS(DIR_OPTS, "from", "to", "out") },
	{ "report", cmd_report, CLI_DB,
	  "NAME [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by field|procedure|officer|channel|commune] "
	  "[--agency CODE] [--format json|xlsx|csv] [--out FILE]",
	  "A supervision report of a period (default: this month): ii06a (Biểu II.06a), 766 (the "
	  "Decision 766 indicators) or trend (the last 12 months); a hub reports commune by commune",
	  OPTS(DIR_OPTS, "from", "to", "by", "agency", "format", "out") },
	{ "routes-markdown", cmd_routes_markdown, CLI_NODB | CLI_HIDDEN, "",
	  "The endpoint table as Markdown (the generated part of docs/api.md)", OPTS("x") },
	{ "serve", cmd_serve, CLI_DB,
	  "--dir DIR [--listen 127.0.0.1:8080] [--trusted-proxy ADDR]",
	  "Serve the web UI and the HTTP API until SIGINT/SIGTERM; X-Forwarded-For and "
	  "X-Forwarded-Proto are believed only from ADDR",
	  OPTS("dir", "listen", "trusted-proxy") },
	{ "sync now", cmd_sync_now, CLI_DB, "--dir DIR",
	  "Push this node's waiting events to its hub now (also after a stop an admin fixed)",
	  OPTS("dir") },
	{ "sync status", cmd_sync_status, CLI_DB, "[--json] --dir DIR",
	  "This node's sync: acknowledged and waiting events, last success, last error",
	  OPTS("dir", "json") },
	{ "test-bench", cmd_test_bench, CLI_DB | CLI_HIDDEN, "[--n N]",
	  "Engine receptions/s against raw durable INSERT commits/s", OPTS("dir", "n") },
	{ "test-bench-reports", cmd_test_bench_reports, CLI_DB | CLI_HIDDEN,
	  "[--n N] [--agencies A] [--fill 0] --dir DIR",
	  "II.06a and the 766 scorecard of a year over N made-up dossiers of A communes against "
	  "an indexed count(*) of the same rows; memory",
	  OPTS("dir", "n", "agencies", "fill") },
	{ "test-bench-search", cmd_test_bench_search, CLI_DB | CLI_HIDDEN, "[--n N]",
	  "Full-text search p50/p99 over N made-up dossiers against the list's scan",
	  OPTS("dir", "n") },
	{ "test-receive", cmd_test_receive, CLI_DB | CLI_HIDDEN, "--n N --procedure CODE",
	  "Receive N dossiers in one process (concurrency tests)", OPTS(DIR_OPTS, "n", "procedure") },
	{ "token create", cmd_token_create, CLI_DB, "LOGIN --dir DIR",
	  "Create an API token for LOGIN; prints the token alone, once", OPTS("dir", "as") },
	{ "token revoke", cmd_token_revoke, CLI_DB, "TOKEN-ID --dir DIR",
	  "Revoke an API token by its id (printed on stderr at creation)", OPTS("dir", "as") },
	{ "user add", cmd_user_add, CLI_DB, "LOGIN --role ROLE --name NAME  (password on stdin)",
	  "Add a staff account (roles: reception, specialist, leader, admin, supervisor)",
	  OPTS(DIR_OPTS, "role", "name") },
	{ "user list", cmd_user_list, CLI_DB, "[--json]", "List staff accounts", OPTS("dir", "json") },
	{ "version", cmd_version, CLI_NODB, "", "Print the version", OPTS("x") },
	{ NULL, NULL, 0, NULL, NULL, NULL },
};

const char *cli_opt(const cli_args *a, const char *key)
{
	for (int i = 0; i < a->nopt; i++)
		if (strcmp(a->key[i], key) == 0)
			return a->val[i] ? a->val[i] : "";
	return NULL;
}

int cli_flag(const cli_args *a, const char *key)
{
	return cli_opt(a, key) != NULL;
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("motcua: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 1;
}

int cli_fail_both(const char *vi, const char *en, ...)
{
	va_list ap;
	va_start(ap, en);
	fputs("motcua: ", stderr);
	vfprintf(stderr, cli_vi() ? vi : en, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 1;
}

int cli_vi(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < MC_ARRAY_LEN(vars); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "vi", 2) == 0;
	}
	return 0;
}

const char *cli_errmsg(const mc_err *e)
{
	const char *m = mc_errmsg(e, cli_vi());
	return m && *m ? m : mc_code_name(e->code);
}

/* Set while a command given --json runs: its errors are JSON too. */
static int json_errors;

int cli_fail_err(const mc_err *e)
{
	size_t n;
	const mc_errdef *d = mc_errdefs(&n);
	if (!json_errors || e->id <= 0 || (size_t)e->id >= n)
		return cli_fail("%s", cli_errmsg(e));
	/* The API's error shape, so a script reads the same stable code. */
	json_t *j = json_pack("{s:{s:s, s:s}}", "error", "code", d[e->id].name, "message",
			      cli_errmsg(e));
	char *t = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (t)
		fprintf(stderr, "%s\n", t);
	else
		fprintf(stderr, "motcua: %s\n", cli_errmsg(e));
	free(t);
	json_decref(j);
	return 1;
}

int cli_write_out(const char *path, const void *data, size_t len, const char *what)
{
	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
			return cli_fail("cannot write the %s to standard output", what);
		return 0;
	}
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= sizeof tmp)
		return cli_fail("--out is too long");
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return cli_fail("cannot create '%s': %s", tmp, strerror(errno));
	int bad = fwrite(data, 1, len, f) != len;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		int err = errno;
		(void)unlink(tmp);
		return cli_fail("cannot write '%s': %s", path, strerror(err));
	}
	fprintf(stderr, "%s: %zu bytes\n", path, len);
	return 0;
}

void cli_print_json(const json_t *j, int pretty)
{
	char *t = json_dumps(j, JSON_ENCODE_ANY | (pretty ? JSON_INDENT(2) : JSON_COMPACT) |
					JSON_PRESERVE_ORDER);
	if (t) {
		puts(t);
		free(t);
	}
}

int cli_read_file(const char *path, char **data, size_t *len, size_t max, mc_err *e)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return mc_fail(e, MCE_CLI_CANNOT_OPEN, "không mở được tệp '%s': %s",
			       "cannot open '%s': %s", path, strerror(errno));
	size_t cap = 65536, n = 0;
	char *buf = mc_xmalloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n > max) {
			free(buf);
			if (f != stdin)
				fclose(f);
			return mc_fail(e, MCE_CLI_FILE_TOO_LARGE, "tệp '%s' lớn hơn %zu byte",
				       "'%s' is larger than %zu bytes", path, max);
		}
		if (cap - n - 1 == 0) {
			cap *= 2;
			buf = mc_xrealloc(buf, cap);
		}
	}
	int err = ferror(f);
	if (f != stdin)
		fclose(f);
	if (err) {
		free(buf);
		return mc_fail(e, MCE_CLI_CANNOT_READ, "không đọc được tệp '%s'",
			       "cannot read '%s'", path);
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
	return MC_OK;
}

static const cli_cmd *find(const char *w1, const char *w2, int *words)
{
	char two[128];
	if (w2) {
		snprintf(two, sizeof two, "%s %s", w1, w2);
		for (const cli_cmd *c = cli_cmds; c->name; c++)
			if (strcmp(c->name, two) == 0) {
				*words = 2;
				return c;
			}
	}
	for (const cli_cmd *c = cli_cmds; c->name; c++)
		if (strcmp(c->name, w1) == 0) {
			*words = 1;
			return c;
		}
	return NULL;
}

static void usage_line(FILE *f, const cli_cmd *c)
{
	fprintf(f, "  motcua %s %s\n      %s\n", c->name, c->usage, c->help);
}

int cmd_help(cli_args *a)
{
	if (a->npos > 0) {
		int words;
		const cli_cmd *c = find(a->pos[0], a->npos > 1 ? a->pos[1] : NULL, &words);
		if (!c || (c->flags & CLI_HIDDEN))
			return cli_fail("unknown command '%s' (see motcua help)", a->pos[0]);
		printf("usage: motcua %s %s\n\n%s\n", c->name, c->usage, c->help);
		if (c->flags & (CLI_DB | CLI_OPTDB))
			printf("\nThe data directory comes from --dir DIR or the MOTCUA_DIR variable.\n");
		return 0;
	}
	printf("motcua - software for a commune's public administrative service centre\n\n"
	       "usage: motcua COMMAND [ARGS]\n\ncommands:\n");
	for (const cli_cmd *c = cli_cmds; c->name; c++)
		if (!(c->flags & CLI_HIDDEN))
			usage_line(stdout, c);
	printf("\nEnvironment: MOTCUA_DIR replaces --dir; MOTCUA_TEST_NOW=\"YYYY-MM-DD HH:MM\" "
	       "pins the clock.\nmotcua help COMMAND explains one command.\n");
	return 0;
}

int cmd_help_markdown(cli_args *a)
{
	printf("# motcua command reference\n\n"
	       "Generated by `motcua help-markdown` from the command table (src/cli/cli.c); "
	       "`make test` fails when this file is out of date.\n\n"
	       "Commands that need a data directory take `--dir DIR` or the `MOTCUA_DIR` variable; "
	       "those where an actor matters take `--as LOGIN` (default: the node's local "
	       "administrator, `system`). `MOTCUA_TEST_NOW=\"YYYY-MM-DD HH:MM\"` pins the clock.\n\n");
	for (const cli_cmd *c = cli_cmds; c->name; c++) {
		if (c->flags & CLI_HIDDEN)
			continue;
		printf("## motcua %s\n\n    motcua %s %s\n\n%s.\n\n", c->name, c->name, c->usage,
		       c->help);
	}
	return 0;
}

/* The recommendations' table (src/core/rec.c): each step's side and roles. */
static void rec_permissions_markdown(const int *roles, size_t n)
{
	printf("\n## Recommendations (kiến nghị)\n\n"
	       "From the one table in src/core/rec.c (docs/recommendations.md). Each step belongs to "
	       "one side: the commune's node or the province's hub; *unit* marks the officers of "
	       "the department the recommendation is routed to, whatever their role.\n\n"
	       "| step | Vietnamese | from states | to | side |");
	for (size_t i = 0; i < n; i++)
		printf(" %s |", dsr_role_name(roles[i]));
	printf("\n|---|---|---|---|---|");
	for (size_t i = 0; i < n; i++)
		printf("---|");
	printf("\n");
	for (int k = 0; k < REC_N_ACTIONS; k++) {
		const rec_action_def *d = &rec_actions[k];
		printf("| `%s` | %s | ", d->name, d->label_vi);
		int first = 1;
		for (int s = 0; s < REC_N_STATES; s++)
			if (d->from & (1u << s)) {
				printf("%s%s", first ? "" : ", ", rec_state_name(s));
				first = 0;
			}
		printf("%s | %s | %s |", first ? "(new)" : "", rec_state_name(d->to),
		       rec_side_name(d->side));
		for (size_t i = 0; i < n; i++)
			printf(" %s |", (d->roles & (unsigned)roles[i]) ? "yes"
					: (d->needs & REC_UNIT_MAY) ? "unit" : "-");
		printf("\n");
	}
}

int cmd_permissions_markdown(cli_args *a)
{
	static const int roles[] = { ROLE_RECEPTION, ROLE_SPECIALIST, ROLE_LEADER, ROLE_ADMIN,
				     ROLE_SUPERVISOR };
	printf("# Roles, actions and states\n\n"
	       "Generated by `motcua permissions-markdown` from the one table in src/core/dsr.c; "
	       "`make test` fails when this file is out of date.\n\n"
	       "Receiving a dossier: reception, admin. Adding users, importing the catalog or a "
	       "calendar: admin. The supervisor reads everything and changes nothing. A specialist "
	       "acts on a processing dossier only while it is assigned to them (marked *own*).\n\n"
	       "Digitization (src/app/files.c): a component's scan is uploaded by reception or "
	       "admin while the dossier is open; the electronic result by the specialist assigned "
	       "the dossier (*own*), a leader or admin while it is processing, awaiting approval "
	       "or ready. Only whoever began an upload (or an admin) continues it. Reception and "
	       "admin see an applicant's papers digitized before (same ID number) and reuse them. "
	       "Any officer lists a dossier's files and downloads a file that one of the agency's "
	       "dossiers holds.\n\n"
	       "Files on the provincial hub (src/app/syncfiles.c, docs/sync.md §12): the "
	       "communes' files reach the hub with sync, signed by the node's key; on the hub a "
	       "supervisor or admin sees a dossier's files (GET /api/v1/hub/dossiers/{code}) and "
	       "downloads their bytes with GET /api/v1/hub/files/{sha256}, any commune's. "
	       "/api/v1/files/{sha256} stays a commune's own route (its agency's dossiers), "
	       "which does not fit a province that holds no dossier of its own.\n\n"
	       "Document registers (src/app/documents.c, docs/documents.md): any officer reads "
	       "the incoming and outgoing registers and exports their books; reception, leaders "
	       "and admins register and edit entries and assign incoming documents; the assignee "
	       "(or, for a document assigned to a unit only, an officer of that unit), a leader or "
	       "an admin marks one done. A confidential document's excerpt, note and scans show "
	       "only to leaders, admins and its assignee.\n\n"
	       "| action | Vietnamese | from states | to |");
	for (size_t i = 0; i < MC_ARRAY_LEN(roles); i++)
		printf(" %s |", dsr_role_name(roles[i]));
	printf("\n|---|---|---|---|");
	for (size_t i = 0; i < MC_ARRAY_LEN(roles); i++)
		printf("---|");
	printf("\n");
	for (int k = 0; k < DSR_N_ACTIONS; k++) {
		const dsr_action_def *d = &dsr_actions[k];
		printf("| `%s` | %s | ", d->name, d->label_vi);
		int first = 1;
		for (int s = 0; s < DSR_N_STATES; s++)
			if (d->from & (1u << s)) {
				printf("%s%s", first ? "" : ", ", dsr_state_name(s));
				first = 0;
			}
		printf(" | %s |", d->to == -1 ? "(same)" : d->to == -2 ? "(state before the pause)"
							   : dsr_state_name(d->to));
		for (size_t i = 0; i < MC_ARRAY_LEN(roles); i++)
			printf(" %s |", !(d->roles & (unsigned)roles[i]) ? "-"
					: (roles[i] == ROLE_SPECIALIST && (d->needs & DSR_OWN_ONLY)) ? "own"
					: "yes");
		printf("\n");
	}
	printf("\nStates and national status codes:\n\n| state | code | Vietnamese |\n|---|---|---|\n");
	for (int s = 0; s < DSR_N_STATES; s++)
		printf("| `%s` | %d | %s |\n", dsr_state_name(s), dsr_state_code(s),
		       dsr_state_label_vi(s));
	cli_task_permissions_markdown();
	rec_permissions_markdown(roles, MC_ARRAY_LEN(roles));
	return 0;
}

int cmd_version(cli_args *a)
{
	printf("motcua 0.1.0\n");
	return 0;
}

static int allowed(const cli_cmd *c, const char *key)
{
	for (const char *const *o = c->opts; o && *o; o++)
		if (strcmp(*o, key) == 0)
			return 1;
	return 0;
}

/* Flags that take no value. --hub is one for init (this data directory is
 * the province's hub) and takes the hub's URL everywhere else (enrol). */
static int is_flag(const cli_cmd *c, const char *key)
{
	static const char *const flags[] = { "demo", "office", "json", "overdue", "leap", "pending", "add", "check", NULL };
	if (strcmp(key, "hub") == 0)
		return strcmp(c->name, "init") == 0;
	for (int i = 0; flags[i]; i++)
		if (strcmp(flags[i], key) == 0)
			return 1;
	return 0;
}

static int parse(const cli_cmd *c, int argc, char **argv, cli_args *a)
{
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (strncmp(w, "--", 2) == 0 && w[2]) {
			const char *key = w + 2;
			const char *eq = strchr(key, '=');
			char kbuf[64];
			const char *val = NULL;
			if (eq) {
				snprintf(kbuf, sizeof kbuf, "%.*s", (int)(eq - key), key);
				key = kbuf;
				val = eq + 1;
			}
			if (!allowed(c, key))
				return cli_fail("unknown option '--%s' for '%s' (see motcua help %s)",
						key, c->name, c->name) + 1;
			if (!eq && !is_flag(c, key)) {
				if (i + 1 >= argc)
					return cli_fail("option '--%s' needs a value", key) + 1;
				val = argv[++i];
			}
			if (a->nopt >= CLI_MAX_OPT)
				return cli_fail("too many options") + 1;
			/* key may point into kbuf: keep a copy that lives long enough */
			a->key[a->nopt] = eq ? mc_xstrdup(key) : key;
			a->val[a->nopt++] = val;
		} else {
			if (a->npos >= CLI_MAX_POS)
				return cli_fail("too many arguments") + 1;
			a->pos[a->npos++] = w;
		}
	}
	return 0;
}

static int clock_now(mc_time *now)
{
	mc_err e;
	if (app_now_check(&e))
		return cli_fail_err(&e);
	*now = app_now();
	return 0;
}

int cli_main(int argc, char **argv)
{
	/* Whatever motcua creates (database, WAL, keys, exports) is the
	 * node's own: nobody else on the machine reads it. */
	umask(077);
	mc_process_init();
	mc_err ie;
	if (app_library_init(&ie))
		return cli_fail_err(&ie);
	if (argc < 2) {
		cli_args none = { 0 };
		(void)cmd_help(&none);
		return 2;
	}
	int words = 0;
	const cli_cmd *c = find(argv[1], argc > 2 ? argv[2] : NULL, &words);
	if (!c)
		return cli_fail("unknown command '%s' (see motcua help)", argv[1]) + 1;
	cli_args a;
	memset(&a, 0, sizeof a);
	int rc = parse(c, argc - 1 - words, argv + 1 + words, &a);
	if (!rc)
		rc = clock_now(&a.now);
	const char *dir = cli_opt(&a, "dir");
	if (!dir || !*dir)
		dir = getenv("MOTCUA_DIR");
	if (!rc && (c->flags & CLI_DB) && (!dir || !*dir))
		rc = cli_fail("'%s' needs a data directory: --dir DIR or MOTCUA_DIR", c->name) + 1;
	mc_err e = { 0 };
	if (!rc && dir && *dir && (c->flags & (CLI_DB | CLI_OPTDB))) {
		if (app_open(dir, &a.app, &e))
			rc = cli_fail_err(&e);
	}
	if (!rc && a.app) {
		const char *as = cli_opt(&a, "as");
		if (!as || !*as)
			as = getenv("MOTCUA_AS");
		if (as && *as) {
			if (app_actor_load(a.app, as, &a.actor, &e))
				rc = cli_fail_err(&e);
		} else {
			app_actor_system(a.app, &a.actor);
		}
	}
	json_errors = cli_flag(&a, "json");
	if (!rc)
		rc = c->run(&a);
	app_close(a.app);
	return rc;
}
