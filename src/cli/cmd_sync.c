/* cmd_sync.c - enrolment and sync on a node, and the hub's node list. */
#include "cli/cli.h"

#include "app/sync.h"
#include "sync/client.h"

int cmd_enrol(cli_args *a)
{
	const char *url = cli_opt(a, "hub");
	if (!url || !*url)
		return cli_fail("enrol needs --hub URL (the province's hub, https://...)");
	if (a->npos)
		return cli_fail("unexpected argument '%s'", a->pos[0]);
	sync_library_init();
	const char *status;
	mc_err e;
	if (sync_enrol(a->app, url, a->now, &status, &e))
		return cli_fail_err(&e);
	printf("enrolled with %s: %s\n", url, status);
	if (strcmp(status, "pending") == 0)
		printf("the hub's administrator approves this node with:\n  motcua hub approve %s\n",
		       app_pubkey(a->app));
	return 0;
}

static const char *or_dash(const json_t *v)
{
	return json_string_value(v) ? json_string_value(v) : "-";
}

int cmd_sync_status(cli_args *a)
{
	json_t *s;
	mc_err e;
	if (app_sync_status(a->app, a->now, &s, &e))
		return cli_fail_err(&e);
	if (cli_flag(a, "json")) {
		cli_print_json(s, 1);
		json_decref(s);
		return 0;
	}
	if (!json_is_true(json_object_get(s, "enrolled"))) {
		printf("not enrolled with a hub (motcua enrol --hub URL)\n");
		json_decref(s);
		return 0;
	}
	printf("hub:          %s\n", or_dash(json_object_get(s, "hub_url")));
	printf("acknowledged: %lld of %lld events (%lld waiting)\n",
	       (long long)json_integer_value(json_object_get(s, "acked_seq")),
	       (long long)json_integer_value(json_object_get(s, "local_seq")),
	       (long long)json_integer_value(json_object_get(s, "waiting")));
	printf("last success: %s\n", or_dash(json_object_get(s, "last_ok_at")));
	printf("last attempt: %s\n", or_dash(json_object_get(s, "last_try_at")));
	const json_t *err = json_object_get(s, "last_error");
	if (json_is_object(err))
		printf("last error:   %s: %s (%lld failures in a row)\n",
		       or_dash(json_object_get(err, "code")), or_dash(json_object_get(err, "message")),
		       (long long)json_integer_value(json_object_get(s, "failures")));
	const json_t *f = json_object_get(s, "files");
	printf("files:        %lld waiting (%lld bytes), %lld bytes sent, %zu refused\n",
	       (long long)json_integer_value(json_object_get(f, "waiting")),
	       (long long)json_integer_value(json_object_get(f, "bytes_waiting")),
	       (long long)json_integer_value(json_object_get(f, "bytes_sent")),
	       json_array_size(json_object_get(f, "refused")));
	if (json_is_true(json_object_get(s, "stopped")))
		printf("STOPPED: rounds wait for an administrator (fix the cause, then motcua sync now)\n");
	if (json_string_value(json_object_get(s, "hub_behind")))
		printf("warning:      %s\n", or_dash(json_object_get(s, "hub_behind")));
	const json_t *vs = json_object_get(s, "verdicts");
	size_t i;
	const json_t *v;
	if (json_array_size(vs))
		printf("events the hub did not apply:\n");
	json_array_foreach(vs, i, v)
		printf("  %lld %s %s: %s\n", (long long)json_integer_value(json_object_get(v, "seq")),
		       or_dash(json_object_get(v, "verdict")), or_dash(json_object_get(v, "code")),
		       or_dash(json_object_get(v, "message")));
	printf("%s\n", json_is_true(json_object_get(s, "offline")) ? "state: OFFLINE (Mất kết nối với tỉnh)"
	       : json_integer_value(json_object_get(s, "waiting")) ? "state: sending"
							     : "state: in sync");
	json_decref(s);
	return 0;
}

