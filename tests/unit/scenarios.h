/*
 * scenarios: the driver shared by the data-driven runners
 * (deadlines/test_deadlines.c, test_calendar_scenarios.c).  Each scenario
 * is one JSON file; each runs as its own cmocka test.
 */
#ifndef BREACHCLOCK_TEST_SCENARIOS_H
#define BREACHCLOCK_TEST_SCENARIOS_H

/*
 * Parse a --count value (a whole number >= 0) into *count; 0 or -1.
 */
int scenarios_count(const char *s, long *count);

/*
 * Run the scenarios at path, a single file or a directory whose *.json
 * files run in name order, as the cmocka group named group.  run(file)
 * returns 0 when the scenario passes.  With count >= 0 a directory must
 * hold exactly count scenarios (meson registers each file as its own test;
 * this catches a file that was added but not registered).  Returns the
 * exit status for main().
 */
int scenarios_main(const char *group, const char *path, long count,
    int (*run)(const char *file));

#endif
