// The baselines: what an application writing C directly against librdkafka gets. Nothing here
// is tuned beyond what a careful C user would write, so the Swift scenarios are compared with
// the ordinary way of using librdkafka, not with a best case.

// clock_gettime and CLOCK_MONOTONIC are POSIX, not ISO C: ask for them in case the compiler runs
// in a strict C mode.
#define _POSIX_C_SOURCE 200809L

#include "raw_baseline.h"

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    uint64_t delivered;
    uint64_t failed;
    char *first_error;
    size_t first_error_size;
} tally;

// Called from rd_kafka_poll and rd_kafka_flush on the thread running the loop, so the counters
// need no atomics.
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
    (void)rk;
    tally *counts = opaque;
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        counts->delivered++;
        return;
    }
    if (counts->failed++ == 0) {
        snprintf(counts->first_error, counts->first_error_size, "%s", rd_kafka_err2str(message->err));
    }
}

static int64_t nanoseconds(clockid_t clock) {
    struct timespec now;
    clock_gettime(clock, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static int64_t now_nanoseconds(void) {
    return nanoseconds(CLOCK_MONOTONIC);
}

// A producer with the benchmark's settings and everything else at librdkafka's defaults, its
// delivery reports counted into `counts`. NULL (with the reason in `result`) if refused.
static rd_kafka_t *create_producer(const char *bootstrap_servers, const char *acks, int linger_ms,
                                   const char *compression, tally *counts, raw_baseline_result *result) {
    char linger[32];
    snprintf(linger, sizeof linger, "%d", linger_ms);
    const char *settings[][2] = {
        {"bootstrap.servers", bootstrap_servers},
        {"acks", acks},
        {"linger.ms", linger},
        {"compression.codec", compression},
    };

    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char reason[512];
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        if (rd_kafka_conf_set(conf, settings[i][0], settings[i][1], reason, sizeof reason) != RD_KAFKA_CONF_OK) {
            snprintf(result->first_error, sizeof result->first_error, "%s: %s", settings[i][0], reason);
            rd_kafka_conf_destroy(conf);
            return NULL;
        }
    }
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_conf_set_opaque(conf, counts);

    // rd_kafka_new takes the configuration only when it succeeds.
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, reason, sizeof reason);
    if (rk == NULL) {
        snprintf(result->first_error, sizeof result->first_error, "rd_kafka_new: %s", reason);
        rd_kafka_conf_destroy(conf);
    }
    return rk;
}

// One value, built before timing starts; RD_KAFKA_MSG_F_COPY makes librdkafka copy it per
// record, which is the same single copy the Swift producer makes.
static char *make_value(size_t value_size) {
    char *value = malloc(value_size > 0 ? value_size : 1);
    if (value != NULL) memset(value, 'a', value_size);
    return value;
}

static rd_kafka_resp_err_t produce(rd_kafka_t *rk, const char *topic, char *value, size_t value_size) {
    return rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_VALUE(value, value_size), RD_KAFKA_V_END);
}

// Produces one record, calling `while_full` and trying again for as long as the queue is full;
// returns any other refusal.
static rd_kafka_resp_err_t produce_when_room(rd_kafka_t *rk, const char *topic, char *value, size_t value_size,
                                             void (*while_full)(rd_kafka_t *)) {
    rd_kafka_resp_err_t err;
    while ((err = produce(rk, topic, value, value_size)) == RD_KAFKA_RESP_ERR__QUEUE_FULL) while_full(rk);
    return err;
}

// The streaming loop's answer to a full queue: serve delivery reports, which free room.
static void serve_reports_briefly(rd_kafka_t *rk) {
    rd_kafka_poll(rk, 1);
}

// raw_baseline_run_polled's: only the report thread frees room, so give it 100 µs.
static void wait_for_report_thread(rd_kafka_t *rk) {
    (void)rk;
    nanosleep(&(struct timespec){0, 100000}, NULL);
}

// A record librdkafka refused outright: no report will come, so count it here.
static void refuse(tally *counts, rd_kafka_resp_err_t err) {
    if (counts->failed++ == 0) {
        snprintf(counts->first_error, counts->first_error_size, "produce: %s", rd_kafka_err2str(err));
    }
}

