"""Decodes serialized records with decoders that share no code with this package, and prints what
they decoded as JSON, for the tests to compare with what they encoded.

  decode_back.py avro SCHEMA_FILE           hex values on stdin, one per line: bare Avro, decoded
                                            by fastavro's schemaless reader
  decode_back.py topic BOOTSTRAP TOPIC COUNT AVRO_SCHEMA_FILE [CA]
                                            reads COUNT records of TOPIC with kafka-python (exit 1
                                            if fewer arrive within 30 s); each
                                            record's "format" header (json, avro or protobuf, the
                                            latter as "protobuf:<message full name>") says how to
                                            decode its value, which must carry the Schema Registry
                                            header (magic 0, 4-byte id, and for Protobuf the
                                            message indexes)

In the output, Avro dates become days since 1970, timestamps milliseconds since 1970 and bytes hex,
so that both sides compare plain numbers and strings. See scripts/broker/decode-back."""

import datetime
import io
import json
import struct
import sys
import time


def plain(value):
    """fastavro's Python values as JSON-friendly ones (dates as numbers, bytes as hex)."""
    if isinstance(value, datetime.datetime):
        return round(value.timestamp() * 1000)
    if isinstance(value, datetime.date):
        return (value - datetime.date(1970, 1, 1)).days
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def avro_decode(schema, payload):
    import fastavro

    stream = io.BytesIO(payload)
    value = fastavro.schemaless_reader(stream, schema)
    if stream.tell() != len(payload):
        raise ValueError(f"{len(payload) - stream.tell()} bytes left over after the Avro value")
    return plain(value)


def parse_schema(path):
    import fastavro

    with open(path) as file:
        return fastavro.parse_schema(json.load(file))


def read_varint(payload, offset):
    """A zig-zag varint as the registry's Protobuf header writes its message indexes."""
    shift, result = 0, 0
    while True:
        byte = payload[offset]
        offset += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return (result >> 1) ^ -(result & 1), offset


def unframe(payload, with_indexes):
    if len(payload) < 5 or payload[0] != 0:
        raise ValueError(f"no Schema Registry header (first bytes {payload[:5].hex()})")
    schema_id = struct.unpack(">I", payload[1:5])[0]
    offset, indexes = 5, None
    if with_indexes:
        count, offset = read_varint(payload, offset)
        indexes = [0] if count == 0 else []
        for _ in range(count):
            index, offset = read_varint(payload, offset)
            indexes.append(index)
    return schema_id, indexes, payload[offset:]


def protobuf_decode(full_name, payload):
    from google.protobuf import json_format, struct_pb2, timestamp_pb2

    types = {"google.protobuf.Struct": struct_pb2.Struct, "google.protobuf.Timestamp": timestamp_pb2.Timestamp}
    message = types[full_name]()
    message.ParseFromString(payload)
    return json_format.MessageToDict(message)


def decode_topic(bootstrap, topic, count, avro_schema_path, ca):
    from kafka_reader import open_at_beginning

    options = {"security_protocol": "PLAINTEXT"}
    if ca:
        options = {"security_protocol": "SSL", "ssl_cafile": ca, "ssl_check_hostname": True}
    consumer, deadline = open_at_beginning(bootstrap, topic, options, "decode-back")
    avro_schema = parse_schema(avro_schema_path)
    decoded = []
    # Counted rather than read to the high watermark, which tansu gets wrong after batches.
    while len(decoded) < count and time.monotonic() < deadline:
        for _, batch in consumer.poll(timeout_ms=500).items():
            for record in batch:
                headers = {name: value.decode() for name, value in record.headers}
                kind = headers["format"]
                if kind == "json":
                    schema_id, indexes, payload = unframe(record.value, False)
                    value = json.loads(payload.decode("utf-8"))
                elif kind == "avro":
                    schema_id, indexes, payload = unframe(record.value, False)
                    value = avro_decode(avro_schema, payload)
                elif kind.startswith("protobuf:"):
                    schema_id, indexes, payload = unframe(record.value, True)
                    value = protobuf_decode(kind.split(":", 1)[1], payload)
                else:
                    raise ValueError(f"unknown format header {kind}")
                decoded.append({
                    "format": kind,
                    "key": None if record.key is None else record.key.decode("utf-8"),
                    "schemaID": schema_id,
                    "messageIndexes": indexes,
                    "value": value,
                })
    consumer.close()
    print(json.dumps(decoded))
    if len(decoded) < count:
        sys.exit(f"decode-back: {len(decoded)} of {count} records within 30 s")


def main():
    mode = sys.argv[1]
    if mode == "avro":
        schema = parse_schema(sys.argv[2])
        values = [avro_decode(schema, bytes.fromhex(line.strip())) for line in sys.stdin if line.strip()]
        print(json.dumps(values))
    elif mode == "topic":
        decode_topic(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6] if len(sys.argv) > 6 else None)
    else:
        sys.exit(f"decode-back: unknown mode {mode}")


if __name__ == "__main__":
    main()
