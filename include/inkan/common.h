/*
 * inkan/common.h: what every part of libinkan shares: the status codes the
 * library returns, the export macro, and the version.
 *
 * Every library function that can fail returns an enum inkan_status;
 * INKAN_OK is zero, so the usual pattern is
 *
 *	enum inkan_status st;
 *
 *	if ((st = inkan_buf_append(&b, p, n)) != INKAN_OK) {
 *		fprintf(stderr, "inkan: %s\n", inkan_strerror(st));
 *		goto out;
 *	}
 *
 * Protocol verdicts (an SPF result, a DKIM result, a DNS rcode) are never
 * status codes: they come back through out-parameters ending in _r.
 */
#ifndef INKAN_COMMON_H
#define INKAN_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a function or object as part of the public ABI of libinkan.so. */
#define INKAN_API __attribute__((visibility("default")))

#define INKAN_VERSION_MAJOR 0
#define INKAN_VERSION_MINOR 1
#define INKAN_VERSION_PATCH 0
#define INKAN_VERSION_STRING "0.1.0"

enum inkan_status {
	INKAN_OK = 0,
	INKAN_ERR_NOMEM, /* an allocation failed */
	INKAN_ERR_LIMIT, /* input exceeds a configured limit */
	INKAN_ERR_SYNTAX, /* input is malformed */
	INKAN_ERR_INVAL, /* the caller passed an invalid argument */
	INKAN_ERR_IO, /* reading or writing a file failed */
	INKAN_ERR_NOTFOUND, /* a named file, key or entry does not exist */
	INKAN_ERR_STATE, /* call not valid in the object's current state */
	INKAN_ERR_DNS, /* the resolver itself failed (not an rcode) */
	INKAN_ERR_UNSUPPORTED, /* valid, but not implemented by this build */
	INKAN_ERR_INTERNAL, /* a bug in inkan: please report it */
};

/*
 * Returns a short English description of st, a static string; never NULL,
 * also for values outside the enum.
 */
INKAN_API const char *inkan_strerror(enum inkan_status st);

/* Returns INKAN_VERSION_STRING of the library actually linked. */
INKAN_API const char *inkan_version(void);

#ifdef __cplusplus
}
#endif

#endif
