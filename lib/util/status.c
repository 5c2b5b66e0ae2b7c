/*
 * status.c: inkan_strerror() and inkan_version().
 */
#include <inkan/common.h>

const char *
inkan_strerror(enum inkan_status st)
{
	switch (st) {
	case INKAN_OK:
		return "success";
	case INKAN_ERR_NOMEM:
		return "out of memory";
	case INKAN_ERR_LIMIT:
		return "input exceeds a configured limit";
	case INKAN_ERR_SYNTAX:
		return "malformed input";
	case INKAN_ERR_INVAL:
		return "invalid argument";
	case INKAN_ERR_IO:
		return "input/output error";
	case INKAN_ERR_NOTFOUND:
		return "not found";
	case INKAN_ERR_STATE:
		return "call not valid in this state";
	case INKAN_ERR_DNS:
		return "resolver failure";
	case INKAN_ERR_UNSUPPORTED:
		return "not supported";
	case INKAN_ERR_INTERNAL:
		return "internal error";
	}
	return "unknown status";
}

const char *
inkan_version(void)
{
	return INKAN_VERSION_STRING;
}