// Sends one record to each partition and waits for every report, then zeroes the counts.
// Without it the timed loop would include connecting and fetching metadata, and now and then
// (about one run in two here) librdkafka 2.0.2 delivers nothing for the first second: the queue
// fills and the loop waits. The Swift scenarios warm up the same way. Returns -1 on a failure.
static int warm_up(rd_kafka_t *rk, const char *topic, int32_t partitions, char *value, size_t value_size,
                   tally *counts) {
    for (int32_t partition = 0; partition < partitions; partition++) {
        rd_kafka_resp_err_t err = rd_kafka_producev(
            rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_VALUE(value, value_size), RD_KAFKA_V_END);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            refuse(counts, err);
            return -1;
        }
    }
    // Every record gets a report within message.timeout.ms, so this ends.
    while (counts->delivered + counts->failed < (uint64_t)partitions) {
        rd_kafka_poll(rk, 100);
    }
    if (counts->failed > 0) return -1;
    counts->delivered = 0;
    return 0;
}

// Calls one of the caller's marks, if it gave that one.
static void mark(void (*callback)(void)) {
    if (callback != NULL) callback();
}

// What both loops do before timing: a producer whose reports count into *counts (which must
// outlive it), the value to send, and one acknowledged record per partition. -1 on failure,
// with nothing left to free.
static int prepare(const char *bootstrap_servers, const char *topic, int32_t partitions, const char *acks,
                   int linger_ms, const char *compression, size_t value_size, raw_baseline_result *result,
                   tally *counts, rd_kafka_t **rk, char **value) {
    memset(result, 0, sizeof *result);
    *counts = (tally){0, 0, result->first_error, sizeof result->first_error};
    *rk = create_producer(bootstrap_servers, acks, linger_ms, compression, counts, result);
    *value = make_value(value_size);
    if (*rk == NULL || *value == NULL || warm_up(*rk, topic, partitions, *value, value_size, counts) != 0) {
        if (*rk != NULL) rd_kafka_destroy(*rk);
        free(*value);
        return -1;
    }
    return 0;
}

// When a loop's timed section started, by the wall clock and by the process's CPU clock.
typedef struct {
    int64_t start;
    int64_t cpu_start;
} timed_section;

// Starts a loop's timed section, after the caller's `started` mark.
static timed_section start_timing(raw_baseline_marks marks) {
    mark(marks.started);
    timed_section timing = {0, nanoseconds(CLOCK_PROCESS_CPUTIME_ID)};
    timing.start = now_nanoseconds();
    return timing;
}

// Ends a loop's timed section, then records its counts and frees what prepare made. Returns 0.
static int finish(const timed_section *timing, raw_baseline_marks marks, const tally *counts, rd_kafka_t *rk,
                  char *value, raw_baseline_result *result) {
    result->elapsed_seconds = (double)(now_nanoseconds() - timing->start) / 1e9;
    result->cpu_seconds = (double)(nanoseconds(CLOCK_PROCESS_CPUTIME_ID) - timing->cpu_start) / 1e9;
    mark(marks.finished);

    result->delivered = counts->delivered;
    result->failed = counts->failed;
    free(value);
    rd_kafka_destroy(rk);
    return 0;
}

int raw_baseline_run(const char *bootstrap_servers, const char *topic, int32_t partitions,
                     const char *acks, int linger_ms, const char *compression, uint64_t records,
                     size_t value_size, raw_baseline_marks marks, raw_baseline_result *result) {
    tally counts;
    rd_kafka_t *rk;
    char *value;
    if (prepare(bootstrap_servers, topic, partitions, acks, linger_ms, compression, value_size, result, &counts, &rk,
                &value) != 0) {
        return -1;
    }

    timed_section timing = start_timing(marks);
    for (uint64_t i = 0; i < records; i++) {
        rd_kafka_resp_err_t err = produce_when_room(rk, topic, value, value_size, serve_reports_briefly);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR) refuse(&counts, err);
        // Reports only reach on_delivery through a poll; without this they pile up until the
        // queue fills.
        if (i % 10000 == 0) rd_kafka_poll(rk, 0);
    }
    while (rd_kafka_outq_len(rk) > 0) {
        rd_kafka_flush(rk, 1000);
    }
    return finish(&timing, marks, &counts, rk, value, result);
}

// What the report thread of raw_baseline_run_polled needs: the producer, the counts its reports
// go into (written only on that thread while the loop runs), how many records to wait for, and
// how many of them librdkafka refused outright (counted by the producing thread, hence atomic).
typedef struct {
    rd_kafka_t *rk;
    const tally *counts;
    uint64_t records;
    _Atomic uint64_t refused;
} report_thread_state;

