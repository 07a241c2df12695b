/* Channel adapters of the delivery worker (`lotuswall deliver`): an HTTP
 * gateway described by configuration, not code per vendor. A channel kind
 * (sms, gov-im: sms_channels.kind) names a method, a URL, headers and a body
 * template with placeholders, a signature rule and the rule that means
 * success (docs/operations.md, "The delivery worker").
 *
 * Placeholders: {recipient} {text} {template} {key} {person}, in the URL,
 * the headers and the body. A value is put in once, escaped for where it
 * goes (URL-encoded in the URL and a form, a JSON string's content, a header),
 * and never read again as a template: "{key}" inside a text stays text.
 * Secrets come from a file or the environment named by the configuration,
 * never from the configuration itself, and never reach a message. */
#ifndef LW_DELIVER_CHANNEL_H
#define LW_DELIVER_CHANNEL_H
#include "deliver/push.h"
#include "util/err.h"
#include <jansson.h>
#include <stdbool.h>

struct channel;

/* The configuration file's settings besides the channels. */
struct deliver_config {
    int max_attempts;        /* a send goes dead after this many (default 5) */
    int backoff_ms;          /* the first retry's delay (default 1000), doubled each time */
    int backoff_max_ms;      /* the cap (default 600000) */
    int urgent_severity;     /* enum severity: at or above it, quiet hours do not hold */
    struct channel **channels;
    size_t nchannels;
    char *receipt_secret;    /* the receipts' HMAC secret; NULL: no callback served */
    long retention_s;        /* finished rows of closed episodes go after this; 0: kept */
    struct push_config push; /* the exchange push; no endpoints: none */
};

/* Reads the configuration file (kind "deliver") and every channel's secret.
 * false + *err naming the file and the JSON path. */
bool deliver_config_load(struct deliver_config *cfg, const char *path, struct err *err);
void deliver_config_finish(struct deliver_config *cfg);
/* The delay before try n+1: backoff·2^(n-1), capped, less up to half at
 * random so that workers that failed together do not retry together. */
long deliver_backoff_ms(const struct deliver_config *cfg, int attempts);
/* The channel of a kind ("sms", "gov-im"), or NULL. */
const struct channel *deliver_channel(const struct deliver_config *cfg, const char *kind);

/* What one send is about: the values of the placeholders. */
struct send_values {
    const char *recipient, *text, *template_code, *key, *person;
};

enum send_result {
    SEND_OK,        /* the gateway took it */
    SEND_RETRY,     /* worth another try later: network, timeout, 5xx, 408/429, no success */
    SEND_REFUSED,   /* never worth another try: 4xx, or data that cannot be sent */
};

/* Sends one message through the channel (libcurl, TLS verified). `why`
 * gets the reason of a failure, without the secret or the recipient. */
enum send_result channel_send(const struct channel *ch, const struct send_values *v, char *why,
                              size_t why_len);

/* Sends `body` as it is through the channel: its URL, method, headers
 * (placeholders from v), signature and success rule; `extra` is a
 * NULL-terminated list of more "Name: value" headers, or NULL. */
enum send_result channel_post(const struct channel *ch, const char *body,
                              const struct send_values *v, const char *const *extra,
                              char *why, size_t why_len);

/* A receipt polled from the channel's status URL. */
enum receipt { RECEIPT_NONE, RECEIPT_DELIVERED, RECEIPT_FAILED };
/* Asks the channel's status URL (placeholders from v; its answer's JSON
 * field) what became of a sent message; `why` gets the status seen or the
 * failure. Only for a channel with a status URL (channel_poll_ms > 0). */
enum receipt channel_poll(const struct channel *ch, const struct send_values *v, char *why,
                          size_t why_len);
/* How often to poll a sent message's status, and for how long after the
 * send (*for_s); 0: the channel has no status URL. */
long channel_poll_ms(const struct channel *ch, long *for_s);

/* A channel from its configuration object at JSON path jp (the channels'
 * shape: docs/operations.md); NULL + *err. Free with channel_destroy(). */
struct channel *channel_load(const char *kind, json_t *o, const char *path, const char *jp,
                             struct err *err);
void channel_destroy(struct channel *ch); /* NULL is a no-op */
/* Its kind: "sms", "gov-im", or an exchange endpoint's name. */
const char *channel_kind(const struct channel *ch);

/* Hex HMAC-SHA256 of data under secret: the signature of a send and of a
 * receipt. */
#define DELIVER_HMAC_HEX 65
void deliver_hmac_hex(const char *secret, const char *data, size_t len,
                      char out[DELIVER_HMAC_HEX]);
/* Is `signature` (X-Signature: hex HMAC-SHA256 of the body under the
 * receipts' secret) right? Compared in constant time. */
bool deliver_receipt_signed(const struct deliver_config *cfg, const char *body, size_t len,
                            const char *signature);

#endif
