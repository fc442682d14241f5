/* api_reports: the breach register export and the report figures. */
#include "api.h"

int
api_reports_register(struct req *r)
{
	return (api_internal(r, "register: not implemented yet"));
}

int
api_reports_get(struct req *r)
{
	return (api_internal(r, "reports: not implemented yet"));
}
