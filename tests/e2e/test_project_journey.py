"""Journey of a project holder: the intake in three steps (Laval, an employer association in consolidation), the
recommendations with their reasons, two referrals asked at once — one to an organisation with an advisor on Maille,
one to an organisation with only a contact e-mail, which accepts from the e-mail's link without an account — and the
holder's page saying who was told and who will call. Then a referral nobody can receive, forwarded by the desk."""

import re

from django.core import mail
from playwright.sync_api import expect

from maille.projects.models import Project
from maille.referrals.models import Referral
from tests.e2e.conftest import assert_accessible

DLA = "Accompagnement DLA de la Mayenne — DLA de la Mayenne"
REASON_LABEL = "Motif du refus :"


CONTACT_OFFER = "Appui coopératif mayennais — Coopérative test sans compte"


def reachable_organisations():
    """The DLA of Mayenne has an advisor on Maille; a cooperative of Mayenne has only its offer's contact e-mail."""
    from maille.accounts.enums import MemberRole
    from maille.directory.models import Organisation
    from tests.factories import MembershipFactory, OfferFactory, OrganisationFactory

    advisor = MembershipFactory(
        organisation=Organisation.objects.get(slug="dla-53"),
        role=MemberRole.ADVISOR,
        user__first_name="Dominique",
        user__last_name="Conseil",
        user__email="conseil@dla53.example",
    ).user
    OfferFactory(
        organisation=OrganisationFactory(name="Coopérative test sans compte", email=""),
        name="Appui coopératif mayennais",
        stages=["consolidation"],
        needs=["modele_economique", "emploi"],
        contact="Écrire à appui@coop53.example",
        zones=[("departement", "53")],
    )
    return advisor


def test_a_visitor_files_a_project_sees_reasons_and_asks_two_referrals(page):
    advisor = reachable_organisations()
    page.goto(page.base_url + "/projets/nouveau/")
    expect(page.locator('[aria-current="step"]')).to_have_text("Étape 1 sur 3 : Vous")
    assert_accessible(page)

    # A bad e-mail: an error summary, the field marked, nothing kept.
    page.get_by_label("Nom et prénom").fill("Camille Martin")
    page.get_by_label("Adresse e-mail").fill("camille-sans-arobase")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("alert")).to_contain_text("Saisissez une adresse e-mail valide")
    assert_accessible(page)

    page.get_by_label("Adresse e-mail").fill("camille.martin@example.org")
    page.get_by_label("J'accepte que mon dossier").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator('[aria-current="step"]')).to_have_text("Étape 2 sur 3 : Votre projet")
    assert_accessible(page)

    page.get_by_label("Nom du projet").fill("Ressourcerie lavalloise")
    page.get_by_label("Description").fill("Association de réemploi employeuse, en difficulté depuis un an.")
    page.get_by_label("Commune du projet").fill("Laval")
    page.get_by_label("Forme juridique").select_option("association")
    page.get_by_label("Consolidation (fragilité, relance)").check()
    page.get_by_label("Modèle économique", exact=True).check()
    page.get_by_label("Emploi et fonction employeur", exact=True).check()
    page.get_by_label("Emplois (équivalents temps plein)").fill("12")
    page.get_by_label("Années d'existence").fill("8")
    page.get_by_role("button", name="Continuer").click()

    expect(page.locator('[aria-current="step"]')).to_have_text("Étape 3 sur 3 : Vérification")
    expect(page.get_by_role("main")).to_contain_text("Laval (Mayenne)")
    assert_accessible(page)
    page.get_by_role("button", name="Créer mon projet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ressourcerie lavalloise")
    expect(page.get_by_role("status").first).to_contain_text("Votre projet est enregistré")
    offers = page.locator("#offers-fieldset")
    expect(offers).to_contain_text("Adapté à une structure employeuse")
    expect(offers).to_contain_text("Couvre votre département (Mayenne)")
    assert_accessible(page)

    # The DLA of Mayenne is among the first three proposals.
    first_three = offers.locator("li.card").all_inner_texts()[:3]
    assert any("DLA de la Mayenne" in text for text in first_three)

    mail.outbox.clear()
    page.get_by_label(DLA, exact=True).check()
    page.get_by_label(CONTACT_OFFER, exact=True).check()
    page.get_by_label("Message aux structures (facultatif)").fill("Nous cherchons un appui d'ici l'été.")
    page.get_by_role("button", name="Demander une mise en relation").click()

    status = page.get_by_role("status").first
    expect(status).to_contain_text("Vos 2 demandes sont enregistrées.")
    expect(status).to_contain_text("envoyée au conseiller de DLA de la Mayenne inscrit sur Maille")
    expect(status).to_contain_text("adresse de contact de l'offre de Coopérative test sans compte")
    referrals = page.locator("section[aria-labelledby='referrals-title']")
    expect(referrals.locator("li")).to_have_count(2)
    expect(referrals).to_contain_text("DLA de la Mayenne")
    expect(referrals).to_contain_text("(appui@coop53.example)")
    expect(referrals).to_contain_text("Réponse attendue d'ici le")
    expect(referrals).to_contain_text("Votre message : « Nous cherchons un appui d'ici l'été. »")
    expect(referrals.locator(".referral-status").first).to_have_text("En attente de réponse")
    expect(page.locator("#project-status")).to_have_text("En attente de réponse")
    assert_accessible(page)

    project = Project.objects.get(holder_email="camille.martin@example.org")
    assert Referral.objects.filter(project=project).count() == 2
    holder_url = page.url
    assert sorted(m.to[0] for m in mail.outbox) == ["appui@coop53.example", "conseil@dla53.example"]

    # The DLA's advisor accepts from the inbox; the cooperative accepts from the e-mail's link, without logging in.
    dla_referral = Referral.objects.get(project=project, organisation__slug="dla-53")
    answer(page, dla_referral, accept=True, advisor=advisor)
    [to_coop] = [m for m in mail.outbox if m.to == ["appui@coop53.example"]]
    link = re.search(r"http://\S+/mises-en-relation/reponse/\S+/", to_coop.body).group(0)
    answer_by_link(page, link.replace("http://127.0.0.1:8000", page.base_url))

    page.goto(holder_url)
    referrals = page.locator("section[aria-labelledby='referrals-title']")
    expect(referrals.locator(".referral-status", has_text="Acceptée")).to_have_count(2)
    expect(referrals).to_contain_text("Votre interlocuteur : Dominique Conseil — conseil@dla53.example")
    expect(referrals).to_contain_text(
        "Votre interlocuteur : Lou Martin — appui@coop53.example — 02 43 00 00 00"
    )
    expect(page.locator("#project-status")).to_have_text("Accompagné")
    assert_accessible(page)


