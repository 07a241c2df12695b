/* Urging (催办) messages: templates with placeholders, rendered per urge and
 * measured in SMS segments. Templates and channels are data (the tables
 * sms_templates and sms_channels, in db/catalog.json), so an operator
 * changes the wording without a release. */
#ifndef LW_SMS_H
#define LW_SMS_H
#include "data/table.h"
#include "util/err.h"
#include <stdbool.h>
#include <stddef.h>

/* The placeholders a template may use, "{indicator}" and so on. */
#define SMS_PLACEHOLDERS "indicator, instance, value, threshold, department, deadline, severity"

struct sms_vars {
    const char *indicator, *instance, *value, *threshold, *department, *deadline, *severity;
};

/* False + *err naming the first unknown placeholder or a stray brace. */
bool sms_check_template(const char *content, struct err *err);
/* The text with every placeholder filled ("" for NULL values). Caller frees. */
char *sms_render(const char *content, const struct sms_vars *v);
/* Characters (Unicode code points) of UTF-8 text. */
size_t sms_chars(const char *utf8);
/* Segments a text of `chars` characters takes: one up to seg_len (70 for
 * Chinese, UCS-2), else ceil(chars / (seg_len - 3)), as a concatenated
 * message spends 3 characters of each segment on its header. */
int sms_segments(size_t chars, int seg_len);

/* Looks up a template by code in the sms_templates table, and its channel's
 * segment length and over-length policy in sms_channels. */
struct sms_template {
    const char *code, *content, *channel;
    int segment_chars;   /* 70 unless the channel says otherwise */
    bool refuse_long;    /* over one segment: refuse (else split) */
};
bool sms_find_template(const struct table *templates, const struct table *channels,
                       const char *code, struct sms_template *out, struct err *err);

#endif
