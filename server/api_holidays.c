/* api_holidays: the holiday calendars that business-day deadlines skip.
 * Everyone signed in reads them; admins replace a set's dates. */
#include "api.h"

int
api_holidays_list(struct req *r)
{
	return (api_internal(r, "holiday sets: not implemented yet"));
}

int
api_holidays_get(struct req *r)
{
	return (api_internal(r, "holiday set: not implemented yet"));
}

int
api_holidays_put(struct req *r)
{
	return (api_internal(r, "holiday set put: not implemented yet"));
}
