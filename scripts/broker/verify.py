"""Checks the broker started by scripts/broker/start with kafka-python, a client that shares no code
with librdkafka. Run through scripts/broker/verify, which sets PYTHONPATH and the RDKAFKA_TEST_*
variables from .tmp/broker/env.

Positive checks produce 10 records to a fresh topic and count them by consuming them back (tansu's
high watermark is not trustworthy after batches, so offsets are not used for counting). Negative
checks must fail to produce within a bounded time. Exits non-zero if any check does not hold.
"""

import logging
import os
import sys
import time
import uuid

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

RECORDS = 10
STUNNEL_LOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".tmp", "broker", "logs", "stunnel.log")
env = os.environ
results = []  # (name, ok, detail)


def ssl_options(kind, ca=None, cert=None, key=None, password=None):
    if kind == "plain":
        return {"security_protocol": "PLAINTEXT"}
    options = {"security_protocol": "SSL", "ssl_cafile": ca, "ssl_check_hostname": True}
    if cert:
        options.update(ssl_certfile=cert, ssl_keyfile=key)
    if password:
        options["ssl_password"] = password
    return options


def produce(bootstrap, options, topic, count, timeout_s):
    producer = KafkaProducer(
        bootstrap_servers=bootstrap,
        max_block_ms=int(timeout_s * 1000),
        bootstrap_timeout_ms=int(timeout_s * 1000),  # default 30 s: too slow for the negative checks
        request_timeout_ms=5000,
        **options
    )
    try:
        futures = [producer.send(topic, key=b"k%d" % i, value=b"value-%d" % i) for i in range(count)]
        producer.flush(timeout=timeout_s)
        return [f.get(timeout=timeout_s) for f in futures]
    finally:
        producer.close(timeout=5)


def consume_count(bootstrap, options, topic):
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=3000, **options
    )
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        consumer.assign(partitions)
        consumer.seek_to_beginning()
        values = sorted(m.value for m in consumer)
        end = consumer.end_offsets(partitions)
        return values, sum(end.values())
    finally:
        consumer.close()


def positive(name, bootstrap, options):
    topic = "verify-%s-%s" % (name.split()[0].lower(), uuid.uuid4().hex[:8])
    started = time.monotonic()
    try:
        metadata = produce(bootstrap, options, topic, RECORDS, 15)
        values, high_watermarks = consume_count(bootstrap, options, topic)
        expected = sorted(b"value-%d" % i for i in range(RECORDS))
        ok = values == expected
        detail = "produced %d (partitions %s), consumed %d back, sum of high watermarks %d, %.1fs" % (
            len(metadata),
            sorted({m.partition for m in metadata}),
            len(values),
            high_watermarks,
            time.monotonic() - started,
        )
    except Exception as error:  # a failed positive check is reported, not raised
        ok, detail = False, "%s: %s" % (type(error).__name__, error)
    results.append((name, ok, detail))


class Remember(logging.Handler):
    """Keeps kafka-python's log lines that say why a connection failed, for the negative checks."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines = []

    def emit(self, record):
        text = record.getMessage()
        if any(word in text for word in ("SSL", "certificate", "handshake", "Connection", "closed")):
            self.lines.append(text)


def negative(name, bootstrap, options):
    remember = Remember()
    logging.getLogger("kafka").addHandler(remember)
    log_size = os.path.getsize(STUNNEL_LOG) if os.path.exists(STUNNEL_LOG) else 0
    started = time.monotonic()
    try:
        produce(bootstrap, options, "verify-must-fail-" + uuid.uuid4().hex[:8], 1, 6)
        ok, detail = False, "produced although it must not"
    except Exception as error:
        ok = True
        detail = "failed as it must, after %.1fs: %s: %s" % (time.monotonic() - started, type(error).__name__, error)
        if remember.lines:
            detail += "\n      first client-side reason: " + remember.lines[0][:300]
        # The server side's reason, from what stunnel logged during this check (TLS 1.3 clients only
        # see a closed connection when the server rejects their certificate after the handshake).
        if os.path.exists(STUNNEL_LOG):
            with open(STUNNEL_LOG, errors="replace") as log:
                log.seek(log_size)
                reasons = [line.split("error:", 1)[1].strip() for line in log if "SSL_accept" in line and "error:" in line]
            if reasons:
                detail += "\n      stunnel: %s (x%d)" % (reasons[0], len(reasons))
    finally:
        logging.getLogger("kafka").removeHandler(remember)
    results.append((name, ok, detail))


def main():
    # kafka-python logs every refused handshake at ERROR; the negative checks cause those on purpose,
    # so nothing goes to the terminal and Remember picks out the reasons.
    logging.getLogger("kafka").setLevel(logging.DEBUG)
    logging.getLogger("kafka").propagate = False
    plain, tls, mtls = env["RDKAFKA_TEST_BROKER_PLAIN"], env["RDKAFKA_TEST_BROKER_TLS"], env["RDKAFKA_TEST_BROKER_MTLS"]
    ca, wrong_ca = env["RDKAFKA_TEST_CA"], env["RDKAFKA_TEST_WRONG_CA"]
    cert, key = env["RDKAFKA_TEST_CLIENT_CERT"], env["RDKAFKA_TEST_CLIENT_KEY"]

    positive("plain %s" % plain, plain, ssl_options("plain"))
    positive("tls %s (ssl_cafile)" % tls, tls, ssl_options("tls", ca))
    positive("mtls %s (client cert)" % mtls, mtls, ssl_options("tls", ca, cert, key))
    positive(
        "mtls %s (encrypted client key + password)" % mtls,
        mtls,
        ssl_options("tls", ca, cert, env["RDKAFKA_TEST_CLIENT_KEY_ENCRYPTED"], env["RDKAFKA_TEST_CLIENT_KEY_PASSWORD"]),
    )
    negative("mtls %s WITHOUT client cert" % mtls, mtls, ssl_options("tls", ca))
    negative(
        "mtls %s with client cert from the WRONG CA" % mtls,
        mtls,
        ssl_options("tls", ca, env["RDKAFKA_TEST_WRONG_CLIENT_CERT"], env["RDKAFKA_TEST_WRONG_CLIENT_KEY"]),
    )
    negative("tls %s trusting the WRONG CA" % tls, tls, ssl_options("tls", wrong_ca))
    negative("tls %s spoken to in plaintext" % tls, tls, ssl_options("plain"))

    for name, ok, detail in results:
        print("%s  %s: %s" % ("PASS" if ok else "FAIL", name, detail))
    failed = sum(1 for _, ok, _ in results if not ok)
    print("verify: %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
