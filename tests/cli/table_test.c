/* table_test.c - the command table is sorted, unique and documented
 * (Fossil's dispatch.c binary-search precondition). */
#include "cli/cli.h"
#include "t.h"

int main(void)
{
	int n = 0;
	for (const cli_cmd *c = cli_cmds; c->name; c++, n++) {
		T_CASE(c->name);
		CHECK(c->run != NULL);
		CHECK(c->help && strlen(c->help) > 10);
		CHECK(c->usage != NULL);
		CHECK(c->opts != NULL);
		if (c[1].name)
			CHECK(strcmp(c->name, c[1].name) < 0); /* sorted, no duplicates */
	}
	T_CASE("count");
	CHECK(n >= 15);
	return t_done();
}
