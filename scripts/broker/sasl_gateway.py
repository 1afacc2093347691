"""A SASL-terminating gateway in front of a tansu that runs without authentication.

It answers SaslHandshake and SaslAuthenticate itself (PLAIN against a user table, SCRAM-SHA-256/512
with the `scramp` server, OAUTHBEARER with unsecured JWTs or AWS MSK IAM tokens) and forwards every other request to the
broker byte for byte, only once the client has logged in; ApiVersions is the one request allowed
before, as Kafka allows it. Sessions may be given a lifetime (KIP-368): it is sent in the
SaslAuthenticate (v1+) response, and a client that sends anything but a new login after its
session expired is disconnected, as a Kafka broker does.

    sasl_gateway.py --listen PORT --backend PORT --users FILE

The user table is JSON: {"users": {"NAME": {"password": "...", "session_lifetime_ms": 0}}}; every
user may log in with every mechanism. One line per login attempt goes to standard output:
`auth client_id=... mechanism=... user=... outcome=ok|failed session_ms=... count=N` where count
is the number of logins on that connection (2 and more are re-authentications).

An OAUTHBEARER token that is not a JWT is checked as AWS MSK checks an IAM token: the base64url of
a SigV4-presigned `https://kafka.<region>.amazonaws.com/?Action=kafka-cluster:Connect&...` URL. The
table's "msk_iam" entry gives the cluster's region and, per access key ID, its secret and the
principal it logs in as: the signature is recomputed with that secret, and the action, host,
region, signing date and expiry are checked.
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import struct
import sys
import time
from datetime import datetime, timezone
from urllib.parse import unquote, urlsplit

from scramp import ScramMechanism

SASL_HANDSHAKE = 17
API_VERSIONS = 18
SASL_AUTHENTICATE = 36

ILLEGAL_SASL_STATE = 34
UNSUPPORTED_SASL_MECHANISM = 33
SASL_AUTHENTICATION_FAILED = 58

MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"]


def log(line):
    print(line, flush=True)


# --- wire format ----------------------------------------------------------------------------------


class Reader:
    """Reads Kafka primitive types from one request body."""

    def __init__(self, data, offset=0):
        self.data = data
        self.offset = offset

    def take(self, count):
        if count < 0 or self.offset + count > len(self.data):
            raise ValueError("request truncated")
        chunk = self.data[self.offset:self.offset + count]
        self.offset += count
        return chunk

    def int16(self):
        return struct.unpack(">h", self.take(2))[0]

    def int32(self):
        return struct.unpack(">i", self.take(4))[0]

    def uvarint(self):
        value, shift = 0, 0
        while True:
            byte = self.take(1)[0]
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7

    def nullable_string(self):
        length = self.int16()
        return None if length < 0 else self.take(length).decode("utf-8", "replace")

    def string(self):
        return self.nullable_string() or ""

    def bytes32(self):
        return self.take(self.int32())

    def compact_bytes(self):
        return self.take(self.uvarint() - 1)

    def skip_tagged_fields(self):
        for _ in range(self.uvarint()):
            self.uvarint()
            self.take(self.uvarint())


def uvarint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def string16(text):
    if text is None:
        return struct.pack(">h", -1)
    raw = text.encode()
    return struct.pack(">h", len(raw)) + raw


def frame(correlation_id, body, flexible_header=False):
    """A response: size, correlation id (and an empty tag buffer for header v1), body."""
    header = struct.pack(">i", correlation_id) + (b"\x00" if flexible_header else b"")
    return struct.pack(">i", len(header) + len(body)) + header + body


def handshake_response(error, mechanisms):
    body = struct.pack(">hi", error, len(mechanisms)) + b"".join(string16(m) for m in mechanisms)
    return body


def authenticate_response(version, error, message, auth_bytes, session_ms):
    if version >= 2:
        text = b"\x00" if message is None else uvarint(len(message.encode()) + 1) + message.encode()
        body = struct.pack(">h", error) + text + uvarint(len(auth_bytes) + 1) + auth_bytes
        return body + struct.pack(">q", session_ms) + b"\x00"
    body = struct.pack(">h", error) + string16(message) + struct.pack(">i", len(auth_bytes)) + auth_bytes
    if version >= 1:
        body += struct.pack(">q", session_ms)
    return body


async def read_frame(stream):
    size = struct.unpack(">i", await stream.readexactly(4))[0]
    if size < 0 or size > 100 * 1024 * 1024:
        raise ValueError(f"frame size {size}")
    return await stream.readexactly(size)


# --- mechanisms -----------------------------------------------------------------------------------


class Failed(Exception):
    """A login that failed; the text is sent to the client and must not hold a secret."""


class Users:
    def __init__(self, path):
        with open(path) as f:
            self.table_file = json.load(f)
        self.table = self.table_file["users"]
        self.scram = {}
        for name in ("SCRAM-SHA-256", "SCRAM-SHA-512"):
            mechanism = ScramMechanism(name)
            self.scram[name] = (
                mechanism,
                {user: mechanism.make_auth_info(entry["password"]) for user, entry in self.table.items()},
            )

        self.msk_iam = self.table_file.get("msk_iam", {})

    def lifetime_ms(self, user):
        return int(self.table[user].get("session_lifetime_ms", 0))


class PlainLogin:
    def __init__(self, users):
        self.users = users

    def step(self, data):
        parts = data.split(b"\x00")
        if len(parts) != 3:
            raise Failed("malformed PLAIN message")
        user, password = parts[1].decode("utf-8", "replace"), parts[2].decode("utf-8", "replace")
        entry = self.users.table.get(user)
        if entry is None or entry["password"] != password:
            raise Failed("invalid credentials")
        return b"", user, self.users.lifetime_ms(user)


class ScramLogin:
    def __init__(self, users, name):
        mechanism, infos = users.scram[name]

        def auth_fn(user):
            if user not in infos:
                raise Failed("invalid credentials")
            return infos[user]

        self.users = users
        self.server = mechanism.make_server(auth_fn)
        self.user = None

    def step(self, data):
        text = data.decode("utf-8", "replace")
        try:
            if self.user is None:
                self.server.set_client_first(text)
                self.user = self.server.user
                return self.server.get_server_first().encode(), None, 0
            self.server.set_client_final(text)
            return self.server.get_server_final().encode(), self.user, self.users.lifetime_ms(self.user)
        except Failed:
            raise
        except Exception:
            raise Failed("invalid credentials")


class OAuthBearerLogin:
    """RFC 7628 client response `n,,\\x01auth=Bearer TOKEN\\x01...\\x01`, token an unsecured JWT."""

    def __init__(self, users):
        self.users = users

    def step(self, data):
        fields = data.decode("utf-8", "replace").split("\x01")
        auth = next((f[len("auth="):] for f in fields if f.startswith("auth=")), None)
        if auth is None or not auth.startswith("Bearer "):
            raise Failed("no bearer token")
        parts = auth[len("Bearer "):].split(".")
        if len(parts) == 1:
            return MSKIAMToken(self.users.msk_iam).check(parts[0])
        if len(parts) != 3:
            raise Failed("the token is not a JWT")
        try:
            header, claims = (json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))) for p in parts[:2])
        except Exception:
            raise Failed("the token is not a JWT")
        if header.get("alg") != "none":
            raise Failed("only unsecured tokens (alg none) are accepted")
        user, expiry = claims.get("sub"), claims.get("exp")
        if user not in self.users.table:
            raise Failed("unknown principal")
        if not isinstance(expiry, (int, float)):
            raise Failed("the token has no exp")
        remaining = int(expiry * 1000 - time.time() * 1000)
        if remaining <= 0:
            raise Failed("the token has expired")
        # The session cannot outlive the token (KIP-368).
        lifetime = self.users.lifetime_ms(user)
        return b"", user, min(lifetime, remaining) if lifetime else remaining


class MSKIAMToken:
    """AWS MSK IAM: a SigV4-presigned kafka-cluster:Connect URL, checked as MSK does.

    The signature is recomputed over every query parameter but X-Amz-Signature and User-Agent
    (AWS's signers append User-Agent after signing), the host header, and the hash of an empty
    payload. Failure reasons name the check, the access
    key ID at most, never a secret.
    """

    EMPTY_PAYLOAD_HASH = hashlib.sha256(b"").hexdigest()
    SKEW_SECONDS = 300  # how far in the future a signing date may be, as for other SigV4 requests

    def __init__(self, config):
        self.region = config.get("region")
        self.keys = config.get("keys", {})

    def check(self, token):
        if not self.region:
            raise Failed("the token is not a JWT")
        try:
            url = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("utf-8")
        except Exception:
            raise Failed("the token is neither a JWT nor an MSK IAM token")
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise Failed("the token is neither a JWT nor an MSK IAM token")
        host = parts.netloc
        expected_host = f"kafka.{self.region}.amazonaws.com"
        if host != expected_host:
            raise Failed(f"the MSK IAM token is signed for {host}, not this cluster's {expected_host}")
        pairs = [pair.split("=", 1) for pair in parts.query.split("&") if pair]
        if any(len(pair) != 2 for pair in pairs):
            raise Failed("the MSK IAM token's query is malformed")
        params = {unquote(k): unquote(v) for k, v in pairs}
        if params.get("Action") != "kafka-cluster:Connect":
            raise Failed("the MSK IAM token's action is not kafka-cluster:Connect")
        if params.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256":
            raise Failed("the MSK IAM token's algorithm is not AWS4-HMAC-SHA256")
        if params.get("X-Amz-SignedHeaders") != "host":
            raise Failed("the MSK IAM token does not sign exactly the host header")
        credential = params.get("X-Amz-Credential", "").split("/")
        if len(credential) != 5 or credential[3:] != ["kafka-cluster", "aws4_request"]:
            raise Failed("the MSK IAM token's credential scope is malformed")
        access_key, day, region = credential[0], credential[1], credential[2]
        if region != self.region:
            raise Failed(f"the MSK IAM token's scope names region {region}, this cluster is in {self.region}")
        try:
            signed_at = datetime.strptime(params.get("X-Amz-Date", ""), "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            expires = int(params.get("X-Amz-Expires", ""))
        except ValueError:
            raise Failed("the MSK IAM token's X-Amz-Date or X-Amz-Expires is malformed")
        if signed_at.strftime("%Y%m%d") != day:
            raise Failed("the MSK IAM token's scope date differs from X-Amz-Date")
        now = time.time()
        if signed_at.timestamp() > now + self.SKEW_SECONDS:
            raise Failed("the MSK IAM token is signed in the future")
        remaining = signed_at.timestamp() + expires - now
        if expires <= 0 or remaining <= 0:
            raise Failed("the MSK IAM token has expired")
        entry = self.keys.get(access_key)
        if entry is None:
            raise Failed(f"unknown access key {access_key}")
        canonical_query = "&".join(
            f"{k}={v}" for k, v in sorted((k, v) for k, v in pairs if unquote(k) not in ("X-Amz-Signature", "User-Agent"))
        )
        canonical_request = f"GET\n{parts.path or '/'}\n{canonical_query}\nhost:{host}\n\nhost\n{self.EMPTY_PAYLOAD_HASH}"
        scope = f"{day}/{region}/kafka-cluster/aws4_request"
        string_to_sign = "\n".join(
            ["AWS4-HMAC-SHA256", params["X-Amz-Date"], scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
        )
        key = ("AWS4" + entry["secret"]).encode()
        for part in (day, region, "kafka-cluster", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, params.get("X-Amz-Signature", "")):
            raise Failed(f"the MSK IAM token's signature does not match (wrong secret access key for {access_key}?)")
        return b"", entry["user"], int(remaining * 1000)


# --- connections ----------------------------------------------------------------------------------


class Connection:
    def __init__(self, gateway, reader, writer):
        self.gateway = gateway
        self.reader = reader
        self.writer = writer
        self.backend = None
        self.pump = None
        self.login = None
        self.mechanism = None
        self.user = None
        self.expires = None  # monotonic seconds, None for no expiry
        self.logins = 0

    async def run(self):
        try:
            while True:
                request = await read_frame(self.reader)
                if not await self.handle(request):
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            await self.close()

    async def handle(self, request):
        header = Reader(request)
        api_key, version, correlation_id = header.int16(), header.int16(), header.int32()
        client_id = header.nullable_string()
        if api_key == SASL_HANDSHAKE:
            mechanism = header.string()
            self.login, self.mechanism = self.start_login(mechanism), mechanism
            error = 0 if self.login else UNSUPPORTED_SASL_MECHANISM
            self.writer.write(frame(correlation_id, handshake_response(error, MECHANISMS)))
            return error == 0
        if api_key == SASL_AUTHENTICATE:
            flexible = version >= 2
            if flexible:
                header.skip_tagged_fields()
            data = header.compact_bytes() if flexible else header.bytes32()
            return self.authenticate(version, correlation_id, client_id, data)
        if api_key != API_VERSIONS:
            if self.user is None:
                log(f"refused client_id={client_id} api_key={api_key}: not logged in")
                return False
            if self.expires is not None and time.monotonic() > self.expires:
                log(f"expired client_id={client_id} user={self.user}: session over, closing")
                return False
        await self.forward(request)
        return True

    def start_login(self, mechanism):
        users = self.gateway.users
        if mechanism == "PLAIN":
            return PlainLogin(users)
        if mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512"):
            return ScramLogin(users, mechanism)
        if mechanism == "OAUTHBEARER":
            return OAuthBearerLogin(users)
        return None

    def authenticate(self, version, correlation_id, client_id, data):
        flexible = version >= 2
        if self.login is None:
            body = authenticate_response(version, ILLEGAL_SASL_STATE, "SaslHandshake first", b"", 0)
            self.writer.write(frame(correlation_id, body, flexible))
            return False
        try:
            reply, user, session_ms = self.login.step(data)
        except Failed as failure:
            log(f"auth client_id={client_id} mechanism={self.mechanism} outcome=failed reason={failure}")
            message = f"Authentication failed during authentication due to {failure} with SASL mechanism {self.mechanism}"
            body = authenticate_response(version, SASL_AUTHENTICATION_FAILED, message, b"", 0)
            self.writer.write(frame(correlation_id, body, flexible))
            return False
        if user is not None:
            self.logins += 1
            self.user, self.login = user, None
            self.expires = time.monotonic() + session_ms / 1000 if session_ms else None
            log(
                f"auth client_id={client_id} mechanism={self.mechanism} user={user} outcome=ok "
                f"session_ms={session_ms} count={self.logins} version={version}"
            )
        self.writer.write(frame(correlation_id, authenticate_response(version, 0, None, reply, session_ms), flexible))
        return True

    async def forward(self, request):
        if self.backend is None:
            backend_reader, self.backend = await asyncio.open_connection("127.0.0.1", self.gateway.backend_port)
            self.pump = asyncio.create_task(self.copy_responses(backend_reader))
        self.backend.write(struct.pack(">i", len(request)) + request)
        await self.backend.drain()

    async def copy_responses(self, backend_reader):
        """Copies whole response frames from the broker, so they never interleave with ours."""
        try:
            while True:
                response = await read_frame(backend_reader)
                self.writer.write(struct.pack(">i", len(response)) + response)
                await self.writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            self.writer.close()

    async def close(self):
        if self.pump:
            self.pump.cancel()
        for writer in (self.backend, self.writer):
            if writer is not None:
                writer.close()


class Gateway:
    def __init__(self, users, backend_port):
        self.users = users
        self.backend_port = backend_port

    async def serve(self, port):
        server = await asyncio.start_server(
            lambda r, w: Connection(self, r, w).run(), host="127.0.0.1", port=port, reuse_address=True
        )
        log(f"listening on 127.0.0.1:{port}, forwarding to 127.0.0.1:{self.backend_port}")
        async with server:
            await server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--backend", type=int, required=True)
    parser.add_argument("--users", required=True)
    options = parser.parse_args()
    gateway = Gateway(Users(options.users), options.backend)
    try:
        asyncio.run(gateway.serve(options.listen))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
