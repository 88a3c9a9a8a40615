"""Locust users of `bench/load.py`: visitors browsing the catalogue, opening programme pages
and verification pages, and learners signed in to their wallet; and the ceiling's user, who
asks for a trivial page only. Targets (slugs, credential ids, session keys) come from the
JSON file named by LOAD_TARGETS."""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, between, task

TARGETS = json.loads(open(os.environ["LOAD_TARGETS"]).read())  # noqa: SIM115
SEARCHES = ["data", "energy", "sustainability", "design", "health"]


class Visitor(FastHttpUser):
    wait_time = between(0, 0.05)

    def on_start(self) -> None:
        self.session_key = random.choice(TARGETS["sessions"]) if TARGETS["sessions"] else None

    @task(3)
    def catalogue(self) -> None:
        self.client.get("/catalogue/", name="/catalogue/")

    @task(2)
    def search(self) -> None:
        self.client.get(f"/catalogue/?q={random.choice(SEARCHES)}", name="/catalogue/?q=")

    @task(3)
    def programme(self) -> None:
        slug = random.choice(TARGETS["programmes"])
        self.client.get(f"/catalogue/{slug}/", name="/catalogue/[slug]/")

    @task(2)
    def verify(self) -> None:
        uuid = random.choice(TARGETS["credentials"])
        self.client.get(f"/verify/credentials/{uuid}/", name="/verify/credentials/[uuid]/")

    @task(1)
    def shared(self) -> None:
        token = random.choice(TARGETS["shares"])
        self.client.get(f"/s/{token}/", name="/s/[token]/")

    @task(1)
    def did_document(self) -> None:
        slug = random.choice(TARGETS["institutions"])
        self.client.get(f"/institutions/{slug}/did.json", name="/institutions/[slug]/did.json")

    @task(2)
    def wallet(self) -> None:
        if self.session_key is None:
            return
        cookie = {"Cookie": f"sessionid={self.session_key}"}
        with self.client.get(
            "/wallet/", headers=cookie, name="/wallet/", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:  # sent to sign in: the session was not accepted
                response.failure(f"wallet answered {response.status_code}")


class Ceiling(FastHttpUser):
    wait_time = between(0, 0.05)

    @task
    def ping(self) -> None:
        self.client.get("/bench/ping", name="/bench/ping")
