/*
 * UDP listening sockets. Every worker opens its own socket for each listen section with
 * SO_REUSEPORT, so the kernel spreads datagrams over the workers by source address and port:
 * a NAS's retransmissions reach the worker that holds its duplicate-cache entry.
 */
#include "server/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/err.h"

void sockaddr_print(char *buf, size_t cap, struct sockaddr const *sa)
{
	char addr[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET) {
		struct sockaddr_in const *sin = (struct sockaddr_in const *)sa;

		inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr));
		snprintf(buf, cap, "%s:%u", addr, ntohs(sin->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 const *sin6 = (struct sockaddr_in6 const *)sa;

		inet_ntop(AF_INET6, &sin6->sin6_addr, addr, sizeof(addr));
		snprintf(buf, cap, "[%s]:%u", addr, ntohs(sin6->sin6_port));
	} else {
		snprintf(buf, cap, "(family %d)", sa->sa_family);
	}
}

void listener_describe(char *buf, size_t cap, struct conf_listen const *listen)
{
	char addr[80];

	sockaddr_print(addr, sizeof(addr), (struct sockaddr const *)&listen->addr);
	snprintf(buf, cap, "%s %s (%s:%d)", listen->type == CONF_LISTEN_AUTH ? "auth" : "acct",
		 addr, listen->file ? listen->file : "?", listen->line);
}

int listener_open(struct conf_listen const *listen)
{
	int fd, one = 1;
	int family = listen->addr.ss_family;
	int rcvbuf = 4 << 20;
	char what[160];

	listener_describe(what, sizeof(what), listen);
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err_set("listen %s: socket: %s", what, strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0 ||
	    (family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)) {
		err_set("listen %s: setsockopt: %s", what, strerror(errno));
		close(fd);
		return -1;
	}
	/* A bigger receive buffer absorbs bursts; failure to get it is not fatal. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr const *)&listen->addr, listen->addr_len) < 0) {
		err_set("listen %s: bind: %s; is another server (latchd, freeradius) using the port?",
			what, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
