/*
 * inkan/msg.h: what the checks read from a message.
 *
 * Three parsers of untrusted bytes, all without I/O and all bounded by
 * struct inkan_limits:
 *
 * - the incremental RFC 5322 header-section parser (section "header");
 * - the RFC 5322 address-list parser the From header needs (section
 *   "address");
 * - the RFC 5321 path parser for MAIL FROM and RCPT TO (section "path").
 */
#ifndef INKAN_MSG_H
#define INKAN_MSG_H

#include <inkan/common.h>
#include <inkan/limits.h>
#include <inkan/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ==== section: header ================================================= */

/* ==== end of section: header ========================================== */

/* ==== section: address ================================================ */

/* ==== end of section: address ========================================= */

/* ==== section: path =================================================== */

/* ==== end of section: path ============================================ */

#ifdef __cplusplus
}
#endif

#endif
