/* api_audit: verify the hash chain of the audit log. */
#include "api.h"
#include "audit.h"

int
api_audit_verify(struct req *r)
{
	int64_t count, broken;

	if (audit_verify(r->store, &count, &broken) == -1)
		return (api_internal(r, "audit verify"));
	if (broken == 0)
		r->out = json_pack("{s:b, s:I}", "ok", 1, "events",
		    (json_int_t)count);
	else
		r->out = json_pack("{s:b, s:I, s:I}", "ok", 0, "events",
		    (json_int_t)count, "broken_at", (json_int_t)broken);
	return (r->out != NULL ? 200 : api_internal(r, "audit verify"));
}
