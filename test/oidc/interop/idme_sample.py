"""ID.me's "Python Web App" sample (seed 003), run literally against Vetted with Debian's requests-oauthlib.

Only the settings change: they point at Vetted instead of https://api.id.me. The web app's two requests are
played over stdin/stdout by the test (test/oidc/interop/requests-oauthlib.test.ts):

1. this script prints {"authorization_url": ..., "state": ...} on one line ("Redirect the user to the
   authorization_url");
2. the test walks Vetted's sign-in and consent pages and writes the callback URL the browser was sent to on one
   line of stdin (the web app's `request.url`);
3. this script exchanges the code, calls the attributes API and prints
   {"token": {...without the secrets...}, "status": 200, "payload": {...}} on one line.

Environment: VETTED_BASE_URL, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, optional ATTRIBUTES_PATH (default: the
seed's /api/public/v2/attributes.json), SCOPE (default military), CLIENT_AUTH=post to send the credentials in
the body (include_client_id=True) instead of requests-oauthlib's default HTTP Basic. Run with
OAUTHLIB_INSECURE_TRANSPORT=1, since the test server is plain http on loopback.
"""

import json
import os
import sys

from requests_oauthlib import OAuth2Session

base_url = os.environ["VETTED_BASE_URL"]

# Step 2. Configure your client settings and secrets
client_id = os.environ["CLIENT_ID"]
client_secret = os.environ["CLIENT_SECRET"]
redirect_uri = os.environ["REDIRECT_URI"]
authorization_base_url = base_url + "/oauth/authorize"
token_url = base_url + "/oauth/token"
attributes_url = base_url + os.environ.get("ATTRIBUTES_PATH", "/api/public/v2/attributes.json")
scope = [os.environ.get("SCOPE", "military")]

# Step 3. Redirect the user to ID.me's OAuth 2.0 server
# (the sample assigns the (url, state) pair that authorization_url returns; the url is where the user goes)
idme = OAuth2Session(client_id, redirect_uri=redirect_uri, scope=scope)
authorization_url, state = idme.authorization_url(authorization_base_url)
print(json.dumps({"authorization_url": authorization_url, "state": state}), flush=True)

# The partner's callback handler: request.url is the URL the user's browser was sent back to.
request_url = sys.stdin.readline().strip()

# Step 4. Exchange the code for an access token
extra = {"include_client_id": True} if os.environ.get("CLIENT_AUTH") == "post" else {}
token = idme.fetch_token(token_url, client_secret=client_secret, authorization_response=request_url, **extra)

# Step 5. Call ID.me's API
# (the seed writes idme.get('attributes_url'), quoting the variable's name; the variable is what it means)
idme = OAuth2Session(client_id, token=token)
response = idme.get(attributes_url)
payload = response.json()

# "You can check the user's attributes via payload['verified'] and payload['affiliation']"
secrets = {"access_token", "refresh_token", "id_token"}
print(
    json.dumps(
        {
            "token": {name: value for name, value in token.items() if name not in secrets},
            "token_fields": sorted(token),
            "status": response.status_code,
            "payload": payload,
        }
    ),
    flush=True,
)
