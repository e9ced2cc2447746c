/* cmd_dossier.c - receiving, moving, showing and listing dossiers. */
#include "cli/cli.h"

int cmd_dossier_receive(cli_args *a)
{
	if (a->npos)
		return cli_fail("unexpected argument '%s'", a->pos[0]);
	mc_err e;
	mc_time at = 0, due = 0;
	const char *at_s = cli_opt(a, "at");
	if (at_s && cal_parse_datetime(at_s, &at, &e))
		return cli_fail("--at: %s", cli_errmsg(&e));
	json_t *comps = NULL;
	const char *cs = cli_opt(a, "components");
	if (cs) {
		json_error_t je;
		comps = json_loads(cs, 0, &je);
		if (!comps)
			return cli_fail("--components is not valid JSON: %s", je.text);
	}
	app_receive_req q = {
		.procedure = cli_opt(a, "procedure"), .channel = cli_opt(a, "channel"),
		.name = cli_opt(a, "name"), .id_number = cli_opt(a, "id-number"),
		.phone = cli_opt(a, "phone"), .email = cli_opt(a, "email"),
		.address = cli_opt(a, "address"), .summary = cli_opt(a, "summary"),
		.id_type = cli_opt(a, "id-type"), .kind = cli_opt(a, "kind"),
		.org_name = cli_opt(a, "org-name"), .tax_code = cli_opt(a, "tax-code"),
		.representative = cli_opt(a, "representative"),
		.components = comps, .received_at = at, .pending = cli_flag(a, "pending"),
	};
	if (!q.channel)
		q.channel = "direct";
	char code[96];
	int rc = app_receive(a->app, &a->actor, &q, a->now, code, &due, &e);
	json_decref(comps);
	if (rc)
		return cli_fail_err(&e);
	if (cli_flag(a, "json")) {
		json_t *d;
		if (app_dossier_get(a->app, code, 0, a->now, &d, &e))
			return cli_fail_err(&e);
		cli_print_json(d, 0);
		json_decref(d);
	} else {
		char ds[17] = "";
		if (due)
			cal_format_datetime(due, ds);
		printf("%s\t%s\n", code, due ? ds : "pending");
	}
	return 0;
}

int cmd_dossier_act(cli_args *a)
{
	if (a->npos != 2)
		return cli_fail("expected CODE ACTION");
	mc_err e;
	mc_time nd = 0;
	const char *nds = cli_opt(a, "new-due");
	if (nds && cal_parse_datetime(nds, &nd, &e))
		return cli_fail("--new-due: %s", cli_errmsg(&e));
	app_act_req q = {
		.action = a->pos[1], .to_user = cli_opt(a, "to"), .to_agency = cli_opt(a, "agency"),
		.new_due = nd, .comment = cli_opt(a, "comment"),
	};
	if (app_act(a->app, &a->actor, a->pos[0], &q, a->now, &e))
		return cli_fail_err(&e);
	json_t *d;
	if (app_dossier_get(a->app, a->pos[0], 0, a->now, &d, &e))
		return cli_fail_err(&e);
	if (cli_flag(a, "json")) {
		cli_print_json(d, 0);
	} else {
		const char *due = json_string_value(json_object_get(d, "due_at"));
		printf("%s\t%s\t%s\n", a->pos[0], json_string_value(json_object_get(d, "status")),
		       due ? due : "");
	}
	json_decref(d);
	return 0;
}

int cmd_dossier_show(cli_args *a)
{
	if (a->npos != 1)
		return cli_fail("expected one dossier code");
	json_t *d;
	mc_err e;
	if (app_dossier_get(a->app, a->pos[0], 1, a->now, &d, &e))
		return cli_fail_err(&e);
	cli_print_json(d, 1);
	json_decref(d);
	return 0;
}

int cmd_dossier_list(cli_args *a)
{
	if (a->npos)
		return cli_fail("unexpected argument '%s'", a->pos[0]);
	int limit = 500;
	const char *ls = cli_opt(a, "limit");
	if (ls) {
		char *end;
		long v = strtol(ls, &end, 10);
		if (*end || v < 1 || v > 500)
			return cli_fail("--limit must be 1 to 500");
		limit = (int)v;
	}
	app_list_req q = {
		.status = cli_opt(a, "status"), .overdue = cli_flag(a, "overdue"),
		.q = cli_opt(a, "q"), .assignee = cli_opt(a, "assignee"),
		.channel = cli_opt(a, "channel"), .limit = limit,
	};
	json_t *page;
	mc_err e;
	if (app_dossier_list(a->app, &q, a->now, &page, &e))
		return cli_fail_err(&e);
	json_t *items = json_object_get(page, "items");
	if (cli_flag(a, "json")) {
		cli_print_json(items, 0);
	} else {
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it) {
			const char *due = json_string_value(json_object_get(it, "due_at"));
			printf("%s\t%s\t%s\t%s%s\n", json_string_value(json_object_get(it, "code")),
			       json_string_value(json_object_get(it, "status")), due ? due : "-",
			       json_string_value(json_object_get(json_object_get(it, "applicant"), "name")),
			       json_is_true(json_object_get(it, "overdue")) ? "\tQUÁ HẠN" : "");
		}
	}
	json_decref(page);
	return 0;
}
