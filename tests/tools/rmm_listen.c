/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rmm_listen.c - a harmless stand-in for a remote-access agent in the live
 * RMM test: listens on 127.0.0.1 (port chosen by the kernel), connects to
 * itself so one connection is ESTABLISHED, prints the port on stdout, and
 * exits when its stdin closes (or after 120 s). It sends no data anywhere.
 * Test tool, not part of libvigil.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int
main(void)
{
    struct sockaddr_in a;
    socklen_t al = sizeof(a);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(ls, 1) != 0 || getsockname(ls, (struct sockaddr *)&a, &al) != 0)
        return 1;
    int cs = socket(AF_INET, SOCK_STREAM, 0);
    if (cs < 0 || connect(cs, (struct sockaddr *)&a, sizeof(a)) != 0)
        return 1;
    int as = accept(ls, NULL, NULL);
    if (as < 0)
        return 1;
    printf("%u\n", (unsigned)ntohs(a.sin_port));
    fflush(stdout);
    struct pollfd p = {.fd = 0, .events = POLLIN};
    (void)poll(&p, 1, 120000);
    close(as);
    close(cs);
    close(ls);
    return 0;
}
