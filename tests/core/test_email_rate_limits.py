"""Forms that send e-mail cannot flood an address: per-address and per-IP limits, a French message, no e-mail."""

from django.core import mail

from tests.factories import ProjectFactory


def test_the_lost_link_form_sends_three_emails_to_an_address_then_refuses(
    client, db, django_capture_on_commit_callbacks
):
    ProjectFactory(holder_email="cible@example.org")
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            statuses.append(client.post("/projets/lien/", {"email": "cible@example.org"}).status_code)
    assert statuses[:3] == [200, 200, 200] and set(statuses[3:]) == {429}
    assert len(mail.outbox) == 3
    response = client.post("/projets/lien/", {"email": "cible@example.org"})
    assert "Trop de demandes" in response.content.decode()


def test_one_client_is_limited_across_addresses(client, db, settings):
    settings.MAILLE_EMAIL_RATE_LIMITS = {"ip": (5, 600)}
    statuses = [client.post("/projets/lien/", {"email": f"p{n}@example.org"}).status_code for n in range(8)]
    assert statuses[:5] == [200] * 5 and set(statuses[5:]) == {429}


def test_funding_alerts_are_limited_per_address(client, db):
    data = {"email": "veille@example.org", "frequency": "weekly"}
    statuses = [client.post("/financements/alertes/", data).status_code for _ in range(5)]
    assert 429 in statuses
