"""The seed's Python sample again, written with Authlib's OAuth2Session (Debian's python3-authlib) instead of
requests-oauthlib: client_secret_post, PKCE S256 and a refresh, then the attributes API with each access token.

Same stdin/stdout exchange as idme_sample.py: prints {"authorization_url": ...}, reads the callback URL, prints
{"token": {...}, "status": ..., "payload": ..., "refreshed": {...}}. Run with AUTHLIB_INSECURE_TRANSPORT=1.
"""

import json
import os
import sys

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

base_url = os.environ["VETTED_BASE_URL"]
client_id = os.environ["CLIENT_ID"]
client_secret = os.environ["CLIENT_SECRET"]
redirect_uri = os.environ["REDIRECT_URI"]
authorization_base_url = base_url + "/oauth/authorize"
token_url = base_url + "/oauth/token"
attributes_url = base_url + os.environ.get("ATTRIBUTES_PATH", "/api/public/v3/attributes.json")
scope = os.environ.get("SCOPE", "military")

idme = OAuth2Session(
    client_id,
    client_secret,
    scope=scope,
    redirect_uri=redirect_uri,
    token_endpoint_auth_method="client_secret_post",
    code_challenge_method="S256",
)
code_verifier = generate_token(48)
authorization_url, state = idme.create_authorization_url(authorization_base_url, code_verifier=code_verifier)
print(json.dumps({"authorization_url": authorization_url, "state": state}), flush=True)

request_url = sys.stdin.readline().strip()
token = idme.fetch_token(token_url, authorization_response=request_url, code_verifier=code_verifier)
response = idme.get(attributes_url)
payload = response.json()

refreshed = idme.refresh_token(token_url)
again = idme.get(attributes_url)

secrets = {"access_token", "refresh_token", "id_token"}
print(
    json.dumps(
        {
            "token": {name: value for name, value in token.items() if name not in secrets},
            "status": response.status_code,
            "payload": payload,
            "refreshed": {
                "new_access_token": refreshed["access_token"] != token["access_token"],
                "scope": refreshed.get("scope"),
                "status": again.status_code,
                "payload": again.json(),
            },
        }
    ),
    flush=True,
)
