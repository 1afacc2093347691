"""Signs MSK IAM tokens with aws-msk-iam-sasl-signer-python at fixed signing times.

    sign < cases.json > tokens.json

Standard input is a JSON list of cases: {"access_key", "secret_key", "session_token" (or null),
"region", "expiry_seconds", "signing_time" (seconds since 1970)}. Standard output is the JSON
list of the signer's tokens and expiry times in milliseconds, in the same order.

The clock is fixed where botocore's SigV4 signer reads it (botocore.auth.get_current_datetime),
and the lifetime where the signer reads its module constant DEFAULT_TOKEN_EXPIRY_SECONDS, so the
signer's own code path runs unchanged otherwise.
"""

import json
import sys

sys.path.insert(0, sys.argv[1])  # before site-packages: the pinned wheels, not whatever is installed

from datetime import datetime, timezone  # noqa: E402
from unittest import mock  # noqa: E402

from aws_msk_iam_sasl_signer import MSKAuthTokenProvider  # noqa: E402
from botocore.credentials import CredentialProvider, Credentials  # noqa: E402


class GivenCredentials(CredentialProvider):
    def __init__(self, case):
        super().__init__()
        self.case = case

    def load(self):
        return Credentials(self.case["access_key"], self.case["secret_key"], self.case.get("session_token"))


def sign(case):
    # botocore asks for a naive UTC datetime (get_current_datetime(remove_tzinfo=True)).
    now = datetime.fromtimestamp(case["signing_time"], timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=now), mock.patch.object(
        MSKAuthTokenProvider, "DEFAULT_TOKEN_EXPIRY_SECONDS", case["expiry_seconds"]
    ):
        token, expiry_ms = MSKAuthTokenProvider.generate_auth_token_from_credentials_provider(
            case["region"], GivenCredentials(case)
        )
    return {"token": token, "expiry_ms": expiry_ms}


def main():
    cases = json.load(sys.stdin)
    json.dump([sign(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
