#ifndef RAW_BASELINE_H
#define RAW_BASELINE_H

#include <stddef.h>
#include <stdint.h>

/// What one run of a C producer loop measured.
typedef struct {
    /// Records the broker acknowledged.
    uint64_t delivered;
    /// Records whose delivery report carried an error.
    uint64_t failed;
    /// From the first rd_kafka_producev to the last delivery report, CLOCK_MONOTONIC.
    double elapsed_seconds;
    /// CPU time of the whole process (every thread) over the same span, CLOCK_PROCESS_CPUTIME_ID:
    /// like the Swift scenarios' figure, it leaves out creating, warming up and destroying the
    /// producer.
    double cpu_seconds;
    /// The first delivery error's text, or the reason setup failed; empty when neither happened.
    char first_error[640];
} raw_baseline_result;

/// Called on the loop's thread just before the first record is produced (`started`) and just
/// after the last report is in (`finished`), so that the caller can bracket exactly the timed
/// section: the benchmark counts heap allocations between the two. Either may be NULL.
typedef struct {
    void (*started)(void);
    void (*finished)(void);
} raw_baseline_marks;

/// Runs librdkafka's plain streaming producer loop: `records` copies of a `value_size`-byte
/// value to `topic`, each with rd_kafka_producev and RD_KAFKA_MSG_F_COPY, a poll every 10,000
/// records, a 1 ms poll and retry whenever the queue is full, then a flush until every record
/// is reported.
///
/// Before the loop, untimed, one record goes to each of the topic's `partitions` and its
/// report is awaited, so that the loop starts connected, with the topic's metadata known.
///
/// `acks` and `compression` are librdkafka's own spellings ("all", "1", "none", "lz4", ...).
///
/// Returns 0 after the loop ran (check `failed`), -1 if the producer could not be created or
/// configured or the warm-up failed (the reason is in `first_error`). Blocks for the whole run.
int raw_baseline_run(const char *bootstrap_servers, const char *topic, int32_t partitions,
                     const char *acks, int linger_ms, const char *compression, uint64_t records,
                     size_t value_size, raw_baseline_marks marks, raw_baseline_result *result);

/// The streaming loop with its delivery reports served on a second thread, the shape of a
/// producer whose reports are read apart from the sending code (as the Swift producer's are, on
/// its event thread): one thread produces, waiting 100 µs whenever the queue is full, while
/// another blocks in rd_kafka_poll until every record has its report. Same warm-up and return
/// values as raw_baseline_run.
int raw_baseline_run_polled(const char *bootstrap_servers, const char *topic, int32_t partitions,
                            const char *acks, int linger_ms, const char *compression, uint64_t records,
                            size_t value_size, raw_baseline_marks marks, raw_baseline_result *result);

/// The C form of `window` callers each awaiting its record's report: the streaming loop, except
/// that while `window` records await their reports it blocks in rd_kafka_poll until one is
/// served. Same warm-up and return values as raw_baseline_run.
int raw_baseline_run_windowed(const char *bootstrap_servers, const char *topic, int32_t partitions,
                              const char *acks, int linger_ms, const char *compression, uint64_t records,
                              size_t value_size, uint64_t window, raw_baseline_marks marks,
                              raw_baseline_result *result);

/// The C form of one awaited send at a time: produce one record, then block in rd_kafka_poll
/// until its delivery report has been served, `records` times, after the same warm-up as
/// raw_baseline_run. `latencies_ns` must hold `records` entries; each gets the nanoseconds from
/// just before rd_kafka_producev to the report (-1 for a record refused outright). Returns as
/// raw_baseline_run does.
int raw_baseline_run_one_at_a_time(const char *bootstrap_servers, const char *topic,
                                   int32_t partitions, const char *acks, int linger_ms,
                                   const char *compression, uint64_t records, size_t value_size,
                                   int64_t *latencies_ns, raw_baseline_marks marks,
                                   raw_baseline_result *result);

/// Returns memory malloc holds free to the kernel (glibc's malloc_trim), so that the benchmark's
/// RSS figures count memory in use. Returns 0 where there is no such call.
int raw_baseline_return_free_memory(void);

#endif