def answer_by_link(page, link):
    """The cooperative's contact opens the e-mail's link in their own browser, with no account, and accepts."""
    from tests.e2e.conftest import new_context

    context = new_context(page.context.browser)
    contact_page = context.new_page()
    contact_page.goto(link)
    expect(contact_page.get_by_role("heading", level=1)).to_have_text("Ressourcerie lavalloise")
    expect(contact_page.get_by_role("main")).to_contain_text("reçue à l'adresse appui@coop53.example")
    assert_accessible(contact_page)
    contact_page.get_by_role("button", name="Accepter la mise en relation").click()
    expect(contact_page.get_by_role("main")).to_contain_text("Indiquez votre nom")
    contact_page.get_by_label("Votre nom et prénom").fill("Lou Martin")
    contact_page.get_by_label("Téléphone (facultatif)").fill("02 43 00 00 00")
    contact_page.get_by_role("button", name="Accepter la mise en relation").click()
    expect(contact_page.locator("#referral-status")).to_have_text("Acceptée : accompagnement en cours")
    expect(contact_page.get_by_role("main")).to_contain_text(
        "camille.martin@example.org"
    )  # the holder consented
    assert_accessible(contact_page)
    context.close()


def test_a_referral_nobody_can_receive_waits_at_the_desk_and_staff_forward_it(page):
    from maille.directory.models import Offer
    from maille.projects.services import holder_link
    from maille.referrals.services import refer
    from tests.factories import ProjectFactory, UserFactory

    staff = UserFactory(is_staff=True, email="equipe@maille.example")
    project = ProjectFactory(name="Épicerie coopérative", holder_email="porteur@example.org")
    offer = Offer.objects.filter(organisation__slug="france-active-pdl", status="published").first()
    referral = refer(project, offer, message="Nous cherchons un prêt d'honneur.")
    assert referral.delivery_channel == "desk"

    page.goto(holder_link(project).replace("http://127.0.0.1:8000", page.base_url))
    referrals = page.locator("section[aria-labelledby='referrals-title']")
    expect(referrals).to_contain_text("transmise à l'équipe régionale d'orientation")
    assert_accessible(page)

    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(staff.email)
    page.get_by_label("Mot de passe :").fill("mot-de-passe-test")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.goto(page.base_url + "/mises-en-relation/guichet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Guichet régional d'orientation")
    assert_accessible(page)
    page.get_by_role("link", name="Épicerie coopérative").click()
    assert_accessible(page)
    page.get_by_label("Adresse e-mail de la structure").fill("pas-une-adresse")
    page.get_by_role("button", name="Transmettre à cette adresse").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    page.get_by_label("Adresse e-mail de la structure").fill("contact@franceactive-pdl.example")
    page.get_by_role("button", name="Transmettre à cette adresse").click()
    expect(page.get_by_role("status").first).to_contain_text("La demande est transmise à France Active")
    expect(page.get_by_role("main")).to_contain_text("Aucune demande n'attend")
    assert_accessible(page)

    referral.refresh_from_db()
    assert referral.forwarded_to == "contact@franceactive-pdl.example"
    page.goto(holder_link(project).replace("http://127.0.0.1:8000", page.base_url))
    expect(page.locator("section[aria-labelledby='referrals-title']")).to_contain_text(
        "qui l'a fait suivre à l'adresse de France Active"
    )


