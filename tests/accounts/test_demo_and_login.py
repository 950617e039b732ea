"""Demo accounts (one per role, idempotent) and e-mail login through allauth."""

import pytest
from django.core.management import call_command

from maille.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from maille.accounts.enums import Role
from maille.accounts.models import User
from maille.accounts.selectors import roles_of
from maille.directory.models import Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_load_demo_creates_one_account_per_role_and_is_idempotent():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert User.objects.filter(email__in=[a[1] for a in DEMO_ACCOUNTS]).count() == len(Role)
    covered = set()
    for role, email, *_ in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        assert role in roles_of(user)
        covered.add(role)
    assert covered == set(Role)
    role_accounts = [account[1] for account in DEMO_ACCOUNTS]
    assert all(org.is_demo for org in Organisation.objects.filter(memberships__user__email__in=role_accounts))


def test_demo_advisors_of_real_organisations_are_labelled_and_cannot_log_in():
    call_command("load_demo", verbosity=0)
    advisors = User.objects.filter(email__startswith="conseil-", email__endswith="@demo.maille.fr")
    assert advisors.exists()
    assert all("(démo)" in advisor.last_name and not advisor.has_usable_password() for advisor in advisors)


def test_a_person_logs_in_with_their_email_and_password(client):
    UserFactory(email="camille@example.org")
    response = client.post(
        "/comptes/login/", {"login": "camille@example.org", "password": "mot-de-passe-test"}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].email == "camille@example.org"


def test_a_wrong_password_is_refused_in_french(client):
    UserFactory(email="camille@example.org")
    response = client.post("/comptes/login/", {"login": "camille@example.org", "password": "faux"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert "incorrect" in response.content.decode()


def test_the_demo_password_opens_the_demo_accounts(client):
    call_command("load_demo", verbosity=0)
    assert client.login(email="pilote@demo.maille.fr", password=DEMO_PASSWORD)


def test_staff_reach_the_back_office_and_others_do_not(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/territories/commune/?q=trelaze").status_code == 200
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302
