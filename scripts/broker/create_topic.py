"""Creates TOPIC with PARTITIONS partitions (CreateTopics, through kafka-python's admin client) and
waits until the broker's metadata lists all of them, so that a producer started next sees the full
count. Exits 1, saying why, if the broker refuses or the partitions do not show up within 30 s.
See scripts/broker/create-topic."""

import sys
import time

from kafka import KafkaConsumer
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError


def main():
    bootstrap, topic, partitions = sys.argv[1], sys.argv[2], int(sys.argv[3])
    options = {"security_protocol": "PLAINTEXT"}
    if len(sys.argv) > 4:
        options = {"security_protocol": "SSL", "ssl_cafile": sys.argv[4], "ssl_check_hostname": True}
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, **options)
    try:
        admin.create_topics([NewTopic(topic, partitions, 1)])
    except KafkaError as error:  # kafka-python raises the broker's refusal (an existing topic, ...)
        print(f"create-topic: the broker refused {topic}: {type(error).__name__}", file=sys.stderr)
        sys.exit(1)
    finally:
        admin.close()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, **options)
    deadline = time.monotonic() + 30
    seen = None
    while time.monotonic() < deadline:
        seen = consumer.partitions_for_topic(topic)
        if seen is not None and len(seen) == partitions:
            break
        time.sleep(0.1)
        consumer.poll(timeout_ms=0)  # lets kafka-python refresh its metadata
    consumer.close()
    if seen is None or len(seen) != partitions:
        print(f"create-topic: {topic} shows partitions {seen} after 30 s, not {partitions}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
