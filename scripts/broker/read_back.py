"""Consumes COUNT records of TOPIC from the beginning with kafka-python and prints them as one JSON
array: partition, key, value (hex, null for none) and headers ([name, hex or null]) in the order read
per partition. Exits 1 if fewer than COUNT arrive within 30 s. See scripts/broker/read-back."""

import json
import sys
import time

from kafka_reader import open_at_beginning


def main():
    bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    options = {"security_protocol": "PLAINTEXT"}
    if len(sys.argv) > 4:
        options = {"security_protocol": "SSL", "ssl_cafile": sys.argv[4], "ssl_check_hostname": True}
    if len(sys.argv) > 6:
        options.update(ssl_certfile=sys.argv[5], ssl_keyfile=sys.argv[6])
    consumer, deadline = open_at_beginning(bootstrap, topic, options, "read-back")
    records = []
    while len(records) < count and time.monotonic() < deadline:
        for _, batch in consumer.poll(timeout_ms=500).items():
            for record in batch:
                records.append({
                    "partition": record.partition,
                    "key": None if record.key is None else record.key.hex(),
                    "value": None if record.value is None else record.value.hex(),
                    "headers": [[name, None if value is None else value.hex()] for name, value in record.headers],
                })
    consumer.close()
    print(json.dumps(records))
    if len(records) < count:
        print(f"read-back: {len(records)} of {count} records within 30 s", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
