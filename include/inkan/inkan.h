/*
 * inkan/inkan.h: the whole public API of libinkan in one include.
 */
#ifndef INKAN_INKAN_H
#define INKAN_INKAN_H

#include <inkan/arc.h>
#include <inkan/audit.h>
#include <inkan/authres.h>
#include <inkan/bimi.h>
#include <inkan/common.h>
#include <inkan/dkim.h>
#include <inkan/dmarc.h>
#include <inkan/dns.h>
#include <inkan/https.h>
#include <inkan/limits.h>
#include <inkan/msg.h>
#include <inkan/mtasts.h>
#include <inkan/spf.h>
#include <inkan/tlsrpt.h>
#include <inkan/util.h>
#include <inkan/verify.h>

#endif
