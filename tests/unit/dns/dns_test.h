/*
 * dns_test.h: helpers the lib/dns tests share: a record as one line of
 * text, to compare against a table's want.
 */
#ifndef INKAN_DNS_TEST_H
#define INKAN_DNS_TEST_H

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <inkan/dns.h>

/*
 * Writes rr as text into buf: A/AAAA as addresses, MX as "10 name",
 * targets as names, TXT strings joined with '|' (so that boundaries show),
 * TLSA as "3 1 1 HEX", raw as "raw:LEN".
 */
static inline const char *
rr_text(const struct inkan_dns_record *rr, char *buf, size_t size)
{
	size_t i, off = 0;

	buf[0] = '\0';
	if (rr->is_raw) {
		snprintf(buf, size, "raw:%zu", rr->u.raw.len);
		return buf;
	}
	switch ((unsigned)rr->type) {
	case INKAN_DNS_A:
		inet_ntop(AF_INET, rr->u.addr, buf, (socklen_t)size);
		break;
	case INKAN_DNS_AAAA:
		inet_ntop(AF_INET6, rr->u.addr, buf, (socklen_t)size);
		break;
	case INKAN_DNS_MX:
		snprintf(buf, size, "%u %s", (unsigned)rr->u.mx.preference,
		    rr->u.mx.exchange);
		break;
	case INKAN_DNS_CNAME:
	case INKAN_DNS_PTR:
	case INKAN_DNS_NS:
		snprintf(buf, size, "%s", rr->u.target);
		break;
	case INKAN_DNS_TXT:
	case INKAN_DNS_SPF:
		for (i = 0; i < rr->u.txt.count && off + 1 < size; i++) {
			size_t n = rr->u.txt.strings[i].len;

			if (i > 0)
				buf[off++] = '|';
			if (n > size - off - 1)
				n = size - off - 1;
			memcpy(buf + off, rr->u.txt.strings[i].data, n);
			off += n;
		}
		buf[off] = '\0';
		break;
	case INKAN_DNS_TLSA:
		off = (size_t)snprintf(buf, size, "%u %u %u ",
		    (unsigned)rr->u.tlsa.usage, (unsigned)rr->u.tlsa.selector,
		    (unsigned)rr->u.tlsa.matching_type);
		for (i = 0; i < rr->u.tlsa.len && off + 3 < size; i++)
			off += (size_t)snprintf(
			    buf + off, size - off, "%02X", rr->u.tlsa.data[i]);
		break;
	default:
		snprintf(buf, size, "type%u", (unsigned)rr->type);
		break;
	}
	return buf;
}

#endif
