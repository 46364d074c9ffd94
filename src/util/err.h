/*
 * Thread-local "last error" text for library layers, which never log: a failing function
 * records what failed and where, returns -1/NULL, and the caller decides what to print.
 */
#ifndef LATCHD_UTIL_ERR_H
#define LATCHD_UTIL_ERR_H

#include <stdarg.h>

#define ERR_MSG_MAX 512

/* Record the reason for the failure about to be returned (printf format). */
void err_set(char const *fmt, ...) __attribute__((format(printf, 1, 2)));
void err_vset(char const *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Record "file:line: message" (configuration and dictionary errors). Returns -1. */
int err_set_at(char const *file, int line, char const *fmt, ...) __attribute__((format(printf, 3, 4)));
int err_vset_at(char const *file, int line, char const *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Prefix the current error with more context: "prefix: old message". */
void err_prefix(char const *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last recorded error of this thread ("" if none). */
char const *err_msg(void);

void err_clear(void);

#endif
