#ifndef CRDKAFKA_SHIM_H
#define CRDKAFKA_SHIM_H

// The only C this package owns: includes and non-variadic wrappers that
// Swift can call. librdkafka itself comes from the system (pkg-config rdkafka).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/// Enqueues one message through a cached topic handle.
///
/// Swift cannot call the variadic rd_kafka_producev, so this fixes the
/// argument list once. RD_KAFKA_MSG_F_COPY: librdkafka copies key and value,
/// which is the single copy on the send path. On success librdkafka owns
/// `headers`; on failure the caller still does and must destroy them.
static inline rd_kafka_resp_err_t
crdkafka_produce(rd_kafka_t *rk, rd_kafka_topic_t *topic, int32_t partition,
                 const void *value, size_t value_len, const void *key,
                 size_t key_len, int64_t timestamp_ms,
                 rd_kafka_headers_t *headers, void *opaque) {
    return rd_kafka_producev(
        rk, RD_KAFKA_V_RKT(topic), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_VALUE((void *)value, value_len),
        RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_TIMESTAMP(timestamp_ms),
        RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(opaque),
        RD_KAFKA_V_END);
}

/// The values of macros Swift does not import as constants.
static inline int32_t crdkafka_partition_ua(void) { return RD_KAFKA_PARTITION_UA; }
static inline int64_t crdkafka_offset_invalid(void) { return RD_KAFKA_OFFSET_INVALID; }
static inline int64_t crdkafka_offset_beginning(void) { return RD_KAFKA_OFFSET_BEGINNING; }

#endif
