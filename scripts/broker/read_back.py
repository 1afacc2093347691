"""Consumes COUNT records of TOPIC from the beginning with kafka-python and prints them as one JSON
array: partition, key, value (hex, null for none) and headers ([name, hex or null]) in the order read
per partition. Exits 1 if fewer than COUNT arrive within 30 s. See scripts/broker/read-back."""

import json
import sys
import time

from kafka_reader import open_at_beginning


def main():
    arguments = sys.argv[1:]
    sasl = None
    if arguments[:1] == ["--sasl"]:  # --sasl MECHANISM USER PASSWORD, before the rest
        sasl, arguments = arguments[1:4], arguments[4:]
    bootstrap, topic, count = arguments[0], arguments[1], int(arguments[2])
    options = {"security_protocol": "PLAINTEXT"}
    if len(arguments) > 3:
        options = {"security_protocol": "SSL", "ssl_cafile": arguments[3], "ssl_check_hostname": True}
    if len(arguments) > 5:
        options.update(ssl_certfile=arguments[4], ssl_keyfile=arguments[5])
    if sasl:
        options.update(
            security_protocol="SASL_" + options["security_protocol"],
            sasl_mechanism=sasl[0], sasl_plain_username=sasl[1], sasl_plain_password=sasl[2])
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
