"""The users of the load benchmark (`bench/load.py` runs Locust headless with this file).

Public search (the directory and funding pages and API), orientation (the API the intake calls) and the inbox of
an advisor (log in once, open the inbox, open a referral, accept a pending one) in the proportions 5 : 3 : 2, with no
think time — the throughput at saturation; `TrivialUser` alone gives the baseline on the same stack.
"""

import itertools
import json
import random
import re

from load_data import COPIES, LOAD_PASSWORD
from locust import HttpUser, constant, task

# Communes of région 52 (Pays de la Loire) of every size, and the stages of the vocabulary.
COMMUNES = ["44109", "49007", "72181", "85191", "53130", "49353", "44184", "49099", "72264", "85194"]
STAGES = ["emergence", "creation", "consolidation", "developpement"]
NEEDS = ["financement", "emploi", "modele_economique", "locaux", "cooperation", "gouvernance"]
LEGAL_FORMS = ["association", "scop", "scic", "societe_ess", "non_creee"]
REFERRAL_LINK = re.compile(r'href="/mises-en-relation/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_advisors = itertools.count()


class PublicUser(HttpUser):
    weight = 5
    wait_time = constant(0)

    @task(3)
    def directory_page(self):
        params = {"commune": random.choice(COMMUNES), "stage": random.choice(STAGES)}
        self.client.get("/annuaire/", params=params, name="GET /annuaire/?commune&stage")

    @task(3)
    def offers_api(self):
        params = {"commune": random.choice(COMMUNES), "stage": random.choice(STAGES)}
        self.client.get("/api/v1/offers", params=params, name="GET /api/v1/offers?commune&stage")

    @task(2)
    def funding_page(self):
        params = {"commune": random.choice(COMMUNES), "stage": random.choice(STAGES)}
        self.client.get("/financements/", params=params, name="GET /financements/?commune&stage")

    @task(1)
    def communes_api(self):
        self.client.get(
            "/api/v1/territories/communes",
            params={"q": random.choice(["ang", "nan", "lav", "sau"])},
            name="GET /api/v1/territories/communes?q",
        )


class OrientationUser(HttpUser):
    weight = 3
    wait_time = constant(0)

    @task
    def orient(self):
        payload = {
            "commune": random.choice(COMMUNES),
            "stage": random.choice(STAGES),
            "needs": random.sample(NEEDS, 2),
            "legal_form": random.choice(LEGAL_FORMS),
            "employees": random.choice([0, 3, 12]),
            "years_of_existence": random.choice([0, 2, 8]),
        }
        self.client.post(
            "/api/v1/orientation",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
            name="POST /api/v1/orientation",
        )


class InboxUser(HttpUser):
    """An advisor of one generated network: each simulated user logs in as a different one."""

    weight = 2
    wait_time = constant(0)

    def on_start(self):
        self.index = next(_advisors) % COPIES
        page = self.client.get("/comptes/login/", name="GET /comptes/login/")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/comptes/login/",
            data={
                "login": f"conseiller-{self.index}@load.maille.fr",
                "password": LOAD_PASSWORD,
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.host + "/comptes/login/"},
            name="POST /comptes/login/",
        )

    @task(4)
    def inbox(self):
        self.client.get("/mises-en-relation/", name="GET /mises-en-relation/ (inbox)")

    @task(3)
    def open_referral(self):
        page = self.client.get("/mises-en-relation/?onglet=en-cours", name="GET /mises-en-relation/?onglet")
        ids = REFERRAL_LINK.findall(page.text)
        if ids:
            self.client.get(f"/mises-en-relation/{random.choice(ids)}/", name="GET /mises-en-relation/<id>/")

    @task(1)
    def accept_pending(self):
        page = self.client.get("/mises-en-relation/", name="GET /mises-en-relation/ (inbox)")
        ids = REFERRAL_LINK.findall(page.text)
        if not ids:
            return
        url = f"/mises-en-relation/{ids[0]}/"
        detail = self.client.get(url, name="GET /mises-en-relation/<id>/")
        token = CSRF.search(detail.text)
        if token:
            self.client.post(
                url,
                data={"action": "accept", "csrfmiddlewaretoken": token.group(1)},
                headers={"Referer": self.host + url},
                name="POST /mises-en-relation/<id>/ (accept)",
            )


class TrivialUser(HttpUser):
    """The baseline: a view that reads nothing, through the same gunicorn and middleware (run alone, by name)."""

    wait_time = constant(0)

    @task
    def trivial(self):
        self.client.get("/bench/trivial/", name="GET /bench/trivial/")
