/*
 * Accounting-Request (RFC 2866): append the record to the detail file in one write() on an
 * O_APPEND descriptor (so records from several workers never interleave), optionally
 * fdatasync, and only then answer with Accounting-Response: a NAS whose record could not be
 * stored gets no answer and retransmits (RFC 2866 2).
 */
#include "server/server.h"

#include <errno.h>
#include <stdatomic.h>
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

/*
 * Append one record. A short write (the disk, a quota or the file size limit filling up
 * mid-record) is followed by one write of the rest, which either completes the record or
 * fails with the errno that says why; *left is then the octets of the record that did not
 * get written after a partial one (0 if none of it was written). -1 with errno set on error.
 */
static int accounting_write(int fd, char const *text, size_t len, bool sync, size_t *left)
{
	ssize_t w = write(fd, text, len);

	*left = 0;
	if (w >= 0 && (size_t)w < len) {
		ssize_t more = write(fd, text + w, len - (size_t)w);

		if (more < 0 || (size_t)more != len - (size_t)w) {
			if (more >= 0) errno = ENOSPC; /* no reason given: most likely a full disk */
			/* part of the record is in the file when anything of it was written */
			if (w > 0 || more > 0)
				*left = len - (size_t)w - (more > 0 ? (size_t)more : 0);
			return -1;
		}
		w = (ssize_t)len;
	}
	if (w < 0) return -1;
	if (sync && fdatasync(fd) < 0) return -1;
	return 0;
}

/* A record was cut short at the end of the detail file (the disk filled up mid-write): the
 * next one starts with a blank line, so that the fragment does not run into it. */
static atomic_bool detail_cut;

void accounting_handle(struct request *req)
{
	struct runtime const *rt = req->rt;
	char const *why = NULL;
	size_t left = 0;
	char *record;

	if (rt->detail_fd >= 0) {
		bool after_cut = atomic_load(&detail_cut);

		record = accounting_record(req);
		if (record && after_cut)
			record = talloc_asprintf(req->ctx, "\n\n%s", record);
		if (!record)
			why = "out of memory";
		else if (accounting_write(rt->detail_fd, record, strlen(record),
					  rt->conf->detail_fsync, &left) < 0)
			why = strerror(errno);
		else if (after_cut)
			atomic_store(&detail_cut, false);
		if (left)
			atomic_store(&detail_cut, true);
		if (why) {
			stat_inc(&req->worker->stats, STAT_ACCOUNTING_FAILED);
			request_log(req, LOG_LVL_ERROR,
				    "cannot write the accounting record to %s: %s%s; not answering so "
				    "the NAS retries (check the disk space, the file size limit and "
				    "the file's permissions)", rt->conf->detail_file, why,
				    left ? " (the record was cut short: its end is missing)" : "");
			return;
		}
	}
	stat_inc(&req->worker->stats, STAT_ACCOUNTING_RESPONSE);
	req->reply = rad_packet_new(req->ctx, rt->dict, RAD_ACCOUNTING_RESPONSE, req->packet->id);
	request_log(req, LOG_LVL_DEBUG, "accounting record stored");
}
