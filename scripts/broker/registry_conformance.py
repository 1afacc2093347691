"""Runs confluent-kafka-python's own SchemaRegistryClient against a registry and prints, as JSON,
what each call returned or which error it raised, for a test to compare with what Confluent's
API promises. It asserts nothing itself: the expectations live in the Swift test.

  registry_conformance.py URL SUBJECT_STEM [USER PASSWORD]

Each call is one entry: {"ok": value} or {"status": http_status, "code": error_code}.
See scripts/broker/registry-conformance."""

import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

ORDER = json.dumps({"type": "record", "name": "Order", "namespace": "shop",
                    "fields": [{"name": "id", "type": "long"}]})
ORDER_V2 = json.dumps({"type": "record", "name": "Order", "namespace": "shop",
                       "fields": [{"name": "id", "type": "long"},
                                  {"name": "note", "type": ["null", "string"], "default": None}]})
PERSON = json.dumps({"title": "Person", "type": "object", "properties": {"name": {"type": "string"}}})


def call(body):
    try:
        return {"ok": body()}
    except SchemaRegistryError as error:
        return {"status": error.http_status_code, "code": error.error_code}


def main():
    url, stem = sys.argv[1], sys.argv[2]
    conf = {"url": url, "max.retries": 0}
    if len(sys.argv) > 4:
        conf["basic.auth.user.info"] = f"{sys.argv[3]}:{sys.argv[4]}"
    client = SchemaRegistryClient(conf)
    orders, people, missing = f"{stem}-orders-value", f"{stem}-people-value", f"{stem}-missing-value"
    out = {}
    out["register"] = call(lambda: client.register_schema(orders, Schema(ORDER, "AVRO")))
    out["register_again"] = call(lambda: client.register_schema(orders, Schema(ORDER, "AVRO")))
    out["register_v2"] = call(lambda: client.register_schema(orders, Schema(ORDER_V2, "AVRO")))
    out["register_json"] = call(lambda: client.register_schema(people, Schema(PERSON, "JSON")))

    def lookup():
        found = client.lookup_schema(orders, Schema(ORDER, "AVRO"))
        return {"id": found.schema_id, "version": found.version, "subject": found.subject,
                "schema": found.schema.schema_str}
    out["lookup"] = call(lookup)

    def by_id(schema_id):
        schema = client.get_schema(schema_id)
        return {"schema": schema.schema_str, "type": schema.schema_type}
    out["by_id"] = call(lambda: by_id(out["register_json"].get("ok", 1)))

    def version(subject, number):
        registered = client.get_version(subject, number) if number != "latest" else client.get_latest_version(subject)
        return {"id": registered.schema_id, "version": registered.version, "schema": registered.schema.schema_str}
    out["latest"] = call(lambda: version(orders, "latest"))
    out["version_1"] = call(lambda: version(orders, 1))
    out["versions"] = call(lambda: client.get_versions(orders))
    out["subjects_include"] = call(lambda: all(s in client.get_subjects() for s in (orders, people)))
    out["compatible"] = call(lambda: client.test_compatibility(orders, Schema(ORDER_V2, "AVRO")))
    out["incompatible"] = call(lambda: client.test_compatibility(orders, Schema(PERSON, "JSON")))
    # Errors: each with the status and the registry's code.
    out["lookup_unknown_subject"] = call(lambda: client.lookup_schema(missing, Schema(ORDER, "AVRO")).schema_id)
    out["lookup_unknown_schema"] = call(lambda: client.lookup_schema(orders, Schema(PERSON, "JSON")).schema_id)
    out["unknown_id"] = call(lambda: by_id(999999))
    out["unknown_version"] = call(lambda: version(orders, 99))
    out["latest_unknown_subject"] = call(lambda: version(missing, "latest"))
    out["invalid_schema"] = call(lambda: client.register_schema(orders, Schema("{not json", "AVRO")))
    out["incompatible_type"] = call(lambda: client.register_schema(orders, Schema(PERSON, "JSON")))
    print(json.dumps(out, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
