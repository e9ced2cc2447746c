/*
 * cli.h - the command line: one table of commands (cli.c), each a thin call
 * into app. Options are parsed once into cli_args.
 */
#ifndef CLI_H
#define CLI_H

#include "app/app.h"

#define CLI_MAX_POS 16
#define CLI_MAX_OPT 24

typedef struct {
	int npos;
	const char *pos[CLI_MAX_POS]; /* positional words after the command */
	int nopt;
	const char *key[CLI_MAX_OPT]; /* option names without "--" */
	const char *val[CLI_MAX_OPT]; /* NULL for a flag */
	mc_time now;                  /* MOTCUA_TEST_NOW or the clock */
	app *app;                     /* opened when the command needs a node */
	app_actor actor;              /* --as, or the local administrator */
} cli_args;

enum {
	CLI_NODB = 0,   /* needs no data directory */
	CLI_DB = 1,     /* opens --dir / MOTCUA_DIR before running */
	CLI_OPTDB = 2,  /* opens it if given */
	CLI_HIDDEN = 4, /* test helpers: not listed by help */
};

typedef struct {
	const char *name;  /* "calendar lunar" */
	int (*run)(cli_args *a);
	int flags;
	const char *usage; /* arguments */
	const char *help;  /* one line */
	const char *const *opts; /* options it accepts (NULL-terminated) */
} cli_cmd;

/* The command table, sorted by name, NULL-terminated. */
extern const cli_cmd cli_cmds[];

/* Option value or NULL; cli_flag: 1 if the flag is present. */
const char *cli_opt(const cli_args *a, const char *key);
int cli_flag(const cli_args *a, const char *key);
/* Prints "motcua: <msg>" on stderr and returns 1. */
int cli_fail(const char *fmt, ...) MC_PRINTF(1, 2);
/* The same with a message in Vietnamese (vi) and English (en), two formats
 * of the same arguments: prints the one cli_vi chooses. */
int cli_fail_both(const char *vi, const char *en, ...)
	__attribute__((format(printf, 1, 3), format(printf, 2, 3)));
/* Prints e's message, in the language cli_vi chooses, and returns 1. A
 * command given --json prints {"error":{"code","message"}} instead (the
 * API's error shape, with the same stable code). */
int cli_fail_err(const mc_err *e);
/* 1 if messages are to be in Vietnamese: the first set of LC_ALL,
 * LC_MESSAGES and LANG starts with "vi" (POSIX order). English otherwise. */
int cli_vi(void);
/* e's message in the language cli_vi chooses. */
const char *cli_errmsg(const mc_err *e);
/* Prints a JSON value on one line (compact) or indented. */
void cli_print_json(const json_t *j, int pretty);
/* cmd_task.c: the tasks' table of docs/permissions.md. */
void cli_task_permissions_markdown(void);
/* Writes data to path ("-": standard output) through a temporary file
 * renamed over it, so a reader never sees half a file; what names it in
 * errors ("PDF", "report"). 0 or cli_fail's status. */
int cli_write_out(const char *path, const void *data, size_t len, const char *what);
/* Reads all of a file ("-" = stdin). OUT: *data (caller frees), *len. */
MC_MUST_USE int cli_read_file(const char *path, char **data, size_t *len, size_t max, mc_err *e);

/* Commands (cmd_*.c). */
int cmd_calendar_days_off(cli_args *a);
int cmd_calendar_due(cli_args *a);
int cmd_calendar_import(cli_args *a);
int cmd_calendar_lunar(cli_args *a);
int cmd_calendar_solar(cli_args *a);
int cmd_catalog_convert(cli_args *a);
int cmd_catalog_import(cli_args *a);
int cmd_catalog_list(cli_args *a);
int cmd_catalog_show(cli_args *a);
int cmd_check(cli_args *a);
int cmd_documents_export(cli_args *a);
int cmd_dossier_act(cli_args *a);
int cmd_dossier_list(cli_args *a);
int cmd_dossier_receive(cli_args *a);
int cmd_dossier_show(cli_args *a);
int cmd_form(cli_args *a);
int cmd_register(cli_args *a);
int cmd_report(cli_args *a);
int cmd_help(cli_args *a);
int cmd_help_markdown(cli_args *a);
int cmd_permissions_markdown(cli_args *a);
int cmd_routes_markdown(cli_args *a);
int cmd_openapi(cli_args *a);
int cmd_errors_markdown(cli_args *a);
int cmd_init(cli_args *a);
int cmd_enrol(cli_args *a);
int cmd_sync_status(cli_args *a);
int cmd_sync_now(cli_args *a);
int cmd_hub_nodes(cli_args *a);
int cmd_hub_approve(cli_args *a);
int cmd_hub_revoke(cli_args *a);
int cmd_hub_publish(cli_args *a);
int cmd_hub_dump(cli_args *a);
int cmd_serve(cli_args *a);
int cmd_jobs(cli_args *a);
int cmd_ocr(cli_args *a);
int cmd_token_create(cli_args *a);
int cmd_token_revoke(cli_args *a);
int cmd_notify_sweep(cli_args *a);
int cmd_test_bench(cli_args *a);
int cmd_test_bench_reports(cli_args *a);
int cmd_test_bench_search(cli_args *a);
int cmd_test_receive(cli_args *a);
int cmd_user_add(cli_args *a);
int cmd_user_list(cli_args *a);
int cmd_version(cli_args *a);

int cli_main(int argc, char **argv);

#endif
