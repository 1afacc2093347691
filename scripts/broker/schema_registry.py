"""A small Schema Registry for the tests, following Confluent's published REST API
(https://docs.confluent.io/platform/current/schema-registry/develop/api.html) for the calls the
Swift client and confluent-kafka-python's SchemaRegistryClient make. It keeps everything in
memory and checks no compatibility beyond "a subject's versions share a schema type".

  schema_registry.py --port PORT [--users FILE] [--log FILE]

Endpoints (responses are application/vnd.schemaregistry.v1+json; errors are
{"error_code": N, "message": "..."} with Confluent's codes):
  POST /subjects/{s}/versions                register (or find) a schema -> {"id"}
  POST /subjects/{s}                         look a schema up -> {"subject","id","version","schema"[,"schemaType"]}
  GET  /subjects                             the subjects
  GET  /subjects/{s}/versions                the subject's version numbers
  GET  /subjects/{s}/versions/{n|latest}     one version
  GET  /schemas/ids/{id}                     a schema by id -> {"schema"[,"schemaType"]}
  GET  /schemas/ids/{id}/versions            the (subject, version) pairs that use it
  POST /compatibility/subjects/{s}/versions/{n|latest}   -> {"is_compatible"}
  GET  /config, GET /config/{s}              the compatibility level (BACKWARD)
For the tests, outside the API (never authenticated):
  GET  /_test/requests                       {"register": n, "register orders-value": n, ...}: calls
                                             by route name, and by route name and subject or id
  POST /_test/hold/{s}, /_test/release/{s}   hold registrations under subject s until released
With --users (a JSON object user -> password), every API call needs HTTP basic authentication:
401 with error_code 401 otherwise. Nothing the client sends as a password is logged.
"""

import argparse
import base64
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
TYPES = {"AVRO", "PROTOBUF", "JSON"}