def answer(page, referral, accept: bool, advisor=None):
    """An advisor of the referral's organisation logs in (own browser context), opens the inbox and answers."""
    from maille.accounts.enums import MemberRole
    from tests.e2e.conftest import new_context
    from tests.factories import MembershipFactory

    advisor = advisor or MembershipFactory(organisation=referral.organisation, role=MemberRole.ADVISOR).user
    context = new_context(page.context.browser)
    advisor_page = context.new_page()
    advisor_page.goto(page.base_url + "/comptes/login/")
    advisor_page.get_by_label("Courriel").fill(advisor.email)
    advisor_page.get_by_label("Mot de passe :").fill("mot-de-passe-test")
    advisor_page.get_by_role("button", name="Connexion").click()
    expect(advisor_page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    advisor_page.goto(page.base_url + "/mises-en-relation/")
    assert_accessible(advisor_page)
    advisor_page.get_by_role("link", name="Ressourcerie lavalloise").first.click()
    expect(advisor_page.get_by_role("heading", level=1)).to_have_text("Ressourcerie lavalloise")
    assert_accessible(advisor_page)
    if accept:
        advisor_page.get_by_role("button", name="Accepter la mise en relation").click()
    else:
        advisor_page.get_by_role("button", name="Décliner la mise en relation").click()
        expect(advisor_page.get_by_role("alert").first).to_be_visible()  # the reason is required
        advisor_page.get_by_label(REASON_LABEL).fill("Notre calendrier est complet jusqu'en septembre.")
        advisor_page.get_by_role("button", name="Décliner la mise en relation").click()
    expect(advisor_page.get_by_role("main")).to_contain_text("Acceptée" if accept else "Déclinée")
    context.close()


def test_an_advisor_records_a_detected_project_and_completes_its_file(page):
    from maille.accounts.enums import MemberRole
    from maille.directory.models import Organisation
    from tests.factories import MembershipFactory

    membership = MembershipFactory(
        organisation=Organisation.objects.get(slug="dla-53"), role=MemberRole.ADVISOR
    )
    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(membership.user.email)
    page.get_by_label("Mot de passe :").fill("mot-de-passe-test")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    page.goto(page.base_url + "/projets/repere/")
    assert_accessible(page)
    page.get_by_label("Nom et prénom du porteur").fill("Dominique Durand")
    page.get_by_label("Adresse e-mail du porteur").fill("dominique@example.org")
    page.get_by_label("Nom du projet").fill("Garage solidaire")
    page.get_by_label("Description").fill("Un garage associatif à Château-Gontier.")
    page.get_by_label("Commune du projet").fill("Saint-Martin")
    page.get_by_label("Forme juridique").select_option("association")
    page.get_by_label("Création ou reprise").check()
    page.get_by_role("button", name="Enregistrer le projet").click()
    expect(page.get_by_role("alert")).to_contain_text("Choisissez au moins un besoin")
    expect(page.get_by_role("group", name="Choisissez votre commune")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("group", name="Choisissez votre commune").get_by_role("radio").first.check()
    page.get_by_label("Financement", exact=True).check()
    page.get_by_role("button", name="Enregistrer le projet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossier « Garage solidaire »")
    expect(page.get_by_role("main")).to_contain_text("dominique@example.org")
    assert_accessible(page)

    page.get_by_label("Type").select_option("support_action")
    page.get_by_label("Ce qui s'est passé").fill("Premier rendez-vous de diagnostic.")
    page.get_by_role("button", name="Ajouter l'événement").click()
    expect(page.locator("#historique + ol li").first).to_contain_text("Premier rendez-vous de diagnostic.")

    page.get_by_label("Financeur").select_option(label="France Active Pays de la Loire")
    page.get_by_label("Dépense financée").fill("Outillage")
    page.get_by_label("Montant demandé (€)").fill("5000")
    page.get_by_role("button", name="Ajouter la ligne").click()
    page.get_by_label("Besoin total à financer (€)").fill("12000")
    page.get_by_role("button", name="Enregistrer le besoin").click()
    expect(page.get_by_role("main")).to_contain_text("besoin non couvert de 7\xa0000,00 €")
    assert_accessible(page)
