"""What read_back.py and decode_back.py share: a kafka-python consumer assigned to every partition
of a topic, positioned at the beginning, and the deadline both read against."""

import sys
import time

from kafka import KafkaConsumer, TopicPartition


def open_at_beginning(bootstrap, topic, options, name, seconds=30):
    """Returns (consumer, deadline); exits naming `name` if the topic does not show up in time."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, **options)
    deadline = time.monotonic() + seconds
    partitions = None
    while partitions is None and time.monotonic() < deadline:
        partitions = consumer.partitions_for_topic(topic)
        if partitions is None:
            time.sleep(0.1)
    if partitions is None:
        print(f"{name}: topic {topic} not found", file=sys.stderr)
        sys.exit(1)
    assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
    consumer.assign(assigned)
    consumer.seek_to_beginning(*assigned)
    return consumer, deadline
