/*
 * Logging for the daemon and tools (library layers do not log). One write() per line so
 * lines from several worker threads never interleave.
 */
#ifndef LATCHD_UTIL_LOG_H
#define LATCHD_UTIL_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_LVL_ERROR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

/* Lines at or below this level are written; default INFO, -X sets DEBUG. */
extern enum log_level log_threshold;

static inline bool log_enabled(enum log_level lvl)
{
	return lvl <= log_threshold;
}

/* Write a timestamped line to stderr (a trailing newline is added). */
void log_printf(enum log_level lvl, char const *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write text that may span several lines, as one write. */
void log_block(enum log_level lvl, char const *text);

/*
 * Copy network-supplied text into out for a log line: printable ASCII as is, anything else
 * (control characters, quotes, backslashes, non-ASCII) as \xHH; truncated with "..." to fit.
 * Returns out.
 */
char *log_escape(char *out, size_t cap, void const *in, size_t len);

#define log_error(...) log_printf(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_printf(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_printf(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) do { if (log_enabled(LOG_LVL_DEBUG)) log_printf(LOG_LVL_DEBUG, __VA_ARGS__); } while (0)

#endif
