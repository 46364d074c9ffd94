/*
 * Accounting-Request (RFC 2866): append the record to the detail file in one write() on an
 * O_APPEND descriptor (so records from several workers never interleave), optionally
 * fdatasync, and only then answer with Accounting-Response: a NAS whose record could not be
 * stored gets no answer and retransmits (RFC 2866 2).
 */
#include "server/server.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char *accounting_record(struct request *req)
{
	char when[64], src[80];
	time_t now = time(NULL);
	struct tm tm;
	char *attrs = rad_packet_print(req->ctx, req->packet, true);

	if (!attrs) return NULL;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y UTC", &tm);
	sockaddr_print(src, sizeof(src), (struct sockaddr const *)&req->src);
	return talloc_asprintf(req->ctx, "%s\n%s\tLatchd-Client = \"%s\"\n\tLatchd-Source = \"%s\"\n"
			       "\tTimestamp = %lld\n\n",
			       when, attrs, req->client->name, src, (long long)now);
}

static int accounting_write(int fd, char const *text, size_t len, bool sync)
{
	ssize_t w = write(fd, text, len);

	if (w < 0 || (size_t)w != len) return -1;
	if (sync && fdatasync(fd) < 0) return -1;
	return 0;
}

void accounting_handle(struct request *req)
{
	struct runtime const *rt = req->rt;
	char *record;

	if (rt->detail_fd >= 0) {
		record = accounting_record(req);
		if (!record || accounting_write(rt->detail_fd, record, strlen(record),
						rt->conf->detail_fsync) < 0) {
			stat_inc(&req->worker->stats, STAT_ACCOUNTING_FAILED);
			request_log(req, LOG_LVL_ERROR,
				    "cannot write the accounting record to %s: %s; not answering so "
				    "the NAS retries (check the disk and the file's permissions)",
				    rt->conf->detail_file, errno ? strerror(errno) : "out of memory");
			return;
		}
	}
	stat_inc(&req->worker->stats, STAT_ACCOUNTING_RESPONSE);
	req->reply = rad_packet_new(req->ctx, rt->dict, RAD_ACCOUNTING_RESPONSE, req->packet->id);
	request_log(req, LOG_LVL_DEBUG, "accounting record stored");
}
