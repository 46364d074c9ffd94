/*
 * Thread-local error text (see err.h).
 */
#include "util/err.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char err_buf[ERR_MSG_MAX];

void err_vset(char const *fmt, va_list ap)
{
	vsnprintf(err_buf, sizeof(err_buf), fmt, ap);
}

void err_set(char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(fmt, ap);
	va_end(ap);
}

int err_vset_at(char const *file, int line, char const *fmt, va_list ap)
{
	char msg[ERR_MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	err_set("%s:%d: %s", file, line, msg);
	return -1;
}

int err_set_at(char const *file, int line, char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset_at(file, line, fmt, ap);
	va_end(ap);
	return -1;
}

void err_prefix(char const *fmt, ...)
{
	char old[ERR_MSG_MAX];
	va_list ap;
	size_t n;
	int m;

	memcpy(old, err_buf, sizeof(old));
	va_start(ap, fmt);
	m = vsnprintf(err_buf, sizeof(err_buf), fmt, ap);
	va_end(ap);
	if (m < 0) m = 0;
	n = (size_t)m < sizeof(err_buf) ? (size_t)m : sizeof(err_buf) - 1;
	if (n + 2 < sizeof(err_buf)) {
		err_buf[n++] = ':';
		err_buf[n++] = ' ';
		memcpy(err_buf + n, old, strnlen(old, sizeof(err_buf) - n - 1));
		err_buf[n + strnlen(old, sizeof(err_buf) - n - 1)] = '\0';
	}
}

char const *err_msg(void)
{
	return err_buf;
}

void err_clear(void)
{
	err_buf[0] = '\0';
}
