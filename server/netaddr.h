/*
 * netaddr: which IP addresses are internal (loopback, private, link-local,
 * shared, multicast, unspecified or reserved).  One classifier for the
 * server's check of webhook hosts as written (escalation.c) and the
 * notifier's check of every address it connects a webhook to (webhook.c).
 * Pure functions: no resolving, no I/O.
 */
#ifndef BREACHCLOCK_NETADDR_H
#define BREACHCLOCK_NETADDR_H

#include <sys/socket.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stdint.h>

/*
 * Is a (host order) IPv4 address internal: 0/8, 10/8, 100.64/10, 127/8,
 * 169.254/16, 172.16/12, 192.168/16, 224/4 (multicast), 240/4 and
 * 255.255.255.255?
 */
bool	netaddr_internal_v4(uint32_t a);

/*
 * Is an IPv6 address internal: ::, ::1, fc00::/7, fe80::/10, fec0::/10,
 * ff00::/8 (multicast), or an IPv4-mapped (::ffff:0:0/96), IPv4-compatible
 * (::/96) or NAT64 (64:ff9b::/96) form of an internal IPv4 address?
 */
bool	netaddr_internal_v6(const struct in6_addr *a);

/* Is sa (AF_INET or AF_INET6; anything else is internal) internal? */
bool	netaddr_internal(const struct sockaddr *sa);

#endif