// Serves delivery reports until every record has one or was refused.
static void *serve_reports(void *argument) {
    report_thread_state *state = argument;
    while (state->counts->delivered + state->counts->failed + atomic_load(&state->refused) < state->records) {
        rd_kafka_poll(state->rk, 100);
    }
    return NULL;
}

int raw_baseline_run_polled(const char *bootstrap_servers, const char *topic, int32_t partitions,
                            const char *acks, int linger_ms, const char *compression, uint64_t records,
                            size_t value_size, raw_baseline_marks marks, raw_baseline_result *result) {
    tally counts;
    rd_kafka_t *rk;
    char *value;
    if (prepare(bootstrap_servers, topic, partitions, acks, linger_ms, compression, value_size, result, &counts, &rk,
                &value) != 0) {
        return -1;
    }

    // Started before timing, so that a failure leaves no timed section open; until the first
    // record it has nothing to serve.
    report_thread_state state = {rk, &counts, records, 0};
    pthread_t reporter;
    if (pthread_create(&reporter, NULL, serve_reports, &state) != 0) {
        snprintf(result->first_error, sizeof result->first_error, "pthread_create failed");
        free(value);
        rd_kafka_destroy(rk);
        return -1;
    }
    timed_section timing = start_timing(marks);
    char first_refusal[sizeof result->first_error] = "";
    for (uint64_t i = 0; i < records; i++) {
        rd_kafka_resp_err_t err = produce_when_room(rk, topic, value, value_size, wait_for_report_thread);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR && atomic_fetch_add(&state.refused, 1) == 0) {
            snprintf(first_refusal, sizeof first_refusal, "produce: %s", rd_kafka_err2str(err));
        }
    }
    pthread_join(reporter, NULL);
    // The report thread has ended, so its counts are this thread's to read.
    uint64_t refused = atomic_load(&state.refused);
    if (refused > 0 && counts.failed == 0) snprintf(result->first_error, sizeof result->first_error, "%s", first_refusal);
    counts.failed += refused;
    return finish(&timing, marks, &counts, rk, value, result);
}

int raw_baseline_run_windowed(const char *bootstrap_servers, const char *topic, int32_t partitions,
                              const char *acks, int linger_ms, const char *compression, uint64_t records,
                              size_t value_size, uint64_t window, raw_baseline_marks marks,
                              raw_baseline_result *result) {
    tally counts;
    rd_kafka_t *rk;
    char *value;
    if (prepare(bootstrap_servers, topic, partitions, acks, linger_ms, compression, value_size, result, &counts, &rk,
                &value) != 0) {
        return -1;
    }

    timed_section timing = start_timing(marks);
    for (uint64_t i = 0; i < records; i++) {
        // Records produced so far minus outcomes counted (refusals count as both) is how many
        // await their report; at `window` of them, block in poll until one is served.
        while (i - (counts.delivered + counts.failed) >= window) {
            rd_kafka_poll(rk, 1000);
        }
        rd_kafka_resp_err_t err = produce(rk, topic, value, value_size);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR) refuse(&counts, err);
    }
    while (counts.delivered + counts.failed < records) {
        rd_kafka_poll(rk, 1000);
    }
    return finish(&timing, marks, &counts, rk, value, result);
}

int raw_baseline_run_one_at_a_time(const char *bootstrap_servers, const char *topic,
                                   int32_t partitions, const char *acks, int linger_ms,
                                   const char *compression, uint64_t records, size_t value_size,
                                   int64_t *latencies_ns, raw_baseline_marks marks,
                                   raw_baseline_result *result) {
    tally counts;
    rd_kafka_t *rk;
    char *value;
    if (prepare(bootstrap_servers, topic, partitions, acks, linger_ms, compression, value_size, result, &counts, &rk,
                &value) != 0) {
        return -1;
    }

    timed_section timing = start_timing(marks);
    for (uint64_t i = 0; i < records; i++) {
        int64_t sent = now_nanoseconds();
        rd_kafka_resp_err_t err = produce(rk, topic, value, value_size);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            refuse(&counts, err);
            latencies_ns[i] = -1;
            continue;
        }
        // Block in poll until this record's report has been served: the C form of an awaited send.
        while (counts.delivered + counts.failed < i + 1) {
            rd_kafka_poll(rk, 1000);
        }
        latencies_ns[i] = now_nanoseconds() - sent;
    }
    return finish(&timing, marks, &counts, rk, value, result);
}
