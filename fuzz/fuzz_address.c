/*
 * fuzz_address.c: inkan_addr_from_domains() over arbitrary bytes, the
 * strict RFC 5322 parse and the recovery rule both.
 *
 * The first byte picks the flags (low nibble: NO_OBS, NO_UTF8, NO_GROUP,
 * NO_RECOVERY) and the limits (bits 4-5: defaults, or tiny limits that the
 * fuzzer can reach); the rest is the From field value. Seeds start with
 * '@' (0x40): flags 0, default limits.
 *
 * Besides the sanitizers, the result's promises are checked: the count
 * agrees with the domains, every domain is a distinct lowercase host name,
 * every string is NUL-terminated, recovery runs only when the strict parse
 * failed.
 */
#include <string.h>

#include <inkan/msg.h>

#include "fuzz.h"

static void
check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static void
check_view(struct inkan_view v)
{
	check(v.ptr != NULL && v.ptr[v.len] == '\0');
}

static void
check_domain(struct inkan_view d)
{
	size_t i;

	check_view(d);
	check(d.len > 0 && d.len <= INKAN_DNS_NAME_MAX);
	check(d.ptr[0] != '.' && d.ptr[d.len - 1] != '.');
	for (i = 0; i < d.len; i++)
		check((d.ptr[i] >= 'a' && d.ptr[i] <= 'z') ||
		    (d.ptr[i] >= '0' && d.ptr[i] <= '9') || d.ptr[i] == '-' ||
		    (d.ptr[i] == '.' && d.ptr[i + 1] != '.'));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned bits[] = { INKAN_ADDR_PARSE_NO_OBS,
		INKAN_ADDR_PARSE_NO_UTF8, INKAN_ADDR_PARSE_NO_GROUP,
		INKAN_ADDR_FROM_NO_RECOVERY };
	struct inkan_limits lim;
	struct inkan_arena arena;
	struct inkan_addr_from res;
	const struct inkan_addr_mailbox *mb;
	unsigned flags = 0;
	size_t i, j;

	if (size < 1)
		return 0;
	for (i = 0; i < 4; i++)
		if (data[0] & (1u << i))
			flags |= bits[i];
	inkan_limits_default(&lim);
	switch ((data[0] >> 4) & 3) {
	case 1:
		lim.addr_list_max = 3;
		lim.addr_comment_depth = 2;
		break;
	case 2:
		lim.addr_list_max = 1;
		lim.addr_comment_depth = 0;
		break;
	default:
		break;
	}
	data++;
	size--;

	inkan_arena_init(&arena, 1 << 24);
	if (inkan_addr_from_domains(data, size, &lim, flags, &arena, &res) !=
	    INKAN_OK)
		goto out;
	check((res.count == INKAN_ADDR_FROM_NONE) == (res.ndomains == 0));
	if (res.count == INKAN_ADDR_FROM_ONE)
		check(res.ndomains == 1 && res.unusable == 0);
	if (res.count == INKAN_ADDR_FROM_SEVERAL)
		check(res.ndomains + res.unusable >= 2);
	check(((res.flags & INKAN_ADDR_FROM_F_UNUSABLE) != 0) ==
	    (res.unusable > 0));
	for (i = 0; i < res.ndomains; i++) {
		check_domain(res.domains[i]);
		for (j = 0; j < i; j++)
			check(!inkan_view_eq(res.domains[i], res.domains[j]));
	}
	if (res.strict_status == INKAN_OK) {
		check(!(res.flags &
		    (INKAN_ADDR_FROM_F_RECOVERED |
			INKAN_ADDR_FROM_F_UNRECOVERABLE)));
		check(res.list.count <= lim.addr_list_max);
		for (i = 0; i < res.list.count; i++) {
			mb = &res.list.mailboxes[i];
			check_view(mb->display_name);
			check_view(mb->local_raw);
			check_view(mb->local);
			check_view(mb->domain_raw);
			check_view(mb->group);
			check(mb->local.len <= mb->local_raw.len);
			check(mb->domain_raw.len > 0);
			check((mb->domain_status == INKAN_OK) ==
			    (mb->domain.len > 0));
			if (mb->domain_status == INKAN_OK)
				check_domain(mb->domain);
			else
				check(mb->domain_error != NULL);
			check(mb->offset < size);
		}
	} else {
		check(res.list.err_msg != NULL && res.list.err_offset <= size);
		check(res.list.count == 0);
		if (flags & INKAN_ADDR_FROM_NO_RECOVERY)
			check(res.count == INKAN_ADDR_FROM_NONE);
	}
out:
	inkan_arena_clear(&arena);
	return 0;
}