int cmd_sync_now(cli_args *a)
{
	sync_library_init();
	mc_err e;
	if (app_sync_resume(a->app, &e))
		return cli_fail_err(&e);
	sync_round_stats st;
	int rc = sync_round(a->app, &st, &e);
	printf("%d batches, %lld new events acknowledged, %lld bytes sent, %lld received, %lld "
	       "waiting\n",
	       st.batches, (long long)st.events, (long long)st.bytes_up, (long long)st.bytes_down,
	       (long long)st.waiting);
	if (st.items)
		printf("%d items from the province applied\n", st.items);
	if (st.files || st.file_bytes || st.files_waiting)
		printf("%d files confirmed, %lld file bytes sent, %lld files waiting\n", st.files,
		       (long long)st.file_bytes, (long long)st.files_waiting);
	if (rc)
		return cli_fail_err(&e);
	return 0;
}

int cmd_hub_nodes(cli_args *a)
{
	json_t *out;
	mc_err e;
	if (app_hub_nodes(a->app, &a->actor, a->now, &out, &e))
		return cli_fail_err(&e);
	if (cli_flag(a, "json")) {
		cli_print_json(out, 1);
	} else {
		size_t i;
		const json_t *n;
		json_array_foreach(json_object_get(out, "nodes"), i, n)
			printf("%-16s chain %lld  %-8s acked %-8lld %s  %s\n",
			       or_dash(json_object_get(n, "agency")),
			       (long long)json_integer_value(json_object_get(n, "chain")),
			       or_dash(json_object_get(n, "status")),
			       (long long)json_integer_value(json_object_get(n, "acked_seq")),
			       or_dash(json_object_get(n, "key")), or_dash(json_object_get(n, "name")));
	}
	json_decref(out);
	return 0;
}

static int decide(cli_args *a, int approve)
{
	if (a->npos != 1)
		return cli_fail("expected one KEY (motcua hub nodes lists them)");
	json_t *out;
	mc_err e;
	if (app_hub_decide(a->app, &a->actor, a->pos[0], approve, a->now, &out, &e))
		return cli_fail_err(&e);
	printf("%s %s (%s)\n", approve ? "approved" : "revoked",
	       or_dash(json_object_get(out, "agency")), a->pos[0]);
	json_decref(out);
	return 0;
}

int cmd_hub_approve(cli_args *a)
{
	return decide(a, 1);
}

int cmd_hub_revoke(cli_args *a)
{
	return decide(a, 0);
}

int cmd_hub_dump(cli_args *a)
{
	if (a->npos != 2)
		return cli_fail("expected AGENCY CHAIN");
	mc_err e;
	if (app_hub_chain_dump(a->app, a->pos[0], strtoll(a->pos[1], NULL, 10), stdout, &e))
		return cli_fail_err(&e);
	return 0;
}

int cmd_hub_publish(cli_args *a)
{
	if (a->npos != 2 || (strcmp(a->pos[0], "calendar") != 0 && strcmp(a->pos[0], "catalog") != 0))
		return cli_fail("expected: hub publish calendar|catalog FILE (a days-off schedule, or "
				"a commune procedure list, CSV)");
	const char *path = a->pos[1];
	char *data;
	size_t len;
	mc_err e;
	if (cli_read_file(path, &data, &len, 4 << 20, &e))
		return cli_fail_err(&e);
	const char *base = strrchr(path, '/');
	const char *source = cli_opt(a, "source");
	const char *to = cli_opt(a, "to");
	json_t *out;
	int rc = app_hub_publish(a->app, &a->actor, a->pos[0], data, len,
					  source ? source : base ? base + 1 : path,
					  cli_flag(a, "add"), to, a->now, &out, &e);
	free(data);
	if (rc)
		return cli_fail_err(&e);
	if (cli_flag(a, "json")) {
		cli_print_json(out, 1);
	} else {
		printf("published %s (version %s) to %s\n",
		       json_string_value(json_object_get(out, "source")),
		       json_string_value(json_object_get(out, "version")),
		       to ? "the communes named" : "every commune");
	}
	json_decref(out);
	return 0;
}
