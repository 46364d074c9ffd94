/*
 * Timestamped, leveled log lines on stderr (see log.h).
 */
#include "util/log.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum log_level log_threshold = LOG_LVL_INFO;

static char const *const level_names[] = {
	[LOG_LVL_ERROR] = "error",
	[LOG_LVL_WARN] = "warn",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

static size_t log_stamp(char *buf, size_t cap, enum log_level lvl)
{
	struct timespec ts;
	struct tm tm;
	size_t n;
	int m;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	m = snprintf(buf + n, cap - n, ".%03ldZ %s: ", ts.tv_nsec / 1000000, level_names[lvl]);
	if (m < 0 || (size_t)m >= cap - n) return cap - 1;
	return n + (size_t)m;
}

static void log_write_all(char const *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(STDERR_FILENO, buf, len);

		if (w <= 0) return;
		buf += w;
		len -= (size_t)w;
	}
}

void log_printf(enum log_level lvl, char const *fmt, ...)
{
	char buf[2048];
	size_t n;
	va_list ap;
	int m;

	if (!log_enabled(lvl)) return;
	n = log_stamp(buf, sizeof(buf), lvl);
	va_start(ap, fmt);
	m = vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0) m = 0;
	n += (size_t)m < sizeof(buf) - n - 1 ? (size_t)m : sizeof(buf) - n - 2;
	buf[n++] = '\n';
	log_write_all(buf, n);
}

void log_block(enum log_level lvl, char const *text)
{
	if (!log_enabled(lvl)) return;
	log_write_all(text, strlen(text));
}

char *log_escape(char *out, size_t cap, void const *in, size_t len)
{
	static char const digits[] = "0123456789abcdef";
	uint8_t const *p = in;
	size_t o = 0, i;

	if (cap < 8) {
		if (cap) out[0] = '\0';
		return out;
	}
	for (i = 0; i < len; i++) {
		uint8_t c = p[i];
		size_t need = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? 1 : 4;

		if (o + need + 4 > cap) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (need == 1) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = digits[c >> 4];
			out[o++] = digits[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}