class Registry:
    """Schemas by id and subjects' versions, behind one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.schemas = []  # index + 1 is the id; each (type, text)
        self.subjects = {}  # subject -> [id, ...] in version order
        self.requests = {}
        self.held = set()  # subjects whose registrations wait for a release
        self.released = threading.Condition(self.lock)

    def count(self, name, arguments):
        """Counts a call by route name, and by route name and subject (or id)."""
        with self.lock:
            for key in [name] + [f"{name} {argument}" for argument in arguments[:1]]:
                self.requests[key] = self.requests.get(key, 0) + 1

    def id_for(self, schema_type, text):
        """The schema's id, assigning one if it is new (ids are global, as Confluent's)."""
        key = (schema_type, text)
        for index, existing in enumerate(self.schemas):
            if existing == key:
                return index + 1
        self.schemas.append(key)
        return len(self.schemas)


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def parse_schema(body):
    try:
        request = json.loads(body or b"{}")
    except ValueError as error:
        raise ApiError(400, 400, f"Unrecognized JSON: {error}")
    if not isinstance(request, dict) or not isinstance(request.get("schema"), str):
        raise ApiError(422, 42201, "Either the input schema or one of its references is invalid: no \"schema\" string")
    schema_type = request.get("schemaType") or "AVRO"
    if schema_type not in TYPES:
        raise ApiError(422, 42201, f"Invalid schema type {schema_type}")
    text = request["schema"]
    if schema_type in ("AVRO", "JSON"):
        try:
            parsed = json.loads(text)
        except ValueError as error:
            raise ApiError(422, 42201, f"Invalid schema: {error}")
        if schema_type == "AVRO" and not isinstance(parsed, (dict, list, str)):
            raise ApiError(422, 42201, "Invalid schema: not an Avro schema")
    elif not text.strip():
        raise ApiError(422, 42201, "Invalid schema: empty")
    if request.get("references"):
        raise ApiError(422, 42201, "This test registry does not resolve schema references")
    return schema_type, text


def schema_json(schema_type, text):
    body = {"schema": text}
    if schema_type != "AVRO":
        body["schemaType"] = schema_type
    return body


ROUTES = [
    ("POST", r"/subjects/([^/]+)/versions", "register"),
    ("POST", r"/subjects/([^/]+)", "lookup"),
    ("GET", r"/subjects", "subjects"),
    ("GET", r"/subjects/([^/]+)/versions", "versions"),
    ("GET", r"/subjects/([^/]+)/versions/([^/]+)", "version"),
    ("GET", r"/subjects/([^/]+)/versions/([^/]+)/schema", "version_schema"),
    ("GET", r"/schemas/ids/(\d+)", "by_id"),
    ("GET", r"/schemas/ids/(\d+)/versions", "id_versions"),
    ("GET", r"/schemas/ids/(\d+)/subjects", "id_subjects"),
    ("POST", r"/compatibility/subjects/([^/]+)/versions/([^/]+)", "compatibility"),
    ("GET", r"/config", "config"),
    ("GET", r"/config/([^/]+)", "config"),
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    registry: Registry = None
    users = None
    log_file = None

    def log_message(self, format, *args):  # one line per request, no header ever
        if self.log_file:
            self.log_file.write("%s %s\n" % (self.address_string(), format % args))
            self.log_file.flush()

    def do_GET(self):
        self.handle_request("GET")

    def do_POST(self):
        self.handle_request("POST")

    def do_DELETE(self):
        self.handle_request("DELETE")

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_request(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/") or "/"
        if path.startswith("/_test/"):
            return self.test_control(method, path)
        try:
            self.authenticate()
            for route_method, pattern, name in ROUTES:
                match = re.fullmatch(pattern, path)
                if route_method == method and match:
                    arguments = [unquote(group) for group in match.groups()]
                    self.registry.count(name, arguments)
                    return self.reply(200, getattr(self, name)(body, *arguments))
            raise ApiError(404, 404, f"HTTP 404 Not Found: {method} {path}")
        except ApiError as error:
            self.reply(error.status, {"error_code": error.code, "message": error.message})
        except Exception as error:  # a bug here: answered as Confluent answers its own, not a hang-up
            self.reply(500, {"error_code": 50001, "message": f"Error in the backend data store: {error!r}"})

    def authenticate(self):
        if self.users is None:
            return
        header = self.headers.get("Authorization") or ""
        if header.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                user, password = None, None
            if user in self.users and self.users[user] == password:
                return
        raise ApiError(401, 401, "Unauthorized")

    def test_control(self, method, path):
        if method == "GET" and path == "/_test/requests":
            with self.registry.lock:
                return self.reply(200, dict(self.registry.requests))
        subject = unquote(path.split("/", 3)[3]) if path.count("/") >= 3 else None
        if method == "POST" and path.startswith("/_test/hold/") and subject:
            with self.registry.lock:
                self.registry.held.add(subject)
            return self.reply(200, {})
        if method == "POST" and path.startswith("/_test/release/") and subject:
            with self.registry.lock:
                self.registry.held.discard(subject)
                self.registry.released.notify_all()
            return self.reply(200, {})
        return self.reply(404, {"error_code": 404, "message": "unknown test control"})

    # --- the API ---------------------------------------------------------------------------------

    def register(self, body, subject):
        # Held registrations wait here, after being counted, until the test releases them.
        with self.registry.lock:
            self.registry.released.wait_for(lambda: subject not in self.registry.held, timeout=60)
        schema_type, text = parse_schema(body)
        with self.registry.lock:
            versions = self.registry.subjects.setdefault(subject, [])
            if versions:
                latest_type = self.registry.schemas[versions[-1] - 1][0]
                if latest_type != schema_type:
                    raise ApiError(
                        409, 409,
                        f"Schema being registered is incompatible with an earlier schema for subject \"{subject}\": "
                        f"{schema_type} after {latest_type}")
            schema_id = self.registry.id_for(schema_type, text)
            if schema_id not in versions:
                versions.append(schema_id)
        return {"id": schema_id}

    def lookup(self, body, subject):
        schema_type, text = parse_schema(body)
        with self.registry.lock:
            versions = self.subject_versions(subject)
            for number, schema_id in enumerate(versions, start=1):
                if self.registry.schemas[schema_id - 1] == (schema_type, text):
                    return {"subject": subject, "id": schema_id, "version": number, **schema_json(schema_type, text)}
        raise ApiError(404, 40403, "Schema not found")

    def subjects(self, body):
        with self.registry.lock:
            return sorted(self.registry.subjects)

    def versions(self, body, subject):
        with self.registry.lock:
            return list(range(1, len(self.subject_versions(subject)) + 1))

    def version(self, body, subject, version):
        with self.registry.lock:
            versions = self.subject_versions(subject)
            number = self.version_number(versions, version)
            schema_id = versions[number - 1]
            return {"subject": subject, "id": schema_id, "version": number,
                    **schema_json(*self.registry.schemas[schema_id - 1])}

    def version_schema(self, body, subject, version):
        return json.loads(self.version(body, subject, version)["schema"])

    def by_id(self, body, schema_id):
        with self.registry.lock:
            return schema_json(*self.schema_by_id(int(schema_id)))

    def id_versions(self, body, schema_id):
        with self.registry.lock:
            self.schema_by_id(int(schema_id))
            return [{"subject": subject, "version": number}
                    for subject, versions in sorted(self.registry.subjects.items())
                    for number, candidate in enumerate(versions, start=1) if candidate == int(schema_id)]

    def id_subjects(self, body, schema_id):
        return sorted({pair["subject"] for pair in self.id_versions(body, schema_id)})

    def compatibility(self, body, subject, version):
        schema_type, _ = parse_schema(body)
        with self.registry.lock:
            versions = self.subject_versions(subject)
            number = self.version_number(versions, version)
            existing_type = self.registry.schemas[versions[number - 1] - 1][0]
        return {"is_compatible": existing_type == schema_type}

    def config(self, body, subject=None):
        return {"compatibilityLevel": "BACKWARD"}

    # --- lookups under the lock ------------------------------------------------------------------

    def subject_versions(self, subject):
        versions = self.registry.subjects.get(subject)
        if not versions:
            raise ApiError(404, 40401, f"Subject '{subject}' not found.")
        return versions

    def version_number(self, versions, version):
        if version in ("latest", "-1"):
            return len(versions)
        try:
            number = int(version)
        except ValueError:
            raise ApiError(422, 42202, f"The specified version '{version}' is not a valid version id.")
        if number < 1:
            raise ApiError(422, 42202, f"The specified version '{version}' is not a valid version id.")
        if number > len(versions):
            raise ApiError(404, 40402, f"Version {version} not found.")
        return number

    def schema_by_id(self, schema_id):
        if schema_id < 1 or schema_id > len(self.registry.schemas):
            raise ApiError(404, 40403, f"Schema {schema_id} not found")
        return self.registry.schemas[schema_id - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--users", help="JSON file: user -> password; basic auth required when given")
    parser.add_argument("--log")
    arguments = parser.parse_args()
    Handler.registry = Registry()
    if arguments.users:
        with open(arguments.users) as file:
            Handler.users = json.load(file)
    if arguments.log:
        Handler.log_file = open(arguments.log, "a")
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    server.daemon_threads = True
    print(f"schema registry on 127.0.0.1:{arguments.port}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
