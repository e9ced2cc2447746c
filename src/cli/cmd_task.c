/*
 * cmd_task.c - the tasks' part of `motcua permissions-markdown`
 * (docs/permissions.md), made from the one table in src/core/task.c.
 */
#include "cli/cli.h"

#include "core/task.h"

static const char *side_name(unsigned side)
{
	return side == TASK_SIDE_ASSIGNER   ? "assigner"
	       : side == TASK_SIDE_ASSIGNEE ? "assignee"
					    : "assignee's leader";
}

void cli_task_permissions_markdown(void)
{
	printf("\n## Tasks (giao việc)\n\n"
	       "From the table in src/core/task.c (docs/tasks.md). An action belongs to a side, not "
	       "to a role: the assigner's side is the task's creator and the leaders and "
	       "administrators of the node that assigned it (for a province task, the hub's: a "
	       "commune does not review it); the assignee's side is its officer, its co-workers, "
	       "the members of its unit and the leaders of the node that works it; the assignee "
	       "side's leader (role leader) delegates. Leaders and administrators assign tasks; "
	       "the supervisor reads every task and changes nothing; the others see the tasks they "
	       "created, hold or their unit holds. Overdue is not a state: a task not accepted nor "
	       "cancelled whose deadline passed (reported done: by its report's time).\n\n"
	       "| action | Vietnamese | from states | to | side | needs |\n"
	       "|---|---|---|---|---|---|\n");
	for (int k = 0; k < TASK_N_ACTIONS; k++) {
		const task_action_def *d = &task_actions[k];
		printf("| `%s` | %s | ", d->name, d->label_vi);
		int first = 1;
		for (int s = 0; s < TASK_N_STATES; s++)
			if (d->from & (1u << s)) {
				printf("%s%s", first ? "" : ", ", task_state_name(s));
				first = 0;
			}
		printf(" | %s | %s | %s |\n",
		       d->to == -1   ? "(same)"
		       : d->to == -2 ? "in_progress"
				     : task_state_name(d->to),
		       side_name(d->side),
		       d->needs & TASK_NEED_REASON    ? "a reason"
		       : d->needs & TASK_NEED_PERCENT ? "percent 0-100"
		       : d->needs & TASK_NEED_OWNER   ? "a unit (an officer, co-workers)"
						      : "-");
	}
	printf("\n| state | Vietnamese |\n|---|---|\n");
	for (int s = 0; s < TASK_N_STATES; s++)
		printf("| `%s` | %s |\n", task_state_name(s), task_state_label_vi(s));
}
