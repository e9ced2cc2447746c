/* cmd_cat.c - catalog commands. */
#include "cli/cli.h"

#include "app/catalog.h"
#include "sb.h"

#define CATALOG_MAX (64u << 20)

int cmd_catalog_import(cli_args *a)
{
	if (a->npos < 1)
		return cli_fail("expected one or more catalog files (JSON lines)");
	/* All files in one transaction: a bad or missing file changes nothing. */
	sb all, names;
	sb_init(&all, CATALOG_MAX);
	sb_init(&names, 1024);
	mc_err e;
	for (int i = 0; i < a->npos; i++) {
		char *data;
		size_t len;
		if (cli_read_file(a->pos[i], &data, &len, CATALOG_MAX, &e)) {
			sb_release(&all);
			sb_release(&names);
			return cli_fail_err(&e);
		}
		sb_addn(&all, data, len);
		sb_addc(&all, '\n');
		free(data);
		const char *base = strrchr(a->pos[i], '/');
		sb_addf(&names, "%s%s", i ? "+" : "", base ? base + 1 : a->pos[i]);
	}
	if (sb_err(&all) || sb_err(&names)) {
		sb_release(&all);
		sb_release(&names);
		return cli_fail("the catalog files are larger than %u bytes together", CATALOG_MAX);
	}
	app_import_stats stats;
	int rc = app_catalog_import(a->app, &a->actor, sb_str(&all), all.len, sb_str(&names), a->now,
				    &stats, &e);
	sb_release(&all);
	if (rc) {
		sb_release(&names);
		return cli_fail_err(&e);
	}
	printf("%s: %d procedures: %d parsed fully, %d partly (raw text kept), %d rejected; "
	       "%d new, %d updated\n",
	       sb_str(&names), stats.total, stats.full, stats.partial, stats.rejected, stats.created,
	       stats.updated);
	if (stats.rejected)
		fprintf(stderr, "motcua: first rejected %s\n", stats.first_error);
	sb_release(&names);
	return 0;
}

int cmd_catalog_convert(cli_args *a)
{
	if (a->npos != 1)
		return cli_fail("expected one catalog file (JSON lines)");
	char *data;
	size_t len;
	mc_err e;
	if (cli_read_file(a->pos[0], &data, &len, CATALOG_MAX, &e))
		return cli_fail_err(&e);
	int full = 0, partial = 0, rejected = 0;
	char *p = data;
	while (p < data + len) {
		char *nl = memchr(p, '\n', (size_t)(data + len - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(data + len - p);
		json_t *in = json_loadb(p, n, 0, NULL);
		p += n + 1;
		if (!in) {
			if (n > 1)
				rejected++;
			continue;
		}
		json_t *clean = NULL;
		int complete = 0;
		if (catalog_normalize(in, &clean, &complete, &e) == MC_OK) {
			char *t = json_dumps(clean, JSON_COMPACT | JSON_PRESERVE_ORDER);
			if (t)
				puts(t);
			free(t);
			complete ? full++ : partial++;
		} else {
			rejected++;
		}
		json_decref(clean);
		json_decref(in);
	}
	free(data);
	fprintf(stderr, "%d procedures: %d parsed fully, %d partly, %d rejected\n",
		full + partial + rejected, full, partial, rejected);
	return 0;
}

int cmd_catalog_list(cli_args *a)
{
	json_t *list;
	mc_err e;
	if (app_catalog_list(a->app, cli_opt(a, "field"), cli_opt(a, "q"), &list, &e))
		return cli_fail_err(&e);
	if (cli_flag(a, "json")) {
		cli_print_json(list, 0);
	} else {
		size_t i;
		json_t *it;
		json_array_foreach(list, i, it) {
			printf("%-10s %s  [%s]\n", json_string_value(json_object_get(it, "code")),
			       json_string_value(json_object_get(it, "name")),
			       json_string_value(json_object_get(it, "field")));
		}
		fprintf(stderr, "%zu procedures\n", json_array_size(list));
	}
	json_decref(list);
	return 0;
}

static const char *unit_vi(const char *u)
{
	if (!u)
		return "";
	if (strcmp(u, "working_days") == 0)
		return "ngày làm việc";
	if (strcmp(u, "working_hours") == 0)
		return "giờ làm việc";
	if (strcmp(u, "calendar_days") == 0)
		return "ngày";
	if (strcmp(u, "same_day") == 0)
		return "trong ngày";
	return u;
}

int cmd_catalog_show(cli_args *a)
{
	if (a->npos != 1)
		return cli_fail("expected one procedure code");
	json_t *p;
	mc_err e;
	if (app_catalog_get(a->app, a->pos[0], &p, &e))
		return cli_fail_err(&e);
	if (cli_flag(a, "json")) {
		cli_print_json(p, 1);
		json_decref(p);
		return 0;
	}
	printf("%s  %s\nLĩnh vực: %s\nCấp thực hiện: %s\n",
	       json_string_value(json_object_get(p, "code")),
	       json_string_value(json_object_get(p, "name")),
	       json_string_value(json_object_get(p, "field")),
	       json_string_value(json_object_get(p, "level")));
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(p, "channels"), i, it) {
		json_t *t = json_object_get(it, "time");
		const char *fee = json_string_value(json_object_get(it, "fee"));
		printf("Kênh %s: ", json_string_value(json_object_get(it, "channel")));
		const char *u = json_string_value(json_object_get(it, "unit"));
		if (json_is_number(t) && u)
			printf("%g %s%s", json_number_value(t), unit_vi(u),
			       json_is_true(json_object_get(it, "inferred")) ? " (suy ra)" : "");
		else if (json_is_number(t))
			printf("%g (không ghi đơn vị; tính theo ngày làm việc)", json_number_value(t));
		else
			printf("không rõ thời hạn");
		printf("; phí: %s\n", fee && *fee ? fee : "không");
	}
	printf("Thành phần hồ sơ:\n");
	json_array_foreach(json_object_get(p, "components"), i, it) {
		printf("  %zu. %s", i + 1, json_string_value(json_object_get(it, "name")));
		const char *q = json_string_value(json_object_get(it, "quantity"));
		if (q && *q)
			printf(" (%s)", q);
		printf("\n");
	}
	json_t *r = json_object_get(p, "result");
	if (r)
		printf("Kết quả: %s %s\n", json_string_value(json_object_get(r, "name")) ?: "",
		       json_string_value(json_object_get(r, "code")) ?: "");
	json_decref(p);
	return 0;
}
