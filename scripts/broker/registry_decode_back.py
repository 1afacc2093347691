"""Reads records from a topic with kafka-python and decodes their values with
confluent-kafka-python's AvroDeserializer, ProtobufDeserializer and JSONDeserializer, each
looking the writer's schema up in the Schema Registry by the id in the record's header, and
prints what they decoded as JSON.

  registry_decode_back.py BOOTSTRAP TOPIC COUNT REGISTRY_URL [USER PASSWORD]

Each record's "format" header is avro, protobuf or json, and its "strategy" header (topic,
record or topic-record) the subject name strategy the writer used, which the deserializer is
configured with too. Protobuf messages are decoded into a class built from the registered file
descriptor itself, so nothing about the message is known here in advance.
See scripts/broker/registry-decode-back."""

import base64
import json
import struct
import sys
import time

from confluent_kafka.schema_registry import (
    SchemaRegistryClient,
    record_subject_name_strategy,
    topic_record_subject_name_strategy,
    topic_subject_name_strategy,
)
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, json_format
from google.protobuf.message_factory import GetMessageClass

STRATEGIES = {
    "topic": topic_subject_name_strategy,
    "record": record_subject_name_strategy,
    "topic-record": topic_record_subject_name_strategy,
}


def protobuf_class(client, payload):
    """The message class the writer's registered descriptor defines at the record's indexes."""
    schema_id = struct.unpack(">I", payload[1:5])[0]
    schema = client.get_schema(schema_id, fmt="serialized")
    file = descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(schema.schema_str))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    # The header's first index after the id (zig-zag count, then indexes) picks the message;
    # the tests write top-level messages, so the first index is the message's position.
    count = payload[5] >> 1
    index = 0 if count == 0 else payload[6] >> 1
    name = (file.package + "." if file.package else "") + file.message_type[index].name
    return GetMessageClass(pool.FindMessageTypeByName(name))


def main():
    bootstrap, topic, count, url = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from kafka_reader import open_at_beginning

    conf = {"url": url}
    if len(sys.argv) > 6:
        conf["basic.auth.user.info"] = f"{sys.argv[5]}:{sys.argv[6]}"
    client = SchemaRegistryClient(conf)
    consumer, deadline = open_at_beginning(bootstrap, topic, {"security_protocol": "PLAINTEXT"}, "registry-decode-back")
    decoded = []
    while len(decoded) < count and time.monotonic() < deadline:
        for _, batch in consumer.poll(timeout_ms=500).items():
            for record in batch:
                headers = {name: value.decode() for name, value in record.headers}
                conf = {"subject.name.strategy": STRATEGIES[headers["strategy"]]}
                kind = headers["format"]
                context = SerializationContext(topic, MessageField.VALUE)
                if kind == "avro":
                    value = AvroDeserializer(client, conf=conf)(record.value, context)
                elif kind == "json":
                    value = JSONDeserializer(None, schema_registry_client=client, conf=conf)(record.value, context)
                elif kind == "protobuf":
                    message_type = protobuf_class(client, record.value)
                    conf["use.deprecated.format"] = False
                    message = ProtobufDeserializer(message_type, conf, client)(record.value, context)
                    value = json_format.MessageToDict(message, preserving_proto_field_name=True)
                else:
                    raise ValueError(f"unknown format header {kind}")
                decoded.append({
                    "key": None if record.key is None else record.key.decode(),
                    "format": kind,
                    "strategy": headers["strategy"],
                    "schemaID": struct.unpack(">I", record.value[1:5])[0],
                    "value": value,
                })
    consumer.close()
    print(json.dumps(decoded, sort_keys=True))
    if len(decoded) < count:
        sys.exit(f"registry-decode-back: {len(decoded)} of {count} records within 30 s")


if __name__ == "__main__":
    main()
