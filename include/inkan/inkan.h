/*
 * inkan/inkan.h: the whole public API of libinkan in one include.
 */
#ifndef INKAN_INKAN_H
#define INKAN_INKAN_H

#include <inkan/authres.h>
#include <inkan/common.h>
#include <inkan/dkim.h>
#include <inkan/dns.h>
#include <inkan/limits.h>
#include <inkan/msg.h>
#include <inkan/spf.h>
#include <inkan/util.h>
#include <inkan/verify.h>

#endif
