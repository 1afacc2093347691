"""A stand-in for AWS's credential endpoints on 127.0.0.1, for Tests/RdKafkaAWSTests.

    credentials_server.py CONFIG_JSON

It binds a free port, starts listening, then forks: the parent prints {"pid": ..., "port": ...}
and exits, so whoever started it knows the server accepts connections once the parent is gone
(no polling), and stops it by that pid with SIGTERM.

CONFIG_JSON holds "credentials" ({"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}) and:
  - "container_path" and "authorization": GET on that path answers the credentials as JSON (the
    ECS / EKS Pod Identity format) when the Authorization header equals "authorization", else 401.
  - "role_arn" and "web_identity_token": POST with Action=AssumeRoleWithWebIdentity answers STS's
    XML when RoleArn and WebIdentityToken match, else 403 with an STS ErrorResponse (AccessDenied).
"""

import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs
from xml.sax.saxutils import escape


QUOTES = {'"': "&quot;", "'": "&#39;"}  # escaped too, so the reader's entity decoding is exercised


def make_handler(config):
    credentials = config["credentials"]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass  # nothing on stderr: the credentials would be in it

        def answer(self, status, body, content_type):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path != config.get("container_path"):
                return self.answer(404, "{}", "application/json")
            if self.headers.get("Authorization") != config.get("authorization"):
                return self.answer(401, '{"message": "bad authorization token"}', "application/json")
            self.answer(200, json.dumps(credentials), "application/json")

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode(), keep_blank_values=True).items()}
            if form.get("Action") != "AssumeRoleWithWebIdentity" or form.get("Version") != "2011-06-15":
                return self.error(400, "InvalidAction", "unexpected action")
            if form.get("RoleArn") != config.get("role_arn") or form.get("WebIdentityToken") != config.get("web_identity_token"):
                return self.error(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
            if not form.get("RoleSessionName"):
                return self.error(400, "ValidationError", "RoleSessionName is required")
            fields = "".join(
                f"<{name}>{escape(credentials[key], QUOTES)}</{name}>"
                for name, key in (("AccessKeyId", "AccessKeyId"), ("SecretAccessKey", "SecretAccessKey"),
                                  ("SessionToken", "Token"), ("Expiration", "Expiration"))
                if key in credentials
            )
            self.answer(
                200,
                '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                "<AssumeRoleWithWebIdentityResult><SubjectFromWebIdentityToken>system:serviceaccount:test</SubjectFromWebIdentityToken>"
                f"<Credentials>{fields}</Credentials></AssumeRoleWithWebIdentityResult>"
                "<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>"
                "</AssumeRoleWithWebIdentityResponse>",
                "text/xml",
            )

        def error(self, status, code, message):
            self.answer(
                status,
                '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
                f"<Code>{code}</Code><Message>{escape(message)}</Message></Error><RequestId>0</RequestId></ErrorResponse>",
                "text/xml",
            )

    return Handler


def main():
    config = json.loads(sys.argv[1])
    server = HTTPServer(("127.0.0.1", 0), make_handler(config))  # bound and listening from here on
    pid = os.fork()
    if pid:
        print(json.dumps({"pid": pid, "port": server.server_address[1]}), flush=True)
        os._exit(0)
    os.setsid()
    # A test runner may start it with signals blocked (posix_spawn passes the mask on); SIGTERM
    # must reach it, or stopping it by pid would leave it running.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    server.serve_forever()


if __name__ == "__main__":
    main()
