"""Journey of a funding plan: an advisor whose referral was accepted opens the project file from the referral, adds
a line typed « 45 000 € » (the scheme list follows the chosen funder), the funder's member grants « 40 000 » from
the funder's page, and the plan's totals show it."""

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, new_context


def log_in(page, base_url, user):
    page.goto(base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label("Mot de passe :").fill("mot-de-passe-test")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_an_advisor_adds_a_line_and_the_funder_grants_it(page):
    from maille.accounts.enums import MemberRole
    from maille.directory.enums import OrganisationKind
    from maille.referrals.enums import ReferralStatus
    from tests.factories import (
        FundingSchemeFactory,
        MembershipFactory,
        OrganisationFactory,
        ProjectFactory,
        ReferralFactory,
    )

    referral = ReferralFactory(
        project=ProjectFactory(name="Tiers-lieu des Fontaines"), status=ReferralStatus.ACCEPTED
    )
    advisor = MembershipFactory(organisation=referral.organisation, role=MemberRole.ADVISOR).user
    funder = OrganisationFactory(name="Fondation des Fontaines", kind=OrganisationKind.FUNDER)
    FundingSchemeFactory(name="Fonds d'amorçage des Fontaines", funders=[funder])
    FundingSchemeFactory(name="Dispositif d'un autre financeur")
    funder_member = MembershipFactory(organisation=funder, role=MemberRole.FUNDER).user

    # The advisor opens the file from the referral's page.
    log_in(page, page.base_url, advisor)
    page.goto(page.base_url + f"/mises-en-relation/{referral.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Voir le dossier du projet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossier « Tiers-lieu des Fontaines »")
    assert_accessible(page)

    # Choosing the funder reloads its schemes (htmx); the amount is typed the French way.
    scheme = page.locator("#id_line-scheme")
    expect(scheme).to_contain_text("Dispositif d'un autre financeur")
    page.get_by_label("Financeur").select_option(label="Fondation des Fontaines")
    expect(scheme).not_to_contain_text("Dispositif d'un autre financeur")
    expect(scheme).to_contain_text("Fonds d'amorçage des Fontaines")
    scheme.select_option(label="Fonds d'amorçage des Fontaines")
    page.get_by_label("Dépense financée").fill("Aménagement du lieu")
    page.get_by_label("Montant demandé (€)").fill("45 000 €")
    page.get_by_role("button", name="Ajouter la ligne").click()
    expect(page.get_by_role("status").first).to_contain_text("La ligne est ajoutée au plan de financement.")
    expect(page.locator("#total-asked")).to_have_text("45\xa0000,00")
    expect(page.locator("#total-granted")).to_have_text("0,00")
    assert_accessible(page)

    # The funder's member grants part of it from the funder's page.
    context = new_context(page.context.browser)
    funder_page = context.new_page()
    try:
        log_in(funder_page, page.base_url, funder_member)
        funder_page.goto(page.base_url + f"/projets/financeur/{funder.slug}/")
        expect(funder_page.get_by_role("main")).to_contain_text("Aménagement du lieu")
        assert_accessible(funder_page)
        funder_page.get_by_role("link", name="Accorder ou refuser").click()
        expect(funder_page.get_by_role("heading", level=1)).to_contain_text("Aménagement du lieu")
        assert_accessible(funder_page)
        funder_page.get_by_label("Montant accordé (€)").fill("50 000")
        funder_page.get_by_role("button", name="Accorder", exact=True).click()
        expect(funder_page.get_by_role("alert").first).to_contain_text(
            "ne peut pas dépasser le montant demandé"
        )
        assert_accessible(funder_page)
        funder_page.get_by_label("Montant accordé (€)").fill("40 000")
        funder_page.get_by_role("button", name="Accorder", exact=True).click()
        expect(funder_page.get_by_role("status").first).to_contain_text("L'accord est enregistré.")
        expect(funder_page.get_by_role("main")).to_contain_text("Accordé")
        assert_accessible(funder_page)
    finally:
        context.close()

    # The plan's totals show the grant.
    page.reload()
    expect(page.locator("#total-granted")).to_have_text("40\xa0000,00")
    expect(page.locator("#total-asked")).to_have_text("45\xa0000,00")
    expect(page.locator("section[aria-labelledby='historique']")).to_contain_text(
        "Fondation des Fontaines accorde 40\xa0000,00 €"
    )
    assert_accessible(page)
