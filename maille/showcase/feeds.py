"""The Atom feed of the published success stories (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors

FEED_SIZE = 30


class StoriesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Réussites de l'ESS")
    subtitle = _("Les réussites de l'économie sociale et solidaire publiées sur la plateforme.")

    def link(self):
        return reverse("showcase:stories")

    def items(self):
        return selectors.published_stories()[:FEED_SIZE]

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return story.summary or story.text[:500]

    def item_link(self, story):
        return reverse("showcase:story", args=[story.slug])

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return story.updated_at

    def item_categories(self, story):
        return [str(story.get_sector_display()), str(story.get_family_display())]
