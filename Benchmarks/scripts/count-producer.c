// What `kafka-produce --count N --value-size B` does, written directly against librdkafka: an
// embedded 3-broker mock cluster, N copies of a B-byte value to one topic at librdkafka's
// defaults, reports counted by a dr_msg_cb served from the producing thread's own polls, then a
// flush. Built and run by compare-kcat --only count, which times both whole processes.
//
//   cc -O2 -o count-producer count-producer.c -lrdkafka && ./count-producer 1000000 100
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long delivered, failed;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
    (void)rk, (void)opaque;
    if (message->err) failed++; else delivered++;
}

int main(int argc, char **argv) {
    unsigned long count = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    size_t value_size = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
    char reason[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "test.mock.num.brokers", "3", reason, sizeof reason) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "%s\n", reason);
        return 1;
    }
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, reason, sizeof reason);
    if (rk == NULL) {
        fprintf(stderr, "%s\n", reason);
        return 1;
    }
    char *value = malloc(value_size + 1);
    if (value == NULL) return 1;
    for (size_t i = 0; i < value_size; i++) value[i] = (char)('a' + i % 26);
    for (unsigned long i = 0; i < count; i++) {
        rd_kafka_resp_err_t err;
        while ((err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("kafka-produce"), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                        RD_KAFKA_V_VALUE(value, value_size), RD_KAFKA_V_END)) ==
               RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_poll(rk, 1);  // serve reports, which frees room, then try again
        }
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR && failed++ == 0) fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err));
        if (i % 10000 == 0) rd_kafka_poll(rk, 0);
    }
    while (rd_kafka_outq_len(rk) > 0) rd_kafka_flush(rk, 1000);
    fprintf(stderr, "delivered %lu, failed %lu\n", delivered, failed);
    free(value);
    rd_kafka_destroy(rk);
    return failed == 0 && delivered == count ? 0 : 1;
}
