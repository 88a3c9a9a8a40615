"""Verifying a credential by its link, from a picture of its QR code and from a baked badge:
on the verify page and through the API. Bad input gets a reason, never a server error."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import segno
from django.urls import reverse
from PIL import Image

from credential_format import baking
from issuance import services
from wallet import sharing
from wallet.badges import baked_png, baked_svg

pytestmark = pytest.mark.django_db

VERIFY = "/verify/"
API = "/api/v1/credentials/verify-source"


def check_page_url(credential) -> str:
    return "https://portal.test" + reverse(
        "verification:verify_stored_credential", kwargs={"uuid": credential.uuid}
    )


def qr_png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=6)
    return out.getvalue()


def upload(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def page_says(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_check_page_link_verifies(client, dana_credential):
    content = page_says(client.post(VERIFY, {"url": check_page_url(dana_credential)}))
    assert "verdict-valid" in content


def test_a_share_link_verifies_and_a_revoked_one_is_explained(client, dana, dana_credential):
    link = sharing.create_share_link(learner=dana, name="Employer", credentials=[dana_credential])
    url = sharing.share_url(link)
    assert "verdict-valid" in page_says(client.post(VERIFY, {"url": url}))
    sharing.revoke_share_link(learner=dana, link=link)
    content = page_says(client.post(VERIFY, {"url": url}))
    assert "no credential at that address" in content


def test_a_revoked_credential_by_link_shows_revoked(client, alice, dana_credential):
    services.revoke_credential(actor=alice, credential=dana_credential, reason="Error")
    response = client.post(
        API, {"url": check_page_url(dana_credential)}, content_type="application/json"
    )
    assert response.json()["verdict"] == "revoked"


@pytest.mark.parametrize(
    "url",
    [
        "not a link",
        "ftp://example.org/x",
        "https://portal.test/verify/credentials/nope/",
        "x" * 3000,
    ],
)
def test_bad_links_are_explained(client, url):
    response = client.post(API, {"url": url}, content_type="application/json")
    assert response.status_code == 400
    page_says(client.post(VERIFY, {"url": url}))


def test_foreign_links_go_through_the_safe_fetcher(settings, client, dana_credential):
    document = json.dumps(dana_credential.document).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = document if self.path == "/credential.json" else b"<html>not json</html>"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.VERIFICATION_NETWORK_FETCH = True
        settings.VERIFICATION_FETCH_LOOPBACK_ROUTES = {
            "https://issuer.example": f"http://127.0.0.1:{server.server_port}"
        }
        found = client.post(
            API, {"url": "https://issuer.example/credential.json"}, content_type="application/json"
        )
        assert found.json()["verdict"] == "valid"
        html = client.post(
            API, {"url": "https://issuer.example/page"}, content_type="application/json"
        )
        assert html.status_code == 400
        assert "could not be read" in json.dumps(html.json())
        # Private addresses are never fetched, whatever the link says.
        private = client.post(
            API,
            {"url": f"https://127.0.0.1:{server.server_port}/credential.json"},
            content_type="application/json",
        )
        assert private.status_code == 400
        plain = client.post(
            API, {"url": "http://issuer.example/credential.json"}, content_type="application/json"
        )
        assert plain.status_code == 400
    finally:
        server.shutdown()


def test_with_fetching_off_a_foreign_link_is_explained(client):
    response = client.post(VERIFY, {"url": "https://issuer.example/credential.json"})
    assert "could not be read" in page_says(response)


def test_a_picture_of_the_qr_code_verifies(client, dana_credential):
    picture = qr_png(check_page_url(dana_credential))
    content = page_says(client.post(VERIFY, {"file": upload(picture, "qr.png")}))
    assert "verdict-valid" in content
    api = client.post(API, {"file": upload(picture, "qr.png")})
    assert api.json()["verdict"] == "valid"


def test_a_jpeg_photo_of_a_share_link_qr_code_verifies(client, dana, dana_credential):
    link = sharing.create_share_link(learner=dana, name="Photo", credentials=[dana_credential])
    picture = Image.open(io.BytesIO(qr_png(sharing.share_url(link)))).convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90)
    response = client.post(API, {"file": upload(out.getvalue(), "photo.jpg")})
    assert response.status_code == 200, response.json()
    assert response.json()["verdict"] == "valid"


def test_a_qr_code_holding_a_credential_is_read(client):
    small = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:1234"}
    response = client.post(API, {"file": upload(qr_png(json.dumps(small)), "qr.png")})
    assert response.status_code == 200
    assert response.json()["credentialId"] == "urn:uuid:1234"
    assert response.json()["verified"] is False


@pytest.mark.parametrize("bake", [baked_png, baked_svg], ids=["png", "svg"])
def test_a_baked_badge_verifies(client, dana_credential, bake):
    image = bake(dana_credential)
    content = page_says(client.post(VERIFY, {"file": upload(image, "badge")}))
    assert "verdict-valid" in content
    assert client.post(API, {"file": upload(image, "badge")}).json()["verdict"] == "valid"


def test_a_wallet_offer_qr_code_is_not_taken_for_a_credential(client):
    response = client.post(API, {"file": upload(qr_png("openid-credential-offer://?x=1"), "q.png")})
    assert response.status_code == 400
    assert "mobile wallet" in json.dumps(response.json())


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,
        b"\xff\xd8\xff" + b"\x00" * 50,
        b"GIF89a garbage",
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"<svg",
        baking.bake_svg(b'<svg xmlns="http://www.w3.org/2000/svg"/>', {"not": "a credential"}),
    ],
    ids=["png", "jpeg", "gif", "plain-svg", "broken-svg", "baked-nonsense"],
)
def test_unreadable_images_are_explained(client, data):
    page_says(client.post(VERIFY, {"file": upload(data, "x")}))
    response = client.post(API, {"file": upload(data, "x")})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["verified"] is False


def test_an_image_without_any_code_is_explained(client):
    out = io.BytesIO()
    Image.new("RGB", (200, 200), (255, 255, 255)).save(out, format="PNG")
    response = client.post(API, {"file": upload(out.getvalue(), "blank.png")})
    assert response.status_code == 400
    assert "no QR code" in json.dumps(response.json())


def test_the_api_wants_exactly_one_source(client):
    assert client.post(API, {}, content_type="application/json").status_code == 400
