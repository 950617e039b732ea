"""Journey of a project holder: the intake in three steps (Laval, an employer association in consolidation), the
recommendations with their reasons, two referrals asked at once, both listed on the holder's page."""

from playwright.sync_api import expect

from maille.projects.models import Project
from maille.referrals.models import Referral
from tests.e2e.conftest import assert_accessible

DLA = "Accompagnement DLA de la Mayenne — DLA de la Mayenne"
REASON_LABEL = "Motif du refus :"


def test_a_visitor_files_a_project_sees_reasons_and_asks_two_referrals(page):
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

    labels = [label for label in offers.locator("label").all_inner_texts()]
    second = next(label for label in labels if "DLA de la Mayenne" not in label)
    page.get_by_label(DLA, exact=True).check()
    page.get_by_label(second, exact=True).check()
    page.get_by_label("Message aux structures (facultatif)").fill("Nous cherchons un appui d'ici l'été.")
    page.get_by_role("button", name="Demander une mise en relation").click()

    expect(page.get_by_role("status").first).to_contain_text("Votre demande est envoyée à 2 structures.")
    referrals = page.locator("section[aria-labelledby='referrals-title']")
    expect(referrals.locator("li")).to_have_count(2)
    expect(referrals).to_contain_text("DLA de la Mayenne")
    expect(referrals.locator(".referral-status").first).to_have_text("En attente de réponse")
    expect(page.locator("#project-status")).to_have_text("En attente de réponse")
    assert_accessible(page)

    project = Project.objects.get(holder_email="camille.martin@example.org")
    assert Referral.objects.filter(project=project).count() == 2
    holder_url = page.url

    # The advisor of the first organisation accepts, the advisor of the second declines with a reason.
    first, second_referral = Referral.objects.filter(project=project).order_by("pk")
    answer(page, first, accept=True)
    answer(page, second_referral, accept=False)

    page.goto(holder_url)
    referrals = page.locator("section[aria-labelledby='referrals-title']")
    expect(referrals).to_contain_text("Acceptée")
    expect(referrals).to_contain_text("Déclinée")
    expect(referrals).to_contain_text("Notre calendrier est complet jusqu'en septembre.")
    expect(page.locator("#project-status")).to_have_text("Accompagné")
    assert_accessible(page)


def answer(page, referral, accept: bool):
    """An advisor of the referral's organisation logs in (own browser context), opens the inbox and answers."""
    from maille.accounts.enums import MemberRole
    from tests.e2e.conftest import new_context
    from tests.factories import MembershipFactory

    advisor = MembershipFactory(organisation=referral.organisation, role=MemberRole.ADVISOR).user
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
