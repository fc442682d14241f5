/*
 * Unit tests of server/netaddr.c, the one classifier of internal addresses
 * (the server's check of webhook hosts, the notifier's connect-time check).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netaddr.h"

/* Classify the literal s through a sockaddr, as curl hands it over. */
static bool
internal(const char *s)
{
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;

	memset(&v4, 0, sizeof(v4));
	memset(&v6, 0, sizeof(v6));
	if (inet_pton(AF_INET, s, &v4.sin_addr) == 1) {
		v4.sin_family = AF_INET;
		return (netaddr_internal((struct sockaddr *)&v4));
	}
	v6.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, s, &v6.sin6_addr), 1);
	return (netaddr_internal((struct sockaddr *)&v6));
}

static void
test_internal(void **state)
{
	static const char *const in[] = {
		"0.0.0.0", "0.1.2.3", "127.0.0.1", "127.255.255.254",
		"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
		"192.168.0.1", "192.168.255.255", "169.254.169.254",
		"100.64.0.1", "100.127.255.255", "224.0.0.1",
		"239.255.255.250", "240.0.0.1", "255.255.255.255",
		"::", "::1", "fc00::1", "fd12:3456::1", "fe80::1",
		"febf::1", "fec0::1", "ff02::1", "ff0e::1",
		"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:0.0.0.0",
		"::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1",
		"64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		if (!internal(in[i]))
			fail_msg("%s is internal", in[i]);
	}
}

static void
test_public(void **state)
{
	static const char *const out[] = {
		"1.1.1.1", "11.0.0.1", "100.63.255.255", "100.128.0.1",
		"126.255.255.255", "128.0.0.1", "169.253.0.1", "172.15.0.1",
		"172.32.0.1", "192.0.2.1", "192.167.0.1", "192.169.0.1",
		"223.255.255.255", "2001:db8::1", "2606:4700::1111",
		"fbff::1", "fe00::1", "::ffff:8.8.8.8", "::8.8.8.8",
		"64:ff9b::808:808",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		if (internal(out[i]))
			fail_msg("%s is not internal", out[i]);
	}
}

static void
test_other_family(void **state)
{
	struct sockaddr sa;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	assert_true(netaddr_internal(&sa));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_internal),
		cmocka_unit_test(test_public),
		cmocka_unit_test(test_other_family),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
