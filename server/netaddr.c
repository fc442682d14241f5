/* netaddr: internal IP addresses (see netaddr.h). */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "netaddr.h"

bool
netaddr_internal_v4(uint32_t a)
{
	return ((a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
	    (a >> 22) == (100u << 2 | 1) ||  /* 100.64/10 */
	    (a >> 16) == 0xa9fe ||           /* 169.254/16 */
	    (a >> 20) == 0xac1 ||            /* 172.16/12 */
	    (a >> 16) == 0xc0a8 ||           /* 192.168/16 */
	    (a >> 28) >= 0xe);               /* 224/4, 240/4, broadcast */
}

/* The IPv4 address in the last 32 bits of a. */
static uint32_t
low32(const struct in6_addr *a)
{
	return ((uint32_t)a->s6_addr[12] << 24 |
	    (uint32_t)a->s6_addr[13] << 16 |
	    (uint32_t)a->s6_addr[14] << 8 | a->s6_addr[15]);
}

bool
netaddr_internal_v6(const struct in6_addr *a)
{
	static const uint8_t nat64[12] = { 0x00, 0x64, 0xff, 0x9b };

	if (IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) ||
	    (a->s6_addr[0] & 0xfe) == 0xfc ||                /* fc00::/7 */
	    (a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0x80) == 0x80) ||
	    a->s6_addr[0] == 0xff)           /* fe80::/10, fec0::/10, ff/8 */
		return (true);
	if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a) ||
	    memcmp(a->s6_addr, nat64, sizeof(nat64)) == 0)
		return (netaddr_internal_v4(low32(a)));
	return (false);
}

bool
netaddr_internal(const struct sockaddr *sa)
{
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;

	/* Copies: sa may not be aligned for the longer types. */
	switch (sa->sa_family) {
	case AF_INET:
		memcpy(&v4, sa, sizeof(v4));
		return (netaddr_internal_v4(ntohl(v4.sin_addr.s_addr)));
	case AF_INET6:
		memcpy(&v6, sa, sizeof(v6));
		return (netaddr_internal_v6(&v6.sin6_addr));
	default:
		return (true);
	}
}
